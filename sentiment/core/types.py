"""Plain records passed between the source clients, the scorer and the Django shell."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class NewsRecord:
    """One news headline as a source reported it; `raw` is the untouched payload."""

    external_id: str
    title: str
    url: str
    domain: str
    currencies: tuple[str, ...]
    votes: dict[str, int]
    published_at: datetime
    raw: dict[str, Any] = field(repr=False)


@dataclass(frozen=True)
class PostRecord:
    """One social post (an X tweet); `raw` is the untouched payload."""

    external_id: str
    author: str
    text: str
    language: str
    created_at: datetime
    public_metrics: dict[str, int]
    raw: dict[str, Any] = field(repr=False)


@dataclass
class FetchResult(Generic[T]):
    """What one poll brought back: the items parsed so far and why it stopped, if early.

    `error` is None on success, else one of `unauthorized`, `rate_limited`, `http_error`,
    `network_error`, `bad_response`; items fetched before the error are kept.
    """

    items: list[T] = field(default_factory=list)
    pages: int = 0
    skipped: int = 0
    error: str | None = None
    detail: str = ""
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        return self.error is None
