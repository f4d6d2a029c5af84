"""The one interface through which every exchange call passes.

`create_adapter` (in `markets/core/factory.py`) builds an adapter from an exchange id and
optional credentials; `accounts` decrypts credentials and calls it, and nothing else ever
holds decrypted keys. Candle prices are floats; money and quantities are `Decimal`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol, runtime_checkable

TIMEFRAMES: dict[str, int] = {
    "1m": 60_000,
    "5m": 300_000,
    "15m": 900_000,
    "1h": 3_600_000,
    "4h": 14_400_000,
    "1d": 86_400_000,
}


def timeframe_ms(timeframe: str) -> int:
    """Return the length of a timeframe in milliseconds; the one place timeframes are parsed."""
    try:
        return TIMEFRAMES[timeframe]
    except KeyError:
        known = ", ".join(TIMEFRAMES)
        raise ValueError(f"unknown timeframe {timeframe!r}; use one of {known}") from None


@dataclass(frozen=True)
class Credentials:
    """Decrypted exchange credentials. Never logged: the repr hides every field."""

    api_key: str = field(repr=False)
    secret: str = field(repr=False)
    passphrase: str | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        return "Credentials(***)"


@dataclass(frozen=True)
class MarketInfo:
    symbol: str
    base: str
    quote: str
    active: bool
    price_precision: Decimal | None = None
    amount_precision: Decimal | None = None
    min_amount: Decimal | None = None
    min_notional: Decimal | None = None


@dataclass(frozen=True)
class OHLCV:
    """One candle: open time in epoch milliseconds (UTC), prices and base volume as floats."""

    open_time_ms: int
    open: float
    high: float
    low: float
    close: float
    volume: float


@dataclass(frozen=True)
class KeyPermissions:
    """What an API key may do, as far as the exchange tells."""

    known: bool
    can_read: bool = True
    can_trade: bool = False
    can_withdraw: bool = False
    can_transfer: bool = False
    ip_restricted: bool | None = None
    detail: str = ""


@runtime_checkable
class ExchangeAdapter(Protocol):
    exchange_id: str
    is_demo: bool

    def load_markets(self) -> list[MarketInfo]:
        """Return the exchange's spot markets."""
        ...

    def fetch_ohlcv(
        self, symbol: str, timeframe: str, *, since_ms: int | None = None, limit: int | None = None
    ) -> list[OHLCV]:
        """Return candles oldest first, open time >= since_ms, at most `limit` of them."""
        ...

    def fetch_key_permissions(self) -> KeyPermissions:
        """Ask the exchange what the configured key may do (needs credentials)."""
        ...

    def fetch_balance(self) -> dict[str, Decimal]:
        """Return free balances per asset (needs credentials)."""
        ...

    def close(self) -> None:
        """Release network resources."""
        ...
