"""Compact JSON forms of results."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from trading.core.metrics import compute_metrics, format_metrics
from trading.core.reporting import compact_curve, trade_records


def test_compact_curve_keeps_ends_and_lowest_point_within_limit():
    index = pd.date_range("2024-01-01", periods=10_001, freq="1min", tz="UTC")
    values = np.linspace(100.0, 200.0, len(index))
    values[4_321] = 1.0  # the deepest point, off the stride
    curve = compact_curve(pd.Series(values, index=index), max_points=2_000)
    assert len(curve) <= 2_000
    assert curve[0] == [int(index[0].value // 1_000_000), 100.0]
    assert curve[-1][1] == 200.0
    assert [int(index[4_321].value // 1_000_000), 1.0] in curve
    times = [point[0] for point in curve]
    assert times == sorted(times)


def test_compact_curve_short_series_is_unchanged():
    index = pd.date_range("2024-01-01", periods=3, freq="1h", tz="UTC")
    curve = compact_curve(pd.Series([1.0, 2.0, 3.0], index=index))
    # 2024-01-01T00:00Z = 1704067200000 ms; one hour = 3600000 ms.
    assert curve == [[1704067200000, 1.0], [1704070800000, 2.0], [1704074400000, 3.0]]


def test_trade_records_are_json_safe():
    stamp = pd.Timestamp("2024-01-01T05:00:00Z")
    trades = pd.DataFrame(
        {
            "entry_time": [stamp],
            "entry_price": [100.0],
            "exit_time": [stamp + pd.Timedelta(hours=1)],
            "exit_price": [110.0],
            "size": [1.0],
            "exposure": [1.0],
            "fees": [0.2],
            "pnl": [9.8],
            "return": [np.nan],
            "exit_reason": ["signal"],
        }
    )
    (record,) = trade_records(trades)
    assert record["entry_time"] == "2024-01-01T05:00:00Z"
    assert record["exit_time"] == "2024-01-01T06:00:00Z"
    assert record["return"] is None
    assert record["exit_reason"] == "signal"


def test_compute_metrics_trade_statistics_by_hand():
    # Equity 100 -> 110 -> 99 -> 108.9 (returns +10 %, -10 %, +10 %); trades pnl +30, -10, +5.
    equity = np.array([110.0, 99.0, 108.9])
    metrics = compute_metrics(
        equity=equity,
        close=np.array([1.0, 2.0, 4.0]),
        exposure=np.array([1.0, 0.0, 0.5]),
        trade_returns=np.array([0.3, -0.1, 0.05]),
        trade_pnl=np.array([30.0, -10.0, 5.0]),
        fees=1.5,
        initial_cash=100.0,
        periods_per_year=3.0,
    )
    assert metrics["total_return"] == pytest.approx(0.089)
    # One year of 3 candles: CAGR = total return.
    assert metrics["cagr"] == pytest.approx(0.089)
    # Win rate 2/3; profit factor (30 + 5) / 10 = 3.5; expectancy 25 / 3 = 8.33.
    assert metrics["win_rate"] == pytest.approx(2 / 3)
    assert metrics["profit_factor"] == pytest.approx(3.5)
    assert metrics["expectancy"] == pytest.approx(25 / 3)
    assert metrics["expectancy_return"] == pytest.approx(0.25 / 3)
    # Returns 0.1, -0.1, 0.1: mean 1/30, std (ddof 1) = sqrt(((2/30)^2 * 2 + (4/30)^2) / 2)
    # = sqrt(0.0133333) = 0.1154701; Sharpe = (1/30) / 0.1154701 * sqrt(3) = 0.5.
    assert metrics["sharpe"] == pytest.approx(0.5)
    # Downside deviation sqrt(0.01 / 3) = 0.0577350; Sortino = (1/30) / 0.057735 * sqrt(3) = 1.
    assert metrics["sortino"] == pytest.approx(1.0)
    # Max drawdown 1 - 99 / 110 = 10 %; Calmar = 0.089 / 0.1 = 0.89.
    assert metrics["max_drawdown"] == pytest.approx(0.1)
    assert metrics["calmar"] == pytest.approx(0.89)
    assert metrics["exposure"] == pytest.approx(0.5)
    assert metrics["time_in_market"] == pytest.approx(2 / 3)
    assert metrics["buy_and_hold_return"] == pytest.approx(3.0)
    assert metrics["fees_paid"] == 1.5
    assert "Sortino ratio" in format_metrics(metrics)
