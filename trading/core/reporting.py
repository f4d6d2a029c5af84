"""Compact, JSON-safe forms of backtest results for storage and the API."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

MAX_CURVE_POINTS = 2_000


def _epoch_ms(index: pd.DatetimeIndex) -> list[int]:
    stamps = index if index.tz is not None else index.tz_localize("UTC")
    return [int(value) for value in stamps.as_unit("ms").asi8]


def compact_curve(series: pd.Series, *, max_points: int = MAX_CURVE_POINTS) -> list[list[float]]:
    """Return `[[epoch ms, value], ...]` with at most `max_points` points.

    Keeps every k-th point, always the first and the last, and the lowest point (so the
    deepest drawdown survives downsampling).
    """
    if max_points < 3:
        raise ValueError("max_points must be at least 3")
    n = len(series)
    if n == 0:
        return []
    stride = max(1, math.ceil(n / (max_points - 2)))
    keep = np.zeros(n, dtype=bool)
    keep[::stride] = True
    keep[-1] = True
    keep[int(np.argmin(series.to_numpy()))] = True
    chosen = series[keep]
    times = _epoch_ms(pd.DatetimeIndex(chosen.index))
    return [[time, float(value)] for time, value in zip(times, chosen.to_numpy(), strict=True)]


def _iso(stamp: pd.Timestamp) -> str:
    stamp = pd.Timestamp(stamp)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize("UTC")
    return str(stamp.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ"))


def _number(value: Any) -> float | None:
    number = float(value)
    return number if math.isfinite(number) else None


def trade_records(trades: pd.DataFrame) -> list[dict[str, Any]]:
    """Return the trades as JSON-safe dicts with ISO 8601 UTC times."""
    records = []
    for values in trades.to_dict("records"):
        record: dict[str, Any] = {}
        for key, value in values.items():
            if key in ("entry_time", "exit_time"):
                record[str(key)] = _iso(value)
            elif key == "exit_reason":
                record[str(key)] = str(value)
            else:
                record[str(key)] = _number(value)
        records.append(record)
    return records
