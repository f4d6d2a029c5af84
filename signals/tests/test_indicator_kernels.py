"""The compiled indicator kernels give bitwise the results of the numpy/scipy code they replaced."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest

from signals.core import _kernels as kernels
from signals.core import indicators as ind
from signals.tests import reference_indicators as reference
from signals.tests.conftest import synthetic_candles

# Around every warm-up boundary (14, 19, 25, 33) and the rolling sums' block edge (4096 + 19).
SIZES = [0, 1, 2, 13, 14, 15, 19, 20, 21, 25, 26, 33, 34, 35, 4114, 4115, 4116, 8211, 9000]


def _assert_same(ours, theirs) -> None:
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    assert ours.shape == theirs.shape
    assert ours.dtype == np.float64
    np.testing.assert_array_equal(ours, theirs, strict=True)


def _frame_with_gaps(rows: int = 6000) -> pd.DataFrame:
    frame = synthetic_candles(rows, seed=11)
    frame.iloc[100, :] = np.nan
    frame.iloc[2500, frame.columns.get_loc("close")] = np.nan
    frame.iloc[5000, frame.columns.get_loc("high")] = np.nan
    return frame


@pytest.mark.parametrize("rows", SIZES)
def test_compute_indicators_any_length_equals_scipy_reference_bitwise(rows):
    frame = synthetic_candles(max(rows, 1), seed=rows).iloc[:rows]
    ours = ind.compute_indicators(frame)
    theirs = reference.compute_indicators(frame)
    assert list(ours.columns) == list(theirs.columns)
    assert ours.index.equals(frame.index)
    _assert_same(ours.to_numpy(), theirs.to_numpy())


def test_compute_indicators_real_candles_equal_scipy_reference_bitwise(btc_1h, eth_1h):
    for frame in (btc_1h, eth_1h):
        _assert_same(
            ind.compute_indicators(frame).to_numpy(), reference.compute_indicators(frame).to_numpy()
        )


def test_compute_indicators_nan_candles_equal_reference_and_leave_earlier_rows_alone():
    frame = _frame_with_gaps()
    ours = ind.compute_indicators(frame)
    _assert_same(ours.to_numpy(), reference.compute_indicators(frame).to_numpy())
    clean = ind.compute_indicators(frame.iloc[:100])
    _assert_same(ours.iloc[:100].to_numpy(), clean.to_numpy())
    # A NaN close stays in every recursion from its row on, as before.
    assert ours["ema_20"].iloc[100:].isna().all()
    assert ours["rsi_14"].iloc[100:].isna().all()


def test_compute_indicators_prefix_gives_bitwise_the_same_rows():
    frame = synthetic_candles(9000, seed=3)
    whole = ind.compute_indicators(frame)
    for rows in (40, 4096, 4115, 4116, 8500):
        _assert_same(ind.compute_indicators(frame.iloc[:rows]).to_numpy(), whole.iloc[:rows])


def test_compute_indicators_float32_candles_are_widened_first():
    frame = synthetic_candles(3000, seed=5)
    narrow = frame.astype(np.float32)
    ours = ind.compute_indicators(narrow)
    _assert_same(ours.to_numpy(), ind.compute_indicators(narrow.astype(np.float64)).to_numpy())


def test_compute_indicators_constant_prices_give_flat_values():
    frame = synthetic_candles(200, seed=2)
    frame.loc[:, ["open", "high", "low", "close"]] = 60_000.0
    out = ind.compute_indicators(frame)
    assert (out["rsi_14"].iloc[14:] == 50.0).all()
    assert (out["atr_14"].iloc[14:] == 0.0).all()
    assert (out["macd"].iloc[33:] == 0.0).all()
    assert (out["macd_hist"].iloc[33:] == 0.0).all()
    assert (out["bb_upper"].iloc[19:] == 60_000.0).all()
    assert (out["bb_lower"].iloc[19:] == 60_000.0).all()
    assert (out["ema_20"].iloc[19:] == 60_000.0).all()
    _assert_same(out.to_numpy(), reference.compute_indicators(frame).to_numpy())


def test_compute_indicators_read_only_columns_are_accepted():
    frame = synthetic_candles(500, seed=9)
    arrays = {name: frame[name].to_numpy(copy=True) for name in frame.columns}
    for values in arrays.values():
        values.flags.writeable = False
    read_only = pd.DataFrame(arrays, index=frame.index, copy=False)
    _assert_same(
        ind.compute_indicators(read_only).to_numpy(), ind.compute_indicators(frame).to_numpy()
    )


@pytest.mark.parametrize("rows", [0, 1, 14, 15, 33, 34, 300, 5000])
def test_indicator_helpers_equal_scipy_reference_bitwise(rows):
    frame = synthetic_candles(max(rows, 1), seed=rows + 1).iloc[:rows].copy()
    if rows >= 300:
        frame.iloc[rows // 3, frame.columns.get_loc("close")] = np.nan
        frame.iloc[2 * rows // 3, frame.columns.get_loc("high")] = np.nan
    close, high, low = (frame[c].to_numpy() for c in ("close", "high", "low"))
    for period in (2, 9, 14, 20):
        _assert_same(ind.ema(close, period), reference.ema(close, period))
        _assert_same(ind.ema(close, period, offset=3), reference.ema(close, period, offset=3))
        _assert_same(ind.rsi(close, period), reference.rsi(close, period))
        _assert_same(ind.atr(high, low, close, period), reference.atr(high, low, close, period))
        _assert_same(ind.wilder(close, period, first=2), reference.wilder(close, period, first=2))
        for ours, theirs in zip(
            ind.rolling_mean_std(close, period),
            reference.rolling_mean_std(close, period),
            strict=True,
        ):
            _assert_same(ours, theirs)
        if rows:
            _assert_same(ind.rsi_ewm(close, period), reference.rsi_ewm(close, period))
    _assert_same(ind.true_range(high, low, close), reference.true_range(high, low, close))
    for ours, theirs in zip(ind.macd(close), reference.macd(close), strict=True):
        _assert_same(ours, theirs)
    for ours, theirs in zip(ind.macd(close, 5, 8, 3), reference.macd(close, 5, 8, 3), strict=True):
        _assert_same(ours, theirs)
    for ours, theirs in zip(ind.bollinger(close), reference.bollinger(close), strict=True):
        _assert_same(ours, theirs)


def test_indicator_helpers_float32_input_equals_widened_input():
    close = synthetic_candles(500, seed=4)["close"].to_numpy().astype(np.float32)
    wide = close.astype(np.float64)
    _assert_same(ind.ema(close, 20), ind.ema(wide, 20))
    _assert_same(ind.rsi(close), ind.rsi(wide))
    _assert_same(ind.rolling_mean_std(close, 20)[1], ind.rolling_mean_std(wide, 20)[1])


def test_indicator_helpers_strided_input_equals_contiguous():
    close = synthetic_candles(800, seed=6)["close"].to_numpy()
    strided = np.repeat(close, 2)[::2]
    assert not strided.flags.c_contiguous
    _assert_same(ind.rsi(strided), ind.rsi(close))
    _assert_same(ind.bollinger(strided)[0], ind.bollinger(close)[0])


@pytest.mark.parametrize(
    ("a", "b"),
    [(1.0, 2.0), (2.0, 1.0), (-1.0, 0.0), (np.nan, 0.0), (0.0, np.nan), (np.nan, np.nan)],
)
def test_kernel_max_min_propagate_nan_as_numpy(a, b):
    _assert_same(kernels._max(a, b), np.maximum(a, b))
    _assert_same(kernels._min(a, b), np.minimum(a, b))


def test_kernel_without_writable_cache_compiles_per_process(monkeypatch, caplog):
    calls = []

    def fake_njit(**options):
        calls.append(options)
        if options.get("cache"):
            raise RuntimeError("cannot cache function 'double': no locator available")
        return lambda function: function

    monkeypatch.setattr(kernels, "njit", fake_njit)

    def double(value: float) -> float:
        return 2.0 * value

    with caplog.at_level(logging.WARNING, logger=kernels.__name__):
        compiled = kernels._jit(double)
    assert compiled(3.0) == 6.0
    assert calls == [{"cache": True, "nogil": True}, {"nogil": True}]
    assert "numba cache unavailable for double" in caplog.text


def test_kernels_are_compiled_with_a_disk_cache():
    assert kernels.indicator_set_into._cache.__class__.__name__ == "FunctionCache"
    assert kernels.rolling_into.targetoptions["nogil"] is True
