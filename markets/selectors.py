"""Reads of market data for the other apps."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from markets.models import Candle, Market

CANDLE_COLUMNS = ["open", "high", "low", "close", "volume"]


def market_get(*, exchange: str, symbol: str) -> Market:
    """Return one market by exchange id and unified symbol; raises Market.DoesNotExist."""
    return Market.objects.select_related("exchange").get(exchange__ccxt_id=exchange, symbol=symbol)


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
    frame = pd.DataFrame.from_records(values, columns=["open_time", *CANDLE_COLUMNS])
    frame["open_time"] = pd.to_datetime(frame["open_time"], utc=True)
    return frame.set_index("open_time").astype("float64")
