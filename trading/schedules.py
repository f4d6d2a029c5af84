"""Periodic work of the trading app, installed into django-celery-beat on start."""

from __future__ import annotations

from django.conf import settings

BEAT_SCHEDULE = {
    "trading-reconcile-orders": {
        "task": "trading.orders_reconcile",
        "schedule": float(settings.ORDERS_RECONCILE_INTERVAL_SECONDS),
        "options": {"expires": float(settings.ORDERS_RECONCILE_INTERVAL_SECONDS)},
    },
    "trading-paper-candles": {
        "task": "trading.paper_candles",
        "schedule": 60.0,
        "options": {"expires": 60.0},
    },
    "trading-orders-unknown-notice": {
        "task": "trading.orders_unknown_notice",
        "schedule": 60.0,
        "options": {"expires": 60.0},
    },
    # Checked hourly; each user's summary of the previous UTC day goes out once, from
    # NOTIFY_DAILY_SUMMARY_HOUR on.
    "trading-daily-pnl-summaries": {
        "task": "trading.daily_pnl_summaries",
        "schedule": 3600.0,
        "options": {"expires": 3600.0},
    },
    "trading-ingestion-stall-notices": {
        "task": "trading.ingestion_stall_notices",
        "schedule": 300.0,
        "options": {"expires": 300.0},
    },
    # The fallback of the tick triggers (candles landing, a bot starting): every minute.
    "trading-bots-tick-due": {
        "task": "trading.bots_tick_due",
        "schedule": float(settings.BOTS_TICK_INTERVAL_SECONDS),
        "options": {"expires": float(settings.BOTS_TICK_INTERVAL_SECONDS)},
    },
}
