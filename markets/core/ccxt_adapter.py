"""The ccxt implementation of `ExchangeAdapter`, with per-exchange quirks.

ccxt is pinned (4.5.90): its error hierarchy has moved between releases, and `ERROR_MAP`
names every class this version has. Only spot markets are loaded, and ccxt is told not to
fetch currencies or margin pairs, so it calls only what is needed.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import ccxt
from ccxt.base import errors as ccxt_errors

from markets.core import errors
from markets.core.adapter import (
    OHLCV,
    Credentials,
    KeyPermissions,
    MarketInfo,
    timeframe_ms,
)
from markets.core.ccxt_orders import CcxtOrderMethods
from markets.core.redaction import redact_text, register_secret
from markets.core.retry import RateBudget, Retrier, RetryPolicy

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExchangeQuirks:
    """What differs between venues, recorded once."""

    ohlcv_limit: int
    """Most candles one OHLCV request returns."""
    newest_first: bool
    """The raw OHLCV payload lists the newest candle first."""
    timestamps_in_seconds: bool
    """The raw OHLCV payload gives open times in seconds, not milliseconds."""
    symbol_example: str
    """How the venue spells BTC/USDT (or its nearest market) in its own API."""
    client_order_id_param: str
    """The order parameter that carries our client order id (used by the trading engine)."""
    requests_per_second: float
    """Our share of the public rate limit, shared by every user of this exchange."""
    ohlcv_windowed: bool = False
    """A request covers the fixed window `since + limit * timeframe`, so an empty answer means
    a quiet window (before listing, an outage), not the end of the data."""
    needs_passphrase: bool = False
    options: dict[str, Any] = field(default_factory=dict)


QUIRKS: dict[str, ExchangeQuirks] = {
    "binance": ExchangeQuirks(
        ohlcv_limit=1000,
        newest_first=False,
        timestamps_in_seconds=False,
        symbol_example="BTCUSDT",
        client_order_id_param="newClientOrderId",
        # 6,000 request weight a minute; klines weigh 2: stay well under half of it.
        requests_per_second=10.0,
        options={
            "fetchMarkets": {"types": ["spot"]},
            "fetchCurrencies": False,
            "fetchMargins": False,
            # fetch_open_orders(None) is the reconciler's sweep; its extra weight is accepted.
            "fetchOpenOrders": {"warnWithoutSymbol": False},
        },
    ),
    "coinbase": ExchangeQuirks(
        ohlcv_limit=300,
        newest_first=True,
        timestamps_in_seconds=True,
        symbol_example="BTC-USD",
        client_order_id_param="client_order_id",
        requests_per_second=5.0,
        ohlcv_windowed=True,
        options={"fetchMarkets": {"types": ["spot"]}, "fetchCurrencies": False},
    ),
    "kucoin": ExchangeQuirks(
        ohlcv_limit=1500,
        newest_first=True,
        timestamps_in_seconds=True,
        symbol_example="BTC-USDT",
        client_order_id_param="clientOid",
        requests_per_second=5.0,
        ohlcv_windowed=True,
        needs_passphrase=True,
        options={"fetchMarkets": {"types": ["spot"]}, "fetchCurrencies": False},
    ),
}

# Every exception class of ccxt 4.5.90, mapped on purpose. Looked up by exact class first,
# then along the class's ancestry (a subclass a later ccxt adds lands on its parent's entry).
ERROR_MAP: dict[type[Exception], type[errors.ExchangeError]] = {
    ccxt_errors.BaseError: errors.FatalError,
    # ExchangeError branch: the exchange answered and said no. Not worth repeating.
    ccxt_errors.ExchangeError: errors.FatalError,
    ccxt_errors.AuthenticationError: errors.AuthenticationError,
    ccxt_errors.PermissionDenied: errors.PermissionDeniedError,
    ccxt_errors.AccountNotEnabled: errors.PermissionDeniedError,
    ccxt_errors.AccountSuspended: errors.PermissionDeniedError,
    ccxt_errors.ArgumentsRequired: errors.BadRequestError,
    ccxt_errors.BadRequest: errors.BadRequestError,
    ccxt_errors.BadSymbol: errors.BadSymbolError,
    ccxt_errors.OperationRejected: errors.BadRequestError,
    ccxt_errors.NoChange: errors.BadRequestError,
    ccxt_errors.MarginModeAlreadySet: errors.BadRequestError,
    ccxt_errors.MarketClosed: errors.BadSymbolError,
    ccxt_errors.ManualInteractionNeeded: errors.PermissionDeniedError,
    ccxt_errors.RestrictedLocation: errors.PermissionDeniedError,
    ccxt_errors.InsufficientFunds: errors.InsufficientFundsError,
    ccxt_errors.InvalidAddress: errors.BadRequestError,
    ccxt_errors.AddressPending: errors.BadRequestError,
    ccxt_errors.InvalidOrder: errors.InvalidOrderError,
    ccxt_errors.OrderNotFound: errors.OrderNotFoundError,
    ccxt_errors.OrderNotCached: errors.OrderNotFoundError,
    ccxt_errors.OrderImmediatelyFillable: errors.InvalidOrderError,
    ccxt_errors.OrderNotFillable: errors.InvalidOrderError,
    ccxt_errors.DuplicateOrderId: errors.DuplicateOrderError,  # already placed, not invalid
    ccxt_errors.ContractUnavailable: errors.InvalidOrderError,
    ccxt_errors.NotSupported: errors.BadRequestError,
    ccxt_errors.InvalidProxySettings: errors.BadRequestError,
    ccxt_errors.ExchangeClosedByUser: errors.FatalError,
    # OperationFailed branch: no usable answer. Repeating later may work.
    ccxt_errors.OperationFailed: errors.NetworkError,
    ccxt_errors.NetworkError: errors.NetworkError,
    ccxt_errors.DDoSProtection: errors.RateLimitedError,
    ccxt_errors.RateLimitExceeded: errors.RateLimitedError,
    ccxt_errors.ExchangeNotAvailable: errors.ExchangeUnavailableError,
    ccxt_errors.OnMaintenance: errors.ExchangeUnavailableError,
    ccxt_errors.InvalidNonce: errors.NetworkError,
    ccxt_errors.ChecksumError: errors.NetworkError,
    ccxt_errors.RequestTimeout: errors.NetworkError,
    ccxt_errors.BadResponse: errors.NetworkError,
    ccxt_errors.NullResponse: errors.NetworkError,
    ccxt_errors.CancelPending: errors.RetryableError,
    ccxt_errors.UnsubscribeError: errors.FatalError,
}


def error_class_for(exc_type: type[Exception]) -> type[errors.ExchangeError]:
    """The platform error class for a ccxt exception class."""
    for klass in exc_type.__mro__:
        mapped = ERROR_MAP.get(klass)
        if mapped is not None:
            return mapped
    return errors.FatalError


def parse_retry_after(value: object) -> float | None:
    """Seconds from a `Retry-After` header (delta-seconds form); None when absent or odd."""
    if value is None:
        return None
    try:
        seconds = float(str(value).strip())
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def rewrite_api_urls(urls: Any, base_url: str) -> Any:
    """Point every REST URL at `base_url`, keeping each path."""
    base = base_url.rstrip("/")
    if isinstance(urls, str):
        return re.sub(r"^https?://[^/]+", base, urls)
    if isinstance(urls, dict):
        return {k: rewrite_api_urls(v, base) for k, v in urls.items()}
    return urls


def normalize_ohlcv(rows: list[list[Any]]) -> list[OHLCV]:
    """Raw ccxt-style rows to `OHLCV`, oldest first, open times in milliseconds.

    Accepts newest-first payloads and open times in seconds (KuCoin, Coinbase raw form).
    Values are kept as given (NaN and all): validation happens in the ingestion service.
    """
    out: list[OHLCV] = []
    for row in rows:
        ts = int(float(row[0]))
        if ts < 100_000_000_000:  # before 1973 in ms: these are seconds
            ts *= 1000
        out.append(
            OHLCV(
                open_time_ms=ts,
                open=_float(row[1]),
                high=_float(row[2]),
                low=_float(row[3]),
                close=_float(row[4]),
                volume=_float(row[5]) if len(row) > 5 else 0.0,
            )
        )
    out.sort(key=lambda c: c.open_time_ms)
    return out


def _float(value: Any) -> float:
    if value is None:
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


class CcxtAdapter(CcxtOrderMethods):
    """An `ExchangeAdapter` and `OrderAdapter` over a synchronous ccxt exchange.

    The order methods live in `markets/core/ccxt_orders.py`; this class holds the plumbing.
    """

    is_demo = False

    def __init__(
        self,
        exchange_id: str,
        *,
        credentials: Credentials | None = None,
        base_url: str | None = None,
        sandbox: bool = False,
        policy: RetryPolicy | None = None,
        budget: RateBudget | None = None,
        timeout_ms: int = 10_000,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        if exchange_id not in QUIRKS:
            raise errors.UnknownExchangeError(
                f"unknown exchange {exchange_id!r}; use one of {', '.join(sorted(QUIRKS))}",
                exchange=exchange_id,
            )
        self.exchange_id = exchange_id
        self.quirks = QUIRKS[exchange_id]
        config: dict[str, Any] = {
            "enableRateLimit": False,  # the shared budget paces requests instead
            "timeout": timeout_ms,
            "verbose": False,
            "options": {**self.quirks.options, "maxRetriesOnFailure": 0},
        }
        if credentials is not None:
            for value in (credentials.api_key, credentials.secret, credentials.passphrase):
                register_secret(value)
            config["apiKey"] = credentials.api_key
            config["secret"] = credentials.secret
            if credentials.passphrase:
                config["password"] = credentials.passphrase
        self.client: Any = getattr(ccxt, exchange_id)(config)
        self.sandbox = sandbox
        if sandbox:
            self.client.set_sandbox_mode(True)
        if base_url:
            self.client.urls["api"] = rewrite_api_urls(self.client.urls["api"], base_url)
        retrier_kwargs: dict[str, Any] = {"policy": policy, "budget": budget}
        if sleep is not None:
            retrier_kwargs["sleep"] = sleep
        if clock is not None:
            retrier_kwargs["clock"] = clock
        self.retrier = Retrier(exchange_id, **retrier_kwargs)
        self._markets_loaded = False

    # --- plumbing ------------------------------------------------------------------------

    def _translate(self, e: Exception) -> errors.ExchangeError:
        klass = error_class_for(type(e))
        retry_after = None
        if issubclass(klass, errors.RateLimitedError):
            headers = getattr(self.client, "last_response_headers", None) or {}
            retry_after = parse_retry_after(headers.get("Retry-After"))
        message = redact_text(f"{self.exchange_id}: {type(e).__name__}: {e}")[:500]
        return klass(message, exchange=self.exchange_id, retry_after=retry_after)

    def _call(self, fn: Callable[[], Any], *, retry: bool = True) -> Any:
        def attempt() -> Any:
            self.client.last_response_headers = None
            try:
                return fn()
            except ccxt_errors.BaseError as e:
                raise self._translate(e) from e
            except (ValueError, TypeError, KeyError, IndexError) as e:
                # ccxt could not parse what came back: a truncated or garbled body.
                raise errors.NetworkError(
                    f"{self.exchange_id}: unusable response ({type(e).__name__})",
                    exchange=self.exchange_id,
                ) from e

        return self.retrier.call(attempt, retry=retry)

    def _ensure_markets(self) -> None:
        if not self._markets_loaded:
            self._call(lambda: self.client.load_markets())
            self._markets_loaded = True

    # --- the interface -------------------------------------------------------------------

    def load_markets(self) -> list[MarketInfo]:
        markets = self._call(lambda: self.client.load_markets(True))
        self._markets_loaded = True
        out = []
        for m in markets.values():
            if not m.get("spot"):
                continue
            precision = m.get("precision") or {}
            limits = m.get("limits") or {}
            out.append(
                MarketInfo(
                    symbol=m["symbol"],
                    base=m["base"],
                    quote=m["quote"],
                    active=m.get("active") is not False,
                    price_precision=_decimal(precision.get("price")),
                    amount_precision=_decimal(precision.get("amount")),
                    min_amount=_decimal((limits.get("amount") or {}).get("min")),
                    min_notional=_decimal((limits.get("cost") or {}).get("min")),
                )
            )
        return sorted(out, key=lambda i: i.symbol)

    def fetch_ohlcv(
        self, symbol: str, timeframe: str, *, since_ms: int | None = None, limit: int | None = None
    ) -> list[OHLCV]:
        try:
            timeframe_ms(timeframe)
        except ValueError as e:
            raise errors.BadRequestError(str(e), exchange=self.exchange_id) from None
        self._ensure_markets()
        if symbol not in self.client.markets:
            raise errors.BadSymbolError(
                f"{self.exchange_id} lists no market {symbol!r}", exchange=self.exchange_id
            )
        per_request = min(limit or self.quirks.ohlcv_limit, self.quirks.ohlcv_limit)

        def fetch() -> list[list[Any]]:
            rows = self.client.fetch_ohlcv(symbol, timeframe, since_ms, per_request)
            if not isinstance(rows, list) or any(
                not isinstance(r, list | tuple) or len(r) < 5 for r in rows
            ):
                raise ccxt_errors.BadResponse(f"{self.exchange_id} sent malformed candles")
            return rows

        candles = normalize_ohlcv(self._call(fetch))
        if since_ms is not None:
            candles = [c for c in candles if c.open_time_ms >= since_ms]
        return candles[:per_request]

    def fetch_key_permissions(self) -> KeyPermissions:
        if self.exchange_id != "binance":
            return KeyPermissions(known=False, detail=f"{self.exchange_id} does not report")
        if self.sandbox:
            # Binance's spot testnet serves no /sapi endpoints, so it cannot tell either.
            return KeyPermissions(known=False, detail="the binance testnet does not report")
        raw = self._call(lambda: self.client.sapi_get_account_apirestrictions())
        return binance_key_permissions(raw)

    def fetch_balance(self) -> dict[str, Decimal]:
        raw = self._call(lambda: self.client.fetch_balance())
        exact = _binance_free_balances(raw.get("info")) if self.exchange_id == "binance" else None
        if exact is not None:
            return exact
        free = raw.get("free") or {}
        out: dict[str, Decimal] = {}
        for asset, amount in free.items():
            value = _decimal(amount)
            if value is not None and value != 0:
                out[asset] = value
        return out

    def close(self) -> None:
        session = getattr(self.client, "session", None)
        if session is not None:
            session.close()


def _binance_free_balances(info: Any) -> dict[str, Decimal] | None:
    """Free balances from Binance's own strings (a float keeps only ~15 digits)."""
    rows = info.get("balances") if isinstance(info, dict) else None
    if not isinstance(rows, list):
        return None
    out: dict[str, Decimal] = {}
    for row in rows:
        value = _decimal(row.get("free")) if isinstance(row, dict) else None
        if value is not None and value != 0 and isinstance(row.get("asset"), str):
            out[row["asset"]] = value
    return out


def _flag(raw: dict[str, Any], key: str) -> bool:
    value = raw.get(key)
    if isinstance(value, str):
        return value.lower() == "true"
    return bool(value)


def binance_key_permissions(raw: dict[str, Any]) -> KeyPermissions:
    """Map Binance's GET /sapi/v1/account/apiRestrictions answer."""
    return KeyPermissions(
        known=True,
        can_read=_flag(raw, "enableReading"),
        can_trade=_flag(raw, "enableSpotAndMarginTrading"),
        can_withdraw=_flag(raw, "enableWithdrawals"),
        can_transfer=_flag(raw, "enableInternalTransfer") or _flag(raw, "permitsUniversalTransfer"),
        ip_restricted=_flag(raw, "ipRestrict") if "ipRestrict" in raw else None,
    )
