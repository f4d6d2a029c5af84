"""The live engine: ticks of many bots on their closed candles, in a few bulk statements.

A pass (`bots_tick_due`) takes the running bots in chunks, sorted by market and timeframe,
and each chunk is one transaction:

1. its bots are locked (one `SELECT ... FOR UPDATE`) and their ticks claimed in one
   `INSERT ... ON CONFLICT DO NOTHING RETURNING`. A tick is unique per bot and candle, so a
   tick delivered twice, even to two workers at once, is claimed once: the second insert
   waits on the unique index and claims nothing when the first commits;
2. what the decisions need is read for the whole chunk at once: candles once per market and
   timeframe, one prediction per model version, market and candle (shared by every bot that
   uses it), the owners' kill switches, open positions per owner, the bots' unfinished
   orders, unbooked fills and orders of the last hour;
3. each bot decides in pure code (`trading.core.engine.decide`); only a bot whose decision
   trades goes through the order path, whose checks (`OrderIntents.add`: kill switch,
   account, tradable market, lot step, minimums at the close decided on) run as it decides,
   against what they read once per chunk; a refused order is the tick's `refused` outcome
   with the reason. Only a bot that halts writes its state on its own;
4. the chunk's orders (rows, client order ids, events, audit records, stream events; each
   submitted once the chunk commits), the ticks with every risk check, the positions, the
   booked fills and the bots' states are written back in a few bulk statements.

A chunk that fails is ticked again bot by bot, so one bad bot costs only its own tick (an
error tick with the reason). `bot_tick` is the same work for one bot. Fills of the bot's
orders are booked into its state and Position before each decision and when they are
recorded (`bot_fills_book`).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pandas as pd
import structlog
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Count, F
from django.utils import timezone

from accounts.events import user_group
from markets import stream
from markets.core.adapter import timeframe_ms
from markets.core.errors import QuantumTraderError
from markets.selectors import candle_newest_open_time, candles_frame
from signals.selectors import champion_get
from trading.bots.bulk import bulk_update_rows
from trading.bots.kill import kill_switch_reasons
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
from trading.models import Bot, BotFill, BotTick, Fill, Order, Position
from trading.orders.services import OrderIntent, OrderIntents

if TYPE_CHECKING:
    from signals.models import ModelVersion, Signal

log = structlog.get_logger(__name__)

# Candles loaded before the one decided on: the longest warm-up of a rule or of ATR sizing.
HISTORY = 600
# Bots decided in one transaction: their rows stay locked until it commits.
CHUNK = 250
TickOutcome = str
DUPLICATE = "duplicate"

TICK_FIELDS = (
    "signal",
    "signal_target",
    "target",
    "equity",
    "checks",
    "order",
    "exit_order",
    "outcome",
    "reason",
    "decided_at",
)
POSITION_FIELDS = (
    "amount",
    "average_entry",
    "cash",
    "realised_pnl",
    "unrealised_pnl",
    "last_price",
    "updated_at",
)
BOT_FIELDS = ("engine_state", "booked_fill_id", "last_tick_at", "closing_order")


def _step(timeframe: str) -> timedelta:
    return timedelta(milliseconds=timeframe_ms(timeframe))


@dataclass
class TickContext:
    """What a pass shares between bots and chunks: candles, predictions, rule targets."""

    now: datetime
    candles: dict[tuple[int, str, datetime], pd.DataFrame] = field(default_factory=dict)
    signals: dict[tuple[int, int, str, datetime], Signal | str] = field(default_factory=dict)
    targets: dict[tuple[Any, ...], float] = field(default_factory=dict)
    sizings: dict[tuple[Any, ...], float] = field(default_factory=dict)
    predictions: int = 0
    # Seconds each bot's tick cost: its own decision and order, and its share of the
    # chunk's bulk reads and writes.
    seconds: dict[int, float] = field(default_factory=dict)

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

    def rule_target(
        self, bot: Bot, frame: pd.DataFrame, candle_time: datetime, previous: float
    ) -> float:
        """The rule's target on the candle, computed once per market, rule and parameters."""
        params = tuple(sorted(bot.rule_params.items()))
        key = (bot.market_id, bot.timeframe, candle_time, bot.rule_name, params, previous)
        if key not in self.targets:
            self.targets[key] = latest_target(
                bot.rule_name, frame, bot.rule_params, previous=previous
            )
        return self.targets[key]

    def sizing(
        self, bot: Bot, frame: pd.DataFrame, candle_time: datetime, profile: RiskProfile
    ) -> float | None:
        """The ATR risk fraction on the candle for the profile's settings (None: unsized)."""
        if profile.risk_per_trade is None:
            return None
        key = (
            bot.market_id,
            bot.timeframe,
            candle_time,
            profile.risk_per_trade,
            profile.atr_multiple,
            profile.atr_window,
        )
        if key not in self.sizings:
            self.sizings[key] = latest_atr_risk_fraction(
                frame,
                risk_per_trade=profile.risk_per_trade,
                atr_multiple=profile.atr_multiple,
                window=profile.atr_window,
            )
        return self.sizings[key]

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


def _decimal(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal("1e-18"))


def _unbooked_fills(bot_ids: Iterable[int]) -> dict[int, list[Fill]]:
    """The fills of these bots' orders not booked yet, oldest first, by bot (one query)."""
    found: dict[int, list[Fill]] = {}
    rows = (
        Fill.objects.filter(order__bot_id__in=list(bot_ids), pk__gt=F("order__bot__booked_fill_id"))
        .select_related("order")
        .order_by("pk")
    )
    for fill in rows:
        bot_id = fill.order.bot_id
        if bot_id is not None:
            found.setdefault(bot_id, []).append(fill)
    return found


def book_fills(
    *, bot: Bot, state: BotState, fills: list[Fill] | None = None
) -> tuple[BotState, list[BotFill]]:
    """Book the bot's fills newer than `bot.booked_fill_id` into `state` (oldest first).

    `fills` are those fills when the caller read them already. Returns the new state and a
    BotFill (unsaved) per booked fill with the P&L a sale realised; the caller stores them.
    """
    if fills is None:
        fills = _unbooked_fills([bot.pk]).get(bot.pk, [])
    booked: list[BotFill] = []
    for fill in fills:
        if fill.pk <= bot.booked_fill_id:
            continue
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
        result = apply_fill(
            state,
            side="sell" if side == SELL else "buy",
            amount=amount,
            price=price,
            fee_rate=_fill_fee_rate(fill, bot),
            time=fill.executed_at,
        )
        state = result.state
        bot.booked_fill_id = fill.pk
        booked.append(
            BotFill(
                bot_id=bot.pk,
                fill=fill,
                side=side,
                amount=fill.amount,
                price=fill.price,
                fee=_decimal(result.fee),
                realised_pnl=None if result.realised_pnl is None else _decimal(result.realised_pnl),
                position_amount=_decimal(state.amount),
                executed_at=fill.executed_at,
            )
        )
    return state, booked


def _position_of(bot: Bot) -> Position:
    try:
        return bot.position
    except Position.DoesNotExist:
        bot.position = Position.objects.create(bot=bot, cash=bot.capital)
        return bot.position


def position_set(*, bot: Bot, state: BotState, price: float | None) -> Position:
    """Set the bot's Position (in memory) from its state, valued at `price` (the last close).

    Unrealised P&L is the held amount at the last price less its cost basis (buy fees
    included), so realised plus unrealised is the equity less the starting capital.
    """
    position = _position_of(bot)
    entry = state.average_entry
    position.amount = _decimal(state.amount)
    position.average_entry = None if entry is None else _decimal(entry)
    position.cash = _decimal(state.cash)
    position.realised_pnl = _decimal(state.realised_pnl)
    if price is not None:
        position.last_price = _decimal(price)
    last = float(position.last_price) if position.last_price is not None else None
    unrealised = state.unrealised_pnl(last) if last is not None else 0.0
    position.unrealised_pnl = _decimal(unrealised)
    position.updated_at = timezone.now()
    return position


def position_store(*, bot: Bot, state: BotState, price: float | None) -> Position:
    """Write the bot's Position from its state, valued at `price` (the last close)."""
    position = position_set(bot=bot, state=state, price=price)
    position.save()
    return position


def bot_fills_book(*, bot_id: int) -> bool:
    """Book new fills of one bot into its state and position now; True if any was booked."""
    with transaction.atomic():
        bot = (
            Bot.objects.select_for_update(of=("self",))
            .select_related("market__exchange", "position")
            .get(pk=bot_id)
        )
        state = state_load(bot.engine_state, cash=float(bot.capital))
        before = bot.booked_fill_id
        state, booked = book_fills(bot=bot, state=state)
        if bot.booked_fill_id == before:
            return False
        BotFill.objects.bulk_create(booked)
        bot.engine_state = state_dump(state)
        bot.save(update_fields=["engine_state", "booked_fill_id"])
        # The newest fill's price is the latest price known until the next candle's close.
        latest = float(booked[-1].price) if booked else None
        position = position_store(bot=bot, state=state, price=latest)
        position_publish(bot=bot, position=position)
    return True


# --- what a chunk reads at once -------------------------------------------------------------


@dataclass
class _Reads:
    """The inputs of a chunk's decisions that are not candles or predictions, and the chunk's
    orders: checked when a bot decides, stored together before its ticks."""

    bots: list[Bot]
    kill_reasons: dict[int, str]
    open_orders: dict[int, int]
    fills: dict[int, list[Fill]]
    open_positions: dict[int, set[int]]
    orders_last_hour: dict[int, int]
    orders: OrderIntents = field(default_factory=OrderIntents)
    orders_preloaded: bool = False

    def intents(self) -> OrderIntents:
        """The chunk's orders; the first call reads what every bot's order is checked against
        (kill switches, paper accounts, markets), a statement each for the whole chunk."""
        if not self.orders_preloaded:
            self.orders.preload(
                owner_ids={bot.owner_id for bot in self.bots},
                paper_account_ids={
                    bot.paper_account_id for bot in self.bots if bot.paper_account_id is not None
                },
                markets={(bot.market.exchange.ccxt_id, bot.market.symbol) for bot in self.bots},
            )
            self.orders_preloaded = True
        return self.orders


def _reads(bots: list[Bot], now: datetime) -> _Reads:
    ids = [bot.pk for bot in bots]
    owners = {bot.owner_id for bot in bots}
    open_orders: dict[int, int] = {}
    for bot_id, order_id in (
        Order.objects.filter(bot_id__in=ids, status__in=OPEN_STATUSES)
        .order_by("bot_id", "id")
        .values_list("bot_id", "pk")
    ):
        open_orders.setdefault(bot_id, order_id)
    capped = [bot.pk for bot in bots if bot.risk_profile.max_orders_per_hour is not None]
    recent: dict[int, int] = {}
    if capped:
        recent = dict(
            Order.objects.filter(bot_id__in=capped, created_at__gt=now - timedelta(hours=1))
            .values("bot_id")
            .annotate(n=Count("id"))
            .values_list("bot_id", "n")
        )
    open_positions: dict[int, set[int]] = {}
    if any(bot.risk_profile.max_open_positions is not None for bot in bots):
        for owner_id, bot_id in Position.objects.filter(
            bot__owner_id__in=owners, amount__gt=0
        ).values_list("bot__owner_id", "bot_id"):
            open_positions.setdefault(owner_id, set()).add(bot_id)
    return _Reads(
        bots=bots,
        kill_reasons=kill_switch_reasons(owner_ids=owners),
        open_orders=open_orders,
        fills=_unbooked_fills(ids),
        open_positions=open_positions,
        orders_last_hour=recent,
    )


# --- one decision ---------------------------------------------------------------------------


@dataclass
class TickWork:
    """One claimed tick while its chunk decides: the row, the bot, its booked fills."""

    bot: Bot
    row: BotTick
    booked: list[BotFill] = field(default_factory=list)
    position_changed: bool = False
    decision: Decision | None = None


def _finish(tick: BotTick, outcome: str, reason: str = "", **values: Any) -> str:
    tick.outcome, tick.reason, tick.decided_at = outcome, reason, timezone.now()
    for name, value in values.items():
        setattr(tick, name, value)
    return outcome


def _signal(
    bot: Bot, frame: pd.DataFrame, state: BotState, candle_time: datetime, context: TickContext
) -> tuple[RuleSignal | ModelSignal | None, Signal | None, str]:
    if bot.strategy == Bot.Strategy.RULE:
        previous = 0.0 if state.last_signal is None else state.last_signal
        target = context.rule_target(bot, frame, candle_time, previous)
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


def _place(bot: Bot, *, side: str, amount: Decimal, close: float, reads: _Reads) -> Order:
    """Check a market order of the bot through the order path; it is stored with the chunk's
    ticks (`OrderIntents.write`). Its notional is checked at the close the bot decided on."""
    return reads.intents().add(
        OrderIntent(
            owner=bot.owner,
            symbol=bot.market.symbol,
            side=side,
            type="market",
            amount=amount,
            paper_account_id=bot.paper_account_id,
            exchange_account_id=bot.exchange_account_id,
            bot_id=bot.pk,
            reference_price=Decimal(repr(close)),
        )
    )


def _blocked(bot: Bot, reads: _Reads) -> tuple[str, str]:
    """Return the outcome and reason that stop a decision before it is made, if any."""
    killed = reads.kill_reasons.get(bot.owner_id, "")
    if killed:
        return BotTick.Outcome.KILLED, killed
    refusal = live_refusal(bot)
    if refusal:
        return BotTick.Outcome.REFUSED, refusal
    waiting = reads.open_orders.get(bot.pk)
    if waiting is not None:
        return BotTick.Outcome.WAITING, f"order #{waiting} is not finished yet"
    return "", ""


def _execute(
    bot: Bot,
    state: BotState,
    decision: Decision,
    values: dict[str, Any],
    *,
    close: float,
    reads: _Reads,
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
            closing = _place(
                bot, side=SELL, amount=_decimal(state.amount), close=close, reads=reads
            )
            values["exit_order"] = closing
            outcome = BotTick.Outcome.ORDERED
            reason = f"{decision.exit.reason} hit at {decision.exit.price:.8g}"
        if decision.order is not None:
            order = _place(
                bot,
                side=decision.order.side,
                amount=decision.order.amount,
                close=close,
                reads=reads,
            )
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


def _open_elsewhere(bot: Bot, reads: _Reads) -> int:
    return len(reads.open_positions.get(bot.owner_id, set()) - {bot.pk})


def _decide(tick: TickWork, candle_time: datetime, reads: _Reads, context: TickContext) -> str:
    """Decide once for a claimed tick; sets the tick row, the bot's state and its position."""
    bot, row = tick.bot, tick.row
    values: dict[str, Any] = {}
    state = state_load(bot.engine_state, cash=float(bot.capital))
    if bot.pk in reads.fills:
        state, tick.booked = book_fills(bot=bot, state=state, fills=reads.fills[bot.pk])
        held = reads.open_positions.setdefault(bot.owner_id, set())
        if state.amount > 0.0:
            held.add(bot.pk)
        else:
            held.discard(bot.pk)
    frame = context.frame(bot, candle_time)
    if frame.empty or frame.index[-1] != pd.Timestamp(candle_time):
        # The state keeps the booked fills; the position shows them at its last price.
        _store(tick, state, None, values)
        reason = f"the candle {candle_time:%Y-%m-%d %H:%M}Z is not stored"
        return _finish(row, BotTick.Outcome.ERROR, reason)
    candle = frame.iloc[-1]
    close = float(candle["close"])

    outcome, reason = _blocked(bot, reads)
    signal: RuleSignal | ModelSignal | None = None
    signal_row: Signal | None = None
    if not outcome:
        signal, signal_row, reason = _signal(bot, frame, state, candle_time, context)
        outcome = "" if signal is not None else BotTick.Outcome.NO_ORDER
    if outcome or signal is None:
        _store(tick, state, close, values)
        return _finish(row, outcome, reason)

    profile = core_profile(profile_values(bot.risk_profile))
    orders_last_hour = reads.orders_last_hour.get(bot.pk, 0)
    decision = decide(
        state=state,
        candle=Candle(
            time=candle_time,
            open=float(candle["open"]),
            high=float(candle["high"]),
            low=float(candle["low"]),
            close=close,
            closes_at=candle_time + _step(bot.timeframe),
        ),
        signal=signal,
        profile=profile,
        fee_rate=bot.fee_rate,
        limits=market_limits(bot),
        slippage=bot.slippage_bps / 10_000.0,
        sizing_fraction=context.sizing(bot, frame, candle_time, profile),
        open_positions=_open_elsewhere(bot, reads) if profile.max_open_positions else 0,
        orders_last_hour=orders_last_hour,
    )
    tick.decision = decision
    values |= {
        "signal": signal_row,
        "signal_target": decision.signal_target,
        "target": decision.target,
        "equity": decision.equity,
        "checks": [
            {"name": c.name, "passed": c.passed, "reason": c.reason} for c in decision.checks
        ],
    }
    outcome, reason, new_state = _execute(bot, state, decision, values, close=close, reads=reads)
    _store(tick, new_state, close, values)
    placed = [o for o in (values.get("exit_order"), values.get("order")) if o is not None]
    if placed:
        reads.orders_last_hour[bot.pk] = orders_last_hour + len(placed)
    if any(order.side != SELL for order in placed):
        # The owner's next bots count this one's buy as an open position from now on.
        reads.open_positions.setdefault(bot.owner_id, set()).add(bot.pk)
    return _finish(row, outcome, reason, **values)


def _store(tick: TickWork, state: BotState, close: float | None, values: dict[str, Any]) -> None:
    tick.bot.engine_state = state_dump(state)
    position_set(bot=tick.bot, state=state, price=close)
    tick.position_changed = (
        bool(tick.booked) or values.get("order") is not None or values.get("exit_order") is not None
    )


# --- a chunk of ticks -----------------------------------------------------------------------


def claim_ticks(rows: list[tuple[int, datetime]], now: datetime) -> dict[int, int]:
    """Insert the ticks (bot, candle) not decided yet; return the claimed ones: bot -> tick id.

    One statement. A tick row another transaction holds uncommitted makes it wait; once that
    commits, the row is not claimed here.
    """
    if not rows:
        return {}
    meta = BotTick._meta
    quote = connection.ops.quote_name
    columns = ("bot_id", "candle_time", "checks", "outcome", "reason", "created_at")
    fields: list[models.Field[Any, Any]] = []
    for name in columns:
        model_field = meta.get_field(name.removesuffix("_id"))
        if not isinstance(model_field, models.Field):
            raise TypeError(f"{name} is not a column of {meta.db_table}")
        fields.append(model_field)
    params: list[Any] = []
    for bot_id, candle_time in rows:
        raw: tuple[Any, ...] = (bot_id, candle_time, [], BotTick.Outcome.PENDING.value, "", now)
        for model_field, value in zip(fields, raw, strict=True):
            params.append(model_field.get_db_prep_save(value, connection))
    placeholders = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(rows))
    # Identifiers come from the model, quoted; every value is a parameter.
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
        f"VALUES {placeholders} ON CONFLICT ({quote('bot_id')}, {quote('candle_time')}) "
        f"DO NOTHING RETURNING {quote('id')}, {quote('bot_id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {bot_id: tick_id for tick_id, bot_id in cursor.fetchall()}


def _stale_reason(bot: Bot, candle_time: datetime, now: datetime) -> str:
    step = _step(bot.timeframe)
    if now - (candle_time + step) <= step:
        return ""
    return (
        f"the candle {candle_time:%Y-%m-%d %H:%M}Z closed more than one "
        f"{bot.timeframe} ago; a bot never acts on a stale candle"
    )


def _tick_event(tick: TickWork) -> tuple[str, dict[str, Any]]:
    """One event per tick; it carries the position when that changed."""
    bot = tick.bot
    group = user_group(bot.owner_id)
    data: dict[str, Any] = {"event": "tick", "bot_id": bot.pk, "tick": tick_payload(tick.row)}
    if tick.position_changed:
        data["position"] = position_payload(bot.position)
    return group, stream.build_message(type="bot", topic=group, id=bot.pk, data=data)


def _write_orders(reads: _Reads, own: dict[int, float]) -> None:
    """Store the chunk's orders; their time is their bots' own cost, shared among them."""
    begun = time.perf_counter()
    written = reads.orders.write()
    if written:
        share = (time.perf_counter() - begun) / len(written)
        for order in written:
            if order.bot_id is not None and order.bot_id in own:
                own[order.bot_id] += share


def _tick_chunk(wanted: dict[int, datetime], context: TickContext) -> dict[int, TickOutcome]:
    """Decide once for each bot of `wanted` (bot -> open time of its closed candle).

    One transaction; returns each bot's outcome, or "duplicate" (decided elsewhere),
    "not_running", "not_closed" or "missing" when no decision was made.
    """
    started = time.perf_counter()
    now = context.now
    outcomes: dict[int, TickOutcome] = {}
    own: dict[int, float] = {}
    with transaction.atomic():
        bots = list(
            Bot.objects.select_for_update(of=("self",))
            .select_related(*BOT_RELATED, "owner", "model_version")
            .filter(pk__in=list(wanted))
            .order_by("pk")
        )
        due: list[Bot] = []
        for bot in bots:
            if bot.state != Bot.State.RUNNING:
                outcomes[bot.pk] = "not_running"
            elif now < wanted[bot.pk] + _step(bot.timeframe):
                outcomes[bot.pk] = "not_closed"
            else:
                due.append(bot)
        claimed = claim_ticks([(bot.pk, wanted[bot.pk]) for bot in due], now)
        ticks: list[TickWork] = []
        for bot in due:
            if bot.pk not in claimed:
                outcomes[bot.pk] = DUPLICATE
                log.info("bot.tick_duplicate", bot_id=bot.pk)
                continue
            bot.last_tick_at = now
            row = BotTick(pk=claimed[bot.pk], bot=bot, candle_time=wanted[bot.pk], created_at=now)
            ticks.append(TickWork(bot=bot, row=row))
        reads = _reads([t.bot for t in ticks], now)
        for tick in ticks:
            begun = time.perf_counter()
            candle_time = tick.row.candle_time
            stale = _stale_reason(tick.bot, candle_time, now)
            if stale:
                log.warning(
                    "bot.tick_stale", bot_id=tick.bot.pk, candle_time=candle_time.isoformat()
                )
                outcomes[tick.bot.pk] = _finish(tick.row, BotTick.Outcome.STALE, stale)
            else:
                outcomes[tick.bot.pk] = _decide(tick, candle_time, reads, context)
            own[tick.bot.pk] = time.perf_counter() - begun
        _write_orders(reads, own)
        write_ticks(ticks)
        # In the chunk's transaction: the events exist if and only if the ticks committed.
        stream.send_now([_tick_event(tick) for tick in ticks])
    shared = (time.perf_counter() - started - sum(own.values())) / max(1, len(ticks))
    for bot_id, seconds in own.items():
        context.seconds[bot_id] = seconds + shared
    for tick in ticks:
        decision = tick.decision
        log.info(
            "bot.tick",
            bot_id=tick.bot.pk,
            candle_time=tick.row.candle_time.isoformat(),
            outcome=outcomes[tick.bot.pk],
            target=None if decision is None else decision.target,
        )
    return outcomes


def _link(obj: models.Model, names: Iterable[str]) -> None:
    """Set the foreign keys `names` of `obj` from the related objects it holds: orders
    assigned before they were stored have their ids only once `OrderIntents.write` ran."""
    for name in names:
        relation = obj._meta.get_field(name)
        if isinstance(relation, models.ForeignKey) and relation.is_cached(obj):
            related = relation.get_cached_value(obj)
            setattr(obj, relation.attname, None if related is None else related.pk)


def write_ticks(ticks: list[TickWork]) -> None:
    """Write a chunk's decisions: ticks, booked fills, positions, bot states (bulk)."""
    if not ticks:
        return
    for t in ticks:
        _link(t.row, ("order", "exit_order"))
        _link(t.bot, ("closing_order",))
    bulk_update_rows(BotTick, [t.row for t in ticks], TICK_FIELDS)
    booked = [fill for t in ticks for fill in t.booked]
    if booked:
        BotFill.objects.bulk_create(booked)
    bulk_update_rows(Position, [t.bot.position for t in ticks], POSITION_FIELDS)
    bulk_update_rows(Bot, [t.bot for t in ticks], BOT_FIELDS)


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


def _tick_safely(wanted: dict[int, datetime], context: TickContext) -> dict[int, TickOutcome]:
    """Tick a chunk; if it fails, tick its bots one by one, recording each one's error."""
    try:
        return _tick_chunk(wanted, context)
    except Exception as e:
        # Signals predicted inside the rolled-back transaction were not stored.
        context.signals.clear()
        if len(wanted) > 1:
            log.warning("bot.chunk_failed", bots=len(wanted), error=f"{type(e).__name__}: {e}")
            outcomes: dict[int, TickOutcome] = {}
            for bot_id, candle_time in wanted.items():
                outcomes |= _tick_safely({bot_id: candle_time}, context)
            return outcomes
        ((bot_id, candle_time),) = wanted.items()
        log.exception("bot.tick_failed", bot_id=bot_id)
        _record_error(bot_id=bot_id, candle_time=candle_time, error=e)
        return {bot_id: BotTick.Outcome.ERROR}


def bot_tick(
    *, bot_id: int, candle_time: datetime, context: TickContext | None = None
) -> TickOutcome:
    """Decide once for one bot on the closed candle opened at `candle_time`.

    Returns the tick's outcome, or "duplicate" (another worker decided this candle),
    "not_running", "not_closed" or "missing" when no decision was made.
    """
    context = context or TickContext(now=timezone.now())
    return _tick_safely({bot_id: candle_time}, context).get(bot_id, "missing")


# --- the fan-out ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TickReport:
    """What one pass did: outcomes by kind, predictions made, each bot's tick cost."""

    outcomes: dict[str, int]
    predictions: int
    seconds: dict[int, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"outcomes": self.outcomes, "predictions": self.predictions}


def newest_closed_candle(*, market_id: int, timeframe: str, now: datetime) -> datetime | None:
    """Return the open time of the newest stored candle closed at `now`."""
    return candle_newest_open_time(
        market_id=market_id, timeframe=timeframe, before=now - _step(timeframe)
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
    due: list[tuple[int, datetime]] = []
    for pk, market_id, timeframe in rows:
        candle_time = newest[(market_id, timeframe)]
        if candle_time is not None and (pk, candle_time) not in ticked:
            due.append((pk, candle_time))
    outcomes: dict[str, int] = {}
    for start in range(0, len(due), CHUNK):
        chunk = dict(due[start : start + CHUNK])
        for outcome in _tick_safely(chunk, context).values():
            outcomes[str(outcome)] = outcomes.get(str(outcome), 0) + 1
    return TickReport(outcomes=outcomes, predictions=context.predictions, seconds=context.seconds)


def ms_to_datetime(value: int) -> datetime:
    """Epoch milliseconds as a UTC datetime."""
    return datetime.fromtimestamp(value / 1000, tz=UTC)
