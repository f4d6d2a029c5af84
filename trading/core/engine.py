"""The decision core of the live trading engine: one bot, one closed candle, one decision.

Pure: `decide` takes the bot's state, the newest closed candle, the strategy's target (or a
model's probabilities), the risk profile and the market's limits, and returns a `Decision`
(the exposure wanted, every risk check with its outcome, a halt and why, the protective exit
that traded inside the candle, the order to place or why none). It places nothing and stores
nothing: the caller executes the exit and the order and books their fills with
`trading.core.bot_state.apply_fill`. The profile and limits are in `trading.core.profile`.

It follows the backtester's rules through the same functions (`trading.core.rules`,
`trading.core.risk`), so replaying history candle by candle through it (`trading.core.replay`)
gives `run_backtest`'s trades and equity:

* a change of target trades once, at the price of the next open; an unchanged target does not
  trade (after a stop the position stays flat until the target changes again);
* a position is sized when the strategy's signal changes and keeps that size until it changes
  again (`trading.core.sizing.size_at_entry`), then capped at the profile's maximum share;
* stops are watched inside each held candle; the max-drawdown halt acts on the equity at the
  close, like the backtester's kill switch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal

from trading.core.bot_state import BotState
from trading.core.profile import MarketLimits, RiskProfile
from trading.core.risk import cap_exposure_value, check_order, drawdown_breached
from trading.core.rules import (
    CandleExit,
    Side,
    StopLevels,
    Stops,
    candle_exit,
    order_amount,
    rebalance_order,
    sale_proceeds,
    stop_levels,
)
from trading.core.strategies import model_target_value

CHECK_DAILY_LOSS = "daily_loss_limit"
CHECK_MAX_DRAWDOWN = "max_drawdown"
CHECK_MIN_CONFIDENCE = "min_confidence"
CHECK_COOLDOWN = "cooldown"
CHECK_MAX_OPEN_POSITIONS = "max_open_positions"
CHECK_MAX_ORDERS_PER_HOUR = "max_orders_per_hour"
CHECK_ORDER_SIZE = "order_size"
ONE_HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Candle:
    """A closed candle: its open time, prices, and the time it closed (UTC-aware)."""

    time: datetime
    open: float
    high: float
    low: float
    close: float
    closes_at: datetime


@dataclass(frozen=True)
class RuleSignal:
    """A rule strategy's target exposure in [0, 1] at the candle (its Series' value there)."""

    target: float

    def __post_init__(self) -> None:
        if not 0.0 <= self.target <= 1.0:
            raise ValueError(f"target must lie in [0, 1], got {self.target!r}")


@dataclass(frozen=True)
class ModelSignal:
    """A model's class probabilities at the candle and the thresholds that turn them into a target.

    The target follows `trading.core.strategies.model_target`; the confidence is the
    probability of the class acted on (BUY when going long, SELL when going flat).
    """

    buy: float
    hold: float
    sell: float
    buy_threshold: float = 0.5
    sell_threshold: float = 0.5

    def target(self, *, previous: float) -> float:
        """Return the target these probabilities give after `previous`."""
        return model_target_value(
            buy=self.buy,
            hold=self.hold,
            sell=self.sell,
            previous=previous,
            buy_threshold=self.buy_threshold,
            sell_threshold=self.sell_threshold,
        )

    def confidence(self, target: float) -> float:
        """Return the probability behind `target`: P(BUY) for a long, P(SELL) for flat."""
        return self.buy if target > 0.0 else self.sell


@dataclass(frozen=True)
class RiskCheck:
    """One risk rule applied to a decision: its name, whether it passed, and why not."""

    name: str
    passed: bool
    reason: str = ""


@dataclass(frozen=True)
class OrderIntent:
    """The market order a decision asks for.

    `amount` is on the lot step (rounded down, or to the nearest step for the sale that
    `closes` the whole position); `reference_price` is the price the amount was computed at
    and `expected_price` its expected fill (moved by the slippage).
    """

    side: Side
    amount: Decimal
    reference_price: float
    expected_price: float
    closes: bool = False


@dataclass(frozen=True)
class Decision:
    """What the engine decided on one closed candle, and the state to keep for the next."""

    candle_time: datetime
    signal_target: float
    target: float
    equity: float
    checks: tuple[RiskCheck, ...]
    levels: StopLevels | None
    exit: CandleExit | None
    order: OrderIntent | None
    no_order_reason: str
    state: BotState = field(repr=False)

    @property
    def halted(self) -> str:
        """Return why the bot is halted ('' while it trades)."""
        return self.state.halted


def decide(
    *,
    state: BotState,
    candle: Candle,
    signal: RuleSignal | ModelSignal,
    profile: RiskProfile,
    fee_rate: float,
    limits: MarketLimits | None = None,
    maker_fee_rate: float | None = None,
    slippage: float = 0.0,
    stop_slippage: float | None = None,
    sizing_fraction: float | None = None,
    reference_price: float | None = None,
    open_positions: int = 0,
    orders_last_hour: int = 0,
) -> Decision:
    """Decide what one bot does on one closed candle.

    `state` already holds the fills of the orders placed before this candle. `sizing_fraction`
    is the share of equity a position opened now would get (None: all of it; required with
    `risk_per_trade`, see `sizing.latest_atr_risk_fraction`). `reference_price` is the price
    the order will meet (the next open in a replay; default: this candle's close) and
    `slippage` the fraction it is expected to move against the order; `stop_slippage` that of
    a stop triggered inside this candle (default: `slippage`). `open_positions` counts the
    owner's positions open in other bots, `orders_last_hour` this bot's recent orders.
    """
    limits = limits if limits is not None else MarketLimits()
    if profile.risk_per_trade is not None and sizing_fraction is None:
        raise ValueError("a profile with risk_per_trade needs the ATR sizing_fraction")
    checks: list[RiskCheck] = []

    # 1. Protective exits inside this candle, then the equity at its close.
    watched = _watch_stops(
        state=state,
        candle=candle,
        stops=profile.stops,
        slippage=slippage if stop_slippage is None else stop_slippage,
        taker_fee=fee_rate,
        maker_fee=fee_rate if maker_fee_rate is None else maker_fee_rate,
    )
    cash, amount = watched.cash, watched.amount
    equity = cash + amount * candle.close
    peak_equity = max(state.peak_equity, equity)
    day = candle.time.date()
    day_start = state.day_start_equity if state.day == day else state.last_equity

    # 2. Halts: the day's loss and the drawdown from the peak, on the equity at the close.
    halted = state.halted or _halt_reason(
        profile=profile, equity=equity, peak=peak_equity, day_start=day_start, checks=checks
    )

    # 3. The signal, sized when it changes, capped; then the rules that hold back exposure.
    raw = _signal_target(signal=signal, state=state, profile=profile, checks=checks)
    entry_fraction = state.entry_fraction
    if state.last_signal is None or raw != state.last_signal:
        fraction = 1.0 if sizing_fraction is None else sizing_fraction
        if not math.isnan(fraction):
            entry_fraction = fraction
    sized = min(max(raw * entry_fraction, 0.0), 1.0)  # `size_at_entry` on one candle
    target = cap_exposure_value(sized, profile.max_position)
    if halted:
        target = 0.0
    elif target > state.last_target:
        target = _held_back(
            target=target,
            state=state,
            profile=profile,
            flat=amount == 0.0,
            loss_at=watched.loss_at,
            now=candle.closes_at,
            open_positions=open_positions,
            checks=checks,
        )

    # 4. The order that moves the position to the target.
    order: OrderIntent | None = None
    last_target = state.last_target
    hourly_cap = profile.max_orders_per_hour if not halted else None
    if target == state.last_target:
        no_order = "the target is unchanged"
    elif hourly_cap is not None and orders_last_hour >= hourly_cap:
        no_order = f"{orders_last_hour} orders in the last hour, the maximum is {hourly_cap}"
        checks.append(RiskCheck(CHECK_MAX_ORDERS_PER_HOUR, False, no_order))
        target = state.last_target
    else:
        if hourly_cap is not None:
            checks.append(RiskCheck(CHECK_MAX_ORDERS_PER_HOUR, True))
        # A change of target is acted on once, even when its order is too small to send.
        last_target = target
        order, no_order = _order(
            target=target,
            cash=cash,
            amount=amount,
            price=candle.close if reference_price is None else reference_price,
            slippage=slippage,
            fee_rate=fee_rate,
            limits=limits,
            checks=checks,
        )

    new_state = replace(
        state,
        peak_price=watched.peak_price,
        peak_equity=peak_equity,
        day=day,
        day_start_equity=day_start,
        last_equity=equity,
        last_target=last_target,
        last_signal=raw,
        entry_fraction=entry_fraction,
        last_loss_at=watched.loss_at,
        halted=halted,
    )
    return Decision(
        candle_time=candle.time,
        signal_target=raw,
        target=target,
        equity=equity,
        checks=tuple(checks),
        levels=watched.levels,
        exit=watched.exit,
        order=order,
        no_order_reason=no_order,
        state=new_state,
    )


@dataclass(frozen=True)
class _Watched:
    levels: StopLevels | None
    exit: CandleExit | None
    cash: float
    amount: float
    peak_price: float
    loss_at: datetime | None


def _watch_stops(
    *,
    state: BotState,
    candle: Candle,
    stops: Stops,
    slippage: float,
    taker_fee: float,
    maker_fee: float,
) -> _Watched:
    entry = state.average_entry
    if entry is None or not stops.any:
        return _Watched(None, None, state.cash, state.amount, state.peak_price, state.last_loss_at)
    levels = stop_levels(entry_price=entry, peak=state.peak_price, stops=stops)
    hit = candle_exit(
        levels=levels,
        open_price=candle.open,
        high=candle.high,
        low=candle.low,
        slippage=slippage,
        taker_fee=taker_fee,
        maker_fee=maker_fee,
    )
    if hit is None:
        peak = max(state.peak_price, candle.high)
        return _Watched(levels, None, state.cash, state.amount, peak, state.last_loss_at)
    received = sale_proceeds(amount=state.amount, price=hit.price, fee_rate=hit.fee_rate)
    lost = state.proceeds + received < state.cost
    loss_at = candle.closes_at if lost else state.last_loss_at
    return _Watched(levels, hit, state.cash + received, 0.0, state.peak_price, loss_at)


def _halt_reason(
    *,
    profile: RiskProfile,
    equity: float,
    peak: float,
    day_start: float,
    checks: list[RiskCheck],
) -> str:
    if profile.daily_loss_limit is not None:
        if equity <= day_start * (1.0 - profile.daily_loss_limit):
            reason = (
                f"daily loss limit: equity {equity:.2f} is {1 - equity / day_start:.2%} below "
                f"the day's start {day_start:.2f} (limit {profile.daily_loss_limit:.2%})"
            )
            checks.append(RiskCheck(CHECK_DAILY_LOSS, False, reason))
            return reason
        checks.append(RiskCheck(CHECK_DAILY_LOSS, True))
    if profile.max_drawdown is not None:
        if drawdown_breached(equity, peak, profile.max_drawdown):
            reason = (
                f"max drawdown: equity {equity:.2f} is {1 - equity / peak:.2%} below "
                f"its peak {peak:.2f} (limit {profile.max_drawdown:.2%})"
            )
            checks.append(RiskCheck(CHECK_MAX_DRAWDOWN, False, reason))
            return reason
        checks.append(RiskCheck(CHECK_MAX_DRAWDOWN, True))
    return ""


def _signal_target(
    *,
    signal: RuleSignal | ModelSignal,
    state: BotState,
    profile: RiskProfile,
    checks: list[RiskCheck],
) -> float:
    if isinstance(signal, RuleSignal):
        return signal.target
    previous = 0.0 if state.last_signal is None else state.last_signal
    raw = signal.target(previous=previous)
    if profile.min_confidence is None or raw == previous:
        return raw
    confidence = signal.confidence(raw)
    if confidence < profile.min_confidence:
        reason = (
            f"signal confidence {confidence:.3f} is below the minimum "
            f"{profile.min_confidence:.3f}; the signal is ignored"
        )
        checks.append(RiskCheck(CHECK_MIN_CONFIDENCE, False, reason))
        return previous
    checks.append(RiskCheck(CHECK_MIN_CONFIDENCE, True))
    return raw


def _held_back(
    *,
    target: float,
    state: BotState,
    profile: RiskProfile,
    flat: bool,
    loss_at: datetime | None,
    now: datetime,
    open_positions: int,
    checks: list[RiskCheck],
) -> float:
    """Return the target after the rules that refuse more exposure (the old one if refused)."""
    if profile.cooldown is not None and loss_at is not None:
        if now - loss_at < profile.cooldown:
            reason = f"cooling down after a loss at {loss_at.isoformat()} for {profile.cooldown}"
            checks.append(RiskCheck(CHECK_COOLDOWN, False, reason))
            return state.last_target
        checks.append(RiskCheck(CHECK_COOLDOWN, True))
    if flat and profile.max_open_positions is not None:
        if open_positions >= profile.max_open_positions:
            reason = (
                f"{open_positions} positions are open, the maximum is {profile.max_open_positions}"
            )
            checks.append(RiskCheck(CHECK_MAX_OPEN_POSITIONS, False, reason))
            return state.last_target
        checks.append(RiskCheck(CHECK_MAX_OPEN_POSITIONS, True))
    return target


def _order(
    *,
    target: float,
    cash: float,
    amount: float,
    price: float,
    slippage: float,
    fee_rate: float,
    limits: MarketLimits,
    checks: list[RiskCheck],
) -> tuple[OrderIntent | None, str]:
    step = float(limits.lot_step) if limits.lot_step is not None else None
    minimum = float(limits.min_notional) if limits.min_notional is not None else None
    rebalance = rebalance_order(
        target=target,
        cash=cash,
        amount=amount,
        price=price,
        slippage=slippage,
        fee_rate=fee_rate,
        quantity_step=step,
        min_notional=minimum,
    )
    if rebalance is None:
        reason = "the order rounds to nothing or is below the minimum notional"
        checks.append(RiskCheck(CHECK_ORDER_SIZE, False, reason))
        return None, reason
    quantity = order_amount(rebalance.amount, lot_step=limits.lot_step, whole=rebalance.closes)
    verdict = check_order(
        quantity=quantity,
        price=Decimal(repr(rebalance.price)),
        min_amount=limits.min_amount,
        # A sale that closes the position is exempt, as in the backtester.
        min_notional=None if rebalance.closes else limits.min_notional,
    )
    if not verdict.accepted:
        checks.append(RiskCheck(CHECK_ORDER_SIZE, False, verdict.reason))
        return None, verdict.reason
    checks.append(RiskCheck(CHECK_ORDER_SIZE, True))
    intent = OrderIntent(
        side=rebalance.side,
        amount=verdict.quantity,
        reference_price=price,
        expected_price=rebalance.price,
        closes=rebalance.closes,
    )
    return intent, ""


def orders_in_last_hour(order_times: list[datetime], now: datetime) -> int:
    """Count the orders placed in the hour up to `now`."""
    return sum(1 for placed in order_times if now - ONE_HOUR < placed <= now)
