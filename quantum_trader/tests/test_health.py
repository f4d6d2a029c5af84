from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache

from quantum_trader.celery import HEARTBEAT_CACHE_KEY, heartbeat_task

pytestmark = pytest.mark.django_db


def test_health_without_heartbeat_is_degraded_with_worker_named(api_client):
    response = api_client.get("/api/health/")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["channel_layer"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True
    assert body["checks"]["worker"]["ok"] is False
    assert "heartbeat" in body["checks"]["worker"]["detail"]


def test_health_after_heartbeat_is_ok_without_login(api_client):
    heartbeat_task()

    response = api_client.get("/api/health/")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "stream_outbox", "channel_layer", "broker", "worker"}
    assert body["checks"]["worker"]["last_heartbeat"].endswith("Z")


def test_health_stale_heartbeat_fails_worker_check(api_client, settings):
    stale = datetime.now(UTC) - settings.WORKER_HEARTBEAT_MAX_AGE - timedelta(seconds=5)
    cache.set(HEARTBEAT_CACHE_KEY, stale.isoformat(), timeout=None)

    body = api_client.get("/api/health/").json()

    assert body["checks"]["worker"]["ok"] is False
    assert "more than" in body["checks"]["worker"]["detail"]


def test_health_broken_database_check_reports_failure_not_exception(api_client, monkeypatch):
    from quantum_trader import health

    def broken() -> dict:
        raise RuntimeError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", broken)
    heartbeat_task()

    response = api_client.get("/api/health/")

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {
        "ok": False,
        "detail": "RuntimeError: connection refused",
        "latency_ms": response.json()["checks"]["database"]["latency_ms"],
    }


def test_health_reports_the_stream_outbox_backlog(api_client, settings):
    from datetime import timedelta

    from django.utils import timezone

    from markets.models import StreamEvent
    from markets.stream import publish

    heartbeat_task()
    publish(group="asset.BTC", type="news", id=1, data={})
    publish(group="asset.BTC", type="news", id=2, data={})
    StreamEvent.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    settings.STREAM_BACKLOG_MAX_AGE_SECONDS = 60

    response = api_client.get("/api/health/")

    check = response.json()["checks"]["stream_outbox"]
    assert response.status_code == 503
    assert check["ok"] is False
    assert check["pending_events"] == 2
    assert check["oldest_pending_seconds"] >= 299
