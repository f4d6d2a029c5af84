"""Fixtures for the trading core tests."""

from __future__ import annotations

import pandas as pd
import pytest

from trading.tests.core.candles import load_ohlcv


@pytest.fixture
def btc_1h(shared_data) -> pd.DataFrame:
    return load_ohlcv(shared_data / "ohlcv" / "binance_BTCUSDT_1h.csv")
