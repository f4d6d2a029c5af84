"""Candle builders for the trading core tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def make_candles(rows: list[tuple[float, float, float, float]], freq: str = "1h") -> pd.DataFrame:
    """Build candles from (open, high, low, close) rows on an hourly UTC index."""
    index = pd.date_range("2024-01-01", periods=len(rows), freq=freq, tz="UTC")
    frame = pd.DataFrame(rows, columns=["open", "high", "low", "close"], index=index, dtype=float)
    frame["volume"] = 1.0
    return frame


def flat_rows(*closes: float) -> list[tuple[float, float, float, float]]:
    """Candles whose open, high, low and close are all one price."""
    return [(c, c, c, c) for c in closes]


def load_ohlcv(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path)
    frame.index = pd.to_datetime(frame.pop("timestamp_ms"), unit="ms", utc=True)
    return frame.astype("float64")
