"""Candle frames read from the store."""

from __future__ import annotations

import pandas as pd
import pytest

from markets.selectors import candles_frame
from markets.tests.factories import CandleFactory, MarketFactory


@pytest.mark.django_db
def test_candles_frame_with_and_without_rows_has_the_same_shape():
    market = MarketFactory()
    CandleFactory.create_batch(3, market=market)
    stored = candles_frame(market_id=market.pk, timeframe="1h")
    empty = candles_frame(market_id=market.pk, timeframe="5m")
    assert len(stored) == 3
    assert stored.index.is_monotonic_increasing
    assert empty.empty
    assert list(empty.columns) == list(stored.columns) == ["open", "high", "low", "close", "volume"]
    assert (empty.dtypes == "float64").all()
    assert isinstance(empty.index, pd.DatetimeIndex)
    assert str(empty.index.tz) == "UTC"
    assert empty.index.name == stored.index.name == "open_time"
    # each empty frame is the caller's own
    empty.loc[pd.Timestamp("2024-01-01", tz="UTC")] = [1.0, 1.0, 1.0, 1.0, 1.0]
    assert candles_frame(market_id=market.pk, timeframe="5m").empty
