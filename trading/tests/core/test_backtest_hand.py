"""Small backtests whose every number is worked out by hand in the comments."""

from __future__ import annotations

import pandas as pd
import pytest

from trading.core.backtest import run_backtest
from trading.tests.core.candles import flat_rows, make_candles


def target_of(candles: pd.DataFrame, values: list[float]) -> pd.Series:
    return pd.Series(values, index=candles.index, dtype=float)


def test_run_backtest_buy_then_sell_without_costs_tracks_prices():
    # Given closes 100, 110, 120, 90 (open = close), long at the closes of candles 0 and 1.
    candles = make_candles(flat_rows(100, 110, 120, 90))
    # When
    result = run_backtest(candles, target_of(candles, [1, 1, 0, 0]), fee_rate=0.0)
    # Then: buy at open 1 (110): 10000 / 110 = 90.909090... units.
    units = 10_000 / 110
    assert result.equity.tolist() == pytest.approx(
        [
            10_000,  # candle 0: nothing decided yet
            10_000,  # candle 1: 90.909 * 110 = 10000
            units * 120,  # candle 2: 90.909 * 120 = 10909.09
            units * 90,  # candle 3: sold at open 90 -> 8181.82
        ],
        rel=1e-12,
    )
    assert units * 90 == pytest.approx(8181.818181818182, rel=1e-12)
    trade = result.trades.iloc[0]
    assert len(result.trades) == 1
    assert trade["entry_time"] == candles.index[1]
    assert trade["exit_time"] == candles.index[3]
    assert (trade["entry_price"], trade["exit_price"]) == (110.0, 90.0)
    assert trade["return"] == pytest.approx(90 / 110 - 1, rel=1e-12)  # -0.181818...
    assert trade["exit_reason"] == "signal"


def test_run_backtest_fee_and_slippage_on_full_exposure_closed_at_end():
    # Given opens 100, 100, 110 and closes 100, 105, 120; always long; fee 0.1 %, 10 bps slip.
    candles = make_candles([(100, 100, 100, 100), (100, 106, 99, 105), (110, 121, 109, 120)])
    # When
    result = run_backtest(candles, target_of(candles, [1, 1, 1]), fee_rate=0.001, slippage_bps=10)
    # Then: buy at open 1, 100 * (1 + 0.001) = 100.1; units = 10000 / (100.1 * 1.001)
    #       = 10000 / 100.2001 = 99.800299...
    units = 10_000 / (100.1 * 1.001)
    assert units == pytest.approx(99.80029960, rel=1e-9)
    # Candle 1 close: 99.8003 * 105 = 10479.03.
    # Candle 2: closed at the last close, 120 * (1 - 0.001) = 119.88, receiving
    #           99.8003 * 119.88 = 11964.0599, * 0.999 = 11952.0959.
    final = units * 119.88 * 0.999
    assert final == pytest.approx(11952.0959, rel=1e-8)
    assert result.equity.tolist() == pytest.approx([10_000, units * 105, final], rel=1e-12)
    trade = result.trades.iloc[0]
    assert trade["entry_price"] == pytest.approx(100.1, rel=1e-12)
    assert trade["exit_price"] == pytest.approx(119.88, rel=1e-12)
    assert trade["size"] == pytest.approx(units, rel=1e-12)
    # Fees: 99.8003 * 100.1 * 0.001 = 9.99 on the buy, 99.8003 * 119.88 * 0.001 = 11.964 on
    # the sale.
    assert trade["fees"] == pytest.approx(units * 100.1 * 0.001 + units * 119.88 * 0.001)
    assert trade["fees"] == pytest.approx(9.99 + 11.9640599, rel=1e-6)
    assert trade["exit_reason"] == "end"
    # Return on the 10000 spent: 11952.0959 / 10000 - 1 = 19.52 %.
    assert trade["return"] == pytest.approx(final / 10_000 - 1, rel=1e-12)
    assert result.metrics["final_equity"] == pytest.approx(final, rel=1e-12)
    assert result.metrics["fees_paid"] == pytest.approx(trade["fees"], rel=1e-12)
    assert result.metrics["trades"] == 1
    # Buy and hold over the span: 120 / 100 - 1 = 20 %.
    assert result.metrics["buy_and_hold_return"] == pytest.approx(0.2, rel=1e-12)


def test_run_backtest_half_exposure_keeps_half_in_cash():
    # Given opens/closes 100/100, 100/120, 80/80, 80/80; exposure 0.5 then flat; fee 1 %.
    candles = make_candles([(100, 100, 100, 100), (100, 120, 100, 120), *flat_rows(80, 80)])
    result = run_backtest(candles, target_of(candles, [0.5, 0.5, 0, 0]), fee_rate=0.01)
    # Buy at open 1 spends 0.5 * 10000 = 5000 on 5000 / (100 * 1.01) = 49.504950 units.
    units = 5_000 / (100 * 1.01)
    assert units == pytest.approx(49.50495050, rel=1e-9)
    # Close 1: 5000 + 49.50495 * 120 = 5000 + 5940.594 = 10940.594.
    # Close 2: still held (flat decided at close 2): 5000 + 49.50495 * 80 = 8960.396.
    # Open 3: sell all at 80: 49.50495 * 80 * 0.99 = 3920.792 -> 8920.792.
    assert result.equity.tolist() == pytest.approx(
        [10_000, 10_940.594059406, 8_960.396039604, 8_920.792079208], rel=1e-11
    )
    assert result.exposure.iloc[1] == pytest.approx(5_940.594059406 / 10_940.594059406)


def test_run_backtest_rebalance_from_half_to_full_buys_the_difference():
    # Given prices 100, 100, 200; exposure 0.5 at close 0, 1.0 at close 1; no fees.
    candles = make_candles(flat_rows(100, 100, 200))
    result = run_backtest(candles, target_of(candles, [0.5, 1, 1]), fee_rate=0.0)
    # Open 1: spend 5000 on 50 units; cash 5000.
    # Open 2 (200): equity 5000 + 50 * 200 = 15000, wanted 15000, held 10000 -> spend 5000 on
    #               25 units: 75 units, cash 0. Last close sells 75 * 200 = 15000.
    assert result.equity.tolist() == pytest.approx([10_000, 10_000, 15_000], rel=1e-12)
    trade = result.trades.iloc[0]
    assert trade["size"] == pytest.approx(75)
    # Average entry (50 * 100 + 25 * 200) / 75 = 133.33; exit 200.
    assert trade["entry_price"] == pytest.approx(10_000 / 75)
    assert trade["exit_price"] == pytest.approx(200)
    assert trade["pnl"] == pytest.approx(5_000)


def test_run_backtest_stop_loss_inside_candle_fills_at_level():
    # Given entry at open 1 = 100, stop-loss 10 % -> level 90; candle 2 trades down to 85.
    candles = make_candles(
        [(100, 100, 100, 100), (100, 105, 95, 100), (98, 99, 85, 88), (88, 130, 88, 120)]
    )
    result = run_backtest(candles, target_of(candles, [1, 1, 1, 1]), fee_rate=0.0, stop_loss=0.1)
    # 100 units; candle 1 low 95 > 90; candle 2 low 85 <= 90 and open 98 above it -> fill 90:
    # 100 * 90 = 9000, then flat (the target did not change) through the rally to 120.
    assert result.equity.tolist() == pytest.approx([10_000, 10_000, 9_000, 9_000])
    assert result.trades["exit_reason"].tolist() == ["stop_loss"]
    assert result.trades["exit_time"].iloc[0] == candles.index[2]


def test_run_backtest_gap_through_stop_fills_at_open():
    # Given the same entry and stop 90, candle 2 opens at 80 (below the stop).
    candles = make_candles([(100, 100, 100, 100), (100, 105, 95, 100), (80, 85, 75, 82)])
    result = run_backtest(
        candles, target_of(candles, [1, 1, 1]), fee_rate=0.0, stop_loss=0.1, slippage_bps=0
    )
    # Fill at the open: 100 units * 80 = 8000.
    assert result.equity.iloc[-1] == pytest.approx(8_000)
    assert result.trades["exit_price"].iloc[0] == pytest.approx(80)


def test_run_backtest_stop_and_target_in_one_candle_assumes_stop_first():
    # Given entry 100, stop 10 % (90) and take-profit 10 % (110); candle 2 spans 85..115.
    candles = make_candles([(100, 100, 100, 100), (100, 101, 99, 100), (100, 115, 85, 100)])
    result = run_backtest(
        candles, target_of(candles, [1, 1, 1]), fee_rate=0.0, stop_loss=0.1, take_profit=0.1
    )
    # The stop wins: 100 units * 90 = 9000.
    assert result.equity.iloc[-1] == pytest.approx(9_000)
    assert result.trades["exit_reason"].tolist() == ["stop_loss"]


def test_run_backtest_take_profit_pays_maker_fee_at_level():
    # Given taker 0.2 %, maker 0.1 %; entry at open 1 = 100; take-profit 5 % -> 105.
    candles = make_candles([(100, 100, 100, 100), (100, 101, 99, 100), (101, 106, 100, 104)])
    result = run_backtest(
        candles,
        target_of(candles, [1, 1, 1]),
        fee_rate=0.002,
        maker_fee_rate=0.001,
        take_profit=0.05,
    )
    # units = 10000 / (100 * 1.002) = 99.800399; sold at 105 with the maker fee:
    # 99.800399 * 105 * 0.999 = 10468.56.
    units = 10_000 / (100 * 1.002)
    assert units * 105 * 0.999 == pytest.approx(10_468.5628743, rel=1e-9)
    assert result.equity.iloc[-1] == pytest.approx(units * 105 * 0.999, rel=1e-12)
    assert result.trades["exit_reason"].tolist() == ["take_profit"]
    # Fees: 99.8004 * 100 * 0.002 = 19.96 plus 99.8004 * 105 * 0.001 = 10.479.
    assert result.metrics["fees_paid"] == pytest.approx(units * 0.2 + units * 0.105, rel=1e-12)


def test_run_backtest_trailing_stop_follows_the_high():
    # Given entry at open 1 = 100 and a 10 % trailing stop; candle 1 reaches 120.
    candles = make_candles(
        [(100, 100, 100, 100), (100, 120, 100, 118), (115, 116, 107, 110), (110, 111, 109, 110)]
    )
    result = run_backtest(
        candles, target_of(candles, [1, 1, 1, 1]), fee_rate=0.0, trailing_stop=0.1
    )
    # Candle 1: peak before it is the entry 100 -> level 90; low 100 is above.
    # Candle 2: peak 120 -> level 108; low 107 <= 108, open 115 above -> fill 108: 100 * 108.
    assert result.equity.tolist() == pytest.approx([10_000, 11_800, 10_800, 10_800])
    assert result.trades["exit_reason"].tolist() == ["trailing_stop"]


def test_run_backtest_last_target_is_never_traded():
    # Given a target that turns long only at the last close: no candle follows to trade it.
    candles = make_candles(flat_rows(100, 200, 300))
    result = run_backtest(candles, target_of(candles, [0, 0, 1]), fee_rate=0.001)
    assert result.equity.tolist() == [10_000, 10_000, 10_000]
    assert result.trades.empty
    assert result.metrics["trades"] == 0


def test_run_backtest_drawdown_kill_switch_closes_and_stops_trading():
    # Given always long from open 1 = 100; close 2 = 75 is 25 % below the 10000 peak.
    candles = make_candles(
        [*flat_rows(100, 100), (100, 100, 75, 75), (70, 70, 60, 60), *flat_rows(200)]
    )
    result = run_backtest(
        candles, target_of(candles, [1, 1, 1, 1, 1]), fee_rate=0.0, max_drawdown=0.2
    )
    # 100 units: 10000, 10000, 7500 (breach at close 2), sold at open 3 = 70 -> 7000, and
    # nothing more, so the jump to 200 is missed.
    assert result.equity.tolist() == pytest.approx([10_000, 10_000, 7_500, 7_000, 7_000])
    assert result.trades["exit_time"].tolist() == [candles.index[3]]


def test_run_backtest_metrics_on_a_known_curve():
    # Given a 4-candle daily curve 10000 -> 10000 -> 11000 -> 9900 (100 units bought at 100).
    candles = make_candles(flat_rows(100, 100, 110, 99), freq="1D")
    result = run_backtest(candles, target_of(candles, [1, 1, 1, 1]), fee_rate=0.0)
    metrics = result.metrics
    # Total return 9900 / 10000 - 1 = -1 %; drawdown from the 11000 peak: 1 - 9900/11000 = 10 %.
    assert metrics["total_return"] == pytest.approx(-0.01)
    assert metrics["max_drawdown"] == pytest.approx(0.1)
    assert metrics["max_drawdown_duration_candles"] == 1
    # One trade, a loss of 100: win rate 0, no profit factor numerator.
    assert metrics["trades"] == 1
    assert metrics["win_rate"] == 0.0
    assert metrics["expectancy"] == pytest.approx(-100)
    # Daily candles: 365.25 per year; 4 candles = 4 / 365.25 years.
    assert metrics["cagr"] == pytest.approx(0.99 ** (365.25 / 4) - 1)
    # Per-candle returns 0, 0, 0.1, -0.1: mean 0 -> Sharpe 0.
    assert metrics["sharpe"] == pytest.approx(0.0, abs=1e-12)
    # Exposure: held at closes 1 and 2 (the last candle ends flat after the final sale).
    assert metrics["time_in_market"] == pytest.approx(0.5)
    assert metrics["buy_and_hold_return"] == pytest.approx(-0.01)
