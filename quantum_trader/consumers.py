"""The one websocket consumer: `/ws/stream/` (protocol: docs/realtime.md).

A connection joins its own user's group on connect (`?after=<seq>` resumes it), and may
subscribe to public market and asset groups, optionally with the last sequence it saw: the
missed events are replayed from the outbox before live ones, or it is told to refetch when they
are no longer kept. A user group other than its own is refused, as is any unknown topic.

Each topic's events leave here in sequence order, each once per connection: duplicates (a
dispatcher that sent a batch again) are dropped, and a gap (a message the channel layer lost)
is filled from the outbox before the event that revealed it. A heartbeat checks the same for
the tail of each topic. Messages wait in a bounded queue; a connection whose queue overflows
is told to resync and closed.

A connection also joins the group of the session or token it was opened with: revoking that
sign-in (sign-out, "sign out everywhere", revoke on the Settings page, a password change)
closes it with 4401.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any
from urllib.parse import parse_qs

import structlog
from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from channels.utils import await_many_dispatch
from django.conf import settings

from accounts.events import sign_in_group, user_group, user_id_of_group
from markets.events import is_market_group
from markets.metrics import WEBSOCKET_CONNECTIONS
from markets.stream import Replay, dispatched_heads, ensure_dispatcher_running, replay
from quantum_trader import safejson
from quantum_trader.ws_auth import scope_sign_in_id
from sentiment.events import is_asset_group

log = structlog.get_logger(__name__)

CLOSE_UNAUTHENTICATED = 4401
CLOSE_TOO_SLOW = 4408
CLOSE_TOO_BIG = 1009  # RFC 6455: "message too big to process"
MAX_FRAME_DEPTH = 4
# Kept for callers that read the cap from here; the setting is the source.
MAX_SUBSCRIPTIONS = 50

_replay = database_sync_to_async(replay)
_heads = database_sync_to_async(dispatched_heads)


def _sequence(value: Any) -> int | bool | None:
    """A client's `after`: a non-negative int, None when absent, False when malformed."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return False
    return int(value)


class StreamConsumer(AsyncJsonWebsocketConsumer):
    """Push candles, signals, sentiment and the user's own events to the browser."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user_id: int = user.pk
        self.groups_joined: set[str] = set()
        # The last sequence sent on this connection, per joined topic.
        self.seen: dict[str, int] = {}
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(
            maxsize=settings.STREAM_SEND_QUEUE
        )
        self.closing = False
        sign_in_id = await scope_sign_in_id(self.scope)
        self.sign_in_group = sign_in_group(sign_in_id) if sign_in_id is not None else None
        ensure_dispatcher_running()
        await self.accept()
        WEBSOCKET_CONNECTIONS.inc()
        self.counted = True
        if self.sign_in_group is not None:
            await self.channel_layer.group_add(self.sign_in_group, self.channel_name)
        self.tasks = [asyncio.create_task(self._write_loop())]
        own = user_group(self.user_id)
        after = self._after_from_query()
        await self._join(own)
        catch_up = await _replay(own, after)
        start = catch_up.head if after is None or catch_up.too_old else after
        await self._notice(
            "hello",
            {
                "user": user.username,
                "topics": sorted(self.groups_joined),
                "heartbeat_ms": settings.STREAM_HEARTBEAT_SECONDS * 1000,
                "seq": {own: start},
            },
        )
        self._start_topic(own, after, catch_up, announce=False)
        self.tasks.append(asyncio.create_task(self._heartbeat_loop()))

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Channels' `AsyncConsumer.__call__`, with a channel-layer receive that survives Redis.

        Channels lets an exception from the channel layer's `receive()` end the consumer (and
        close the websocket with 1011); a restarted Redis raises one on every connection. Here
        the receive waits and retries instead, and the connection gets back into its groups
        (a restarted Redis forgot them) and fills what it missed from the outbox.
        """
        self.scope = scope
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        self.base_send = send
        self.layer_lost = False
        self.recovery: asyncio.Task[None] | None = None
        try:
            if self.channel_layer is None:
                await await_many_dispatch([receive], self.dispatch)
                return
            self.channel_name = await self.channel_layer.new_channel()
            await await_many_dispatch([receive, self._channel_receive], self.dispatch)
        except StopConsumer:
            pass
        finally:
            # Also when the consumer failed and disconnect() never ran.
            self._stop_tasks()

    async def _channel_receive(self) -> dict[str, Any]:
        """The next channel-layer message for this connection; a lost layer is waited out."""
        failures = 0
        while True:
            try:
                message: dict[str, Any] = await self.channel_layer.receive(self.channel_name)
                return message
            except Exception as e:  # Redis restarted or unreachable: retry, then rejoin
                failures += 1
                if not self.layer_lost:
                    log.warning(
                        "stream.channel_layer_lost",
                        user_id=getattr(self, "user_id", None),
                        error=f"{type(e).__name__}: {e}"[:300],
                    )
                self.layer_lost = True
                if getattr(self, "tasks", None) is not None and (
                    self.recovery is None or self.recovery.done()
                ):
                    self.recovery = asyncio.create_task(self._recover())
                    self.tasks.append(self.recovery)
                await asyncio.sleep(min(2.0, 0.05 * 2**failures))

    async def _recover(self) -> None:
        """Rejoin every group once the layer answers again, then fill each topic's gap.

        Events the dispatchers sent while this connection was out of its groups (to a
        restarted Redis, or to nobody) are marked sent, so they come from the outbox here;
        live events after the rejoin are deduplicated against them by sequence.
        """
        delay = 0.1
        while True:
            try:
                groups = sorted(self.groups_joined)
                if self.sign_in_group is not None:
                    groups.append(self.sign_in_group)
                for group in groups:
                    await self.channel_layer.group_add(group, self.channel_name)
                self.layer_lost = False
                for topic in sorted(self.seen):
                    await self._catch_up(topic)
                log.info("stream.channel_layer_back", user_id=self.user_id, groups=len(groups))
                return
            except Exception as e:  # still down: try again a little later
                log.info("stream.channel_layer_waiting", error=f"{type(e).__name__}: {e}"[:200])
                await asyncio.sleep(delay)
                delay = min(2.0, delay * 2)

    def _stop_tasks(self) -> None:
        for task in getattr(self, "tasks", []):
            task.cancel()

    async def disconnect(self, code: int) -> None:
        self._stop_tasks()
        if getattr(self, "counted", False):
            WEBSOCKET_CONNECTIONS.dec()
            self.counted = False
        groups = sorted(getattr(self, "groups_joined", set()))
        if getattr(self, "sign_in_group", None) is not None:
            groups.append(self.sign_in_group)
        try:
            for group in groups:
                await self.channel_layer.group_discard(group, self.channel_name)
        except Exception as e:  # Redis is down: its group entries expire on their own
            log.info("stream.group_discard_failed", error=f"{type(e).__name__}: {e}"[:200])

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any
    ) -> None:
        """Parse a frame defensively: a bad one gets an error message, the connection stays.

        A frame over WEBSOCKET_MAX_FRAME_BYTES closes the connection with 1009.
        """
        size = len(text_data.encode()) if text_data is not None else len(bytes_data or b"")
        if size > settings.WEBSOCKET_MAX_FRAME_BYTES:
            log.info("stream.frame_too_big", user_id=getattr(self, "user_id", None), size=size)
            await self.close(code=CLOSE_TOO_BIG)
            return
        if text_data is None:
            await self._notice(
                "error", {"detail": "Binary frames are not accepted; send JSON text."}
            )
            return
        try:
            content = safejson.loads(text_data, max_depth=MAX_FRAME_DEPTH)
        except safejson.JSONProblem as e:
            await self._notice("error", {"detail": f"Send a JSON object. {e}"[:300]})
            return
        await self.receive_json(content, **kwargs)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict):
            await self._notice("error", {"detail": "Send a JSON object."})
            return
        action, topic = content.get("action"), content.get("topic")
        after = _sequence(content.get("after"))
        if action not in ("subscribe", "unsubscribe") or not isinstance(topic, str):
            await self._notice(
                "error",
                {
                    "detail": 'Send {"action": "subscribe"|"unsubscribe", "topic": "...",'
                    ' "after": <last seq seen, optional>}.'
                },
            )
            return
        if after is False:
            await self._notice(
                "error", {"detail": '"after" must be a whole number >= 0.', "field": "after"}
            )
            return
        if action == "unsubscribe":
            if topic in self.groups_joined and topic != user_group(self.user_id):
                await self.channel_layer.group_discard(topic, self.channel_name)
                self.groups_joined.discard(topic)
                self.seen.pop(topic, None)
            await self._notice("unsubscribed", {"topic": topic})
            return
        if not self._may_join(topic):
            log.info("stream.subscribe_refused", user_id=self.user_id, topic=topic[:100])
            await self._notice(
                "error", {"detail": "Unknown or forbidden topic.", "topic": topic[:100]}
            )
            return
        if topic not in self.groups_joined:
            if len(self.groups_joined) >= settings.STREAM_MAX_SUBSCRIPTIONS:
                await self._notice(
                    "error",
                    {"detail": f"At most {settings.STREAM_MAX_SUBSCRIPTIONS} subscriptions."},
                )
                return
            await self._join(topic)
        else:
            self.seen.pop(topic, None)  # subscribing again restarts the topic from `after`
        self._start_topic(topic, after, await _replay(topic, after))

    async def stream_message(self, event: dict[str, Any]) -> None:
        message = event["message"]
        topic, seq = message.get("topic"), message.get("seq")
        if not isinstance(seq, int) or topic not in self.seen:
            if topic in self.groups_joined or not isinstance(seq, int):
                self._emit(message)
            return
        seen = self.seen[topic]
        if seq <= seen:
            return  # sent already (a dispatcher sent its batch again, or replay got there first)
        if seq > seen + 1:
            await self._catch_up(topic)  # the channel layer lost something: the outbox has it
            return
        self.seen[topic] = seq
        self._emit(message)

    # --- topics -------------------------------------------------------------------------

    def _start_topic(
        self, topic: str, after: int | None, catch_up: Replay, *, announce: bool = True
    ) -> None:
        if catch_up.too_old:
            self.seen[topic] = catch_up.head
            if announce:
                self._notice_now("subscribed", {"topic": topic, "seq": None})
            self._resync(topic, catch_up.head, "too_old")
            return
        start = catch_up.head if after is None else after
        if announce:
            self._notice_now("subscribed", {"topic": topic, "seq": start})
        self.seen[topic] = start
        for message in catch_up.events:
            self._send_in_order(topic, message)

    async def _catch_up(self, topic: str) -> None:
        seen = self.seen[topic]
        missed = await _replay(topic, seen)
        if topic not in self.seen:
            return  # unsubscribed meanwhile
        if missed.too_old:
            self._resync(topic, missed.head, "too_old")
            self.seen[topic] = max(self.seen[topic], missed.head)
            return
        for message in missed.events:
            self._send_in_order(topic, message)

    def _send_in_order(self, topic: str, message: dict[str, Any]) -> None:
        seq = int(message["seq"])
        if seq == self.seen[topic] + 1:
            self.seen[topic] = seq
            self._emit(message)

    def _resync(self, topic: str, seq: int, reason: str) -> None:
        self._notice_now("resync", {"topic": topic, "seq": seq, "reason": reason})

    async def sign_in_revoked(self, event: dict[str, Any]) -> None:
        """The session or token of this connection was revoked: close it."""
        log.info("stream.closed_revoked", user_id=self.user_id)
        await self.close(code=CLOSE_UNAUTHENTICATED)

    def _may_join(self, topic: str) -> bool:
        owner = user_id_of_group(topic)
        if owner is not None:
            return owner == self.user_id
        return is_market_group(topic) or is_asset_group(topic)

    async def _join(self, group: str) -> None:
        await self.channel_layer.group_add(group, self.channel_name)
        self.groups_joined.add(group)

    def _after_from_query(self) -> int | None:
        """`?after=<seq>` resumes the user's own topic; anything malformed is ignored."""
        raw = self.scope.get("query_string", b"").decode("latin-1")
        values = parse_qs(raw).get("after")
        if not values or not values[0].isdigit() or len(values[0]) > 18:
            return None
        return int(values[0])

    # --- sending ------------------------------------------------------------------------

    def _emit(self, message: dict[str, Any]) -> None:
        if self.closing:
            return
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            self.closing = True
            asyncio.get_running_loop().create_task(self._overflow())

    async def _overflow(self) -> None:
        """The client cannot keep up: tell it to resync every topic, then close."""
        log.info("stream.client_too_slow", user_id=self.user_id, queued=self.queue.qsize())
        while not self.queue.empty():
            self.queue.get_nowait()
        for topic in sorted(self.seen):
            await self.send_json(self._frame("resync", {"topic": topic, "reason": "too_slow"}))
        await self.close(code=CLOSE_TOO_SLOW)

    async def _write_loop(self) -> None:
        while True:
            message = await self.queue.get()
            if self.closing:
                continue
            await self.send_json(message)

    async def _heartbeat_loop(self) -> None:
        """Every few seconds: refresh group membership, send any tail the layer lost, beat."""
        while True:
            await asyncio.sleep(settings.STREAM_HEARTBEAT_SECONDS)
            await self.heartbeat()

    async def heartbeat(self) -> None:
        try:
            for group in list(self.groups_joined):
                # Group membership lives in the channel layer: a restarted Redis forgot it.
                await self.channel_layer.group_add(group, self.channel_name)
            heads = await _heads(list(self.seen))
            for topic, head in heads.items():
                if topic in self.seen and head > self.seen[topic]:
                    await self._catch_up(topic)
        except Exception as e:  # the next beat tries again; the client keeps its connection
            log.warning("stream.heartbeat_error", error=f"{type(e).__name__}: {e}"[:300])
        self._notice_now("heartbeat", {"seq": dict(self.seen)})

    async def _notice(self, kind: str, data: dict[str, Any]) -> None:
        self._notice_now(kind, data)

    def _notice_now(self, kind: str, data: dict[str, Any]) -> None:
        self._emit(self._frame(kind, data))

    @staticmethod
    def _frame(kind: str, data: dict[str, Any]) -> dict[str, Any]:
        return {"type": kind, "topic": "", "id": 0, "ts": int(time.time() * 1000), "data": data}
