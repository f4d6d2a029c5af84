"""Celery tasks of the trading app: thin wrappers over services."""

from __future__ import annotations

from typing import Any

import structlog
from celery import shared_task

from trading.services import backtest_run_execute

log = structlog.get_logger(__name__)


@shared_task(name="trading.backtest_run", ignore_result=True)
def backtest_run_task(run_id: int) -> None:
    """Run one queued backtest; a run already claimed by another worker is skipped."""
    if not backtest_run_execute(run_id=int(run_id)):
        log.info("backtest.skipped", run_id=run_id, reason="not queued")


# No autoretry: a redelivered message (worker lost before acking) finds the order claimed
# and skips it; an order whose outcome is unknown is left to the reconciler.
@shared_task(name="trading.order_submit", ignore_result=True, time_limit=120)
def order_submit_task(order_id: int) -> str:
    """Claim a NEW order and send it once; an order already claimed is skipped."""
    from trading.orders.services import order_submit

    outcome = order_submit(order_id=int(order_id))
    log.info("order.submit_task", order_id=order_id, outcome=outcome)
    return outcome


@shared_task(name="trading.order_cancel", ignore_result=True, time_limit=120)
def order_cancel_task(order_id: int) -> str:
    """Cancel an open order on its venue."""
    from trading.orders.services import order_cancel

    return order_cancel(order_id=int(order_id))


@shared_task(name="trading.orders_reconcile", ignore_result=True, time_limit=25 * 60)
def orders_reconcile_task() -> dict[str, Any]:
    """One reconciler pass (every 30 s by beat).

    Two overlapping passes are harmless: every change is a conditional update, so only one
    of them can claim an order for a resend.
    """
    from trading.orders.reconcile import orders_reconcile

    return orders_reconcile().as_dict()


@shared_task(name="trading.paper_candles", ignore_result=True, time_limit=120)
def paper_candles_task() -> int:
    """Fill paper limit orders from the candles that closed since the last run."""
    from trading.orders.paper_store import paper_books_feed_candles

    fills = paper_books_feed_candles()
    if fills:
        log.info("trading.paper_fills", fills=fills)
    return fills


@shared_task(name="trading.bot_tick", ignore_result=True, time_limit=300)
def bot_tick_task(bot_id: int, candle_open_ms: int) -> str:
    """Decide once for one bot on one closed candle; a second delivery is a no-op."""
    from trading.bots.engine import bot_tick, ms_to_datetime

    return bot_tick(bot_id=int(bot_id), candle_time=ms_to_datetime(int(candle_open_ms)))


@shared_task(name="trading.bots_tick_due", ignore_result=True, time_limit=20 * 60)
def bots_tick_due_task(bot_id: int | None = None) -> dict[str, Any]:
    """Tick every running bot (or one) whose newest closed candle has no tick yet.

    Beat runs it every minute; the wiring starts it when candles land, a bot starts on commit.
    """
    from trading.bots.engine import bots_tick_due

    report = bots_tick_due(bot_ids=None if bot_id is None else [int(bot_id)])
    log.info("bots.tick_due", **report.as_dict())
    return report.as_dict()


@shared_task(name="trading.bot_fills_book", ignore_result=True, time_limit=120)
def bot_fills_book_task(bot_id: int) -> bool:
    """Book a bot's new fills into its state and position."""
    from trading.bots.engine import bot_fills_book

    return bot_fills_book(bot_id=int(bot_id))


@shared_task(name="trading.orders_unknown_notice", ignore_result=True, time_limit=120)
def orders_unknown_notice_task() -> int:
    """Tell owners about orders UNKNOWN for more than a minute (each once)."""
    from trading.orders.notices import orders_unknown_notice

    return orders_unknown_notice()


@shared_task(name="trading.daily_pnl_summaries", ignore_result=True, time_limit=600)
def daily_pnl_summaries_task() -> int:
    """Send yesterday's P&L summary to each bot owner (once a day per user; runs hourly)."""
    from trading.bots.notices import daily_pnl_summaries

    return daily_pnl_summaries()


@shared_task(name="trading.ingestion_stall_notices", ignore_result=True, time_limit=120)
def ingestion_stall_notices_task() -> int:
    """Tell of markets whose candles stopped coming (each stall once)."""
    from trading.bots.notices import ingestion_stall_notices

    return ingestion_stall_notices()
