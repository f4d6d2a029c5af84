"""The order state machine and the checks an order passes before it is sent (pure rules).

One transition table says which state may follow which; the engine applies a transition only
through a conditional update that names the state it expects, so two workers can never both
move an order. Terminal states (FILLED, CANCELED, REJECTED, EXPIRED) never change again.

`order_prepare` rounds an order to the market's lot step (down: never trade more than asked)
and checks it against the market's minimum amount and minimum notional. A limit price that is
off the price tick is refused by default, naming the tick; callers that size orders themselves
(bots) may ask for it to be rounded instead, never in the trader's favour.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from markets.core.errors import QuantumTraderError
from markets.core.orders import VenueOrder
from trading.core.sizing import round_price, round_quantity


class OrderStatus(StrEnum):
    """An order's state, stored lowercase in the database and the API."""

    NEW = "new"
    SUBMITTING = "submitting"
    OPEN = "open"
    PARTIALLY_FILLED = "partially_filled"
    FILLED = "filled"
    CANCELED = "canceled"
    REJECTED = "rejected"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


S = OrderStatus
TERMINAL: frozenset[OrderStatus] = frozenset({S.FILLED, S.CANCELED, S.REJECTED, S.EXPIRED})
OPEN_STATES: frozenset[OrderStatus] = frozenset({S.OPEN, S.PARTIALLY_FILLED})
"""Resting on the venue: the reconciler refreshes these."""
UNRESOLVED: frozenset[OrderStatus] = frozenset({S.SUBMITTING, S.UNKNOWN})
"""Sent (or maybe sent) without a usable answer yet: only the reconciler resolves these."""

_VENUE_STATES = frozenset({S.OPEN, S.PARTIALLY_FILLED, S.FILLED, S.CANCELED, S.EXPIRED})

# The one transition table. A state listed as its own successor may be updated in place
# (more fills on an open order) without a change of state.
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    # A NEW order was never sent: it may be claimed, refused before sending, or withdrawn.
    S.NEW: frozenset({S.SUBMITTING, S.REJECTED, S.CANCELED}),
    S.SUBMITTING: _VENUE_STATES | {S.REJECTED, S.UNKNOWN},
    # SUBMITTING again: the resend, once the venue confirmed the order was never placed.
    S.UNKNOWN: _VENUE_STATES | {S.REJECTED, S.SUBMITTING},
    # UNKNOWN from an open order: a cancel whose answer never came.
    S.OPEN: frozenset({S.OPEN, S.PARTIALLY_FILLED, S.FILLED, S.CANCELED, S.EXPIRED, S.UNKNOWN}),
    S.PARTIALLY_FILLED: frozenset({S.PARTIALLY_FILLED, S.FILLED, S.CANCELED, S.EXPIRED, S.UNKNOWN}),
    S.FILLED: frozenset(),
    S.CANCELED: frozenset(),
    S.REJECTED: frozenset(),
    S.EXPIRED: frozenset(),
}


class OrderTransitionError(QuantumTraderError):
    """A state change the transition table does not allow."""

    code = "invalid_transition"
    status = 409


def can_transition(current: OrderStatus | str, target: OrderStatus | str) -> bool:
    """True when the table allows `current` -> `target`."""
    return OrderStatus(target) in TRANSITIONS[OrderStatus(current)]


def check_transition(current: OrderStatus | str, target: OrderStatus | str) -> None:
    """Raise OrderTransitionError unless the table allows `current` -> `target`."""
    if not can_transition(current, target):
        raise OrderTransitionError(f"An order cannot go from {current} to {target}.")


def is_terminal(status: OrderStatus | str) -> bool:
    return OrderStatus(status) in TERMINAL


def venue_status(order: VenueOrder) -> OrderStatus:
    """Map a venue's report of an order to the state it puts the order in.

    ccxt's `closed` means fully filled; an order canceled or expired after partial fills
    keeps its filled amount but ends CANCELED or EXPIRED.
    """
    if order.status == "open":
        return S.PARTIALLY_FILLED if order.filled > 0 else S.OPEN
    if order.status == "closed":
        return S.FILLED
    if order.status == "canceled":
        return S.CANCELED
    if order.status == "expired":
        return S.EXPIRED
    return S.REJECTED


@dataclass(frozen=True)
class MarketRules:
    """What a market allows: price tick, lot step, minimum amount and notional (None: unknown)."""

    tick: Decimal | None
    step: Decimal | None
    min_amount: Decimal | None
    min_notional: Decimal | None

    def unknown(self) -> list[str]:
        """Names of the limits the market does not know (an order needs all of them)."""
        names = ("tick", "step", "min_amount", "min_notional")
        return [name for name in names if getattr(self, name) is None]


@dataclass(frozen=True)
class PreparedOrder:
    """An order's amount and price after rounding, ready for the venue."""

    amount: Decimal
    price: Decimal | None


class OrderCheckError(QuantumTraderError):
    """An order the market cannot take; `field` names the input to change."""

    code = "invalid_order"
    status = 400


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _check_inputs(*, side: str, type: str) -> None:
    if side not in ("buy", "sell"):
        raise OrderCheckError("Side must be buy or sell.", field="side", code="invalid_side")
    if type not in ("market", "limit"):
        raise OrderCheckError("Type must be market or limit.", field="type", code="invalid_type")


def _check_values(*, type: str, amount: Decimal, price: Decimal | None) -> None:
    if not amount.is_finite() or amount <= 0:
        raise OrderCheckError("Amount must be a positive number.", field="amount")
    if type == "limit":
        if price is None:
            raise OrderCheckError("A limit order needs a price.", field="price", code="required")
        if not price.is_finite() or price <= 0:
            raise OrderCheckError("Price must be a positive number.", field="price")
    elif price is not None:
        raise OrderCheckError(
            "A market order takes no price; leave it out or place a limit order.",
            field="price",
            code="price_not_allowed",
        )


def order_prepare(
    *,
    side: str,
    type: str,
    amount: Decimal,
    price: Decimal | None,
    rules: MarketRules,
    reference_price: Decimal | None = None,
    round_price_to_tick: bool = False,
) -> PreparedOrder:
    """Round an order to the market's precision and check it against the market's minimums.

    The amount is rounded down to the lot step. A limit price must lie on the tick unless
    `round_price_to_tick` (then it is rounded: a buy up, a sell down). The notional of a
    market order is checked at `reference_price` (the latest known price) when given.
    Raise OrderCheckError naming the field otherwise.
    """
    _check_inputs(side=side, type=type)
    step, tick = rules.step, rules.tick
    min_amount, min_notional = rules.min_amount, rules.min_notional
    if step is None or tick is None or min_amount is None or min_notional is None:
        raise OrderCheckError(
            "This market's trading limits are not known yet ("
            + ", ".join(rules.unknown())
            + "); orders are refused until the exchange's listing is refreshed.",
            field="symbol",
            code="market_limits_unknown",
        )
    _check_values(type=type, amount=amount, price=price)
    rounded_amount = round_quantity(amount, step)
    if rounded_amount < min_amount or rounded_amount <= 0:
        raise OrderCheckError(
            f"Amount {_plain(amount)} rounds to {_plain(rounded_amount)} at the lot step "
            f"{_plain(step)}, below the market minimum {_plain(min_amount)}.",
            field="amount",
            code="amount_below_minimum",
        )
    rounded_price: Decimal | None = None
    if price is not None:
        on_tick = round_price(price, tick, side=side)
        if on_tick != price and not round_price_to_tick:
            raise OrderCheckError(
                f"Price {_plain(price)} is not a multiple of the price tick {_plain(tick)}.",
                field="price",
                code="price_off_tick",
            )
        rounded_price = on_tick
    notional_price = rounded_price if rounded_price is not None else reference_price
    if notional_price is not None and rounded_amount * notional_price < min_notional:
        raise OrderCheckError(
            f"Order value {_plain(rounded_amount * notional_price)} is below the market "
            f"minimum notional {_plain(min_notional)}.",
            field="amount",
            code="notional_below_minimum",
        )
    return PreparedOrder(amount=rounded_amount, price=rounded_price)
