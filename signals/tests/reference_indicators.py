"""The numpy/scipy indicators that the compiled kernels replaced, kept as a test oracle.

The kernels promise the same floating-point operations in the same order, so
`signals.core.indicators` must agree with these bitwise (NaN where these give NaN).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.signal import lfilter

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


def _recursive_mean(
    values: FloatArray, seed: float, alpha: float, start: int, size: int
) -> FloatArray:
    """Return y with y[start] = seed and y[t] = (1 - alpha) y[t-1] + alpha values[t] after it."""
    out = _nan(size)
    if start >= size:
        return out
    out[start] = seed
    tail = values[start + 1 :]
    if tail.size:
        # scipy's first-order IIR filter runs the recursion in C.
        filtered, _ = lfilter([alpha], [1.0, -(1.0 - alpha)], tail, zi=[(1.0 - alpha) * seed])
        out[start + 1 :] = filtered
    return out


def sma(values: FloatArray, period: int) -> FloatArray:
    """Return the simple moving average; the first period-1 rows are NaN."""
    size = values.size
    out = _nan(size)
    if size < period:
        return out
    sums = np.convolve(values, np.ones(period), mode="valid")
    out[period - 1 :] = sums / period
    return out


def ema(values: FloatArray, period: int, *, offset: int = 0) -> FloatArray:
    """Return TA-Lib's EMA, seeded with the SMA of the first `period` values from `offset`."""
    size = values.size
    start = offset + period - 1
    if start >= size:
        return _nan(size)
    seed = float(np.mean(values[offset : start + 1]))
    return _recursive_mean(values, seed, 2.0 / (period + 1), start, size)


def wilder(values: FloatArray, period: int, *, first: int) -> FloatArray:
    """Return Wilder's smoothing of values[first:], seeded with the mean of its first `period`."""
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
    change = np.diff(close, prepend=np.nan)
    gain = np.maximum(change, 0.0)
    loss = np.maximum(-change, 0.0)
    avg_gain = wilder(gain, period, first=1)
    avg_loss = wilder(loss, period, first=1)
    return _rsi_from_averages(avg_gain, avg_loss)


def rsi_ewm(close: FloatArray, period: int = 14) -> FloatArray:
    """Return RSI with the `ta` library's convention (reference tables only, not a feature).

    Averages are `ewm(alpha=1/period, adjust=False)` of gains and losses with the first change
    taken as 0; rows before `period` are NaN as in `ta` with fillna=False.
    """
    change = np.diff(close, prepend=close[:1])
    gain = np.where(change > 0.0, change, 0.0)
    loss = np.where(change < 0.0, -change, 0.0)
    size = close.size
    avg_gain = _recursive_mean(gain, float(gain[0]), 1.0 / period, 0, size)
    avg_loss = _recursive_mean(loss, float(loss[0]), 1.0 / period, 0, size)
    out = _rsi_from_averages(avg_gain, avg_loss)
    out[: period - 1] = np.nan
    return out


def true_range(high: FloatArray, low: FloatArray, close: FloatArray) -> FloatArray:
    """Return the true range; row 0 is NaN because it has no previous close (as in TA-Lib)."""
    previous = np.concatenate(([np.nan], close[:-1]))
    out = np.maximum(high, previous) - np.minimum(low, previous)
    out[:1] = np.nan
    return out


def atr(high: FloatArray, low: FloatArray, close: FloatArray, period: int = 14) -> FloatArray:
    """Return TA-Lib's ATR: the first value at row `period`, then Wilder smoothing."""
    return wilder(true_range(high, low, close), period, first=1)


def macd(
    close: FloatArray, fast: int = 12, slow: int = 26, signal: int = 9
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Return TA-Lib's MACD line, signal and histogram (all start at row slow+signal-2)."""
    size = close.size
    slow_ema = ema(close, slow)
    fast_ema = ema(close, fast, offset=slow - fast)
    line = fast_ema - slow_ema
    signal_line = ema(line, signal, offset=slow - 1)
    first = slow + signal - 2
    line = line.copy()
    line[: min(first, size)] = np.nan
    return line, signal_line, line - signal_line


def rolling_mean_std(values: FloatArray, period: int) -> tuple[FloatArray, FloatArray]:
    """Return the rolling mean and population standard deviation over `period` values.

    Sums run in blocks, each centred on its own reference value, so that large prices do not
    cancel catastrophically in E[x^2] - E[x]^2.
    """
    size = values.size
    mean_out, std_out = _nan(size), _nan(size)
    if size < period:
        return mean_out, std_out
    blocks = -(-size // _VAR_BLOCK)
    lead = period - 1
    padded = np.zeros(lead + blocks * _VAR_BLOCK)
    padded[lead : lead + size] = values
    padded[:lead] = values[0]
    # Row b views padded[b*B : b*B + B + lead]: block b and the `lead` values before it.
    rows = np.lib.stride_tricks.as_strided(
        padded,
        shape=(blocks, _VAR_BLOCK + lead),
        strides=(padded.strides[0] * _VAR_BLOCK, padded.strides[0]),
        writeable=False,
    )
    reference = padded[lead : lead + blocks * _VAR_BLOCK : _VAR_BLOCK].copy()
    centred = rows - reference[:, None]
    squares = centred * centred
    first = np.cumsum(centred, axis=1)
    second = np.cumsum(squares, axis=1)
    # Window sums end at columns lead.. of each row: C[j] - C[j - period], C[-1] being 0.
    window_sum = first[:, lead:]
    window_sum[:, 1:] -= first[:, : _VAR_BLOCK - 1]
    window_sq = second[:, lead:]
    window_sq[:, 1:] -= second[:, : _VAR_BLOCK - 1]
    window_mean = window_sum / period
    variance = window_sq / period - window_mean * window_mean
    np.maximum(variance, 0.0, out=variance)
    mean_out[lead:] = (window_mean + reference[:, None]).reshape(-1)[lead:size]
    std_out[lead:] = np.sqrt(variance).reshape(-1)[lead:size]
    return mean_out, std_out


def bollinger(
    close: FloatArray, period: int = 20, width: float = 2.0
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Return Bollinger upper, middle (SMA) and lower bands with the population std."""
    middle, std = rolling_mean_std(close, period)
    spread = width * std
    return middle + spread, middle, middle - spread


def compute_indicators(candles: pd.DataFrame) -> pd.DataFrame:
    """Return the indicator columns for OHLCV candles, on the same index, warm-up rows NaN."""
    close = candles["close"].to_numpy(dtype=np.float64)
    high = candles["high"].to_numpy(dtype=np.float64)
    low = candles["low"].to_numpy(dtype=np.float64)
    out = np.empty((close.size, len(INDICATOR_COLUMNS)), dtype=np.float64, order="F")
    line, signal_line, hist = macd(close)
    upper, middle, lower = bollinger(close)
    columns = {
        "sma_20": middle,
        "ema_20": ema(close, 20),
        "rsi_14": rsi(close, 14),
        "macd": line,
        "macd_signal": signal_line,
        "macd_hist": hist,
        "bb_upper": upper,
        "bb_middle": middle,
        "bb_lower": lower,
        "atr_14": atr(high, low, close, 14),
    }
    for position, name in enumerate(INDICATOR_COLUMNS):
        out[:, position] = columns[name]
    return pd.DataFrame(out, index=candles.index, columns=list(INDICATOR_COLUMNS), copy=False)
