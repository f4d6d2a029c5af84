"""`GET /api/health/` (liveness) and `GET /api/ready/` (readiness), without a login.

Health reports the database, channel layer, broker and worker. Ready answers 200 only when
every migration is applied, Redis and the broker answer, a worker's heartbeat and beat's
schedule are fresh and the stream outbox is below its limit; 503 naming what failed.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.migrations.executor import MigrationExecutor
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from markets import stream
from markets.metrics import outbox_backlog
from quantum_trader.celery import HEARTBEAT_CACHE_KEY
from quantum_trader.celery import app as celery_app
from quantum_trader.exceptions import error_body

VERSION = "0.1.0"
Check = dict[str, Any]


def check_database() -> Check:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "detail": connection.vendor}


def check_channel_layer() -> Check:
    layer = get_channel_layer()
    if layer is None:
        return {"ok": False, "detail": "no channel layer configured"}

    async def round_trip() -> bool:
        channel = await layer.new_channel()
        await layer.send(channel, {"type": "health.ping"})
        message = await asyncio.wait_for(layer.receive(channel), timeout=2)
        return bool(message.get("type") == "health.ping")

    ok = async_to_sync(round_trip)()
    return {"ok": ok, "detail": type(layer).__name__}


def check_broker() -> Check:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        transport = conn.transport_cls
    return {"ok": True, "detail": str(transport)}


def check_worker() -> Check:
    stamp = cache.get(HEARTBEAT_CACHE_KEY)
    if stamp is None:
        return {
            "ok": False,
            "detail": "no heartbeat yet: is a worker with beat running?",
            "last_heartbeat": None,
        }
    age = (datetime.now(UTC) - datetime.fromisoformat(stamp)).total_seconds()
    max_age = settings.WORKER_HEARTBEAT_MAX_AGE.total_seconds()
    ok = age <= max_age
    detail = f"last heartbeat {age:.0f}s ago" + ("" if ok else f" (more than {max_age:.0f}s)")
    return {"ok": ok, "detail": detail, "last_heartbeat": stamp.replace("+00:00", "Z")}


def check_migrations() -> Check:
    """The database answers and has every migration this code knows applied."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in plan[:5])
        more = f" and {len(plan) - 5} more" if len(plan) > 5 else ""
        return {"ok": False, "detail": f"{len(plan)} migrations not applied: {names}{more}"}
    return {"ok": True, "detail": f"{connection.vendor} ({DEFAULT_DB_ALIAS}), migrations applied"}


def check_redis() -> Check:
    if not settings.REDIS_URL:
        return {"ok": True, "detail": "not used (embedded default)"}
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    finally:
        client.close()
    return {"ok": True, "detail": "ping answered"}


def check_beat() -> Check:
    """Beat ran a periodic task recently (the database scheduler records each run)."""
    from django.db.models import Max
    from django_celery_beat.models import PeriodicTask

    last = PeriodicTask.objects.filter(enabled=True).aggregate(m=Max("last_run_at"))["m"]
    if last is None:
        return {"ok": False, "detail": "no periodic task has run yet: is beat running?"}
    age = (datetime.now(UTC) - last).total_seconds()
    max_age = settings.BEAT_MAX_AGE.total_seconds()
    ok = age <= max_age
    detail = f"last periodic run {age:.0f}s ago" + ("" if ok else f" (more than {max_age:.0f}s)")
    return {"ok": ok, "detail": detail}


def check_outbox() -> Check:
    backlog = outbox_backlog()
    limit = settings.OUTBOX_BACKLOG_LIMIT
    ok = backlog < limit
    return {"ok": ok, "detail": f"{backlog} events waiting" + ("" if ok else f" (limit {limit})")}


READY_CHECKS: dict[str, Callable[[], Check]] = {
    "database": check_migrations,
    "redis": check_redis,
    "broker": check_broker,
    "worker": check_worker,
    "beat": check_beat,
    "outbox": check_outbox,
}


def check_stream_outbox() -> Check:
    """Events committed but not yet sent to the channel layer (the dispatchers' backlog)."""
    figures = stream.backlog()
    age = figures["oldest_pending_seconds"]
    ok = age is None or age <= settings.STREAM_BACKLOG_MAX_AGE_SECONDS
    detail = f"{figures['pending_events']} events waiting" + (
        "" if age is None else f", oldest {age:.0f}s"
    )
    return {"ok": ok, "detail": detail, **figures}


CHECKS: dict[str, Callable[[], Check]] = {
    "database": check_database,
    "stream_outbox": check_stream_outbox,
    "channel_layer": check_channel_layer,
    "broker": check_broker,
    "worker": check_worker,
}


def _run(check: Callable[[], Check]) -> Check:
    started = time.perf_counter()
    try:
        result = check()
    except Exception as e:  # a failed check is reported, never raised
        result = {"ok": False, "detail": f"{type(e).__name__}: {e}"[:300]}
    result["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


class HealthCheckSerializer(serializers.Serializer[Any]):
    """One dependency's check (documented as the `HealthCheck` component)."""

    ok = serializers.BooleanField()
    detail = serializers.CharField()
    latency_ms = serializers.FloatField()
    last_heartbeat = serializers.DateTimeField(
        required=False, allow_null=True, help_text="worker only: its last heartbeat, if any"
    )
    pending_events = serializers.IntegerField(
        required=False, help_text="stream_outbox only: events committed, not yet dispatched"
    )
    oldest_pending_seconds = serializers.FloatField(
        required=False, allow_null=True, help_text="stream_outbox only: age of the oldest of them"
    )
    stored_events = serializers.IntegerField(
        required=False, help_text="stream_outbox only: events kept for replay"
    )


def _health_fields() -> dict[str, serializers.Field[Any, Any, Any, Any]]:
    # Fresh field instances for each schema: a field is bound to one serializer only.
    return {
        "status": serializers.ChoiceField(["ok", "degraded"]),
        "mode": serializers.ChoiceField(["embedded", "production"]),
        "version": serializers.CharField(),
        "checks": serializers.DictField(child=HealthCheckSerializer()),
    }


def _error_fields(code: str) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
    """The error shape's keys, so a 503 reads like every other API error."""
    return {
        "code": serializers.CharField(help_text=f'always "{code}"'),
        "message": serializers.CharField(),
        "field": serializers.CharField(allow_null=True),
        "fields": serializers.DictField(child=serializers.ListField()),
    }


@extend_schema(
    responses={
        (200, "application/json"): inline_serializer("Health", _health_fields()),
        # The error shape's keys as well, so a 503 reads like every other API error.
        (503, "application/json"): inline_serializer(
            "HealthDegraded",
            {
                **_health_fields(),
                **_error_fields("unhealthy"),
            },
        ),
    }
)
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([])
def health(request: Request) -> Response:
    """Report each dependency; 200 when all are fine, 503 otherwise."""
    checks = {name: _run(check) for name, check in CHECKS.items()}
    healthy = all(c["ok"] for c in checks.values())
    body = {
        "status": "ok" if healthy else "degraded",
        "mode": "embedded" if settings.STREAM_VIA_OUTBOX else "production",
        "version": VERSION,
        "checks": checks,
    }
    if healthy:
        return Response(body)
    failing = ", ".join(name for name, check in checks.items() if not check["ok"])
    body.update(error_body(code="unhealthy", message=f"Not every dependency is fine: {failing}."))
    return Response(body, status=503)


def _ready_fields() -> dict[str, serializers.Field[Any, Any, Any, Any]]:
    return {
        "status": serializers.ChoiceField(["ready", "not_ready"]),
        "checks": serializers.DictField(child=HealthCheckSerializer()),
    }


@extend_schema(
    responses={
        (200, "application/json"): inline_serializer("Ready", _ready_fields()),
        (503, "application/json"): inline_serializer(
            "NotReady",
            {
                **_ready_fields(),
                **_error_fields("not_ready"),
            },
        ),
    }
)
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([])
def ready(request: Request) -> Response:
    """Readiness: 200 when this instance may take traffic, 503 naming each failed check."""
    checks = {name: _run(check) for name, check in READY_CHECKS.items()}
    if all(c["ok"] for c in checks.values()):
        return Response({"status": "ready", "checks": checks})
    failing = ", ".join(name for name, check in checks.items() if not check["ok"])
    body: dict[str, Any] = {"status": "not_ready", "checks": checks}
    body.update(error_body(code="not_ready", message=f"Not ready: {failing}."))
    return Response(body, status=503)
