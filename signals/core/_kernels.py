"""Compiled loops behind `signals.core.indicators` (numba, no Python objects inside).

Each kernel writes into arrays the caller allocates (so `compute_indicators` can hand in the
columns of its output frame) and does the floating-point operations in the same order as the
numpy/scipy code it replaced, so the results are bitwise the same for finite and NaN inputs
(an infinite value, which scipy's filter turned into NaN on the next row, stays infinite here):
- a recursive mean is y[t] = (1 - alpha) * y[t-1] + alpha * x[t], as scipy's first-order
  `lfilter` computes it (no fused multiply-add: numba compiles without fast-math);
- maxima propagate NaN as `np.maximum` does;
- the rolling mean and variance are summed per block of `block` rows around the block's first
  value, with running (sequential) sums as `np.cumsum` does.
Seeds (means of the first `period` values) are computed by the callers with `np.mean`, whose
pairwise summation these loops do not repeat.

Kernels are compiled on first use and cached on disk (`cache=True`: in `__pycache__` beside this
file, or NUMBA_CACHE_DIR when set); where no cache location is writable they still compile, for
the process only.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from typing import Any, TypeVar, cast

import numpy as np
from numba import njit
from numpy.typing import NDArray

logger = logging.getLogger(__name__)

FloatArray = NDArray[np.float64]
_F = TypeVar("_F", bound=Callable[..., Any])


def _jit(function: _F) -> _F:
    """Compile `function` with numba (no GIL held), cached on disk when a location is writable."""
    try:
        compiled = cast(_F, njit(cache=True, nogil=True)(function))
    except RuntimeError:  # numba: "cannot cache function ...: no locator available"
        logger.warning("numba cache unavailable for %s; compiling per process", function.__name__)
        compiled = cast(_F, njit(nogil=True)(function))
    return compiled


@_jit
def _max(a: float, b: float) -> float:
    """Return max(a, b), NaN when either is NaN: `np.maximum`'s rule, without a branch."""
    return a if (a >= b) | (a != a) else b


@_jit
def _min(a: float, b: float) -> float:
    """Return min(a, b), NaN when either is NaN: `np.minimum`'s rule, without a branch."""
    return a if (a <= b) | (a != a) else b


@_jit
def _rsi_value(gain: float, loss: float) -> float:
    total = gain + loss
    if total == 0.0:
        return 50.0
    return 100.0 * gain / total


@_jit
def recursive_mean_into(
    values: FloatArray, seed: float, alpha: float, start: int, out: FloatArray
) -> float:
    """Write y[start] = seed, y[t] = (1 - alpha) y[t-1] + alpha values[t] after it; NaN before.

    Return the last y (NaN when there is none).
    """
    size = values.shape[0]
    beta = 1.0 - alpha
    for t in range(min(start, size)):
        out[t] = np.nan
    if start >= size:
        return np.nan
    level = seed
    out[start] = level
    for t in range(start + 1, size):
        level = beta * level + alpha * values[t]
        out[t] = level
    return level


@_jit
def rsi_into(
    close: FloatArray, period: int, seed_gain: float, seed_loss: float, out: FloatArray
) -> tuple[float, float]:
    """Write Wilder's RSI from the seeded average gain and loss (first value at row `period`).

    Return the last average gain and loss.
    """
    size = close.shape[0]
    for t in range(min(period, size)):
        out[t] = np.nan
    if period >= size:
        return np.nan, np.nan
    alpha = 1.0 / period
    beta = 1.0 - alpha
    gain, loss = seed_gain, seed_loss
    out[period] = _rsi_value(gain, loss)
    previous = close[period]
    for t in range(period + 1, size):
        current = close[t]
        change = current - previous
        previous = current
        gain = beta * gain + alpha * _max(change, 0.0)
        loss = beta * loss + alpha * _max(-change, 0.0)
        out[t] = _rsi_value(gain, loss)
    return gain, loss


@_jit
def true_range_into(high: FloatArray, low: FloatArray, close: FloatArray, out: FloatArray) -> None:
    """Write the true range from row 1; row 0 is NaN (no previous close)."""
    size = close.shape[0]
    if size == 0:
        return
    out[0] = np.nan
    for t in range(1, size):
        previous = close[t - 1]
        out[t] = _max(high[t], previous) - _min(low[t], previous)


@_jit
def atr_into(
    high: FloatArray, low: FloatArray, close: FloatArray, period: int, seed: float, out: FloatArray
) -> float:
    """Write Wilder's ATR of the true range, seeded at row `period` with `seed`; return the last."""
    size = close.shape[0]
    for t in range(min(period, size)):
        out[t] = np.nan
    if period >= size:
        return np.nan
    alpha = 1.0 / period
    beta = 1.0 - alpha
    level = seed
    out[period] = level
    for t in range(period + 1, size):
        previous = close[t - 1]
        true_range = _max(high[t], previous) - _min(low[t], previous)
        level = beta * level + alpha * true_range
        out[t] = level
    return level


@_jit
def macd_into(
    close: FloatArray,
    fast: int,
    slow: int,
    signal: int,
    seed_fast: float,
    seed_slow: float,
    seed_signal: float,
    line_out: FloatArray,
    signal_out: FloatArray,
    hist_out: FloatArray,
) -> tuple[float, float, float]:
    """Write the MACD line, signal and histogram; all three start at row slow + signal - 2.

    Both EMAs start at row slow - 1 (seeded by the caller), the signal EMA of the line at row
    slow + signal - 2 with `seed_signal`, the mean of the line's first `signal` values.
    Return the last fast EMA, slow EMA and signal.
    """
    size = close.shape[0]
    start = slow - 1
    first = slow + signal - 2
    for t in range(min(first, size)):
        line_out[t] = np.nan
        signal_out[t] = np.nan
        hist_out[t] = np.nan
    if first >= size:
        return np.nan, np.nan, np.nan
    alpha_fast = 2.0 / (fast + 1)
    beta_fast = 1.0 - alpha_fast
    alpha_slow = 2.0 / (slow + 1)
    beta_slow = 1.0 - alpha_slow
    alpha_signal = 2.0 / (signal + 1)
    beta_signal = 1.0 - alpha_signal
    fast_level, slow_level = seed_fast, seed_slow
    for t in range(start + 1, first + 1):
        value = close[t]
        fast_level = beta_fast * fast_level + alpha_fast * value
        slow_level = beta_slow * slow_level + alpha_slow * value
    signal_level = seed_signal
    line = fast_level - slow_level
    line_out[first] = line
    signal_out[first] = signal_level
    hist_out[first] = line - signal_level
    for t in range(first + 1, size):
        value = close[t]
        fast_level = beta_fast * fast_level + alpha_fast * value
        slow_level = beta_slow * slow_level + alpha_slow * value
        line = fast_level - slow_level
        signal_level = beta_signal * signal_level + alpha_signal * line
        line_out[t] = line
        signal_out[t] = signal_level
        hist_out[t] = line - signal_level
    return fast_level, slow_level, signal_level


@_jit
def indicator_set_into(
    high: FloatArray,
    low: FloatArray,
    close: FloatArray,
    periods: tuple[int, int, int, int, int, int],
    seeds: tuple[float, float, float, float, float, float, float],
    ema_out: FloatArray,
    rsi_out: FloatArray,
    atr_out: FloatArray,
    line_out: FloatArray,
    signal_out: FloatArray,
    hist_out: FloatArray,
) -> None:
    """Write EMA, RSI, ATR and MACD in one pass, each as its own kernel above would.

    `periods` are (ema, rsi, atr, fast, slow, signal); `seeds` are (ema, average gain,
    average loss, atr, fast, slow, signal) as those kernels take them. The warm-up head runs
    through the single kernels; the rest runs the seven recursions side by side.
    """
    ema_period, rsi_period, atr_period, fast, slow, signal = periods
    ema_seed, gain_seed, loss_seed, atr_seed, fast_seed, slow_seed, signal_seed = seeds
    size = close.shape[0]
    head = min(size, max(ema_period, rsi_period + 1, atr_period + 1, slow + signal - 1))
    ema_alpha = 2.0 / (ema_period + 1)
    ema_level = recursive_mean_into(close[:head], ema_seed, ema_alpha, ema_period - 1, ema_out)
    gain, loss = rsi_into(close[:head], rsi_period, gain_seed, loss_seed, rsi_out)
    atr_level = atr_into(high[:head], low[:head], close[:head], atr_period, atr_seed, atr_out)
    fast_level, slow_level, signal_level = macd_into(
        close[:head], fast, slow, signal, fast_seed, slow_seed, signal_seed,
        line_out, signal_out, hist_out,
    )  # fmt: skip
    ema_beta = 1.0 - ema_alpha
    rsi_alpha = 1.0 / rsi_period
    rsi_beta = 1.0 - rsi_alpha
    atr_alpha = 1.0 / atr_period
    atr_beta = 1.0 - atr_alpha
    fast_alpha = 2.0 / (fast + 1)
    fast_beta = 1.0 - fast_alpha
    slow_alpha = 2.0 / (slow + 1)
    slow_beta = 1.0 - slow_alpha
    signal_alpha = 2.0 / (signal + 1)
    signal_beta = 1.0 - signal_alpha
    for t in range(head, size):
        value = close[t]
        previous = close[t - 1]
        ema_level = ema_beta * ema_level + ema_alpha * value
        ema_out[t] = ema_level
        change = value - previous
        gain = rsi_beta * gain + rsi_alpha * _max(change, 0.0)
        loss = rsi_beta * loss + rsi_alpha * _max(-change, 0.0)
        rsi_out[t] = _rsi_value(gain, loss)
        true_range = _max(high[t], previous) - _min(low[t], previous)
        atr_level = atr_beta * atr_level + atr_alpha * true_range
        atr_out[t] = atr_level
        fast_level = fast_beta * fast_level + fast_alpha * value
        slow_level = slow_beta * slow_level + slow_alpha * value
        line = fast_level - slow_level
        signal_level = signal_beta * signal_level + signal_alpha * line
        line_out[t] = line
        signal_out[t] = signal_level
        hist_out[t] = line - signal_level


@_jit
def _padded(values: FloatArray, index: int) -> float:
    # Rows before 0 read as the first value (they only feed discarded warm-up windows).
    return float(values[index] if index >= 0 else values[0])


@_jit
def _window_sums(
    values: FloatArray, period: int, base: int, count: int, sums: FloatArray, squares: FloatArray
) -> float:
    """Write the sums of (x - reference) and its square over the windows ending at rows
    base .. base + count - 1 (running sums, as `np.cumsum` over the block and the period - 1
    rows before it); return the reference, the value at row `base`."""
    lead = period - 1
    reference = float(values[base])
    # Column c of the block holds row base + c - lead.
    centred = _padded(values, base - lead) - reference
    total = centred
    total_sq = centred * centred
    for column in range(1, lead + 1):
        centred = _padded(values, base + column - lead) - reference
        total = total + centred
        total_sq = total_sq + centred * centred
    sums[0] = total
    squares[0] = total_sq
    if count == 1:
        return reference
    # The same running sums, `period` columns behind.
    old = _padded(values, base - lead) - reference
    behind = old
    behind_sq = old * old
    centred = values[base + 1] - reference
    total = total + centred
    total_sq = total_sq + centred * centred
    sums[1] = total - behind
    squares[1] = total_sq - behind_sq
    for k in range(2, count):
        old = _padded(values, base + k - 1 - lead) - reference
        behind = behind + old
        behind_sq = behind_sq + old * old
        centred = values[base + k] - reference
        total = total + centred
        total_sq = total_sq + centred * centred
        sums[k] = total - behind
        squares[k] = total_sq - behind_sq
    return reference


@_jit
def _mean_std_in_place(
    sums: FloatArray, squares: FloatArray, reference: float, period: int
) -> None:
    """Turn window sums into means (plus the reference) and population stds, in place.

    A loop of its own, so that the divisions and roots run in vector lanes.
    """
    for k in range(sums.shape[0]):
        mean = sums[k] / period
        variance = squares[k] / period - mean * mean
        sums[k] = mean + reference
        squares[k] = math.sqrt(_max(variance, 0.0))


@_jit
def rolling_into(
    values: FloatArray,
    period: int,
    block: int,
    width: float,
    mean_out: FloatArray,
    second_out: FloatArray,
    lower_out: FloatArray,
    copy_out: FloatArray,
    bands: bool,
) -> None:
    """Write the rolling mean and population std, or Bollinger bands when `bands` is true.

    Without bands, `second_out` gets the std and `lower_out` is not touched; with bands,
    `second_out` gets mean + width * std and `lower_out` mean - width * std. `copy_out` gets
    the mean too (pass `mean_out` again when no copy is wanted). The first period - 1 rows
    are NaN. Sums of (x - reference) and its square run per block of `block` rows (plus the
    period - 1 rows before it), the reference being the block's first value.
    """
    size = values.shape[0]
    lead = period - 1
    for t in range(min(lead, size)):
        mean_out[t] = np.nan
        copy_out[t] = np.nan
        second_out[t] = np.nan
        if bands:
            lower_out[t] = np.nan
    if size < period:
        return
    sums = np.empty(block, dtype=np.float64)
    squares = np.empty(block, dtype=np.float64)
    for base in range(0, size, block):
        count = min(block, size - base)
        reference = _window_sums(values, period, base, count, sums, squares)
        skip = max(lead - base, 0)
        _mean_std_in_place(sums[:count], squares[:count], reference, period)
        if bands:
            for k in range(skip, count):
                middle = sums[k]
                spread = width * squares[k]
                row = base + k
                mean_out[row] = middle
                copy_out[row] = middle
                second_out[row] = middle + spread
                lower_out[row] = middle - spread
        else:
            for k in range(skip, count):
                row = base + k
                mean_out[row] = sums[k]
                copy_out[row] = sums[k]
                second_out[row] = squares[k]
