"""Reads of market data for the other apps."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd
from django.db.models import Count, Max, Min, OuterRef, Q, QuerySet, Subquery

from markets.core.adapter import timeframe_ms
from markets.models import Candle, Exchange, Market

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)

CANDLE_COLUMNS = ["open", "high", "low", "close", "volume"]


def market_get(*, exchange: str, symbol: str) -> Market:
    """Return one market by exchange id and unified symbol; raises Market.DoesNotExist."""
    return Market.objects.select_related("exchange").get(exchange__ccxt_id=exchange, symbol=symbol)


_EMPTY_CANDLES = pd.DataFrame(
    {name: pd.Series(dtype="float64") for name in CANDLE_COLUMNS},
    index=pd.DatetimeIndex([], tz="UTC", name="open_time"),
)


def candles_frame(
    *,
    market_id: int,
    timeframe: str,
    start: datetime | None = None,
    end: datetime | None = None,
) -> pd.DataFrame:
    """Return stored candles as a frame on a UTC DatetimeIndex of open times, oldest first.

    `start` is inclusive and `end` exclusive, both on open time.
    """
    rows = Candle.objects.filter(market_id=market_id, timeframe=timeframe)
    if start is not None:
        rows = rows.filter(open_time__gte=start)
    if end is not None:
        rows = rows.filter(open_time__lt=end)
    values = list(rows.order_by("open_time").values_list("open_time", *CANDLE_COLUMNS))
    if not values:  # common (a timeframe not stored): skip building the frame from records
        return _EMPTY_CANDLES.copy()
    frame = pd.DataFrame.from_records(values, columns=["open_time", *CANDLE_COLUMNS])
    frame["open_time"] = pd.to_datetime(frame["open_time"], utc=True)
    return frame.set_index("open_time").astype("float64")


def candle_newest_open_time(*, market_id: int, timeframe: str, before: datetime) -> datetime | None:
    """Return the open time of the newest stored candle that opened at or before `before`."""
    return (
        Candle.objects.filter(market_id=market_id, timeframe=timeframe, open_time__lte=before)
        .order_by("-open_time")
        .values_list("open_time", flat=True)
        .first()
    )


def candle_latest_close(
    *, market_id: int, timeframes: Sequence[str], since: datetime
) -> float | None:
    """Return the close of the newest candle opened at or after `since` in the first of
    `timeframes` that has one (an index lookup per timeframe tried); None when none has."""
    for timeframe in timeframes:
        close: float | None = (
            Candle.objects.filter(market_id=market_id, timeframe=timeframe, open_time__gte=since)
            .order_by("-open_time")
            .values_list("close", flat=True)
            .first()
        )
        if close is not None:
            return float(close)
    return None


def candles_exist(*, market_id: int, timeframe: str) -> bool:
    """Whether any candle of this market and timeframe is stored."""
    return Candle.objects.filter(market_id=market_id, timeframe=timeframe).exists()


def markets_get_many(*, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Market]:
    """Return the markets of (exchange id, unified symbol) pairs with their exchanges, in one
    query, by pair; pairs with no market are left out."""
    wanted = set(keys)
    if not wanted:
        return {}
    condition = Q()
    for exchange, symbol in wanted:
        condition |= Q(exchange__ccxt_id=exchange, symbol=symbol)
    found = Market.objects.select_related("exchange").filter(condition)
    return {(m.exchange.ccxt_id, m.symbol): m for m in found}


def market_get_by_id(*, market_id: int) -> Market:
    """Return one market with its exchange; raises Market.DoesNotExist."""
    return Market.objects.select_related("exchange").get(pk=market_id)


def markets_list(
    *,
    exchange: str | None = None,
    enabled: bool | None = None,
    exchange_enabled: bool | None = None,
    demo: bool | None = None,
) -> QuerySet[Market]:
    """Markets with their exchange and the open time of their newest candle."""
    newest = (
        Candle.objects.filter(market=OuterRef("pk")).order_by("-open_time").values("open_time")[:1]
    )
    rows = Market.objects.select_related("exchange").annotate(last_candle_at=Subquery(newest))
    if exchange:
        rows = rows.filter(exchange__ccxt_id=exchange)
    if enabled is not None:
        rows = rows.filter(enabled=enabled)
    if exchange_enabled is not None:
        rows = rows.filter(exchange__enabled=exchange_enabled)
    if demo is not None:
        rows = rows.filter(exchange__is_demo=demo)
    return rows.order_by("exchange__ccxt_id", "symbol")


def exchange_find(
    *, ccxt_id: str, enabled: bool | None = None, demo: bool | None = None
) -> Exchange | None:
    """Return the exchange with this ccxt id (and state), or None."""
    rows = Exchange.objects.filter(ccxt_id=ccxt_id)
    if enabled is not None:
        rows = rows.filter(enabled=enabled)
    if demo is not None:
        rows = rows.filter(is_demo=demo)
    return rows.first()


def exchanges_list() -> QuerySet[Exchange]:
    return Exchange.objects.annotate(market_count=Count("markets")).order_by("ccxt_id")


def candles_page(
    *, market_id: int, timeframe: str, start: datetime | None, end: datetime | None, limit: int
) -> tuple[list[list[float]], int | None]:
    """Up to `limit` candles oldest first as `[t_ms, o, h, l, c, v]`, and the next page's start.

    `start` is inclusive and `end` exclusive, both on open time.
    """
    rows = Candle.objects.filter(market_id=market_id, timeframe=timeframe)
    if start is not None:
        rows = rows.filter(open_time__gte=start)
    if end is not None:
        rows = rows.filter(open_time__lt=end)
    values = list(rows.order_by("open_time").values_list("open_time", *CANDLE_COLUMNS)[: limit + 1])
    next_start = None
    if len(values) > limit:
        next_start = (values[limit][0] - _EPOCH) // _MS
        values = values[:limit]
    out = [[(t - _EPOCH) // _MS, o, h, lo, c, v] for t, o, h, lo, c, v in values]
    return out, next_start


def market_candle_stats(*, market_id: int) -> list[dict[str, Any]]:
    """Per timeframe: candle count, first and last open time, and missing candles between.

    Missing candles come from the count and the span, so no row is read one by one.
    """
    stats = (
        Candle.objects.filter(market_id=market_id)
        .values("timeframe")
        .annotate(count=Count("id"), first=Min("open_time"), last=Max("open_time"))
        .order_by("timeframe")
    )
    out = []
    for s in stats:
        step = timedelta(milliseconds=timeframe_ms(s["timeframe"]))
        expected = (s["last"] - s["first"]) // step + 1
        out.append({**s, "missing": expected - s["count"]})
    return out
