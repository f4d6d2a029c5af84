"""What a user hears about their bots, via `notify`.

Starts, halts and kill switches as they happen; a daily P&L summary; a new champion model for
the bots that trade the champion; a market whose ingestion stalled, for the bots on it.

Who hears of a stalled market: the owners of the bots (not stopped) on that market and
timeframe, and the staff (who run the ingestion). Who hears of a new champion: the owners of
the champion-strategy bots on its markets and timeframe, and the staff.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

import structlog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from accounts.services import notify
from markets.core.adapter import timeframe_ms
from markets.selectors import candle_newest_open_time, markets_list
from signals.selectors import model_version_find
from trading.models import Bot, BotFill, KillSwitch, NoticeSent, Position

log = structlog.get_logger(__name__)

NOTICE_RETENTION = timedelta(days=60)
_SUMMARY_BOTS = 50

_TOLD = {"started": ("bot.started", "started"), "halted": ("bot.halted", "halted")}


def bot_event_notice(bot: Bot, event: str, extra: dict[str, Any]) -> None:
    """Tell the owner that a bot started or halted (other bot events say nothing)."""
    told = _TOLD.get(event)
    if told is None:
        return
    kind, verb = told
    reason = str(extra.get("reason") or bot.state_reason or "")[:300]
    notify(
        user_id=bot.owner_id,
        kind=kind,
        title=f"Bot {bot.name} {verb}",
        body=reason,
        data={"bot_id": bot.pk, "event": event, "reason": reason},
    )


def kill_switch_notice(switch: KillSwitch, owner_id: int) -> None:
    """Tell a user that their kill switch was turned on or off."""
    state = "on" if switch.active else "off"
    notify(
        user_id=owner_id,
        kind="bot.kill_switch",
        title=f"Kill switch {state}",
        body=switch.reason,
        data={"scope": switch.scope, "active": switch.active},
    )


def _once(key: str, send: Callable[[], object]) -> bool:
    """Send a notice unless its key was written already; the key and the notice commit together.

    Two workers racing on the same key: the second waits on the unique key, then skips.
    """
    try:
        with transaction.atomic():
            NoticeSent.objects.create(key=key[:200])
            send()
    except IntegrityError:
        return False
    return True


def _staff_ids() -> set[int]:
    staff = get_user_model().objects.filter(is_staff=True, is_active=True)
    return set(staff.values_list("pk", flat=True))


def _tell(user_ids: Iterable[int], **notice: Any) -> None:
    for user_id in sorted(set(user_ids)):
        notify(user_id=user_id, **notice)


# --- a new champion model ---------------------------------------------------------------------


def champion_notice(*, model_version_id: int, retired_ids: list[int], **_: Any) -> int:
    """Tell the owners of the champion-strategy bots it now drives, and the staff, once.

    Connected to `signals.events.champion_promoted`; returns how many users were told.
    """
    version = model_version_find(model_version_id=model_version_id)
    if version is None:
        return 0
    market_ids = list(version.markets.values_list("pk", flat=True))
    owners = set(
        Bot.objects.filter(
            strategy=Bot.Strategy.CHAMPION, market_id__in=market_ids, timeframe=version.timeframe
        ).values_list("owner_id", flat=True)
    )
    users = owners | _staff_ids()
    notice = {
        "kind": "model.champion",
        "title": f"New champion model for {version.scope} {version.timeframe}",
        "body": f"Model #{version.pk} (walk-forward skill {version.summary_score:.4f}) is now the "
        "champion; bots trading the champion use it from their next candle.",
        "data": {
            "model_version_id": version.pk,
            "scope": version.scope,
            "timeframe": version.timeframe,
            "retired_ids": list(retired_ids),
        },
    }
    _once(f"model.champion:{version.pk}", partial(_tell, users, **notice))
    return len(users)


# --- ingestion stalled ------------------------------------------------------------------------


def ingestion_stall_notices(*, now: datetime | None = None) -> int:
    """Tell of each enabled market and timeframe with no new candle for too long, once a stall.

    A stall is no candle for `INGESTION_STALL_PERIODS` periods of the timeframe after the
    newest one closed; it is told once (keyed by that newest candle), so a later stall, after
    candles came again, is told again. Returns how many stalls were told.
    """
    now = now or timezone.now()
    periods = max(1, int(settings.INGESTION_STALL_PERIODS))
    staff = _staff_ids()
    told = 0
    for market in markets_list(enabled=True, exchange_enabled=True):
        for timeframe in market.timeframes or []:
            try:
                period = timedelta(milliseconds=timeframe_ms(timeframe))
            except ValueError:
                continue
            newest = candle_newest_open_time(market_id=market.pk, timeframe=timeframe, before=now)
            if newest is None or now - (newest + period) <= periods * period:
                continue
            owners = Bot.objects.filter(market_id=market.pk, timeframe=timeframe).exclude(
                state=Bot.State.STOPPED
            )
            users = set(owners.values_list("owner_id", flat=True)) | staff
            name = f"{market.exchange.ccxt_id} {market.symbol} {timeframe}"
            notice = {
                "kind": "ingestion.stalled",
                "title": f"Ingestion stalled: {name}",
                "body": f"No new {timeframe} candle for {market.symbol} since the one that "
                f"opened at {newest:%Y-%m-%d %H:%M} UTC; bots on it wait for candles.",
                "data": {
                    "market_id": market.pk,
                    "exchange": market.exchange.ccxt_id,
                    "symbol": market.symbol,
                    "timeframe": timeframe,
                    "last_candle_open": newest.isoformat().replace("+00:00", "Z"),
                },
            }
            key = f"ingestion.stalled:{market.pk}:{timeframe}:{int(newest.timestamp())}"
            if _once(key, partial(_tell, users, **notice)):
                log.warning("ingestion.stalled", market_id=market.pk, timeframe=timeframe)
                told += 1
    return told


# --- the daily P&L summary --------------------------------------------------------------------


def _money(value: Decimal | None) -> str:
    return f"{(value or Decimal(0)).quantize(Decimal('0.01')):+}"


def daily_pnl_summaries(*, now: datetime | None = None) -> int:
    """Send each bot owner the P&L of the previous UTC day, once a day per user.

    Runs hourly; from `NOTIFY_DAILY_SUMMARY_HOUR` (UTC) on it summarises yesterday for every
    user with a bot that is not stopped or that had fills that day: per bot, what its sales
    realised that day and in all, and its open position's unrealised P&L at the last price.
    Returns how many users were sent a summary.
    """
    now = now or timezone.now()
    if now.astimezone(UTC).hour < int(settings.NOTIFY_DAILY_SUMMARY_HOUR):
        return 0
    day = now.astimezone(UTC).date() - timedelta(days=1)
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    end = start + timedelta(days=1)
    filled = {
        row["bot_id"]: row
        for row in BotFill.objects.filter(executed_at__gte=start, executed_at__lt=end)
        .values("bot_id")
        .annotate(realised=Sum("realised_pnl"), fills=Count("id"))
    }
    bots = (
        Bot.objects.exclude(state=Bot.State.STOPPED) | Bot.objects.filter(pk__in=list(filled))
    ).select_related("market")
    positions = {p.bot_id: p for p in Position.objects.filter(bot__in=bots)}
    by_owner: dict[int, list[Bot]] = defaultdict(list)
    for bot in bots.order_by("owner_id", "name", "pk"):
        by_owner[bot.owner_id].append(bot)
    sent = 0
    for owner_id, owned in by_owner.items():
        rows, lines = [], []
        totals: dict[str, dict[str, Decimal]] = defaultdict(
            lambda: {"realised_day": Decimal(0), "unrealised": Decimal(0)}
        )
        for bot in owned:
            position = positions.get(bot.pk)
            realised_day = (filled.get(bot.pk) or {}).get("realised") or Decimal(0)
            unrealised = position.unrealised_pnl if position else Decimal(0)
            quote = bot.market.quote
            totals[quote]["realised_day"] += realised_day
            totals[quote]["unrealised"] += unrealised
            rows.append(
                {
                    "bot_id": bot.pk,
                    "name": bot.name,
                    "symbol": bot.market.symbol,
                    "quote": quote,
                    "fills": int((filled.get(bot.pk) or {}).get("fills") or 0),
                    "realised_day": str(realised_day),
                    "realised_total": str(position.realised_pnl if position else Decimal(0)),
                    "unrealised": str(unrealised),
                }
            )
            lines.append(
                f"{bot.name} ({bot.market.symbol}): realised {_money(realised_day)} {quote}, "
                f"unrealised {_money(unrealised)} {quote}"
            )
        total_words = "; ".join(
            f"realised {_money(t['realised_day'])} {q}, unrealised {_money(t['unrealised'])} {q}"
            for q, t in sorted(totals.items())
        )
        notice = {
            "kind": "pnl.daily_summary",
            "title": f"P&L on {day:%Y-%m-%d}: {total_words}"[:200],
            "body": "\n".join(lines[:_SUMMARY_BOTS]),
            "data": {
                "day": day.isoformat(),
                "bots": rows[:_SUMMARY_BOTS],
                "totals": {q: {k: str(v) for k, v in t.items()} for q, t in sorted(totals.items())},
            },
        }
        key = f"pnl.daily_summary:{owner_id}:{day.isoformat()}"
        if _once(key, partial(_tell, [owner_id], **notice)):
            sent += 1
    NoticeSent.objects.filter(created_at__lt=now - NOTICE_RETENTION).delete()
    return sent
