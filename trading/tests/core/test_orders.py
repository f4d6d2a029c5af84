"""The order state machine's table and the pre-send checks (pure)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from markets.core.orders import VenueOrder
from trading.core.orders import (
    TERMINAL,
    TRANSITIONS,
    MarketRules,
    OrderCheckError,
    OrderStatus,
    OrderTransitionError,
    can_transition,
    check_transition,
    order_prepare,
    venue_status,
)

S = OrderStatus
RULES = MarketRules(
    tick=Decimal("0.01"),
    step=Decimal("0.00001"),
    min_amount=Decimal("0.0001"),
    min_notional=Decimal("5"),
)


def test_table_covers_every_state_and_terminal_states_have_no_successor():
    assert set(TRANSITIONS) == set(OrderStatus)
    for state in TERMINAL:
        assert TRANSITIONS[state] == frozenset()
    assert {s for s in OrderStatus if not TRANSITIONS[s]} == TERMINAL


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (S.NEW, S.SUBMITTING, True),
        (S.NEW, S.REJECTED, True),
        (S.NEW, S.CANCELED, True),
        (S.NEW, S.OPEN, False),
        (S.NEW, S.UNKNOWN, False),
        (S.SUBMITTING, S.OPEN, True),
        (S.SUBMITTING, S.UNKNOWN, True),
        (S.SUBMITTING, S.SUBMITTING, False),
        (S.UNKNOWN, S.SUBMITTING, True),
        (S.UNKNOWN, S.FILLED, True),
        (S.UNKNOWN, S.NEW, False),
        (S.OPEN, S.OPEN, True),
        (S.OPEN, S.SUBMITTING, False),
        (S.PARTIALLY_FILLED, S.OPEN, False),
        (S.PARTIALLY_FILLED, S.FILLED, True),
        (S.FILLED, S.CANCELED, False),
        (S.CANCELED, S.OPEN, False),
    ],
)
def test_transition_table_allows_exactly_the_listed_moves(current, target, allowed):
    assert can_transition(current, target) is allowed


@given(st.sampled_from(sorted(TERMINAL)), st.sampled_from(list(OrderStatus)))
def test_terminal_state_never_changes(terminal, target):
    with pytest.raises(OrderTransitionError):
        check_transition(terminal, target)


@given(st.lists(st.sampled_from(list(OrderStatus)), max_size=12))
def test_any_allowed_walk_from_new_never_returns_to_new(path):
    state = S.NEW
    for target in path:
        if can_transition(state, target):
            state = target
    assert state == S.NEW or not can_transition(state, S.NEW)


def _venue(status: str, filled: str = "0") -> VenueOrder:
    return VenueOrder(
        exchange_order_id="1",
        client_order_id="qt-1",
        symbol="BTC/USDT",
        side="buy",
        type="limit",
        status=status,  # type: ignore[arg-type]
        amount=Decimal("1"),
        filled=Decimal(filled),
        average_price=None,
        price=Decimal("100"),
        fee_cost=Decimal(0),
        fee_currency=None,
        timestamp_ms=None,
    )


@pytest.mark.parametrize(
    ("status", "filled", "expected"),
    [
        ("open", "0", S.OPEN),
        ("open", "0.5", S.PARTIALLY_FILLED),
        ("closed", "1", S.FILLED),
        ("canceled", "0.5", S.CANCELED),
        ("expired", "0", S.EXPIRED),
        ("rejected", "0", S.REJECTED),
    ],
)
def test_venue_status_maps_ccxt_states(status, filled, expected):
    assert venue_status(_venue(status, filled)) == expected


def test_prepare_rounds_amount_down_to_the_lot_step():
    prepared = order_prepare(
        side="buy", type="limit", amount=Decimal("0.123456789"), price=Decimal("100"), rules=RULES
    )

    assert prepared.amount == Decimal("0.12345")
    assert prepared.price == Decimal("100")


@pytest.mark.parametrize(
    ("kwargs", "field", "code"),
    [
        ({"amount": Decimal("0.00009")}, "amount", "amount_below_minimum"),
        ({"amount": Decimal("0.000009")}, "amount", "amount_below_minimum"),
        ({"amount": Decimal("-1")}, "amount", "invalid_order"),
        ({"amount": Decimal("NaN")}, "amount", "invalid_order"),
        ({"price": Decimal("100.005")}, "price", "price_off_tick"),
        ({"price": None}, "price", "required"),
        ({"price": Decimal("0")}, "price", "invalid_order"),
        ({"amount": Decimal("0.01"), "price": Decimal("100")}, "amount", "notional_below_minimum"),
        ({"side": "hold"}, "side", "invalid_side"),
        ({"type": "stop"}, "type", "invalid_type"),
    ],
)
def test_prepare_refuses_bad_input_naming_the_field(kwargs, field, code):
    args = {
        "side": "buy",
        "type": "limit",
        "amount": Decimal("1"),
        "price": Decimal("100"),
        "rules": RULES,
        **kwargs,
    }

    with pytest.raises(OrderCheckError) as caught:
        order_prepare(**args)

    assert caught.value.field == field
    assert caught.value.code == code
    assert caught.value.message


def test_prepare_refuses_a_market_whose_limits_are_unknown():
    rules = MarketRules(tick=Decimal("0.01"), step=None, min_amount=None, min_notional=Decimal(5))

    with pytest.raises(OrderCheckError) as caught:
        order_prepare(side="buy", type="market", amount=Decimal(1), price=None, rules=rules)

    assert caught.value.code == "market_limits_unknown"
    assert "step" in caught.value.message
    assert "min_amount" in caught.value.message


def test_prepare_checks_a_market_orders_notional_at_the_reference_price():
    args = {"side": "sell", "type": "market", "amount": Decimal("0.01"), "price": None}

    with pytest.raises(OrderCheckError) as caught:
        order_prepare(**args, rules=RULES, reference_price=Decimal("100"))
    prepared = order_prepare(**args, rules=RULES, reference_price=Decimal("1000"))

    assert caught.value.code == "notional_below_minimum"
    assert prepared.amount == Decimal("0.01000")


def test_prepare_refuses_a_price_on_a_market_order():
    with pytest.raises(OrderCheckError) as caught:
        order_prepare(side="buy", type="market", amount=Decimal(1), price=Decimal(1), rules=RULES)

    assert caught.value.field == "price"


def test_prepare_rounds_an_off_tick_price_against_the_trader_when_asked():
    common = {"type": "limit", "amount": Decimal("1"), "rules": RULES}

    buy = order_prepare(side="buy", price=Decimal("100.001"), round_price_to_tick=True, **common)
    sell = order_prepare(side="sell", price=Decimal("100.009"), round_price_to_tick=True, **common)

    assert buy.price == Decimal("100.01")
    assert sell.price == Decimal("100.00")


@given(
    amount=st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("1000"), places=9),
    price=st.integers(min_value=1, max_value=10_000_000).map(lambda c: Decimal(c) / 100),
)
def test_prepared_amount_is_on_the_step_and_never_more_than_asked(amount, price):
    expected = (amount // RULES.step) * RULES.step
    refused = expected < RULES.min_amount or expected * price < RULES.min_notional
    args = {"side": "buy", "type": "limit", "amount": amount, "price": price, "rules": RULES}

    if refused:
        with pytest.raises(OrderCheckError):
            order_prepare(**args)
        return
    prepared = order_prepare(**args)

    assert prepared.amount == expected
    assert prepared.amount <= amount
    assert amount - prepared.amount < RULES.step
    assert prepared.amount * price >= RULES.min_notional
