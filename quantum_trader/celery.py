"""The Celery application: queues by kind of work, schedules collected from the apps.

Each app may define `BEAT_SCHEDULE` in `<app>/schedules.py`; django-celery-beat's database
scheduler installs those entries on start, where the admin can then pause or retime them.
"""

from __future__ import annotations

import importlib
import os
from datetime import UTC, datetime
from typing import Any

from celery import Celery, Task
from celery.signals import task_success
from kombu.entity import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quantum_trader.settings")

APPS = ("markets", "accounts", "sentiment", "signals", "trading")
QUEUES = ("ingest", "ml", "trading", "notify", "default")
HEARTBEAT_CACHE_KEY = "qt:worker:heartbeat"

app = Celery("quantum_trader")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Which queue a task runs on follows the kind of work, decided here in one table: by the app
# that owns the task (the first part of its name), with exceptions by full task name.
QUEUE_BY_APP = {
    "markets": "ingest",
    "sentiment": "ingest",
    "signals": "ml",
    "trading": "trading",
    "accounts": "default",
    "quantum_trader": "default",
}
QUEUE_BY_TASK = {
    "trading.backtest_run": "ml",
    # Orders have the trading queue to themselves, so a long backtest never delays one.
    "trading.order_submit": "trading",
    "trading.order_cancel": "trading",
    "trading.orders_reconcile": "trading",
    "trading.paper_candles": "trading",
    "trading.bot_tick": "trading",
    "trading.bots_tick_due": "trading",
    "trading.bot_fills_book": "trading",
    # Summaries for every bot owner take a while: never in front of an order.
    "trading.daily_pnl_summaries": "default",
    "trading.ingestion_stall_notices": "default",
    # Notification deliveries wait on outside hosts: a queue of their own, so a slow receiver
    # never delays an order or an ingestion.
    "accounts.notification_deliver_task": "notify",
    "accounts.notification_deliver_batch_task": "notify",
}


def route_task(name: str, *_: Any, **__: Any) -> dict[str, str]:
    """Return the queue of a task from its name (Celery's task_routes hook)."""
    queue = QUEUE_BY_TASK.get(name) or QUEUE_BY_APP.get(name.split(".", 1)[0], "default")
    return {"queue": queue}


app.conf.task_queues = [Queue(name) for name in QUEUES]  # type: ignore[no-untyped-call]
app.conf.task_routes = (route_task,)
app.autodiscover_tasks(list(APPS))


def collect_beat_schedule() -> dict[str, dict[str, Any]]:
    """Merge every app's `schedules.BEAT_SCHEDULE` with the platform's own entries."""
    schedule: dict[str, dict[str, Any]] = {
        "worker-heartbeat": {
            "task": "quantum_trader.heartbeat",
            "schedule": 15.0,
            "options": {"expires": 14},
        },
    }
    for name in APPS:
        try:
            module = importlib.import_module(f"{name}.schedules")
        except ModuleNotFoundError as e:
            if e.name != f"{name}.schedules":
                raise
            continue
        schedule.update(getattr(module, "BEAT_SCHEDULE", {}))
    return schedule


@app.on_after_finalize.connect
def _install_schedule(sender: Celery, **_: Any) -> None:
    sender.conf.beat_schedule = collect_beat_schedule()


@app.task(name="quantum_trader.heartbeat", ignore_result=True)
def heartbeat_task() -> str:
    """Record that a worker is alive and consuming; /api/health/ reads it."""
    from django.core.cache import cache

    stamp = datetime.now(UTC).isoformat()
    cache.set(HEARTBEAT_CACHE_KEY, stamp, timeout=None)
    return stamp


INGEST_TASK = "markets.tasks.ingest_market_task"


@task_success.connect
def _candles_landed(sender: Task | None = None, result: Any = None, **_: Any) -> None:
    """Tick the bots as soon as an ingestion stored new closed candles.

    `markets` sits below `trading` and cannot call it; the wiring joins them here. Beat's
    every-minute `trading.bots_tick_due` is the fallback.
    """
    if sender is None or sender.name != INGEST_TASK or not isinstance(result, dict):
        return
    if result.get("inserted", 0) > 0:
        app.send_task("trading.bots_tick_due")


# Task run times, failures and result counters for /metrics (connects Celery's signals).
from quantum_trader import metrics as _metrics  # noqa: E402, F401
