"""Sizing, exchange precision and risk rules shared with the live engine."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from trading.core.backtest import run_backtest
from trading.core.risk import (
    cap_exposure,
    cap_exposure_value,
    check_order,
    drawdown_breached,
    first_drawdown_breach,
)
from trading.core.sizing import (
    atr_risk_fraction,
    average_true_range,
    fixed_fraction,
    floor_to_step,
    round_price,
    round_quantity,
    size_at_entry,
    volatility_slippage_bps,
    volatility_target_fraction,
)
from trading.tests.core.candles import flat_rows, make_candles


def test_round_quantity_floors_to_the_step():
    assert round_quantity(Decimal("0.123456"), Decimal("0.001")) == Decimal("0.123")
    assert round_quantity(Decimal("0.3"), Decimal("0.1")) == Decimal("0.3")
    assert round_quantity(Decimal("5"), Decimal("2")) == Decimal("4")
    assert round_quantity(Decimal("-1"), Decimal("0.01")) == Decimal("0.00")


def test_floor_to_step_float_agrees_with_decimal_rule():
    # 0.3 / 0.1 is 2.9999999999999996 in floats; the Decimal rule keeps 0.3.
    assert floor_to_step(0.3, 0.1) == 0.3
    assert floor_to_step(0.12399, 0.001) == 0.123


def test_round_price_never_favours_the_trader():
    assert round_price(Decimal("100.123"), Decimal("0.01"), side="buy") == Decimal("100.13")
    assert round_price(Decimal("100.127"), Decimal("0.01"), side="sell") == Decimal("100.12")
    with pytest.raises(ValueError, match="side"):
        round_price(Decimal(1), Decimal("0.1"), side="hold")


def test_check_order_refuses_below_minimums():
    ok = check_order(quantity=Decimal("0.0123"), price=Decimal("20000"), step=Decimal("0.001"))
    assert ok.accepted
    assert ok.quantity == Decimal("0.012")
    small = check_order(
        quantity=Decimal("0.0004"), price=Decimal("20000"), min_notional=Decimal("10")
    )
    # 0.0004 * 20000 = 8 < 10.
    assert not small.accepted
    assert "below the minimum 10" in small.reason
    zero = check_order(quantity=Decimal("0.0004"), price=Decimal("1"), step=Decimal("0.001"))
    assert not zero.accepted


def test_run_backtest_quantity_step_and_min_notional():
    candles = make_candles(flat_rows(100, 100, 150))
    target = pd.Series([1.0, 1.0, 1.0], index=candles.index)
    # 10000 / 100 = 100 units; with a 7-unit lot: 98 units (10000 - 9800 = 200 cash left).
    result = run_backtest(candles, target, fee_rate=0.0, initial_cash=10_000, quantity_step=7)
    assert result.trades["size"].iloc[0] == 98
    # Final: 200 cash left + 98 * 150 = 14900.
    assert result.equity.iloc[-1] == pytest.approx(200 + 98 * 150)
    # A minimum notional above the whole account: never trades.
    none = run_backtest(candles, target, fee_rate=0.0, min_notional=20_000)
    assert none.trades.empty
    assert none.equity.iloc[-1] == 10_000


def test_fixed_fraction_scales_signal():
    signal = pd.Series([0.0, 1.0, 1.0])
    assert fixed_fraction(signal, 0.25).tolist() == [0.0, 0.25, 0.25]
    with pytest.raises(ValueError, match="fraction"):
        fixed_fraction(signal, 1.5)


def test_volatility_target_fraction_halves_for_double_volatility():
    # Alternating log returns of +-a: std (ddof=1) over a window of 4 returns is
    # a * sqrt(4/3); per year (1 period per year) the fraction is target / that.
    a = 0.01
    close = pd.Series(100 * np.exp(np.cumsum([0, a, -a, a, -a, a, -a])))
    fraction = volatility_target_fraction(
        close, target_volatility=a * np.sqrt(4 / 3) / 2, window=4, periods_per_year=1
    )
    assert fraction.iloc[:4].tolist() == [0.0] * 4  # not enough history yet
    assert fraction.iloc[5] == pytest.approx(0.5)


def test_atr_risk_fraction_from_true_range():
    # Constant range 2 around a close of 100: ATR 2; 2 ATRs = 4 % of price;
    # risking 1 % of equity gives a 25 % position.
    candles = make_candles([(100, 101, 99, 100)] * 20)
    assert average_true_range(candles, window=5).iloc[-1] == pytest.approx(2.0)
    fraction = atr_risk_fraction(candles, risk_per_trade=0.01, atr_multiple=2, window=5)
    assert fraction.iloc[-1] == pytest.approx(0.25)


def test_size_at_entry_holds_the_entry_size():
    signal = pd.Series([0, 1, 1, 1, 0, 1], dtype=float)
    fraction = pd.Series([0.9, 0.5, 0.1, 0.2, 0.3, 0.7])
    # Entry at 1 sized 0.5 and held through 3; entry at 5 sized 0.7.
    assert size_at_entry(signal, fraction).tolist() == [0, 0.5, 0.5, 0.5, 0, 0.7]


def test_volatility_slippage_uses_only_past_candles():
    candles = make_candles([(100, 101, 99, 100), (100, 102, 98, 100), (100, 110, 90, 100)])
    slippage = volatility_slippage_bps(candles, spread_bps=2, range_share=0.1, window=2)
    # t0: no history -> 1 bp (half spread); t1: range 2 % -> 1 + 0.1 * 200 = 21 bp;
    # t2: mean of 2 % and 4 % = 3 % -> 1 + 0.1 * 300 = 31 bp (its own 20 % range is unseen).
    assert slippage.tolist() == pytest.approx([1.0, 21.0, 31.0])


def test_cap_exposure_and_drawdown_rules():
    assert cap_exposure(pd.Series([0.2, 0.9]), 0.5).tolist() == [0.2, 0.5]
    assert cap_exposure_value(0.9, 0.5) == 0.5
    # The single value agrees with the Series rule, NaN included.
    values = [0.0, 0.3, 0.5, 0.7, 1.0, float("nan")]
    series = cap_exposure(pd.Series(values), 0.5).tolist()
    singles = [cap_exposure_value(value, 0.5) for value in values]
    np.testing.assert_array_equal(singles, series)
    with pytest.raises(ValueError, match="max_position"):
        cap_exposure_value(0.5, 0.0)
    assert drawdown_breached(80.0, 100.0, 0.2)
    assert not drawdown_breached(80.01, 100.0, 0.2)
    assert first_drawdown_breach(np.array([100.0, 120.0, 97.0, 95.0]), 0.2) == 3
    assert first_drawdown_breach(np.array([100.0, 90.0]), 0.2) is None
