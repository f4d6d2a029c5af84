"""What a bot remembers between candles, and how a fill changes it."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, datetime

from trading.core.rules import (
    BUY,
    SELL,
    Side,
    buy_cost,
    fee_paid,
    sale_proceeds,
)


@dataclass(frozen=True)
class BotState:
    """What the engine remembers between candles.

    The position: `cash`, `amount` held, and, since it opened, the units `bought` with their
    `bought_notional` (the average entry is their ratio), the `cost` paid (fees included), the
    `proceeds` of partial sales and the part of the cost those sales took (`cost_released`,
    in proportion to the amount sold); `peak_price` is the highest high held (trailing stop).
    `realised_pnl` adds up what every sale realised: its proceeds less the cost it took.
    Decision memory: the equity's peak, the day and its starting equity, the last equity, the
    target and signal of the last decision, the sizing fraction taken when the signal last
    changed, the time of the last losing trade, and `halted` (the reason, empty while trading).
    """

    cash: float
    amount: float = 0.0
    bought: float = 0.0
    bought_notional: float = 0.0
    cost: float = 0.0
    proceeds: float = 0.0
    peak_price: float = 0.0
    peak_equity: float = 0.0
    day: date | None = None
    day_start_equity: float = 0.0
    last_equity: float = 0.0
    last_target: float = 0.0
    last_signal: float | None = None
    entry_fraction: float = 0.0
    last_loss_at: datetime | None = None
    realised_pnl: float = 0.0
    halted: str = ""
    cost_released: float = 0.0

    @classmethod
    def start(cls, cash: float) -> BotState:
        """Return the state of a new bot holding only `cash`."""
        if not math.isfinite(cash) or cash <= 0.0:
            raise ValueError(f"cash must be a positive number, got {cash!r}")
        return cls(cash=cash, peak_equity=cash, day_start_equity=cash, last_equity=cash)

    @property
    def average_entry(self) -> float | None:
        """Return the average fill price of the open position, None when flat."""
        return self.bought_notional / self.bought if self.amount > 0.0 else None

    def equity(self, price: float) -> float:
        """Return cash plus the position valued at `price`."""
        return self.cash + self.amount * price

    @property
    def cost_basis(self) -> float:
        """Return what the amount still held cost, buy fees included (0 when flat)."""
        return self.cost - self.cost_released if self.amount > 0.0 else 0.0

    def unrealised_pnl(self, price: float) -> float:
        """Return the held amount valued at `price` less its cost basis.

        With `realised_pnl`, it adds up to the equity at `price` less the starting cash.
        """
        return self.amount * price - self.cost_basis if self.amount > 0.0 else 0.0


@dataclass(frozen=True)
class FillResult:
    """The state after a fill, what a sale realised, and the trade's P&L when it closed.

    `realised_pnl` is the sale's proceeds less the share of the position's cost it sold
    (None for a buy); `closed_pnl` the whole trade's when the fill closed it (else None).
    """

    state: BotState
    closed_pnl: float | None
    fee: float
    realised_pnl: float | None = None


def apply_fill(
    state: BotState,
    *,
    side: Side,
    amount: float,
    price: float,
    fee_rate: float,
    time: datetime,
) -> FillResult:
    """Book a fill of `amount` at `price` (fee charged on the notional) into the bot's state.

    A sale of at least the held amount closes the position; a losing close records `time` as
    the last loss (the cooldown starts there).
    """
    if not amount > 0.0 or not price > 0.0:
        raise ValueError(f"a fill needs a positive amount and price, got {amount!r} @ {price!r}")
    fee = fee_paid(amount=amount, price=price, fee_rate=fee_rate)
    if side == BUY:
        opening = state.amount == 0.0
        spent = buy_cost(amount=amount, price=price, fee_rate=fee_rate)
        bought = (0.0 if opening else state.bought) + amount
        notional = (0.0 if opening else state.bought_notional) + amount * price
        updated = replace(
            state,
            cash=state.cash - spent,
            amount=state.amount + amount,
            bought=bought,
            bought_notional=notional,
            cost=(0.0 if opening else state.cost) + spent,
            proceeds=0.0 if opening else state.proceeds,
            cost_released=0.0 if opening else state.cost_released,
            peak_price=notional / bought if opening else state.peak_price,
        )
        return FillResult(updated, None, fee)
    if side != SELL:
        raise ValueError(f"side must be 'buy' or 'sell', got {side!r}")
    if state.amount <= 0.0:
        raise ValueError("a sale needs an open position")
    received = sale_proceeds(amount=amount, price=price, fee_rate=fee_rate)
    remaining = 0.0 if amount >= state.amount else state.amount - amount
    proceeds = state.proceeds + received
    unreleased = state.cost - state.cost_released
    if remaining > 0.0:
        released = unreleased * (amount / state.amount)
        realised = received - released
        updated = replace(
            state,
            cash=state.cash + received,
            amount=remaining,
            proceeds=proceeds,
            cost_released=state.cost_released + released,
            realised_pnl=state.realised_pnl + realised,
        )
        return FillResult(updated, None, fee, realised)
    pnl = proceeds - state.cost
    realised = received - unreleased
    updated = replace(
        state,
        cash=state.cash + received,
        amount=0.0,
        bought=0.0,
        bought_notional=0.0,
        cost=0.0,
        proceeds=0.0,
        cost_released=0.0,
        peak_price=0.0,
        realised_pnl=state.realised_pnl + realised,
        last_loss_at=time if pnl < 0.0 else state.last_loss_at,
    )
    return FillResult(updated, pnl, fee, realised)
