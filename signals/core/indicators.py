"""Technical indicators with TA-Lib's definitions; the recursive parts run as compiled loops.

Conventions (the same as TA-Lib's defaults, checked against it in the tests):
- SMA(n): mean of the last n closes; the first n-1 rows are NaN.
- EMA(n): k = 2 / (n + 1), seeded with the SMA of the first n values (first value at row n-1).
- RSI(n): Wilder smoothing (alpha = 1/n); the first average gain and loss are the plain means
  of the first n changes, so the first RSI is at row n. Where the average gain and loss are
  both zero (a flat stretch) RSI is 50 here; TA-Lib writes 0, which reads as "oversold".
- ATR(n): true range from row 1; the first ATR is the mean of the first n true ranges (row n),
  then Wilder smoothing.
- MACD(12, 26, 9): TA-Lib seeds the fast EMA so that it starts on the same row as the slow one
  (the fast seed is the mean of closes 14..25), and all three outputs start at row 33.
- Bollinger(20, 2): SMA middle band and the population standard deviation (ddof=0).

Warm-up rows are NaN, never 0. Every output at row t depends only on rows 0..t, and is
computed so that a prefix of the input gives bitwise the same values (the truncation test
relies on it).

The loops live in `signals.core._kernels` (numba, compiled on first use and cached on disk);
they keep the arithmetic of the numpy/scipy code they replaced, so results are unchanged.
Inputs are read as float64 (float32 input is widened first).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from signals.core import _kernels as kernels

FloatArray = NDArray[np.float64]

RSI_PERIOD = 14

INDICATOR_COLUMNS = (
    "sma_20",
    "ema_20",
    "rsi_14",
    "macd",
    "macd_signal",
    "macd_hist",
    "bb_upper",
    "bb_middle",
    "bb_lower",
    "atr_14",
)

# Rolling variance is summed in blocks around a per-block reference value so that large
# prices do not cancel catastrophically (x**2 of 60,000 has few bits left for the variance).
_VAR_BLOCK = 4096


def _nan(size: int) -> FloatArray:
    return np.full(size, np.nan, dtype=np.float64)


def _float64(values: ArrayLike) -> FloatArray:
    """Return values as a contiguous float64 array (no copy when it already is one)."""
    return np.ascontiguousarray(values, dtype=np.float64)


def _recursive_mean(
    values: FloatArray, seed: float, alpha: float, start: int, size: int
) -> FloatArray:
    """Return y with y[start] = seed and y[t] = (1 - alpha) y[t-1] + alpha values[t] after it."""
    out = np.empty(size, dtype=np.float64)
    kernels.recursive_mean_into(_float64(values[:size]), seed, alpha, start, out)
    return out


def sma(values: FloatArray, period: int) -> FloatArray:
    """Return the simple moving average; the first period-1 rows are NaN."""
    values = _float64(values)
    size = values.size
    out = _nan(size)
    if size < period:
        return out
    sums = np.convolve(values, np.ones(period), mode="valid")
    out[period - 1 :] = sums / period
    return out


def _ema_seed(values: FloatArray, period: int, offset: int) -> float:
    return float(np.mean(values[offset : offset + period]))


def _ema_into(values: FloatArray, period: int, offset: int, out: FloatArray) -> None:
    start = offset + period - 1
    seed = _ema_seed(values, period, offset) if start < values.size else np.nan
    kernels.recursive_mean_into(values, seed, 2.0 / (period + 1), start, out)


def _rsi_seeds(close: FloatArray, period: int) -> tuple[float, float]:
    """Return the first average gain and loss: the means of the first `period` changes."""
    if period >= close.size:
        return np.nan, np.nan
    change = np.diff(close[: period + 1])
    return float(np.mean(np.maximum(change, 0.0))), float(np.mean(np.maximum(-change, 0.0)))


def _atr_seed(high: FloatArray, low: FloatArray, close: FloatArray, period: int) -> float:
    """Return the first ATR: the mean of the true ranges of rows 1..period."""
    if period >= close.size:
        return np.nan
    previous = close[:period]
    head = np.maximum(high[1 : period + 1], previous) - np.minimum(low[1 : period + 1], previous)
    return float(np.mean(head))


def _macd_seeds(close: FloatArray, fast: int, slow: int, signal: int) -> tuple[float, float, float]:
    """Return the seeds of the fast EMA, the slow EMA and the signal line.

    The fast EMA starts on the slow one's row; the signal is seeded with the mean of the
    line's first `signal` values, computed here from the head of the series.
    """
    first = slow + signal - 2
    if first >= close.size:
        return np.nan, np.nan, np.nan
    seed_slow = _ema_seed(close, slow, 0)
    seed_fast = _ema_seed(close, fast, slow - fast)
    head = close[: first + 1]
    line_head = _recursive_mean(head, seed_fast, 2.0 / (fast + 1), slow - 1, head.size)
    line_head -= _recursive_mean(head, seed_slow, 2.0 / (slow + 1), slow - 1, head.size)
    return seed_fast, seed_slow, _ema_seed(line_head, signal, slow - 1)


def ema(values: FloatArray, period: int, *, offset: int = 0) -> FloatArray:
    """Return TA-Lib's EMA, seeded with the SMA of the first `period` values from `offset`."""
    values = _float64(values)
    out = np.empty(values.size, dtype=np.float64)
    _ema_into(values, period, offset, out)
    return out


def wilder(values: FloatArray, period: int, *, first: int) -> FloatArray:
    """Return Wilder's smoothing of values[first:], seeded with the mean of its first `period`."""
    values = _float64(values)
    size = values.size
    start = first + period - 1
    if start >= size:
        return _nan(size)
    seed = float(np.mean(values[first : start + 1]))
    return _recursive_mean(values, seed, 1.0 / period, start, size)


def _rsi_from_averages(gain: FloatArray, loss: FloatArray) -> FloatArray:
    total = gain + loss
    with np.errstate(invalid="ignore", divide="ignore"):
        out = 100.0 * gain / total
    flat = total == 0.0
    out[flat] = 50.0
    return out


def rsi(close: FloatArray, period: int = 14) -> FloatArray:
    """Return Wilder's RSI as TA-Lib computes it (first value at row `period`)."""
    close = _float64(close)
    out = np.empty(close.size, dtype=np.float64)
    kernels.rsi_into(close, period, *_rsi_seeds(close, period), out)
    return out


def rsi_ewm(close: FloatArray, period: int = 14) -> FloatArray:
    """Return RSI with the `ta` library's convention (reference tables only, not a feature).

    Averages are `ewm(alpha=1/period, adjust=False)` of gains and losses with the first change
    taken as 0; rows before `period` are NaN as in `ta` with fillna=False.
    """
    close = _float64(close)
    change = np.diff(close, prepend=close[:1])
    gain = np.where(change > 0.0, change, 0.0)
    loss = np.where(change < 0.0, -change, 0.0)
    size = close.size
    if size == 0:
        return _nan(0)
    avg_gain = _recursive_mean(gain, float(gain[0]), 1.0 / period, 0, size)
    avg_loss = _recursive_mean(loss, float(loss[0]), 1.0 / period, 0, size)
    out = _rsi_from_averages(avg_gain, avg_loss)
    out[: period - 1] = np.nan
    return out


def true_range(high: FloatArray, low: FloatArray, close: FloatArray) -> FloatArray:
    """Return the true range; row 0 is NaN because it has no previous close (as in TA-Lib)."""
    close = _float64(close)
    out = np.empty(close.size, dtype=np.float64)
    kernels.true_range_into(_float64(high), _float64(low), close, out)
    return out


def atr(high: FloatArray, low: FloatArray, close: FloatArray, period: int = 14) -> FloatArray:
    """Return TA-Lib's ATR: the first value at row `period`, then Wilder smoothing."""
    high, low, close = _float64(high), _float64(low), _float64(close)
    out = np.empty(close.size, dtype=np.float64)
    kernels.atr_into(high, low, close, period, _atr_seed(high, low, close, period), out)
    return out


def macd(
    close: FloatArray, fast: int = 12, slow: int = 26, signal: int = 9
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Return TA-Lib's MACD line, signal and histogram (all start at row slow+signal-2)."""
    close = _float64(close)
    line, signal_line, hist = (np.empty(close.size, dtype=np.float64) for _ in range(3))
    seeds = _macd_seeds(close, fast, slow, signal)
    kernels.macd_into(close, fast, slow, signal, *seeds, line, signal_line, hist)
    return line, signal_line, hist


def rolling_mean_std(values: FloatArray, period: int) -> tuple[FloatArray, FloatArray]:
    """Return the rolling mean and population standard deviation over `period` values.

    Sums run in blocks, each centred on its own reference value, so that large prices do not
    cancel catastrophically in E[x^2] - E[x]^2.
    """
    values = _float64(values)
    mean_out = np.empty(values.size, dtype=np.float64)
    std_out = np.empty(values.size, dtype=np.float64)
    kernels.rolling_into(
        values, period, _VAR_BLOCK, 0.0, mean_out, std_out, std_out, mean_out, False
    )
    return mean_out, std_out


def bollinger(
    close: FloatArray, period: int = 20, width: float = 2.0
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Return Bollinger upper, middle (SMA) and lower bands with the population std."""
    close = _float64(close)
    upper, middle, lower = (np.empty(close.size, dtype=np.float64) for _ in range(3))
    kernels.rolling_into(close, period, _VAR_BLOCK, width, middle, upper, lower, middle, True)
    return upper, middle, lower


def compute_indicators(candles: pd.DataFrame) -> pd.DataFrame:
    """Return the indicator columns for OHLCV candles, on the same index, warm-up rows NaN."""
    close = _float64(candles["close"].to_numpy(dtype=np.float64))
    high = _float64(candles["high"].to_numpy(dtype=np.float64))
    low = _float64(candles["low"].to_numpy(dtype=np.float64))
    # Column-major, so each column is contiguous and the frame wraps it without a copy.
    out = np.empty((close.size, len(INDICATOR_COLUMNS)), dtype=np.float64, order="F")
    column = {name: out[:, position] for position, name in enumerate(INDICATOR_COLUMNS)}
    kernels.rolling_into(
        close,
        20,
        _VAR_BLOCK,
        2.0,
        column["bb_middle"],
        column["bb_upper"],
        column["bb_lower"],
        column["sma_20"],
        True,
    )
    periods = (20, RSI_PERIOD, 14, 12, 26, 9)
    seeds = (
        _ema_seed(close, 20, 0) if close.size >= 20 else np.nan,
        *_rsi_seeds(close, RSI_PERIOD),
        _atr_seed(high, low, close, 14),
        *_macd_seeds(close, 12, 26, 9),
    )
    kernels.indicator_set_into(
        high,
        low,
        close,
        periods,
        seeds,
        column["ema_20"],
        column["rsi_14"],
        column["atr_14"],
        column["macd"],
        column["macd_signal"],
        column["macd_hist"],
    )
    return pd.DataFrame(out, index=candles.index, columns=list(INDICATOR_COLUMNS), copy=False)
