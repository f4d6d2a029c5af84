"""Act on an accepted alert: the bot's risk checks and the order path, as for a model signal.

The alert sets a target exposure (buy: the most the bot's profile allows; sell or close:
flat) on the newest closed candle, and the engine's own steps decide: the kill switches,
live refusal and unfinished orders block it, the risk profile sizes and checks it, and an
order goes through the order path (`OrderIntents`, as the engine's) like every other order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.utils import timezone

from trading.alerts.services import AlertRefused
from trading.bots.engine import (
    TickContext,
    _blocked,
    _execute,
    _open_elsewhere,
    _reads,
    _step,
    book_fills,
    newest_closed_candle,
    position_store,
)
from trading.bots.payloads import BOT_RELATED
from trading.bots.services import position_publish
from trading.bots.state import core_profile, market_limits, profile_values, state_dump, state_load
from trading.core.engine import Candle, RuleSignal, decide
from trading.models import Bot, BotFill, BotTick


@dataclass(frozen=True)
class AlertOutcome:
    outcome: str
    reason: str
    order_id: int | None
    checks: list[dict[str, Any]]


def _candle(frame: pd.DataFrame, candle_time: Any, timeframe: str) -> Candle:
    row = frame.iloc[-1]
    return Candle(
        time=candle_time,
        open=float(row["open"]),
        high=float(row["high"]),
        low=float(row["low"]),
        close=float(row["close"]),
        closes_at=candle_time + _step(timeframe),
    )


def alert_execute(*, bot_id: int, target: float) -> AlertOutcome:
    """Decide on `target` for a running bot inside the caller's transaction.

    Raises AlertRefused when the bot cannot act at all (not running, killed, live refused,
    an order still unfinished, no closed candle); a decision the risk checks turn into no
    order is an outcome, not a refusal.
    """
    bot = (
        Bot.objects.select_for_update(of=("self",))
        .select_related(*BOT_RELATED, "owner")
        .get(pk=bot_id)
    )
    if bot.state != Bot.State.RUNNING:
        raise AlertRefused(
            f"The bot is {bot.state}, not running.", code="bot_not_running", status=409
        )
    context = TickContext(now=timezone.now())
    reads = _reads([bot], context.now)
    outcome, reason = _blocked(bot, reads)
    if outcome:
        raise AlertRefused(reason, code=f"bot_{outcome}", status=409)
    candle_time = newest_closed_candle(
        market_id=bot.market_id, timeframe=bot.timeframe, now=context.now
    )
    frame = None if candle_time is None else context.frame(bot, candle_time)
    if candle_time is None or frame is None or frame.empty:
        raise AlertRefused(
            "The bot's market has no closed candle yet.", code="no_candle", status=409
        )
    state = state_load(bot.engine_state, cash=float(bot.capital))
    state, booked = book_fills(bot=bot, state=state, fills=reads.fills.get(bot.pk, []))
    if booked:
        BotFill.objects.bulk_create(booked)
    candle = _candle(frame, candle_time, bot.timeframe)
    profile = core_profile(profile_values(bot.risk_profile))
    decision = decide(
        state=state,
        candle=candle,
        signal=RuleSignal(target=target),
        profile=profile,
        fee_rate=bot.fee_rate,
        limits=market_limits(bot),
        slippage=bot.slippage_bps / 10_000.0,
        sizing_fraction=context.sizing(bot, frame, candle_time, profile),
        open_positions=_open_elsewhere(bot, reads) if profile.max_open_positions else 0,
        orders_last_hour=reads.orders_last_hour.get(bot.pk, 0),
    )
    values: dict[str, Any] = {}
    outcome, reason, new_state = _execute(
        bot, state, decision, values, close=candle.close, reads=reads
    )
    reads.orders.write()  # the order path's intent, stored before the bot names it
    bot.engine_state = state_dump(new_state)
    position = position_store(bot=bot, state=new_state, price=candle.close)
    bot.save(update_fields=["engine_state", "booked_fill_id", "closing_order"])
    if values.get("order") is not None or values.get("exit_order") is not None:
        position_publish(bot=bot, position=position)
    order = values.get("order") or values.get("exit_order")
    checks = [{"name": c.name, "passed": c.passed, "reason": c.reason} for c in decision.checks]
    if outcome == BotTick.Outcome.REFUSED:
        raise AlertRefused(reason, code="order_refused", status=409)
    return AlertOutcome(
        outcome=str(outcome),
        reason=reason,
        order_id=None if order is None else order.pk,
        checks=checks,
    )
