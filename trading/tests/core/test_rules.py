"""The shared trading rules: each one worked out by hand, and the vectorised form against them."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trading.core import backtest as engine
from trading.core.rules import (
    EXIT_STOP_LOSS,
    EXIT_TAKE_PROFIT,
    EXIT_TRAILING_STOP,
    Costs,
    StopLevels,
    Stops,
    affordable_amount,
    buy_cost,
    buy_fill_price,
    candle_exit,
    fee_paid,
    market_fill_price,
    order_amount,
    rebalance_order,
    sale_proceeds,
    sell_fill_price,
    stop_levels,
    stop_loss_level,
    take_profit_level,
    trailing_stop_level,
)


def test_fill_prices_move_against_the_trader():
    # 10 bps of slippage on 100: a buy pays 100 * 1.001 = 100.1, a sale gets 100 * 0.999 = 99.9.
    assert buy_fill_price(price=100.0, slippage=0.001) == pytest.approx(100.1, rel=1e-15)
    assert sell_fill_price(price=100.0, slippage=0.001) == pytest.approx(99.9, rel=1e-15)
    assert market_fill_price(side="buy", price=100.0, slippage=0.001) == buy_fill_price(
        price=100.0, slippage=0.001
    )
    assert market_fill_price(side="sell", price=100.0, slippage=0.001) == sell_fill_price(
        price=100.0, slippage=0.001
    )
    with pytest.raises(ValueError, match="side"):
        market_fill_price(side="hold", price=100.0, slippage=0.0)


def test_fill_prices_accept_arrays_with_the_scalar_result():
    prices = np.array([100.0, 250.5, 0.01])
    slippage = np.array([0.001, 0.0, 0.02])
    vector = buy_fill_price(price=prices, slippage=slippage)
    scalars = [
        buy_fill_price(price=float(p), slippage=float(s))
        for p, s in zip(prices, slippage, strict=True)
    ]
    assert vector.tolist() == scalars


def test_cost_proceeds_and_fee_of_a_fill():
    # Buy 2 at 100.1 with a 0.1 % fee: notional 200.2, fee 0.2002, cash out 200.2 * 1.001
    # = 200.4002. Sell 2 at 99.9: notional 199.8, fee 0.1998, cash in 199.8 * 0.999 = 199.6002.
    assert buy_cost(amount=2.0, price=100.1, fee_rate=0.001) == pytest.approx(200.4002, rel=1e-14)
    assert sale_proceeds(amount=2.0, price=99.9, fee_rate=0.001) == pytest.approx(
        199.6002, rel=1e-14
    )
    assert fee_paid(amount=2.0, price=100.1, fee_rate=0.001) == pytest.approx(0.2002, rel=1e-14)
    # 1001 spent at 100 with the 0.1 % fee on top buys 1001 / (100 * 1.001) = 10 units.
    assert affordable_amount(spend=1001.0, price=100.0, fee_rate=0.001) == pytest.approx(10.0)


def test_stop_levels_trailing_stop_binds_above_the_stop_loss():
    # Entry 100, highest high 120: stop-loss 10 % -> 90, trailing 5 % -> 120 * 0.95 = 114,
    # take-profit 20 % -> 120. The trailing stop is the higher, so it binds.
    levels = stop_levels(
        entry_price=100.0,
        peak=120.0,
        stops=Stops(stop_loss=0.1, take_profit=0.2, trailing_stop=0.05),
    )
    assert levels.stop == pytest.approx(114.0)
    assert levels.trailing
    assert levels.stop_reason == EXIT_TRAILING_STOP
    assert levels.take_profit == pytest.approx(120.0)


def test_stop_levels_stop_loss_binds_before_the_price_has_risen():
    # Entry 100, no candle held yet (peak 0 counts as the entry): stop-loss 5 % -> 95,
    # trailing 10 % -> 100 * 0.9 = 90 below it; no take-profit -> +inf.
    levels = stop_levels(
        entry_price=100.0, peak=0.0, stops=Stops(stop_loss=0.05, trailing_stop=0.1)
    )
    assert levels == StopLevels(stop=95.0, take_profit=math.inf, trailing=False)
    assert levels.stop_reason == EXIT_STOP_LOSS
    assert stop_levels(entry_price=100.0, peak=0.0, stops=Stops()).stop == -math.inf


def test_level_rules_are_fractions_of_the_entry_or_the_high():
    assert stop_loss_level(entry_price=200.0, stop_loss=0.1) == pytest.approx(180.0)
    assert take_profit_level(entry_price=200.0, take_profit=0.1) == pytest.approx(220.0)
    assert trailing_stop_level(highest=250.0, trailing_stop=0.2) == pytest.approx(200.0)


LEVELS = StopLevels(stop=95.0, take_profit=110.0, trailing=False)


def exit_of(open_price: float, high: float, low: float):
    return candle_exit(
        levels=LEVELS,
        open_price=open_price,
        high=high,
        low=low,
        slippage=0.001,
        taker_fee=0.002,
        maker_fee=0.001,
    )


def test_candle_exit_stop_inside_candle_fills_at_level_with_slippage_and_taker_fee():
    # Low 94 reaches the stop 95; the open 100 is above it: 95 * (1 - 0.001) = 94.905.
    hit = exit_of(100.0, 105.0, 94.0)
    assert hit is not None
    assert (hit.reason, hit.fee_rate) == (EXIT_STOP_LOSS, 0.002)
    assert hit.price == pytest.approx(94.905, rel=1e-14)


def test_candle_exit_gap_below_stop_fills_at_open():
    # The candle opens at 93, below the stop: 93 * 0.999 = 92.907.
    hit = exit_of(93.0, 96.0, 92.0)
    assert hit is not None
    assert hit.price == pytest.approx(92.907, rel=1e-14)


def test_candle_exit_take_profit_fills_at_level_with_maker_fee_and_no_slippage():
    hit = exit_of(100.0, 111.0, 99.0)
    assert hit is not None
    assert (hit.reason, hit.price, hit.fee_rate) == (EXIT_TAKE_PROFIT, 110.0, 0.001)


def test_candle_exit_gap_above_take_profit_fills_at_open():
    hit = exit_of(112.0, 115.0, 111.0)
    assert hit is not None
    assert (hit.reason, hit.price) == (EXIT_TAKE_PROFIT, 112.0)


def test_candle_exit_both_levels_in_one_candle_assumes_stop_first():
    hit = exit_of(100.0, 111.0, 94.0)
    assert hit is not None
    assert hit.reason == EXIT_STOP_LOSS


def test_candle_exit_between_levels_is_none():
    assert exit_of(100.0, 109.9, 95.1) is None


def test_rebalance_order_buy_rounds_to_lot_step():
    # Equity 10000, target 0.5 -> spend 5000 at 100 * 1.001 = 100.1 with a 0.1 % fee on top:
    # 5000 / (100.1 * 1.001) = 5000 / 100.2001 = 49.90015..., floored to the 0.01 step: 49.9.
    order = rebalance_order(
        target=0.5,
        cash=10_000.0,
        amount=0.0,
        price=100.0,
        slippage=0.001,
        fee_rate=0.001,
        quantity_step=0.01,
        min_notional=10.0,
    )
    assert order is not None
    assert (order.side, order.amount, order.closes) == ("buy", 49.9, False)
    assert order.price == pytest.approx(100.1, rel=1e-15)


def test_rebalance_order_below_min_notional_is_none():
    # The same buy is worth 49.9 * 100.1 = 4994.99 < 5000.
    order = rebalance_order(
        target=0.5,
        cash=10_000.0,
        amount=0.0,
        price=100.0,
        slippage=0.001,
        fee_rate=0.001,
        quantity_step=0.01,
        min_notional=5_000.0,
    )
    assert order is None


def test_rebalance_order_flat_target_sells_everything_at_any_size():
    order = rebalance_order(
        target=0.0,
        cash=0.0,
        amount=0.003,
        price=100.0,
        slippage=0.001,
        fee_rate=0.001,
        min_notional=10.0,  # 0.003 * 99.9 = 0.2997: the closing sale is exempt
    )
    assert order is not None
    assert (order.side, order.amount, order.closes) == ("sell", 0.003, True)
    assert order.price == pytest.approx(99.9, rel=1e-15)


def test_rebalance_order_partial_sale_sells_units_above_target():
    # 100 units at 100 and no cash: equity 10000, target 0.4 -> keep 4000 / 100 = 40 units,
    # sell 60 at 99.9.
    order = rebalance_order(
        target=0.4, cash=0.0, amount=100.0, price=100.0, slippage=0.001, fee_rate=0.001
    )
    assert order is not None
    assert (order.side, order.amount, order.closes) == ("sell", 60.0, False)


def test_rebalance_order_small_partial_sale_and_no_change_are_none():
    # 10 units at 100 (equity 1000), target 0.995 -> sell 10 - 995 / 100 = 0.05 units worth
    # 0.05 * 99.9 = 4.995 < 5.
    small = rebalance_order(
        target=0.995,
        cash=0.0,
        amount=10.0,
        price=100.0,
        slippage=0.001,
        fee_rate=0.0,
        min_notional=5.0,
    )
    assert small is None
    same = rebalance_order(
        target=1.0, cash=0.0, amount=10.0, price=100.0, slippage=0.001, fee_rate=0.001
    )
    assert same is None


def test_order_amount_is_the_exact_decimal_of_the_rule_amount():
    assert order_amount(49.9, lot_step=Decimal("0.01")) == Decimal("49.90")
    assert order_amount(0.123456, lot_step=Decimal("0.001")) == Decimal("0.123")
    value = 0.1 + 0.2
    assert order_amount(value) == Decimal("0.30000000000000004")
    assert float(order_amount(value)) == value
    with pytest.raises(ValueError, match="finite"):
        order_amount(math.nan)


def test_order_amount_of_a_whole_position_rounds_to_the_nearest_step():
    # Bought 0.5123 then 0.2: the float sum is 0.7122999999999999, a few ulps off the step.
    held = 0.5123 + 0.2
    assert held != 0.7123
    assert order_amount(held, lot_step=Decimal("0.0001"), whole=True) == Decimal("0.7123")
    assert order_amount(held, lot_step=Decimal("0.0001")) == Decimal("0.7122")
    # A part of it rounds down: 0.61239 -> 0.6123.
    assert order_amount(0.61239, lot_step=Decimal("0.0001")) == Decimal("0.6123")


def test_stops_and_costs_refuse_impossible_values():
    with pytest.raises(ValueError, match="stop_loss"):
        Stops(stop_loss=1.0)
    with pytest.raises(ValueError, match="trailing_stop"):
        Stops(trailing_stop=math.nan)
    with pytest.raises(ValueError, match="taker_fee"):
        Costs(taker_fee=-0.1, maker_fee=0.0, slippage=np.zeros(1))
    assert not Stops().any
    assert Stops(take_profit=0.1).any


# ---------------------------------------------------------------------------------------------
# the vectorised stop search implements the scalar rules


@st.composite
def episodes_on_candles(draw):
    n = draw(st.integers(3, 80))
    steps = draw(st.lists(st.floats(-0.06, 0.06), min_size=n, max_size=n))
    close = 100.0 * np.exp(np.cumsum(steps))
    gaps = draw(st.lists(st.floats(-0.04, 0.04), min_size=n, max_size=n))
    open_ = np.r_[100.0, close[:-1]] * np.exp(np.array(gaps))
    wick = np.array(draw(st.lists(st.floats(0.0, 0.05), min_size=n, max_size=n)))
    high = np.maximum(open_, close) * (1 + wick)
    low = np.minimum(open_, close) * (1 - wick)
    # Episodes [entry, last_held], two candles at least between one's end and the next entry
    # (the sale at an open, then a change of target).
    entries, last_held = [], []
    t = draw(st.integers(0, 2))
    while t < n:
        end = min(n - 1, t + draw(st.integers(0, 25)))
        entries.append(t)
        last_held.append(end)
        t = end + 2 + draw(st.integers(0, 5))
    slippage = np.array(draw(st.lists(st.floats(0.0, 0.003), min_size=n, max_size=n)))
    prices = {"open": open_, "high": high, "low": low, "close": close}
    return prices, np.array(entries), np.array(last_held), slippage


def scalar_first_hit(prices, entry, last, entry_price, stops, costs):
    """The first exit of one episode found candle by candle with the public rules."""
    peak = -math.inf
    for t in range(entry, last + 1):
        levels = stop_levels(entry_price=entry_price, peak=peak, stops=stops)
        hit = candle_exit(
            levels=levels,
            open_price=float(prices["open"][t]),
            high=float(prices["high"][t]),
            low=float(prices["low"][t]),
            slippage=float(costs.slippage[t]),
            taker_fee=costs.taker_fee,
            maker_fee=costs.maker_fee,
        )
        if hit is not None:
            return t, hit.price, hit.fee_rate, hit.reason
        peak = max(peak, float(prices["high"][t]))
    return -1, None, None, None


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=episodes_on_candles(),
    stop_loss=st.one_of(st.none(), st.floats(0.005, 0.2)),
    take_profit=st.one_of(st.none(), st.floats(0.005, 0.2)),
    trailing_stop=st.one_of(st.none(), st.floats(0.005, 0.2)),
)
def test_vectorised_stop_search_equals_scalar_rules(data, stop_loss, take_profit, trailing_stop):
    # Given episodes on random candles and any combination of exits.
    prices, entries, last_held, slippage = data
    stops = Stops(stop_loss=stop_loss, take_profit=take_profit, trailing_stop=trailing_stop)
    if not stops.any:
        return
    costs = Costs(taker_fee=0.002, maker_fee=0.001, slippage=slippage)
    buy_price = buy_fill_price(price=prices["open"][entries], slippage=slippage[entries])
    # When the vectorised search runs over all episodes at once.
    bars, fills, fees, reasons = engine._first_stop_hits(
        prices, entries, last_held, buy_price, stops, costs
    )
    # Then each episode's first exit is the one the scalar rules find, to the last bit.
    for k, (entry, last) in enumerate(zip(entries, last_held, strict=True)):
        bar, price, fee, reason = scalar_first_hit(
            prices, int(entry), int(last), float(buy_price[k]), stops, costs
        )
        assert bars[k] == bar
        if bar >= 0:
            assert fills[k] == price
            assert fees[k] == fee
            assert engine.EXIT_REASONS[reasons[k]] == reason
