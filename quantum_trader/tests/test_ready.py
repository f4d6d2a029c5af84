"""`/api/ready/`: 200 only when every dependency is fine, 503 naming what failed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from markets import stream
from quantum_trader.celery import heartbeat_task

pytestmark = pytest.mark.django_db


def beat_ran(at: datetime | None = None) -> None:
    every, _ = IntervalSchedule.objects.get_or_create(every=15, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.update_or_create(
        name="worker-heartbeat",
        defaults={
            "task": "quantum_trader.heartbeat",
            "interval": every,
            "last_run_at": at or timezone.now(),
        },
    )


def failing(body: dict) -> set[str]:
    return {name for name, check in body["checks"].items() if not check["ok"]}


def test_ready_when_everything_answers(api_client):
    heartbeat_task()
    beat_ran()

    response = api_client.get("/api/ready/")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "redis", "broker", "worker", "beat", "outbox"}
    assert "migrations applied" in body["checks"]["database"]["detail"]


def test_not_ready_without_worker_or_beat_names_both(api_client):
    response = api_client.get("/api/ready/")

    assert response.status_code == 503
    body = response.json()
    assert body["code"] == "not_ready"
    assert failing(body) == {"worker", "beat"}
    assert body["message"] == "Not ready: worker, beat."


def test_stale_beat_is_not_ready(api_client, settings):
    heartbeat_task()
    beat_ran(datetime.now(UTC) - settings.BEAT_MAX_AGE - timedelta(seconds=5))

    body = api_client.get("/api/ready/").json()

    assert failing(body) == {"beat"}
    assert "more than" in body["checks"]["beat"]["detail"]


def test_outbox_backlog_at_its_limit_is_not_ready(api_client, settings):
    heartbeat_task()
    beat_ran()
    settings.OUTBOX_BACKLOG_LIMIT = 2
    stream.send_now(
        [("g", stream.build_message(type="news", topic="g", id=i, data={})) for i in (1, 2)]
    )

    body = api_client.get("/api/ready/").json()

    assert failing(body) == {"outbox"}
    assert body["checks"]["outbox"]["detail"] == "2 events waiting (limit 2)"
