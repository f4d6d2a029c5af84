"""Publish events to the stream, from any process.

Message shape (see DESIGN.md): `{"type", "topic", "id", "ts", "data"}`. With Redis the event
goes straight to the channel layer; in the embedded default the channel layer lives in the
web process only, so the event is written to the `StreamEvent` outbox and the web process
relays it (`relay_outbox`).
"""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from typing import Any

import structlog
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from markets.metrics import STREAM_EVENTS
from markets.models import StreamEvent

log = structlog.get_logger(__name__)

EVENT_TYPES = frozenset(
    {
        "candle",
        "signal",
        "news",
        "post",
        "sentiment",
        "order",
        "fill",
        "bot",
        "backtest",
        "model_tuning",
        "notification",
    }
)
CONSUMER_HANDLER = "stream.message"
OUTBOX_RETENTION = timedelta(hours=1)


def build_message(*, type: str, topic: str, id: int, data: dict[str, Any]) -> dict[str, Any]:
    if type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {type!r}")
    return {
        "type": type,
        "topic": topic,
        "id": int(id),
        "ts": int(time.time() * 1000),
        "data": data,
    }


def publish(*, group: str, type: str, id: int, data: dict[str, Any]) -> None:
    """Send an event to a group once the current transaction commits."""
    message = build_message(type=type, topic=group, id=id, data=data)
    transaction.on_commit(lambda: _send(group, message))


def send_now(events: list[tuple[str, dict[str, Any]]]) -> None:
    """Send already-built (group, message) events at once, outside any transaction hook.

    For callers that commit many small transactions in a row (a pass over many bots) and
    send their events together afterwards: one outbox insert or one trip to the channel
    layer instead of one per event.
    """
    if not events:
        return
    for _, message in events:
        STREAM_EVENTS.labels(type=message["type"]).inc()
    if settings.STREAM_VIA_OUTBOX:
        StreamEvent.objects.bulk_create(
            StreamEvent(group=group, message=message) for group, message in events
        )
        return
    layer = get_channel_layer()
    if layer is None:
        return

    async def send_all() -> None:
        for group, message in events:
            await layer.group_send(group, {"type": CONSUMER_HANDLER, "message": message})

    try:
        async_to_sync(send_all)()
    except Exception as e:  # a lost event must never fail the work that produced it
        log.warning("stream.publish_failed", events=len(events), error=str(e))


def _send(group: str, message: dict[str, Any]) -> None:
    STREAM_EVENTS.labels(type=message["type"]).inc()
    if settings.STREAM_VIA_OUTBOX:
        StreamEvent.objects.create(group=group, message=message)
        return
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, {"type": CONSUMER_HANDLER, "message": message})
    except Exception as e:  # a lost event must never fail the work that produced it
        log.warning("stream.publish_failed", group=group, event_type=message["type"], error=str(e))


_BATCH = 500


@database_sync_to_async
def _fetch_after(last_id: int) -> list[tuple[int, str, dict[str, Any]]]:
    rows = StreamEvent.objects.filter(pk__gt=last_id).order_by("pk")
    return list(rows.values_list("pk", "group", "message")[:_BATCH])


@database_sync_to_async
def _latest_id() -> int:
    last = StreamEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    return int(last or 0)


@database_sync_to_async
def _prune() -> int:
    cutoff = timezone.now() - OUTBOX_RETENTION
    deleted, _ = StreamEvent.objects.filter(created_at__lt=cutoff).delete()
    return deleted


async def relay_outbox(*, interval: float = 0.3, stop: asyncio.Event | None = None) -> None:
    """Forward outbox events to this process's channel layer until `stop` is set."""
    layer = get_channel_layer()
    if layer is None:
        return
    last_id = await _latest_id()
    rounds = 0
    while stop is None or not stop.is_set():
        rows: list[tuple[int, str, dict[str, Any]]] = []
        try:
            rows = await _fetch_after(last_id)
            for pk, group, message in rows:
                await layer.group_send(group, {"type": CONSUMER_HANDLER, "message": message})
                last_id = pk
            rounds += 1
            if rounds % 1000 == 0:
                await _prune()
        except Exception as e:  # keep relaying after a passing database error
            log.warning("stream.relay_error", error=str(e))
        if len(rows) < _BATCH:
            await asyncio.sleep(interval)


_relay_task: asyncio.Task[None] | None = None


def ensure_relay_running() -> None:
    """Start the outbox relay once per web process (embedded default only)."""
    global _relay_task
    if not settings.STREAM_VIA_OUTBOX:
        return
    if _relay_task is None or _relay_task.done():
        _relay_task = asyncio.get_running_loop().create_task(relay_outbox())
