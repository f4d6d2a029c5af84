"""The trading rules shared by the backtester and the live engine.

One definition of each rule: fill prices with slippage and fees, stop-loss / take-profit /
trailing-stop levels and how a candle hits them, and the quantity of a rebalance with the lot
step and minimum notional. The vectorised simulator calls the arithmetic rules with whole numpy
arrays (they only use operators that broadcast); the candle-by-candle simulator and the live
engine call them with floats. Order amounts for an exchange are `Decimal` (see `order_amount`).

Conventions (all fractions, never percent): slippage moves a market order's price against the
trader (`price * (1 + slippage)` for a buy, `price * (1 - slippage)` for a sale); the fee is
charged on the traded notional; the take-profit is a resting limit order (maker fee, no
slippage); the stop-loss and the trailing stop are market orders triggered at their level.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Literal, TypeVar

import numpy as np
import numpy.typing as npt

from trading.core.sizing import floor_to_step, round_quantity

FloatArray = npt.NDArray[np.float64]
# A price or amount: one float (the live engine, the sequential simulator) or an array of them
# (the vectorised simulator). The arithmetic rules below accept both.
Number = TypeVar("Number", float, FloatArray)
Side = Literal["buy", "sell"]

BUY: Side = "buy"
SELL: Side = "sell"
EXIT_SIGNAL = "signal"
EXIT_STOP_LOSS = "stop_loss"
EXIT_TRAILING_STOP = "trailing_stop"
EXIT_TAKE_PROFIT = "take_profit"
EXIT_END = "end"
EXIT_REASONS = (EXIT_SIGNAL, EXIT_STOP_LOSS, EXIT_TRAILING_STOP, EXIT_TAKE_PROFIT, EXIT_END)


def _check_fraction(name: str, value: float) -> None:
    if not math.isfinite(value) or value < 0.0 or value >= 1.0:
        raise ValueError(f"{name} must be a finite fraction in [0, 1), got {value!r}")


@dataclass(frozen=True)
class Costs:
    """Trading costs: taker fee (market orders), maker fee (take-profit) and slippage.

    `slippage` holds one fraction per candle: the slippage of a market order at that candle.
    """

    taker_fee: float
    maker_fee: float
    slippage: FloatArray

    def __post_init__(self) -> None:
        _check_fraction("taker_fee", self.taker_fee)
        _check_fraction("maker_fee", self.maker_fee)


@dataclass(frozen=True)
class Stops:
    """Protective exits as fractions of the entry price (trailing: of the highest price since).

    None switches an exit off.
    """

    stop_loss: float | None = None
    take_profit: float | None = None
    trailing_stop: float | None = None

    def __post_init__(self) -> None:
        for name in ("stop_loss", "take_profit", "trailing_stop"):
            value = getattr(self, name)
            if value is not None and (not math.isfinite(value) or not 0.0 < value < 1.0):
                raise ValueError(f"{name} must be a fraction in (0, 1), got {value!r}")

    @property
    def any(self) -> bool:
        """Tell whether at least one exit is set."""
        levels = (self.stop_loss, self.take_profit, self.trailing_stop)
        return any(level is not None for level in levels)


# ---------------------------------------------------------------------------------------------
# fills


def buy_fill_price(*, price: Number, slippage: Number) -> Number:
    """Return the fill price of a market buy at `price`: moved up by the slippage fraction."""
    return price * (1.0 + slippage)


def sell_fill_price(*, price: Number, slippage: Number) -> Number:
    """Return the fill price of a market sale at `price`: moved down by the slippage fraction."""
    return price * (1.0 - slippage)


def market_fill_price(*, side: Side, price: float, slippage: float) -> float:
    """Return the fill price of a market order on `side`, moved against the trader."""
    if side == BUY:
        return buy_fill_price(price=price, slippage=slippage)
    if side == SELL:
        return sell_fill_price(price=price, slippage=slippage)
    raise ValueError(f"side must be 'buy' or 'sell', got {side!r}")


def buy_cost(*, amount: Number, price: Number, fee_rate: float) -> Number:
    """Return the cash a buy of `amount` at fill `price` spends, fee included."""
    return amount * price * (1.0 + fee_rate)


def sale_proceeds(*, amount: Number, price: Number, fee_rate: float | Number) -> Number:
    """Return the cash a sale of `amount` at fill `price` receives, fee deducted."""
    return amount * price * (1.0 - fee_rate)


def fee_paid(*, amount: Number, price: Number, fee_rate: float | Number) -> Number:
    """Return the fee of a fill: the fee rate times the traded notional."""
    return amount * price * fee_rate


def affordable_amount(*, spend: Number, price: Number, fee_rate: float) -> Number:
    """Return the amount that `spend` buys at fill `price` once the fee is paid on top."""
    return spend / (price * (1.0 + fee_rate))


# ---------------------------------------------------------------------------------------------
# stops


def stop_loss_level(*, entry_price: Number, stop_loss: float) -> Number:
    """Return the stop-loss price: `stop_loss` (a fraction) below the entry price."""
    return entry_price * (1.0 - stop_loss)


def trailing_stop_level(*, highest: Number, trailing_stop: float) -> Number:
    """Return the trailing-stop price: `trailing_stop` below the highest price seen.

    `highest` is the larger of the entry price and the highs of the candles held before the
    candle being checked (inside a candle the order of its high and low is unknown).
    """
    return highest * (1.0 - trailing_stop)


def take_profit_level(*, entry_price: Number, take_profit: float) -> Number:
    """Return the take-profit price: `take_profit` (a fraction) above the entry price."""
    return entry_price * (1.0 + take_profit)


@dataclass(frozen=True)
class StopLevels:
    """The exit prices active during one candle.

    `stop` is the higher of the stop-loss and the trailing stop (-inf when neither is set) and
    `trailing` tells whether the trailing stop is the binding one; `take_profit` is +inf when
    unset.
    """

    stop: float
    take_profit: float
    trailing: bool

    @property
    def stop_reason(self) -> str:
        """Name the exit a hit of `stop` is: a trailing stop or a stop-loss."""
        return EXIT_TRAILING_STOP if self.trailing else EXIT_STOP_LOSS


def stop_levels(*, entry_price: float, peak: float, stops: Stops) -> StopLevels:
    """Compute the exit prices of a long position for the next candle.

    `entry_price` is the position's average fill price and `peak` the highest high of the
    candles already held (any value <= the entry price before the first one).
    """
    stop = -math.inf
    trailing = False
    if stops.stop_loss is not None:
        stop = stop_loss_level(entry_price=entry_price, stop_loss=stops.stop_loss)
    if stops.trailing_stop is not None:
        trail = trailing_stop_level(
            highest=max(peak, entry_price), trailing_stop=stops.trailing_stop
        )
        if trail > stop:
            stop, trailing = trail, True
    take = math.inf
    if stops.take_profit is not None:
        take = take_profit_level(entry_price=entry_price, take_profit=stops.take_profit)
    return StopLevels(stop=stop, take_profit=take, trailing=trailing)


def stop_fill_price(*, open_price: float, level: float, slippage: float) -> float:
    """Return the fill of a triggered stop: its level, or the open when the candle gaps below.

    A stop becomes a market sale, so the slippage applies.
    """
    return sell_fill_price(price=min(open_price, level), slippage=slippage)


def take_profit_fill_price(*, open_price: float, level: float) -> float:
    """Return the fill of a take-profit limit sale: its level, or the open when gapped above."""
    return max(open_price, level)


@dataclass(frozen=True)
class CandleExit:
    """A protective exit that traded inside a candle: why, at what price and fee rate."""

    reason: str
    price: float
    fee_rate: float


def candle_exit(
    *,
    levels: StopLevels,
    open_price: float,
    high: float,
    low: float,
    slippage: float,
    taker_fee: float,
    maker_fee: float,
) -> CandleExit | None:
    """Tell whether a candle hits the position's stop or take-profit, and how it fills.

    When both lie inside the candle the stop is assumed to have traded first (the cautious
    reading of a candle whose path is unknown). Return None when neither is hit.
    """
    if low <= levels.stop:
        price = stop_fill_price(open_price=open_price, level=levels.stop, slippage=slippage)
        return CandleExit(reason=levels.stop_reason, price=price, fee_rate=taker_fee)
    if high >= levels.take_profit:
        price = take_profit_fill_price(open_price=open_price, level=levels.take_profit)
        return CandleExit(reason=EXIT_TAKE_PROFIT, price=price, fee_rate=maker_fee)
    return None


# ---------------------------------------------------------------------------------------------
# rebalancing


@dataclass(frozen=True)
class Rebalance:
    """A market order that moves a position towards a target exposure.

    `price` is the expected fill price (the reference price moved by the slippage) and
    `closes` tells whether it sells the whole position.
    """

    side: Side
    amount: float
    price: float
    closes: bool = False


def rebalance_order(
    *,
    target: float,
    cash: float,
    amount: float,
    price: float,
    slippage: float,
    fee_rate: float,
    quantity_step: float | None = None,
    min_notional: float | None = None,
) -> Rebalance | None:
    """Return the market order that brings a long position to `target` exposure, or None.

    Equity is `cash + amount * price` at the reference `price`. A target of zero sells the whole
    position. A buy spends `min(cash, target * equity - position value)`, so a buy to full
    exposure spends all cash, on `spend / (fill * (1 + fee))` units; a partial sale sells the
    units above the target at the reference price. The amount is rounded down to
    `quantity_step`; an order whose notional at its fill price is below `min_notional` is not
    sent (except the sale that closes the position).
    """
    value = amount * price
    desired = target * (cash + value)
    if target == 0.0 and amount > 0.0:
        fill = sell_fill_price(price=price, slippage=slippage)
        return Rebalance(side=SELL, amount=amount, price=fill, closes=True)
    if desired > value:
        fill = buy_fill_price(price=price, slippage=slippage)
        quantity = affordable_amount(
            spend=min(cash, desired - value), price=fill, fee_rate=fee_rate
        )
        if quantity_step is not None:
            quantity = floor_to_step(quantity, quantity_step)
        if min_notional is not None and quantity * fill < min_notional:
            quantity = 0.0
        return Rebalance(side=BUY, amount=quantity, price=fill) if quantity > 0.0 else None
    if desired < value:
        quantity = amount - desired / price
        if quantity_step is not None:
            quantity = floor_to_step(quantity, quantity_step)
        fill = sell_fill_price(price=price, slippage=slippage)
        small = min_notional is not None and quantity * fill < min_notional
        if quantity > 0.0 and not small:
            return Rebalance(side=SELL, amount=quantity, price=fill, closes=quantity >= amount)
    return None


def order_amount(amount: float, *, lot_step: Decimal | None = None, whole: bool = False) -> Decimal:
    """Return a rule's float amount as the `Decimal` an order carries, on the lot step.

    A part of a position rounds down to the step; the `whole` position (a closing sale) rounds
    to the nearest step, since float sums of step multiples drift by a few ulps off it. The
    float's shortest repr is exact, so `float(order_amount(x)) == x` whenever `x` already lies
    on the step (as `rebalance_order` makes it).
    """
    if not math.isfinite(amount):
        raise ValueError(f"amount must be finite, got {amount!r}")
    value = max(Decimal(repr(float(amount))), Decimal(0))
    if lot_step is None:
        return value
    if whole:
        return (value / lot_step).to_integral_value(rounding=ROUND_HALF_EVEN) * lot_step
    return round_quantity(value, lot_step)
