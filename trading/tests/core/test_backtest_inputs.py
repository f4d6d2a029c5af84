"""Malformed input to the backtest engine: a clear ValueError, never a silent result."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from trading.core.backtest import run_backtest
from trading.tests.core.candles import flat_rows, make_candles


@pytest.fixture
def candles() -> pd.DataFrame:
    return make_candles(flat_rows(100, 101, 102, 103))


def ones(frame: pd.DataFrame) -> pd.Series:
    return pd.Series(1.0, index=frame.index)


def test_run_backtest_unsorted_timestamps_raise(candles):
    shuffled = candles.iloc[[0, 2, 1, 3]]
    with pytest.raises(ValueError, match="not sorted"):
        run_backtest(shuffled, ones(shuffled), fee_rate=0.001)


def test_run_backtest_duplicate_timestamps_raise(candles):
    doubled = candles.iloc[[0, 1, 1, 2]]
    with pytest.raises(ValueError, match="duplicate timestamps"):
        run_backtest(doubled, ones(doubled), fee_rate=0.001)


@pytest.mark.parametrize("column", ["open", "high", "low", "close"])
def test_run_backtest_nan_price_raises(candles, column):
    broken = candles.copy()
    broken.loc[broken.index[2], column] = np.nan
    with pytest.raises(ValueError, match=f"NaN or infinite {column}"):
        run_backtest(broken, ones(broken), fee_rate=0.001)


def test_run_backtest_non_positive_price_raises(candles):
    broken = candles.copy()
    broken.loc[broken.index[1], "close"] = 0.0
    with pytest.raises(ValueError, match="non-positive close"):
        run_backtest(broken, ones(broken), fee_rate=0.001)


@pytest.mark.parametrize("bad", [1.5, -0.1])
def test_run_backtest_target_outside_unit_interval_raises(candles, bad):
    target = ones(candles)
    target.iloc[2] = bad
    with pytest.raises(ValueError, match=r"target must lie in \[0, 1\]"):
        run_backtest(candles, target, fee_rate=0.001)


def test_run_backtest_nan_target_raises(candles):
    target = ones(candles)
    target.iloc[1] = np.nan
    with pytest.raises(ValueError, match="target has NaN"):
        run_backtest(candles, target, fee_rate=0.001)


def test_run_backtest_shifted_target_raises(candles):
    target = ones(candles)
    target.index = target.index + pd.Timedelta(hours=1)
    with pytest.raises(ValueError, match="not aligned"):
        run_backtest(candles, target, fee_rate=0.001)


def test_run_backtest_shorter_target_raises(candles):
    with pytest.raises(ValueError, match="not aligned"):
        run_backtest(candles, ones(candles).iloc[:-1], fee_rate=0.001)


def test_run_backtest_missing_column_raises(candles):
    with pytest.raises(ValueError, match="lack the columns"):
        run_backtest(candles.drop(columns="low"), ones(candles), fee_rate=0.001)


def test_run_backtest_integer_index_raises(candles):
    plain = candles.reset_index(drop=True)
    with pytest.raises(ValueError, match="DatetimeIndex"):
        run_backtest(plain, ones(plain), fee_rate=0.001)


def test_run_backtest_empty_candles_raise(candles):
    empty = candles.iloc[:0]
    with pytest.raises(ValueError, match="empty"):
        run_backtest(empty, ones(empty), fee_rate=0.001)


@pytest.mark.parametrize(
    ("keyword", "value", "message"),
    [
        ("fee_rate", -0.001, "fee_rate"),
        ("fee_rate", 1.0, "fee_rate"),
        ("slippage_bps", -1.0, "slippage_bps"),
        ("initial_cash", 0.0, "initial_cash"),
        ("stop_loss", 1.5, "stop_loss"),
        ("trailing_stop", 0.0, "trailing_stop"),
        ("max_drawdown", 1.0, "max_drawdown"),
        ("quantity_step", -1.0, "quantity_step"),
    ],
)
def test_run_backtest_bad_parameter_raises(candles, keyword, value, message):
    arguments = {"fee_rate": 0.001, keyword: value}
    with pytest.raises(ValueError, match=message):
        run_backtest(candles, ones(candles), **arguments)


def test_run_backtest_inconsistent_candle_range_with_stops_raises(candles):
    broken = candles.copy()
    broken.loc[broken.index[1], "high"] = 90.0
    with pytest.raises(ValueError, match="high below"):
        run_backtest(broken, ones(broken), fee_rate=0.001, stop_loss=0.05)
