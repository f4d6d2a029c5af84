"""BUY / SELL / HOLD labels: the only place in the pipeline that reads the future.

A candle's label compares the close H candles later with its own close. The threshold clears
the round-trip cost (two fees plus slippage) with a margin, so a BUY label means a long held
for H candles would have made money after costs. The last H rows have no label (NaN) and so
never reach training.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

SELL, HOLD, BUY = 0, 1, 2
CLASS_NAMES = ("SELL", "HOLD", "BUY")


@dataclass(frozen=True)
class LabelParams:
    """Horizon (candles), costs and the extra margin the move must clear."""

    horizon: int = 4
    fee_rate: float = 0.001
    slippage_bps: float = 0.0
    margin: float = 0.001
    method: str = "fixed"  # "fixed" / "volatility" (forward return) or "triple_barrier"
    # "volatility": the barrier is vol_multiple times the standard deviation of the last
    # vol_window one-candle log returns (known at the candle's close), scaled to the horizon,
    # and never below the cost threshold.
    vol_window: int = 48
    vol_multiple: float = 1.0

    @property
    def threshold(self) -> float:
        """Return the absolute return a move must exceed: round-trip costs plus the margin."""
        return 2.0 * (self.fee_rate + self.slippage_bps / 10_000.0) + self.margin

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = asdict(self)
        data["threshold"] = self.threshold
        return data

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> LabelParams:
        values = {k: v for k, v in data.items() if k != "threshold"}
        return cls(**values)  # type: ignore[arg-type]


def make_labels(candles: pd.DataFrame, params: LabelParams) -> pd.Series:
    """Return labels (0 SELL, 1 HOLD, 2 BUY) as floats, NaN for the last `horizon` rows."""
    if params.horizon < 1:
        raise ValueError("horizon must be at least 1 candle")
    close = candles["close"].to_numpy(dtype=np.float64)
    size = close.size
    labels = np.full(size, np.nan)
    horizon = params.horizon
    if size <= horizon:
        return pd.Series(labels, index=candles.index, name="label")
    threshold = params.threshold
    if params.method in ("fixed", "volatility"):
        forward = close[horizon:] / close[:-horizon] - 1.0
        barrier: float | np.ndarray = threshold
        if params.method == "volatility":
            barrier = np.maximum(volatility_barrier(close, params)[: size - horizon], threshold)
        head = np.full(forward.size, float(HOLD))
        head[forward > barrier] = BUY
        head[forward < -barrier] = SELL
        if params.method == "volatility":
            head[np.isnan(barrier)] = np.nan
        labels[: size - horizon] = head
    elif params.method == "triple_barrier":
        labels[: size - horizon] = _triple_barrier(candles, horizon, threshold)
    else:
        raise ValueError(f"unknown label method {params.method!r}")
    return pd.Series(labels, index=candles.index, name="label")


def volatility_barrier(close: np.ndarray, params: LabelParams) -> np.ndarray:
    """Return per candle vol_multiple x the rolling volatility of one-candle log returns over
    the last vol_window candles (the candle's own close included), times sqrt(horizon).

    NaN until a full window of returns exists. It reads no close after the candle's own.
    """
    steps = pd.Series(np.r_[np.nan, np.diff(np.log(close))])
    sigma = steps.rolling(params.vol_window, min_periods=params.vol_window).std().to_numpy()
    result: np.ndarray = params.vol_multiple * sigma * np.sqrt(params.horizon)
    return result


def _triple_barrier(candles: pd.DataFrame, horizon: int, threshold: float) -> np.ndarray:
    """Label by whichever barrier (close * (1 +/- threshold)) the highs/lows touch first.

    A candle touching both barriers in the same step counts as HOLD (order unknown).
    """
    close = candles["close"].to_numpy(dtype=np.float64)
    high = candles["high"].to_numpy(dtype=np.float64)
    low = candles["low"].to_numpy(dtype=np.float64)
    count = close.size - horizon
    base = close[:count]
    result = np.full(count, float(HOLD))
    decided = np.zeros(count, dtype=bool)
    for step in range(1, horizon + 1):
        up = high[step : step + count] >= base * (1.0 + threshold)
        down = low[step : step + count] <= base * (1.0 - threshold)
        fresh = ~decided
        result[fresh & up & ~down] = BUY
        result[fresh & down & ~up] = SELL
        decided |= up | down
    return result
