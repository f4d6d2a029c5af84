"""The one websocket consumer: `/ws/stream/`.

A connection joins its own user's group on connect, and may subscribe to public market and
asset groups. A user group other than its own is refused, as is any unknown topic. It also
joins the group of the session or token it was opened with: revoking that sign-in (sign-out,
"sign out everywhere", revoke on the Settings page, a password change) closes it with 4401.
"""

from __future__ import annotations

import time
from typing import Any

import structlog
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from accounts.events import sign_in_group, user_group, user_id_of_group
from markets.events import is_market_group
from markets.metrics import WEBSOCKET_CONNECTIONS
from markets.stream import ensure_relay_running
from quantum_trader import safejson
from quantum_trader.ws_auth import scope_sign_in_id
from sentiment.events import is_asset_group

log = structlog.get_logger(__name__)

CLOSE_UNAUTHENTICATED = 4401
CLOSE_TOO_BIG = 1009  # RFC 6455: "message too big to process"
MAX_SUBSCRIPTIONS = 50
MAX_FRAME_DEPTH = 4


class StreamConsumer(AsyncJsonWebsocketConsumer):
    """Push candles, signals, sentiment and the user's own events to the browser."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user_id: int = user.pk
        self.groups_joined: set[str] = set()
        sign_in_id = await scope_sign_in_id(self.scope)
        self.sign_in_group = sign_in_group(sign_in_id) if sign_in_id is not None else None
        ensure_relay_running()
        await self.accept()
        WEBSOCKET_CONNECTIONS.inc()
        self.counted = True
        if self.sign_in_group is not None:
            await self.channel_layer.group_add(self.sign_in_group, self.channel_name)
        await self._join(user_group(self.user_id))
        await self._notice("hello", {"user": user.username, "topics": sorted(self.groups_joined)})

    async def disconnect(self, code: int) -> None:
        if getattr(self, "counted", False):
            WEBSOCKET_CONNECTIONS.dec()
            self.counted = False
        for group in getattr(self, "groups_joined", set()):
            await self.channel_layer.group_discard(group, self.channel_name)
        if getattr(self, "sign_in_group", None) is not None:
            await self.channel_layer.group_discard(self.sign_in_group, self.channel_name)

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
        if action not in ("subscribe", "unsubscribe") or not isinstance(topic, str):
            await self._notice(
                "error", {"detail": 'Send {"action": "subscribe"|"unsubscribe", "topic": "..."}.'}
            )
            return
        if action == "unsubscribe":
            if topic in self.groups_joined and topic != user_group(self.user_id):
                await self.channel_layer.group_discard(topic, self.channel_name)
                self.groups_joined.discard(topic)
            await self._notice("unsubscribed", {"topic": topic})
            return
        if not self._may_join(topic):
            log.info("stream.subscribe_refused", user_id=self.user_id, topic=topic[:100])
            await self._notice(
                "error", {"detail": "Unknown or forbidden topic.", "topic": topic[:100]}
            )
            return
        if len(self.groups_joined) >= MAX_SUBSCRIPTIONS:
            await self._notice("error", {"detail": f"At most {MAX_SUBSCRIPTIONS} subscriptions."})
            return
        await self._join(topic)
        await self._notice("subscribed", {"topic": topic})

    async def stream_message(self, event: dict[str, Any]) -> None:
        await self.send_json(event["message"])

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

    async def _notice(self, kind: str, data: dict[str, Any]) -> None:
        await self.send_json(
            {"type": kind, "topic": "", "id": 0, "ts": int(time.time() * 1000), "data": data}
        )
