"""The live engine's decision core: risk profile validation, orders, exits, halts and checks."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from markets.core.errors import QuantumTraderError
from trading.core.bot_state import BotState, apply_fill
from trading.core.engine import (
    CHECK_COOLDOWN,
    CHECK_DAILY_LOSS,
    CHECK_MAX_DRAWDOWN,
    CHECK_MAX_OPEN_POSITIONS,
    CHECK_MAX_ORDERS_PER_HOUR,
    CHECK_MIN_CONFIDENCE,
    CHECK_ORDER_SIZE,
    Candle,
    ModelSignal,
    RuleSignal,
    decide,
    orders_in_last_hour,
)
from trading.core.profile import MarketLimits, RiskProfile, RiskProfileError

START = datetime(2024, 1, 1, tzinfo=UTC)
HOUR = timedelta(hours=1)


def candle(hour: int, open_: float, high: float, low: float, close: float) -> Candle:
    opened = START + hour * HOUR
    return Candle(time=opened, open=open_, high=high, low=low, close=close, closes_at=opened + HOUR)


def flat(hour: int, price: float) -> Candle:
    return candle(hour, price, price, price, price)


def check(decision, name):
    matches = [item for item in decision.checks if item.name == name]
    assert len(matches) == 1, decision.checks
    return matches[0]


def holding(units: float, price: float, *, cash: float = 0.0) -> BotState:
    """A bot fully invested at `price` (no fee) that decided target 1 on signal 1."""
    start = BotState.start(units * price + cash)
    bought = apply_fill(start, side="buy", amount=units, price=price, fee_rate=0.0, time=START)
    return replace(bought.state, last_target=1.0, last_signal=1.0, entry_fraction=1.0)


# ---------------------------------------------------------------------------------------------
# risk profile validation


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("max_position", 0.0),
        ("max_position", 1.5),
        ("max_position", -0.1),
        ("max_position", math.nan),
        ("max_position", math.inf),
        ("max_position", True),
        ("max_position", "0.5"),
        ("stop_loss", 1.0),
        ("stop_loss", 0.0),
        ("take_profit", -0.2),
        ("trailing_stop", math.nan),
        ("risk_per_trade", math.inf),
        ("daily_loss_limit", 1.2),
        ("max_drawdown", -0.5),
        ("min_confidence", 0.0),
        ("min_confidence", 1.01),
        ("max_open_positions", 0),
        ("max_open_positions", -1),
        ("max_orders_per_hour", -5),
        ("max_orders_per_hour", 2.5),
        ("atr_multiple", -1.0),
        ("atr_multiple", math.nan),
        ("atr_window", 0),
        ("cooldown", timedelta(minutes=-1)),
    ],
)
def test_risk_profile_impossible_value_raises_naming_the_field(name, value):
    with pytest.raises(RiskProfileError) as caught:
        RiskProfile(**{name: value})
    error = caught.value
    assert error.field == name
    assert name in error.message
    assert isinstance(error, ValueError)
    assert isinstance(error, QuantumTraderError)
    assert error.status == 400


def test_risk_profile_edges_of_the_ranges_are_accepted():
    profile = RiskProfile(
        max_position=1.0,
        min_confidence=1.0,
        stop_loss=0.999,
        max_open_positions=1,
        max_orders_per_hour=1,
        cooldown=timedelta(0),
        max_drawdown=Decimal("0.2"),
    )
    assert profile.stops.stop_loss == 0.999
    assert profile.max_drawdown == 0.2
    assert isinstance(profile.max_drawdown, float)


@pytest.mark.parametrize(
    ("name", "value"),
    [("lot_step", Decimal(0)), ("min_notional", Decimal(-1)), ("tick", Decimal("NaN"))],
)
def test_market_limits_impossible_value_raises_naming_the_field(name, value):
    with pytest.raises(RiskProfileError) as caught:
        MarketLimits(**{name: value})
    assert caught.value.field == name


# ---------------------------------------------------------------------------------------------
# orders and fills


def test_decide_entry_order_capped_and_rounded_to_lot_step():
    # Given 10000 cash, signal 1 and a 50 % cap; the order meets the next open 100 with 10 bps
    # of slippage and a 0.1 % fee.
    decision = decide(
        state=BotState.start(10_000.0),
        candle=flat(0, 99.0),
        signal=RuleSignal(target=1.0),
        profile=RiskProfile(max_position=0.5),
        fee_rate=0.001,
        slippage=0.001,
        reference_price=100.0,
        limits=MarketLimits(lot_step=Decimal("0.01"), min_notional=Decimal("10")),
    )
    # Then: spend 0.5 * 10000 = 5000 at 100.1 plus fee: 5000 / 100.2001 = 49.90015 -> 49.90.
    assert decision.target == 0.5
    order = decision.order
    assert order is not None
    assert (order.side, order.amount, order.reference_price) == ("buy", Decimal("49.90"), 100.0)
    assert order.expected_price == pytest.approx(100.1, rel=1e-15)
    assert check(decision, CHECK_ORDER_SIZE).passed
    assert decision.state.last_target == 0.5
    assert decision.equity == 10_000.0


def test_apply_fill_books_cash_entry_and_realised_pnl():
    # Buy 49.9 at 100.1, fee 0.1 %: cost 49.9 * 100.1 * 1.001 = 4994.99 * 1.001 = 4999.98499.
    bought = apply_fill(
        BotState.start(10_000.0), side="buy", amount=49.9, price=100.1, fee_rate=0.001, time=START
    )
    state = bought.state
    assert state.cash == pytest.approx(10_000 - 4999.98499, rel=1e-12)
    assert state.average_entry == pytest.approx(100.1)
    assert state.peak_price == pytest.approx(100.1)
    assert bought.fee == pytest.approx(4.99499, rel=1e-12)
    # Sell all at 110 with the fee: 49.9 * 110 * 0.999 = 5483.511; P&L 5483.511 - 4999.98499.
    sold = apply_fill(state, side="sell", amount=49.9, price=110.0, fee_rate=0.001, time=START)
    assert sold.closed_pnl == pytest.approx(5483.511 - 4999.98499, rel=1e-12)
    assert sold.state.amount == 0.0
    assert sold.state.average_entry is None
    assert sold.state.last_loss_at is None
    with pytest.raises(ValueError, match="open position"):
        apply_fill(sold.state, side="sell", amount=1.0, price=1.0, fee_rate=0.0, time=START)


def test_apply_fill_realised_and_unrealised_pnl_hand_checked():
    # Buy 1 @ 100, fee 0.1 %: pays 100 + 0.1 = 100.1; cash 1000 - 100.1 = 899.9.
    bought = apply_fill(
        BotState.start(1000.0), side="buy", amount=1.0, price=100.0, fee_rate=0.001, time=START
    )
    assert bought.realised_pnl is None
    assert bought.state.cash == pytest.approx(899.9, rel=1e-15)
    assert bought.state.cost_basis == pytest.approx(100.1, rel=1e-15)
    # At 110 the position is worth 110 against its cost 100.1: 9.9 unrealised, none realised,
    # and the two add up to the equity less the starting cash (1009.9 - 1000).
    assert bought.state.unrealised_pnl(110.0) == pytest.approx(9.9, rel=1e-12)
    assert bought.state.realised_pnl == 0.0
    assert bought.state.equity(110.0) - 1000.0 == pytest.approx(9.9, rel=1e-12)
    # Sell 1 @ 110, fee 0.1 %: receives 110 - 0.11 = 109.89; realises 109.89 - 100.1 = 9.79.
    sold = apply_fill(
        bought.state, side="sell", amount=1.0, price=110.0, fee_rate=0.001, time=START
    )
    assert sold.fee == pytest.approx(0.11, rel=1e-12)
    assert sold.realised_pnl == pytest.approx(9.79, rel=1e-12)
    assert sold.closed_pnl == pytest.approx(9.79, rel=1e-12)
    assert sold.state.realised_pnl == pytest.approx(9.79, rel=1e-12)
    assert sold.state.unrealised_pnl(120.0) == 0.0
    assert sold.state.cash == pytest.approx(1009.79, rel=1e-15)


def test_apply_fill_partial_sales_realise_their_share_of_the_cost():
    # Buy 2 @ 100, fee 0.1 %: cost 200.2, i.e. 100.1 a unit.
    state = apply_fill(
        BotState.start(1000.0), side="buy", amount=2.0, price=100.0, fee_rate=0.001, time=START
    ).state
    # Sell 1 @ 110: receives 109.89 against half the cost (100.1): realises 9.79; one held.
    first = apply_fill(state, side="sell", amount=1.0, price=110.0, fee_rate=0.001, time=START)
    assert first.realised_pnl == pytest.approx(9.79, rel=1e-12)
    assert first.closed_pnl is None
    assert first.state.cost_basis == pytest.approx(100.1, rel=1e-12)
    assert first.state.unrealised_pnl(90.0) == pytest.approx(-10.1, rel=1e-12)
    # Sell the other @ 90: receives 89.91 against 100.1: realises -10.19; the trade -0.4.
    second = apply_fill(
        first.state, side="sell", amount=1.0, price=90.0, fee_rate=0.001, time=START + HOUR
    )
    assert second.realised_pnl == pytest.approx(-10.19, rel=1e-12)
    assert second.closed_pnl == pytest.approx(109.89 + 89.91 - 200.2, rel=1e-9)
    assert second.state.realised_pnl == pytest.approx(-0.4, rel=1e-9)
    assert second.state.cash - 1000.0 == pytest.approx(-0.4, rel=1e-9)
    assert second.state.last_loss_at == START + HOUR


def test_decide_stop_loss_inside_candle_reports_exit_and_equity_after_it():
    # Given 100 units bought at 100 and a 5 % stop-loss (95); the candle trades down to 94.
    state = holding(100.0, 100.0)
    decision = decide(
        state=state,
        candle=candle(1, 99.0, 100.0, 94.0, 96.0),
        signal=RuleSignal(target=1.0),
        profile=RiskProfile(stop_loss=0.05),
        fee_rate=0.001,
        slippage=0.0,
    )
    # Then: the stop fills at 95 (the open 99 is above), 100 * 95 * 0.999 = 9490.5 cash.
    assert decision.exit is not None
    assert (decision.exit.reason, decision.exit.price) == ("stop_loss", 95.0)
    assert decision.equity == pytest.approx(9490.5)
    # The target did not change, so no order: the position stays flat after the stop.
    assert decision.order is None
    assert decision.no_order_reason == "the target is unchanged"
    assert decision.state.last_loss_at == START + 2 * HOUR


def test_decide_without_exit_raises_the_trailing_peak():
    state = holding(10.0, 100.0)
    decision = decide(
        state=state,
        candle=candle(1, 100.0, 130.0, 99.0, 125.0),
        signal=RuleSignal(target=1.0),
        profile=RiskProfile(trailing_stop=0.1),
        fee_rate=0.0,
    )
    # Level during the candle: 100 * 0.9 = 90 (low 99 above); the next candle's uses 130.
    assert decision.exit is None
    assert decision.levels is not None
    assert decision.levels.stop == pytest.approx(90.0)
    assert decision.state.peak_price == 130.0


# ---------------------------------------------------------------------------------------------
# halts


def test_decide_scripted_losing_run_halts_at_daily_loss_limit():
    # Given 100 units at 100 (equity 10000) and a 5 % daily loss limit; hourly closes fall
    # 98, 96, 94 on one day: equity 9800 (-2 %), 9600 (-4 %), 9400 (-6 %).
    profile = RiskProfile(daily_loss_limit=0.05)
    state = holding(100.0, 100.0)
    outcomes = []
    for hour, price in enumerate([98.0, 96.0, 94.0], start=1):
        decision = decide(
            state=state,
            candle=flat(hour, price),
            signal=RuleSignal(target=1.0),
            profile=profile,
            fee_rate=0.0,
        )
        outcomes.append(decision)
        state = decision.state
    assert [d.halted for d in outcomes[:2]] == ["", ""]
    assert check(outcomes[1], CHECK_DAILY_LOSS).passed
    # Then: the third close breaks the limit; the bot halts, says why, and sells everything.
    halted = outcomes[2]
    assert halted.halted.startswith("daily loss limit")
    assert "6.00% below the day's start 10000.00" in halted.halted
    assert not check(halted, CHECK_DAILY_LOSS).passed
    assert halted.target == 0.0
    assert halted.order is not None
    assert (halted.order.side, halted.order.amount, halted.order.closes) == (
        "sell",
        Decimal("100.0"),
        True,
    )
    # And it stays halted: a later buy signal trades nothing.
    flat_state = apply_fill(
        state, side="sell", amount=100.0, price=94.0, fee_rate=0.0, time=START
    ).state
    later = decide(
        state=flat_state,
        candle=flat(4, 120.0),
        signal=RuleSignal(target=1.0),
        profile=profile,
        fee_rate=0.0,
    )
    assert later.halted == halted.halted
    assert later.order is None
    assert later.target == 0.0


def test_decide_daily_loss_counts_from_each_day_start():
    # Given -4 % on day one (10000 -> 9600) and -4 % on day two (9600 -> 9216): 7.8 % in all,
    # but never 5 % within one day, so no halt.
    profile = RiskProfile(daily_loss_limit=0.05)
    state = holding(100.0, 100.0)
    for hour, price in [(22, 96.0), (23, 96.0), (24, 94.0), (25, 92.16)]:
        decision = decide(
            state=state,
            candle=flat(hour, price),
            signal=RuleSignal(target=1.0),
            profile=profile,
            fee_rate=0.0,
        )
        state = decision.state
        assert decision.halted == ""
    # The second day started from the last close of the first: 9600.
    assert state.day_start_equity == pytest.approx(9600.0)


def test_decide_scripted_losing_run_halts_at_max_drawdown():
    # Given 100 units at 100 and a 10 % max drawdown; closes 110 (peak 11000), 105, 98:
    # 9800 is 1 - 9800 / 11000 = 10.9 % below the peak.
    profile = RiskProfile(max_drawdown=0.1)
    state = holding(100.0, 100.0)
    decisions = []
    for hour, price in enumerate([110.0, 105.0, 98.0], start=1):
        decision = decide(
            state=state,
            candle=flat(hour, price),
            signal=RuleSignal(target=1.0),
            profile=profile,
            fee_rate=0.0,
        )
        decisions.append(decision)
        state = decision.state
    assert [d.halted == "" for d in decisions] == [True, True, False]
    assert decisions[0].state.peak_equity == 11_000.0
    assert check(decisions[1], CHECK_MAX_DRAWDOWN).passed
    assert "10.91% below its peak 11000.00" in decisions[2].halted
    assert decisions[2].halted.startswith("max drawdown")
    assert decisions[2].order is not None
    assert decisions[2].order.side == "sell"


# ---------------------------------------------------------------------------------------------
# checks that hold back new exposure


def test_decide_cooldown_after_loss_blocks_entry_until_it_elapses():
    # Given a trade closed at a loss at 01:00 (bought 10 at 100, sold at 90) and 3 h cooldown.
    state = apply_fill(
        BotState.start(1_000.0), side="buy", amount=10.0, price=100.0, fee_rate=0.0, time=START
    ).state
    sold = apply_fill(state, side="sell", amount=10.0, price=90.0, fee_rate=0.0, time=START + HOUR)
    assert sold.closed_pnl == pytest.approx(-100.0)
    state = replace(sold.state, last_target=0.0, last_signal=0.0)
    profile = RiskProfile(cooldown=timedelta(hours=3))
    # When a buy signal comes at the close 02:00 (1 h later).
    early = decide(
        state=state, candle=flat(1, 90.0), signal=RuleSignal(1.0), profile=profile, fee_rate=0.0
    )
    # Then: blocked, and the target stays flat.
    assert not check(early, CHECK_COOLDOWN).passed
    assert early.order is None
    assert early.target == 0.0
    # At the close 04:00 (3 h after the loss) the same signal buys: 900 / 90 = 10 units.
    late = decide(
        state=early.state,
        candle=flat(3, 90.0),
        signal=RuleSignal(1.0),
        profile=profile,
        fee_rate=0.0,
    )
    assert check(late, CHECK_COOLDOWN).passed
    assert late.order is not None
    assert (late.order.side, late.order.amount) == ("buy", Decimal("10.0"))


def test_decide_min_confidence_ignores_weak_model_signal():
    profile = RiskProfile(min_confidence=0.6)
    weak = decide(
        state=BotState.start(1_000.0),
        candle=flat(0, 100.0),
        signal=ModelSignal(buy=0.55, hold=0.25, sell=0.2),
        profile=profile,
        fee_rate=0.0,
    )
    # P(BUY) 0.55 clears the 0.5 threshold but not the 0.6 confidence: no trade.
    result = check(weak, CHECK_MIN_CONFIDENCE)
    assert not result.passed
    assert "0.550 is below the minimum 0.600" in result.reason
    assert (weak.signal_target, weak.target, weak.order) == (0.0, 0.0, None)
    strong = decide(
        state=weak.state,
        candle=flat(1, 100.0),
        signal=ModelSignal(buy=0.65, hold=0.2, sell=0.15),
        profile=profile,
        fee_rate=0.0,
    )
    assert check(strong, CHECK_MIN_CONFIDENCE).passed
    assert strong.order is not None
    assert strong.order.amount == Decimal("10.0")  # 1000 / 100


def test_decide_max_orders_per_hour_blocks_then_retries():
    profile = RiskProfile(max_orders_per_hour=2)
    blocked = decide(
        state=BotState.start(1_000.0),
        candle=flat(0, 100.0),
        signal=RuleSignal(1.0),
        profile=profile,
        fee_rate=0.0,
        orders_last_hour=2,
    )
    assert not check(blocked, CHECK_MAX_ORDERS_PER_HOUR).passed
    assert blocked.order is None
    assert blocked.state.last_target == 0.0
    retried = decide(
        state=blocked.state,
        candle=flat(1, 100.0),
        signal=RuleSignal(1.0),
        profile=profile,
        fee_rate=0.0,
        orders_last_hour=1,
    )
    assert check(retried, CHECK_MAX_ORDERS_PER_HOUR).passed
    assert retried.order is not None


def test_orders_in_last_hour_counts_the_hour_up_to_now():
    now = START + HOUR + timedelta(minutes=10)
    times = [START + timedelta(minutes=m) for m in (10, 30, 65)]
    # 00:10 is exactly one hour before 01:10 and falls out; 00:30 and 01:05 count.
    assert orders_in_last_hour(times, now) == 2


def test_decide_max_open_positions_blocks_a_new_position():
    profile = RiskProfile(max_open_positions=2)
    decision = decide(
        state=BotState.start(1_000.0),
        candle=flat(0, 100.0),
        signal=RuleSignal(1.0),
        profile=profile,
        fee_rate=0.0,
        open_positions=2,
    )
    result = check(decision, CHECK_MAX_OPEN_POSITIONS)
    assert not result.passed
    assert "2 positions are open, the maximum is 2" in result.reason
    assert decision.order is None


def test_decide_order_below_min_amount_is_refused_with_reason():
    decision = decide(
        state=BotState.start(50.0),
        candle=flat(0, 100.0),
        signal=RuleSignal(1.0),
        profile=RiskProfile(),
        fee_rate=0.0,
        limits=MarketLimits(lot_step=Decimal("0.1"), min_amount=Decimal("1")),
    )
    # 50 / 100 = 0.5 units, on the 0.1 step, below the minimum amount 1.
    assert decision.order is None
    assert "below the minimum 1" in decision.no_order_reason
    assert not check(decision, CHECK_ORDER_SIZE).passed


def test_decide_atr_profile_needs_a_sizing_fraction():
    with pytest.raises(ValueError, match="sizing_fraction"):
        decide(
            state=BotState.start(50.0),
            candle=flat(0, 100.0),
            signal=RuleSignal(1.0),
            profile=RiskProfile(risk_per_trade=0.01),
            fee_rate=0.0,
        )


def test_decide_sizes_at_signal_change_and_holds_that_size():
    # Given a fraction of 0.3 when the signal turns on and 0.8 one candle later.
    profile = RiskProfile()
    first = decide(
        state=BotState.start(1_000.0),
        candle=flat(0, 100.0),
        signal=RuleSignal(1.0),
        profile=profile,
        fee_rate=0.0,
        sizing_fraction=0.3,
    )
    second = decide(
        state=first.state,
        candle=flat(1, 100.0),
        signal=RuleSignal(1.0),
        profile=profile,
        fee_rate=0.0,
        sizing_fraction=0.8,
    )
    # Then the position keeps its entry size: 0.3, and nothing trades on the second candle.
    assert (first.target, second.target) == (0.3, 0.3)
    assert second.order is None
