"""Fixtures for the signals tests: real candles from ../shared/data and small synthetic ones."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest


def load_ohlcv(path: Path) -> pd.DataFrame:
    """Read a shared OHLCV CSV into the candles frame shape (UTC open-time index, float64)."""
    raw = pd.read_csv(path)
    index = pd.to_datetime(raw["timestamp_ms"], unit="ms", utc=True).rename("open_time")
    frame = raw[["open", "high", "low", "close", "volume"]].astype("float64")
    frame.index = index
    return frame


@pytest.fixture
def btc_1h(shared_data) -> pd.DataFrame:
    return load_ohlcv(shared_data / "ohlcv" / "binance_BTCUSDT_1h.csv")


@pytest.fixture
def eth_1h(shared_data) -> pd.DataFrame:
    return load_ohlcv(shared_data / "ohlcv" / "binance_ETHUSDT_1h.csv")


def synthetic_candles(rows: int = 2000, *, seed: int = 7, freq: str = "1h") -> pd.DataFrame:
    """Return a random-walk OHLCV frame on a regular UTC grid."""
    rng = np.random.default_rng(seed)
    close = 100.0 * np.exp(np.cumsum(rng.normal(0.0, 0.01, rows)))
    open_ = np.concatenate(([close[0]], close[:-1]))
    spread = np.abs(rng.normal(0.0, 0.004, rows)) * close
    high = np.maximum(open_, close) + spread
    low = np.minimum(open_, close) - spread
    volume = rng.lognormal(3.0, 0.5, rows)
    index = pd.date_range("2024-01-01", periods=rows, freq=freq, tz="UTC", name="open_time")
    return pd.DataFrame(
        {"open": open_, "high": high, "low": low, "close": close, "volume": volume}, index=index
    )


@pytest.fixture
def candles() -> pd.DataFrame:
    return synthetic_candles()


@pytest.fixture(autouse=True)
def no_sentiment_app(settings):
    """Run with sentiment switched off unless a test installs a stand-in source."""
    from signals.core.sentiment import sentiment_source_install, sentiment_source_installed

    settings.SIGNALS_USE_SENTIMENT = False
    installed = sentiment_source_installed()
    sentiment_source_install(None)
    yield
    sentiment_source_install(installed)
