"""Reads of bots for the API: the owner's only."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from trading.bots.payloads import BOT_RELATED
from trading.models import Bot, BotFill, BotTick, Position


def bot_list(*, owner: Any, state: str | None = None) -> QuerySet[Bot]:
    """Return the owner's bots, oldest first."""
    rows = Bot.objects.filter(owner=owner).select_related(*BOT_RELATED).order_by("id")
    if state is not None:
        rows = rows.filter(state=state)
    return rows


def bot_get(*, owner: Any, bot_id: int) -> Bot:
    """Return one of the owner's bots; Bot.DoesNotExist for anyone else's."""
    return bot_list(owner=owner).get(pk=bot_id)


def tick_list(*, bot: Bot, outcome: str | None = None) -> QuerySet[BotTick]:
    """Return the bot's decisions, newest candle first."""
    rows = BotTick.objects.filter(bot=bot).order_by("-candle_time", "-id")
    if outcome is not None:
        rows = rows.filter(outcome=outcome)
    return rows


def position_list(*, owner: Any, open_only: bool = False) -> QuerySet[Position]:
    """Return the positions of the owner's bots."""
    rows = Position.objects.filter(bot__owner=owner).order_by("bot_id")
    if open_only:
        rows = rows.filter(amount__gt=0)
    return rows


def bot_fill_list(*, bot: Bot, side: str | None = None) -> QuerySet[BotFill]:
    """Return the bot's fills as booked into its position, newest first."""
    rows = BotFill.objects.filter(bot=bot).select_related("fill").order_by("-executed_at", "-id")
    if side is not None:
        rows = rows.filter(side=side)
    return rows
