"""Thin Celery tasks: poll each source, refresh aggregates. One lock per source or asset."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import structlog
from celery import shared_task
from django.utils import timezone

from markets.locks import task_lock
from sentiment import services
from sentiment.models import Source

log = structlog.get_logger(__name__)

LOCK_SECONDS = 600


def _poll_all(kind: str, poll: Callable[..., services.PollReport]) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for source_id in Source.objects.filter(kind=kind, enabled=True).values_list("pk", flat=True):
        with task_lock(f"sentiment:source:{source_id}", ttl=LOCK_SECONDS) as lease:
            if lease is None:
                results[str(source_id)] = "locked"
                continue
            report = poll(source_id=source_id)
        results[str(source_id)] = report.status
        log.info(
            "sentiment.polled",
            source_id=source_id,
            status=report.status,
            detail=report.detail,
            fetched=report.fetched,
            created=report.ingest.created,
        )
    return results


@shared_task(
    name="sentiment.poll_cryptopanic_task",
    time_limit=300,
    soft_time_limit=270,
    ignore_result=True,
)
def poll_cryptopanic_task() -> dict[str, Any]:
    """Poll every enabled CryptoPanic source (skips without CRYPTOPANIC_TOKEN)."""
    return _poll_all(Source.Kind.CRYPTOPANIC, services.cryptopanic_poll)


@shared_task(
    name="sentiment.poll_x_task",
    time_limit=600,
    soft_time_limit=570,
    ignore_result=True,
)
def poll_x_task() -> dict[str, Any]:
    """Poll every enabled X source (skips without X_BEARER_TOKEN)."""
    return _poll_all(Source.Kind.X, services.x_poll)


@shared_task(
    name="sentiment.poll_demo_task",
    time_limit=120,
    soft_time_limit=100,
    ignore_result=True,
)
def poll_demo_task() -> dict[str, Any]:
    """Emit the demo source's headlines (offline)."""
    return _poll_all(Source.Kind.DEMO, services.demo_poll)


@shared_task(
    name="sentiment.aggregates_recompute_task",
    time_limit=600,
    soft_time_limit=570,
    ignore_result=True,
)
def aggregates_recompute_task(asset: str, interval: str, hours: int = 6) -> int:
    """Recompute one asset's aggregates over the last `hours` (a safety net after late fixes)."""
    end = timezone.now()
    with task_lock(f"sentiment:aggregate:{asset}:{interval}", ttl=LOCK_SECONDS) as lease:
        if lease is None:
            return 0
        return services.aggregates_recompute(
            asset=asset, interval=interval, start=end - timedelta(hours=hours), end=end
        )


@shared_task(
    name="sentiment.aggregates_refresh_task",
    time_limit=600,
    soft_time_limit=570,
    ignore_result=True,
)
def aggregates_refresh_task(hours: int = 6) -> int:
    """Recompute the recent aggregates of every asset any enabled source collects."""
    assets: set[str] = set()
    for source_assets in Source.objects.filter(enabled=True).values_list("assets", flat=True):
        assets.update(a.upper() for a in source_assets or [])
    written = 0
    for asset in sorted(assets):
        for interval in services.AGGREGATE_INTERVALS:
            written += aggregates_recompute_task(asset, interval, hours)
    return written
