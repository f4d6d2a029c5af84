from __future__ import annotations

import pytest

from quantum_trader.celery import QUEUES, app, collect_beat_schedule, route_task


def _project_tasks() -> list[str]:
    app.loader.import_default_modules()
    return sorted(name for name in app.tasks if not name.startswith("celery."))


def test_every_project_task_routes_to_a_known_queue():
    names = _project_tasks()

    assert len(names) >= 5
    for name in names:
        assert route_task(name)["queue"] in QUEUES, name


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("markets.tasks.ingest_market_task", "ingest"),
        ("sentiment.poll_demo_task", "ingest"),
        ("trading.backtest_run", "ml"),
        ("accounts.exchange_account_check_task", "default"),
        ("quantum_trader.heartbeat", "default"),
        ("accounts.notification_deliver_task", "notify"),
        ("accounts.notification_deliver_batch_task", "notify"),
        ("trading.daily_pnl_summaries", "default"),
        ("trading.ingestion_stall_notices", "default"),
        ("unknown.thing", "default"),
    ],
)
def test_route_task_follows_the_kind_of_work(task, queue):
    assert route_task(task) == {"queue": queue}


def test_beat_schedule_names_only_registered_tasks():
    schedule = collect_beat_schedule()
    registered = set(_project_tasks())

    assert "worker-heartbeat" in schedule
    missing = {entry["task"] for entry in schedule.values()} - registered
    assert not missing, f"scheduled but not registered: {missing}"


def test_no_task_pins_its_own_queue():
    # Queues are decided by route_task alone; a task-level `queue` would silently override it.
    pinned = [name for name in _project_tasks() if getattr(app.tasks[name], "queue", None)]

    assert pinned == []
