"""The live engine: one tick of one bot on one closed candle, and the fan-out over every bot.

A tick is one transaction: its BotTick row first (unique per bot and candle, so a tick
delivered twice, even to two workers at once, makes one decision: the second waits on the
unique index and gives up when the first commits), then the decision of the pure core
(`trading.core.engine.decide`), the order intent through the order path (`order_place`, sent
after commit) and the bot's new state. Fills of the bot's orders are booked into its state
and Position before each decision (and when they are recorded).

The fan-out (`bots_tick_due`) ticks every running bot whose newest closed candle has no tick
yet, in one pass that loads each market's candles once and asks each model for one
prediction per market and candle, shared by every bot that uses it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pandas as pd
import structlog
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.events import user_group
from markets import stream
from markets.core.adapter import timeframe_ms
from markets.core.errors import QuantumTraderError
from markets.models import Candle as CandleRow
from markets.selectors import candles_frame
from signals.models import ModelVersion, Signal
from signals.selectors import champion_get
from trading.bots.kill import kill_switch_reason
from trading.bots.payloads import BOT_RELATED, position_payload, tick_payload
from trading.bots.services import (
    OPEN_STATUSES,
    bot_halt,
    live_refusal,
    position_publish,
)
from trading.bots.state import core_profile, market_limits, profile_values, state_dump, state_load
from trading.core.bot_state import BotState, apply_fill
from trading.core.engine import Candle, Decision, ModelSignal, RuleSignal, decide
from trading.core.profile import RiskProfile
from trading.core.rules import SELL
from trading.core.sizing import latest_atr_risk_fraction
from trading.core.strategies import latest_target
from trading.models import Bot, BotTick, Fill, Order, Position

log = structlog.get_logger(__name__)

# Candles loaded before the one decided on: the longest warm-up of a rule or of ATR sizing.
HISTORY = 600
# Tick events a pass sends together.
EVENT_BATCH = 200
TickOutcome = str


def _step(timeframe: str) -> timedelta:
    return timedelta(milliseconds=timeframe_ms(timeframe))


@dataclass
class TickContext:
    """What one pass shares between bots: candles per market, predictions per model."""

    now: datetime
    candles: dict[tuple[int, str, datetime], pd.DataFrame] = field(default_factory=dict)
    signals: dict[tuple[int, int, str, datetime], Signal | str] = field(default_factory=dict)
    predictions: int = 0
    kill_reasons: dict[int, str] = field(default_factory=dict)
    # Filled in by a pass over many bots: the bots with unfinished orders (bot -> an order id)
    # and those with fills not booked yet. None: ask the database per bot.
    open_orders: dict[int, int] | None = None
    unbooked: set[int] | None = None
    # A pass collects its tick events and sends them together once it is done.
    events: list[tuple[str, dict[str, Any]]] | None = None

    def kill_reason(self, owner_id: int) -> str:
        """The owner's kill switch reason, read once per pass."""
        if owner_id not in self.kill_reasons:
            self.kill_reasons[owner_id] = kill_switch_reason(owner_id=owner_id)
        return self.kill_reasons[owner_id]

    def open_order(self, bot: Bot) -> int | None:
        if self.open_orders is not None:
            return self.open_orders.get(bot.pk)
        rows = Order.objects.filter(bot=bot, status__in=OPEN_STATUSES).values_list("pk", flat=True)
        return rows.first()

    def preload(self, bot_ids: list[int]) -> None:
        """Read which of these bots have unfinished orders and unbooked fills, at once."""
        self.open_orders = dict(
            Order.objects.filter(bot_id__in=bot_ids, status__in=OPEN_STATUSES)
            .order_by("bot_id", "id")
            .values_list("bot_id", "pk")
        )
        self.unbooked = set(
            Fill.objects.filter(
                order__bot_id__in=bot_ids, pk__gt=F("order__bot__booked_fill_id")
            ).values_list("order__bot_id", flat=True)
        )

    def frame(self, bot: Bot, candle_time: datetime) -> pd.DataFrame:
        key = (bot.market_id, bot.timeframe, candle_time)
        if key not in self.candles:
            step = _step(bot.timeframe)
            self.candles[key] = candles_frame(
                market_id=bot.market_id,
                timeframe=bot.timeframe,
                start=candle_time - HISTORY * step,
                end=candle_time + step,
            )
        return self.candles[key]

    def model_signal(self, bot: Bot, version: ModelVersion, candle_time: datetime) -> Signal | str:
        """The model's signal on the candle (written once, shared), or why there is none."""
        from signals.core.features import CandleDataError
        from signals.core.model import ArtifactError, TrainingError
        from signals.services import SignalError, signal_predict

        key = (version.pk, bot.market_id, bot.timeframe, candle_time)
        if key not in self.signals:
            try:
                signal, _ = signal_predict(
                    market=bot.market,
                    timeframe=bot.timeframe,
                    model_version=version,
                    now=candle_time + _step(bot.timeframe),
                )
                self.predictions += 1
                self.signals[key] = signal
            except (SignalError, CandleDataError, ArtifactError, TrainingError) as e:
                self.signals[key] = f"no signal from model #{version.pk}: {e}"
        return self.signals[key]


# --- fills into the bot's state and position ------------------------------------------------


def _fill_fee_rate(fill: Fill, bot: Bot) -> float:
    notional = float(fill.amount) * float(fill.price)
    if notional > 0 and fill.fee_currency in ("", bot.market.quote):
        return min(max(float(fill.fee) / notional, 0.0), 0.5)
    return bot.fee_rate


def book_fills(*, bot: Bot, state: BotState) -> tuple[BotState, bool]:
    """Book the bot's fills newer than `bot.booked_fill_id` into `state` (oldest first).

    Returns the new state and whether any fill was booked; the caller stores both.
    """
    fills = list(
        Fill.objects.filter(order__bot_id=bot.pk, pk__gt=bot.booked_fill_id)
        .select_related("order")
        .order_by("pk")
    )
    for fill in fills:
        amount, price = float(fill.amount), float(fill.price)
        side = fill.order.side
        if side == SELL:
            if state.amount <= 0.0:
                log.warning("bot.fill_without_position", bot_id=bot.pk, fill_id=fill.pk)
                bot.booked_fill_id = fill.pk
                continue
            # The Decimal sale of the whole position may sit a few ulps off the float amount.
            if amount >= state.amount * (1.0 - 1e-9):
                amount = state.amount
        state = apply_fill(
            state,
            side="sell" if side == SELL else "buy",
            amount=amount,
            price=price,
            fee_rate=_fill_fee_rate(fill, bot),
            time=fill.executed_at,
        ).state
        bot.booked_fill_id = fill.pk
    return state, bool(fills)


def _decimal(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal("1e-18"))


def position_store(*, bot: Bot, state: BotState, price: float | None) -> Position:
    """Write the bot's Position from its state, valued at `price` (the last close)."""
    try:
        position = bot.position
    except Position.DoesNotExist:
        position = Position.objects.create(bot=bot, cash=bot.capital)
    entry = state.average_entry
    position.amount = _decimal(state.amount)
    position.average_entry = None if entry is None else _decimal(entry)
    position.cash = _decimal(state.cash)
    position.realised_pnl = _decimal(state.realised_pnl)
    if price is not None:
        position.last_price = _decimal(price)
    last = float(position.last_price) if position.last_price is not None else None
    unrealised = state.amount * (last - entry) if entry is not None and last is not None else 0.0
    position.unrealised_pnl = _decimal(unrealised)
    position.updated_at = timezone.now()
    position.save()
    return position


def bot_fills_book(*, bot_id: int) -> bool:
    """Book new fills of one bot into its state and position now; True if any was booked."""
    with transaction.atomic():
        bot = (
            Bot.objects.select_for_update(of=("self",))
            .select_related("market__exchange")
            .get(pk=bot_id)
        )
        state = state_load(bot.engine_state, cash=float(bot.capital))
        state, booked = book_fills(bot=bot, state=state)
        if not booked:
            return False
        bot.engine_state = state_dump(state)
        bot.save(update_fields=["engine_state", "booked_fill_id"])
        position = position_store(bot=bot, state=state, price=None)
        position_publish(bot=bot, position=position)
    return True


# --- one tick -------------------------------------------------------------------------------


def _publish_tick(bot: Bot, tick: BotTick, extra: dict[str, Any], context: TickContext) -> None:
    """One event per tick; `extra` carries the position when it changed."""
    group = user_group(bot.owner_id)
    data = {"event": "tick", "bot_id": bot.pk, "tick": tick_payload(tick), **extra}
    if context.events is None:
        stream.publish(group=group, type="bot", id=bot.pk, data=data)
        return
    message = stream.build_message(type="bot", topic=group, id=bot.pk, data=data)
    events = context.events
    transaction.on_commit(lambda: events.append((group, message)))


def _finish(tick: BotTick, outcome: str, reason: str = "", **values: Any) -> str:
    tick.outcome, tick.reason, tick.decided_at = outcome, reason, timezone.now()
    for name, value in values.items():
        setattr(tick, name, value)
    tick.save()
    return outcome


def _signal(
    bot: Bot, frame: pd.DataFrame, state: BotState, candle_time: datetime, context: TickContext
) -> tuple[RuleSignal | ModelSignal | None, Signal | None, str]:
    if bot.strategy == Bot.Strategy.RULE:
        previous = 0.0 if state.last_signal is None else state.last_signal
        target = latest_target(bot.rule_name, frame, bot.rule_params, previous=previous)
        return RuleSignal(target=target), None, ""
    version = bot.model_version
    if bot.strategy == Bot.Strategy.CHAMPION:
        version = champion_get(
            exchange=bot.market.exchange.ccxt_id, symbol=bot.market.symbol, timeframe=bot.timeframe
        )
    if version is None:
        return None, None, f"{bot.market.symbol} {bot.timeframe} has no champion model"
    signal = context.model_signal(bot, version, candle_time)
    if isinstance(signal, str):
        return None, None, signal
    model = ModelSignal(
        buy=signal.prob_buy,
        hold=signal.prob_hold,
        sell=signal.prob_sell,
        buy_threshold=bot.buy_threshold,
        sell_threshold=bot.sell_threshold,
    )
    return model, signal, ""


def _place(bot: Bot, *, side: str, amount: Decimal) -> Order:
    from trading.orders.services import order_place

    placed = order_place(
        owner=bot.owner,
        symbol=bot.market.symbol,
        side=side,
        type="market",
        amount=amount,
        paper_account_id=bot.paper_account_id,
        exchange_account_id=bot.exchange_account_id,
        bot_id=bot.pk,
    )
    return placed.order


@dataclass(frozen=True)
class _Inputs:
    profile: RiskProfile
    sizing: float | None
    open_positions: int
    orders_last_hour: int


def _inputs(bot: Bot, frame: pd.DataFrame, context: TickContext) -> _Inputs:
    profile = core_profile(profile_values(bot.risk_profile))
    sizing = None
    if profile.risk_per_trade is not None:
        sizing = latest_atr_risk_fraction(
            frame,
            risk_per_trade=profile.risk_per_trade,
            atr_multiple=profile.atr_multiple,
            window=profile.atr_window,
        )
    open_positions = 0
    if profile.max_open_positions is not None:
        open_positions = (
            Position.objects.filter(bot__owner_id=bot.owner_id, amount__gt=0)
            .exclude(bot=bot)
            .count()
        )
    orders_last_hour = 0
    if profile.max_orders_per_hour is not None:
        since = context.now - timedelta(hours=1)
        orders_last_hour = Order.objects.filter(bot=bot, created_at__gt=since).count()
    return _Inputs(profile, sizing, open_positions, orders_last_hour)


def _blocked(bot: Bot, context: TickContext) -> tuple[str, str]:
    """Return the outcome and reason that stop a decision before it is made, if any."""
    killed = context.kill_reason(bot.owner_id)
    if killed:
        return BotTick.Outcome.KILLED, killed
    refusal = live_refusal(bot)
    if refusal:
        return BotTick.Outcome.REFUSED, refusal
    waiting = context.open_order(bot)
    if waiting is not None:
        return BotTick.Outcome.WAITING, f"order #{waiting} is not finished yet"
    return "", ""


def _execute(
    bot: Bot, state: BotState, decision: Decision, values: dict[str, Any]
) -> tuple[str, str, BotState]:
    """Place the decision's protective exit and order; return the outcome, reason and state."""
    halted = decision.halted if not state.halted else ""
    if halted:
        bot_halt(bot=bot, reason=halted)
    outcome, reason = (BotTick.Outcome.HALTED, halted) if halted else (BotTick.Outcome.NO_ORDER, "")
    reason = reason or decision.no_order_reason
    new_state = decision.state
    closing: Order | None = None
    try:
        if decision.exit is not None and state.amount > 0.0:
            closing = _place(bot, side=SELL, amount=Position.objects.get(bot=bot).amount)
            values["exit_order"] = closing
            outcome = BotTick.Outcome.ORDERED
            reason = f"{decision.exit.reason} hit at {decision.exit.price:.8g}"
        if decision.order is not None:
            order = _place(bot, side=decision.order.side, amount=decision.order.amount)
            values["order"] = order
            if halted and decision.order.side == SELL:
                closing = order
            if not halted:
                outcome, reason = BotTick.Outcome.ORDERED, ""
    except QuantumTraderError as e:
        # Nothing was placed for this target: forget it, so the next candle tries again.
        new_state = replace(new_state, last_target=state.last_target)
        outcome, reason = BotTick.Outcome.REFUSED, f"{e.message} ({e.code})"
    if closing is not None and halted:
        bot.closing_order = closing
    return outcome, reason, new_state


def _decide(
    bot: Bot, tick: BotTick, candle_time: datetime, context: TickContext, extra: dict[str, Any]
) -> tuple[str, Decision | None]:
    """Run one decision inside the tick's transaction; return the outcome and the decision.

    The position goes into `extra` (for the tick's event) when it changed.
    """
    values: dict[str, Any] = {}
    state = state_load(bot.engine_state, cash=float(bot.capital))
    booked = False
    if context.unbooked is None or bot.pk in context.unbooked:
        state, booked = book_fills(bot=bot, state=state)
    frame = context.frame(bot, candle_time)
    if frame.empty or frame.index[-1] != pd.Timestamp(candle_time):
        reason = f"the candle {candle_time:%Y-%m-%d %H:%M}Z is not stored"
        return _finish(tick, BotTick.Outcome.ERROR, reason), None
    row = frame.iloc[-1]
    close = float(row["close"])

    def store(new_state: BotState) -> None:
        bot.engine_state = state_dump(new_state)
        position = position_store(bot=bot, state=new_state, price=close)
        if booked or values.get("order") is not None or values.get("exit_order") is not None:
            extra["position"] = position_payload(position)

    outcome, reason = _blocked(bot, context)
    signal: RuleSignal | ModelSignal | None = None
    signal_row: Signal | None = None
    if not outcome:
        signal, signal_row, reason = _signal(bot, frame, state, candle_time, context)
        outcome = "" if signal is not None else BotTick.Outcome.NO_ORDER
    if outcome or signal is None:
        store(state)
        return _finish(tick, outcome, reason), None

    given = _inputs(bot, frame, context)
    decision = decide(
        state=state,
        candle=Candle(
            time=candle_time,
            open=float(row["open"]),
            high=float(row["high"]),
            low=float(row["low"]),
            close=close,
            closes_at=candle_time + _step(bot.timeframe),
        ),
        signal=signal,
        profile=given.profile,
        fee_rate=bot.fee_rate,
        limits=market_limits(bot),
        slippage=bot.slippage_bps / 10_000.0,
        sizing_fraction=given.sizing,
        open_positions=given.open_positions,
        orders_last_hour=given.orders_last_hour,
    )
    values |= {
        "signal": signal_row,
        "signal_target": decision.signal_target,
        "target": decision.target,
        "equity": decision.equity,
        "checks": [
            {"name": c.name, "passed": c.passed, "reason": c.reason} for c in decision.checks
        ],
    }
    outcome, reason, new_state = _execute(bot, state, decision, values)
    store(new_state)
    return _finish(tick, outcome, reason, **values), decision


def bot_tick(
    *, bot_id: int, candle_time: datetime, context: TickContext | None = None
) -> TickOutcome:
    """Decide once for one bot on the closed candle opened at `candle_time`.

    Returns the tick's outcome, or "duplicate" (another worker decided this candle),
    "not_running", "not_closed" or "missing" when no decision was made.
    """
    context = context or TickContext(now=timezone.now())
    now = context.now
    try:
        with transaction.atomic():
            bot = (
                Bot.objects.select_for_update(of=("self",))
                .select_related(*BOT_RELATED, "owner", "model_version")
                .filter(pk=bot_id)
                .first()
            )
            if bot is None:
                return "missing"
            if bot.state != Bot.State.RUNNING:
                return "not_running"
            step = _step(bot.timeframe)
            if now < candle_time + step:
                return "not_closed"
            tick = BotTick.objects.create(bot=bot, candle_time=candle_time, created_at=now)
            bot.last_tick_at = now
            extra: dict[str, Any] = {}
            if now - (candle_time + step) > step:
                reason = (
                    f"the candle {candle_time:%Y-%m-%d %H:%M}Z closed more than one "
                    f"{bot.timeframe} ago; a bot never acts on a stale candle"
                )
                log.warning("bot.tick_stale", bot_id=bot.pk, candle_time=candle_time.isoformat())
                outcome = _finish(tick, BotTick.Outcome.STALE, reason)
                decision = None
            else:
                outcome, decision = _decide(bot, tick, candle_time, context, extra)
            bot.save(
                update_fields=[
                    "engine_state",
                    "booked_fill_id",
                    "last_tick_at",
                    "closing_order",
                ]
            )
            _publish_tick(bot, tick, extra, context)
    except IntegrityError:
        log.info("bot.tick_duplicate", bot_id=bot_id, candle_time=candle_time.isoformat())
        return "duplicate"
    except Exception as e:
        log.exception("bot.tick_failed", bot_id=bot_id)
        _record_error(bot_id=bot_id, candle_time=candle_time, error=e)
        return BotTick.Outcome.ERROR
    log.info(
        "bot.tick",
        bot_id=bot_id,
        candle_time=candle_time.isoformat(),
        outcome=outcome,
        target=None if decision is None else decision.target,
    )
    return outcome


def _record_error(*, bot_id: int, candle_time: datetime, error: Exception) -> None:
    try:
        with transaction.atomic():
            BotTick.objects.create(
                bot_id=bot_id,
                candle_time=candle_time,
                outcome=BotTick.Outcome.ERROR,
                reason=f"{type(error).__name__}: {error}"[:1000],
                decided_at=timezone.now(),
            )
    except IntegrityError:
        pass  # decided by another worker meanwhile


# --- the fan-out ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TickReport:
    """What one pass did: outcomes by kind, predictions made, bots skipped."""

    outcomes: dict[str, int]
    predictions: int

    def as_dict(self) -> dict[str, Any]:
        return {"outcomes": self.outcomes, "predictions": self.predictions}


def newest_closed_candle(*, market_id: int, timeframe: str, now: datetime) -> datetime | None:
    """Return the open time of the newest stored candle closed at `now`."""
    return (
        CandleRow.objects.filter(
            market_id=market_id, timeframe=timeframe, open_time__lte=now - _step(timeframe)
        )
        .order_by("-open_time")
        .values_list("open_time", flat=True)
        .first()
    )


def bots_tick_due(*, now: datetime | None = None, bot_ids: list[int] | None = None) -> TickReport:
    """Tick every running bot (or those of `bot_ids`) whose newest closed candle has no tick."""
    context = TickContext(now=now or timezone.now())
    bots = Bot.objects.filter(state=Bot.State.RUNNING)
    if bot_ids is not None:
        bots = bots.filter(pk__in=bot_ids)
    rows = list(
        bots.order_by("market_id", "timeframe", "id").values_list("pk", "market_id", "timeframe")
    )
    newest: dict[tuple[int, str], datetime | None] = {}
    for _, market_id, timeframe in rows:
        if (market_id, timeframe) not in newest:
            newest[(market_id, timeframe)] = newest_closed_candle(
                market_id=market_id, timeframe=timeframe, now=context.now
            )
    ticked = set(
        BotTick.objects.filter(
            bot_id__in=[pk for pk, _, _ in rows],
            candle_time__in={t for t in newest.values() if t is not None},
        ).values_list("bot_id", "candle_time")
    )
    context.preload([pk for pk, _, _ in rows])
    context.events = []
    outcomes: dict[str, int] = {}
    try:
        for pk, market_id, timeframe in rows:
            candle_time = newest[(market_id, timeframe)]
            if candle_time is None or (pk, candle_time) in ticked:
                continue
            outcome = bot_tick(bot_id=pk, candle_time=candle_time, context=context)
            outcomes[str(outcome)] = outcomes.get(str(outcome), 0) + 1
            if len(context.events) >= EVENT_BATCH:
                stream.send_now(context.events)
                context.events.clear()
    finally:
        stream.send_now(context.events)
    return TickReport(outcomes=outcomes, predictions=context.predictions)


def ms_to_datetime(value: int) -> datetime:
    """Epoch milliseconds as a UTC datetime."""
    return datetime.fromtimestamp(value / 1000, tz=UTC)
