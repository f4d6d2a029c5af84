"""The stream outbox: publish events inside the caller's transaction, dispatch them in order.

Message shape (see DESIGN.md and docs/realtime.md):
`{"type", "topic", "seq", "id", "ts", "data"}`, where `seq` numbers the events of one topic
1, 2, 3, ... without gaps.

- `publish()` writes the event to `StreamEvent` inside the caller's transaction: the event
  exists if and only if the change it describes committed. On PostgreSQL it is numbered at that
  commit by a deferred trigger, with the transaction's other events, one upsert per topic on
  `StreamTopic` in name order (so transactions touching the same topics in different orders
  cannot deadlock); a topic's numbers follow commit order (the row lock is held until the
  commit ends). SQLite numbers at `publish()` (one writer at a time).
- `dispatch_round()` claims topics whose events are not all sent yet (`SELECT ... FOR UPDATE
  SKIP LOCKED` on their `StreamCursor` rows, so several dispatchers may run at once), sends
  their events to the channel layer in sequence order and moves the cursors, all in one
  transaction: a dispatcher that dies mid-round leaves the cursor where it was and the next
  round sends those events again (at least once; clients drop duplicates by topic and seq).
- `replay()` reads what a reconnecting client missed; `prune()` keeps the outbox bounded.

Both run modes use this path: the embedded default (SQLite, in-memory channel layer)
dispatches in the web process; production (PostgreSQL, Redis) dispatches in the web process
and/or `manage.py stream_dispatch` processes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import structlog
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import BaseChannelLayer, get_channel_layer
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Min, OuterRef, Q, Subquery
from django.utils import timezone

from markets.metrics import STREAM_EVENTS
from markets.models import StreamCursor, StreamEvent, StreamTopic

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

Event = tuple[str, dict[str, Any]]


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
    """Write an event to the outbox as part of the current transaction (or its own)."""
    append([(group, build_message(type=type, topic=group, id=id, data=data))])


def send_now(events: list[Event]) -> None:
    """Write already-built (group, message) events to the outbox at once.

    Like `publish()`, part of the current transaction (or its own when there is none), with one
    statement per topic instead of per event: for callers that build a batch's events together
    (a chunk of bot ticks, a batch of fills) inside the transaction that wrote the batch.
    """
    append(events)


def append(events: Iterable[Event]) -> None:
    """Store events in the current transaction (or their own), numbered when it commits.

    PostgreSQL: the rows are written without a sequence, and a deferred trigger (migration
    0006) numbers all of the transaction's events at its commit, locking their topic rows in
    name order: transactions that publish to several topics in different orders cannot deadlock,
    and a topic's sequences follow commit order. SQLite, which lets one writer at a time, numbers
    them here. A transaction that never commits (a test's wrapping one) numbers them at once.
    """
    batch = list(events)
    if not batch:
        return
    for _, message in batch:
        STREAM_EVENTS.labels(type=message["type"]).inc()
    rows = [
        StreamEvent(group=group, sequence=None, message=_bounded({**message, "topic": group}))
        for group, message in batch
    ]
    with transaction.atomic():
        if connection.vendor != "postgresql":
            _number(rows)
        StreamEvent.objects.bulk_create(rows)
        if connection.vendor == "postgresql" and _never_commits():
            with connection.cursor() as cursor:
                cursor.execute(f"SET CONSTRAINTS {NUMBER_AT_COMMIT} IMMEDIATE")
                cursor.execute(f"SET CONSTRAINTS {NUMBER_AT_COMMIT} DEFERRED")


NUMBER_AT_COMMIT = "stream_event_number_at_commit"


def _never_commits() -> bool:
    """Inside a test case's wrapping transaction, which is rolled back instead of committed."""
    blocks = connection.atomic_blocks
    return bool(blocks) and bool(getattr(blocks[0], "_from_testcase", False))


def _number(rows: list[StreamEvent]) -> None:
    """Number `rows` now, topics in name order (SQLite: one writer at a time)."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.group] = counts.get(row.group, 0) + 1
    next_seq = {}
    for group in sorted(counts):
        next_seq[group] = _allocate(group, counts[group]) - counts[group] + 1
    for row in rows:
        row.sequence = next_seq[row.group]
        next_seq[row.group] += 1
        row.message = {**row.message, "seq": row.sequence}


def _allocate(group: str, count: int) -> int:
    """Raise the topic's last sequence by `count` (creating the topic) and return the new value.

    SQLite (3.35+); PostgreSQL does the same in its commit trigger. The updated row stays locked
    until the transaction ends, which is what keeps the numbers gapless and in commit order.
    """
    table = StreamTopic._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (name, last_sequence) VALUES (%s, %s) "  # noqa: S608
            f"ON CONFLICT (name) DO UPDATE SET last_sequence = {table}.last_sequence "
            "+ excluded.last_sequence RETURNING id, last_sequence",
            [group, count],
        )
        topic_id, last = cursor.fetchone()
    if last == count:  # the topic is new: give it a dispatcher cursor
        StreamCursor.objects.get_or_create(topic_id=topic_id)
    return int(last)


def _bounded(message: dict[str, Any]) -> dict[str, Any]:
    size = len(json.dumps(message, separators=(",", ":"), default=str))
    if size <= settings.STREAM_MAX_EVENT_BYTES:
        return message
    log.warning(
        "stream.event_too_big", topic=message["topic"], event_type=message["type"], size=size
    )
    return {**message, "data": {"too_big": True}}


# --- dispatching ----------------------------------------------------------------------------

Sender = Callable[[list[Event]], None]


@dataclass
class RoundReport:
    topics: int = 0
    events: int = 0
    sent: list[tuple[str, int]] = field(default_factory=list)


def dispatch_round(
    send: Sender, *, max_topics: int = 100, max_events: int = 2000, skip_locked: bool = True
) -> RoundReport:
    """Send one batch of committed, unsent events and move the cursors, in one transaction.

    `send` must deliver the events in the order given or raise; when it raises, nothing is
    marked sent and the next round sends the whole batch again.
    """
    report = RoundReport()
    with transaction.atomic():
        claim = StreamCursor.objects.filter(
            dispatched_sequence__lt=F("topic__last_sequence")
        ).select_related("topic")
        if connection.features.has_select_for_update_skip_locked and skip_locked:
            claim = claim.select_for_update(skip_locked=True, of=("self",))
        cursors = list(claim.order_by(F("dispatched_at").asc(nulls_first=True))[:max_topics])
        if not cursors:
            return report
        wanted = Q()
        for cursor in cursors:
            wanted |= Q(group=cursor.topic.name, sequence__gt=cursor.dispatched_sequence)
        rows = list(
            StreamEvent.objects.filter(wanted)
            .order_by("group", "sequence")
            .values_list("group", "sequence", "message")[:max_events]
        )
        if not rows:
            return report
        expected = {c.topic.name: c.dispatched_sequence + 1 for c in cursors}
        events: list[Event] = []
        for group, seq, message in rows:
            if seq != expected[group]:
                # Cannot happen while the outbox is written only by append(); never skip over it.
                log.error("stream.sequence_gap", topic=group, expected=expected[group], got=seq)
                continue
            expected[group] = seq + 1
            events.append((group, message))
        send(events)
        now = timezone.now()
        for cursor in cursors:
            last = expected[cursor.topic.name] - 1
            if last > cursor.dispatched_sequence:
                StreamCursor.objects.filter(pk=cursor.pk).update(
                    dispatched_sequence=last, dispatched_at=now
                )
                report.topics += 1
                report.sent.append((cursor.topic.name, last))
        report.events = len(events)
    return report


def layer_sender(layer: BaseChannelLayer) -> Sender:
    """Send events with `layer` from sync code (inside `dispatch_round`)."""

    async def send_all(events: list[Event]) -> None:
        for group, message in events:
            await layer.group_send(group, {"type": CONSUMER_HANDLER, "message": message})

    def send(events: list[Event]) -> None:
        async_to_sync(send_all)(events)

    return send


async def dispatch_forever(
    *,
    interval: float | None = None,
    stop: asyncio.Event | None = None,
    on_round: Callable[[RoundReport], Awaitable[None]] | None = None,
) -> None:
    """Dispatch until `stop` is set: a round whenever there is work, else every `interval` s.

    Runs in any event loop (the web process's, or `manage.py stream_dispatch`); the database
    work runs in a thread, and the channel layer is used from this loop.
    """
    layer = get_channel_layer()
    if layer is None:
        return
    pause = settings.STREAM_DISPATCH_INTERVAL if interval is None else interval
    send = layer_sender(layer)
    run_round = database_sync_to_async(dispatch_round, thread_sensitive=False)
    run_prune = database_sync_to_async(prune, thread_sensitive=False)
    failures = 0
    last_prune = time.monotonic()
    while stop is None or not stop.is_set():
        report = RoundReport()
        try:
            report = await run_round(send)
            failures = 0
            if on_round is not None:
                await on_round(report)
            if time.monotonic() - last_prune > settings.STREAM_PRUNE_EVERY_SECONDS:
                last_prune = time.monotonic()
                await run_prune()
        except Exception as e:  # a database or Redis blip: nothing was marked sent, try again
            failures += 1
            log.warning("stream.dispatch_error", error=f"{type(e).__name__}: {e}"[:300])
        if report.events == 0:
            delay = pause if failures == 0 else min(5.0, pause * 2**failures)
            if stop is None:
                await asyncio.sleep(delay)
            else:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=delay)


_dispatch_task: asyncio.Task[None] | None = None


def ensure_dispatcher_running() -> None:
    """Start the dispatcher once in this (web) process, unless disabled by settings."""
    global _dispatch_task
    if not settings.STREAM_DISPATCHER_IN_WEB:
        return
    if _dispatch_task is None or _dispatch_task.done():
        _dispatch_task = asyncio.get_running_loop().create_task(dispatch_forever())


# --- replay, retention, backlog -------------------------------------------------------------


@dataclass
class Replay:
    """What a client that saw `after` of a topic missed, or why it must refetch instead."""

    events: list[dict[str, Any]]
    head: int  # the topic's last dispatched sequence (where live events continue from)
    too_old: bool = False


def replay(topic: str, after: int | None, *, limit: int | None = None) -> Replay:
    """The committed events of `topic` after `after`, in order (None: nothing, just the head).

    `too_old` when some of them are no longer kept (past retention), when there are more than
    `limit` (STREAM_REPLAY_MAX), or when `after` is beyond anything this server numbered.
    """
    cap = settings.STREAM_REPLAY_MAX if limit is None else limit
    row = (
        StreamTopic.objects.filter(name=topic)
        .values_list("last_sequence", "cursor__dispatched_sequence")
        .first()
    )
    last, dispatched = (int(row[0]), int(row[1] or 0)) if row else (0, 0)
    if after is None or after == last:
        return Replay(events=[], head=dispatched if after is None else last)
    if after < 0 or after > last:
        return Replay(events=[], head=last, too_old=True)
    oldest = StreamEvent.objects.filter(group=topic).aggregate(m=Min("sequence"))["m"]
    if oldest is None or oldest > after + 1:
        return Replay(events=[], head=last, too_old=True)
    messages = list(
        StreamEvent.objects.filter(group=topic, sequence__gt=after)
        .order_by("sequence")
        .values_list("message", flat=True)[: cap + 1]
    )
    if len(messages) > cap:
        return Replay(events=[], head=last, too_old=True)
    head = messages[-1]["seq"] if messages else after
    return Replay(events=messages, head=int(head))


def dispatched_heads(topics: Iterable[str]) -> dict[str, int]:
    """The last dispatched sequence of each topic (0 for topics with no events yet)."""
    names = list(topics)
    found = dict(
        StreamCursor.objects.filter(topic__name__in=names).values_list(
            "topic__name", "dispatched_sequence"
        )
    )
    return {name: int(found.get(name, 0)) for name in names}


def prune(*, now: Any = None) -> int:
    """Delete sent events older than STREAM_RETENTION, and beyond STREAM_RETENTION_ROWS."""
    dispatched = StreamCursor.objects.filter(topic__name=OuterRef("group")).values(
        "dispatched_sequence"
    )[:1]
    sent = StreamEvent.objects.filter(sequence__lte=Subquery(dispatched))
    cutoff = (now or timezone.now()) - settings.STREAM_RETENTION
    deleted, _ = sent.filter(created_at__lt=cutoff).delete()
    keep = settings.STREAM_RETENTION_ROWS
    boundary = (
        StreamEvent.objects.order_by("-pk").values_list("pk", flat=True)[keep : keep + 1].first()
    )
    if boundary is not None:
        more, _ = sent.filter(pk__lte=boundary).delete()
        deleted += more
    if deleted:
        log.info("stream.pruned", events=deleted)
    return deleted


def backlog() -> dict[str, Any]:
    """Events committed but not yet sent, and the age of the oldest of them (for health)."""
    pending = StreamCursor.objects.filter(dispatched_sequence__lt=F("topic__last_sequence"))
    count = 0
    oldest_age: float | None = None
    for topic, sent, last in pending.values_list(
        "topic__name", "dispatched_sequence", "topic__last_sequence"
    )[:1000]:
        count += int(last) - int(sent)
        first = (
            StreamEvent.objects.filter(group=topic, sequence=sent + 1)
            .values_list("created_at", flat=True)
            .first()
        )
        if first is not None:
            age = (timezone.now() - first).total_seconds()
            oldest_age = age if oldest_age is None else max(oldest_age, age)
    return {
        "pending_events": count,
        "oldest_pending_seconds": None if oldest_age is None else round(oldest_age, 1),
        "stored_events": StreamEvent.objects.count(),
    }
