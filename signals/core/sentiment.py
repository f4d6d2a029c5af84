"""Where the signals app gets sentiment from: a typed source the wiring installs at startup.

Signals and sentiment share a floor, so neither imports the other. The wiring
(`quantum_trader.apps`) installs a `SentimentSource` over the sentiment app's selectors when
Django starts; signals asks for it through `sentiment_source_required()`, which fails loudly
when sentiment is switched on (settings.SIGNALS_USE_SENTIMENT) and nothing was installed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

import pandas as pd

from markets.core.errors import QuantumTraderError


@dataclass(frozen=True)
class Headline:
    """A scored headline quoted in a signal's explanation."""

    title: str
    url: str
    compound: float
    available_at: datetime
    is_demo: bool


@runtime_checkable
class SentimentSource(Protocol):
    def supports(self, interval: str) -> bool:
        """Return whether aggregates exist at this interval (a timeframe string)."""
        ...

    def frame(
        self, *, asset: str, interval: str, start: datetime | None, end: datetime | None
    ) -> pd.DataFrame:
        """Return aggregates indexed by availability time with `SENTIMENT_COLUMNS`."""
        ...

    def headlines(
        self, *, asset: str, start: datetime, end: datetime, limit: int
    ) -> list[Headline]:
        """Return the strongest headlines available in `[start, end)`, strongest first."""
        ...


class SentimentNotInstalledError(QuantumTraderError):
    """Sentiment is switched on but no source was installed (a wiring or settings mistake)."""

    code = "sentiment_not_installed"
    status = 503


_installed: SentimentSource | None = None


def sentiment_source_install(source: SentimentSource | None) -> None:
    """Install the process's sentiment source (None removes it)."""
    global _installed  # one source per process, installed once at startup
    if source is not None and not isinstance(source, SentimentSource):
        raise TypeError(f"{type(source).__name__} is not a SentimentSource")
    _installed = source


def sentiment_source_installed() -> SentimentSource | None:
    return _installed


def sentiment_source_required(*, enabled: bool, setting: str) -> SentimentSource | None:
    """Return the installed source, None when sentiment is off; raise if on and missing."""
    if not enabled:
        return None
    if _installed is None:
        raise SentimentNotInstalledError(
            f"{setting} is on but no sentiment source is installed: add 'quantum_trader' "
            "(whose AppConfig installs it) and 'sentiment' to INSTALLED_APPS, or turn "
            f"{setting} off to run signals without sentiment"
        )
    return _installed
