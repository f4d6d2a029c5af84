"""The ASGI app of `bench_stream.py`: the real app, plus a bare Channels consumer.

`/ws/echo/` joins the group `bench.echo` and forwards each group message as it is: no auth, no
outbox, no sequences. It is the reference the real `/ws/stream/` is measured against.
"""

from __future__ import annotations

from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from quantum_trader.asgi import application as real_application

ECHO_GROUP = "bench.echo"


class EchoConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        await self.accept()
        await self.channel_layer.group_add(ECHO_GROUP, self.channel_name)
        await self.send_json({"type": "hello"})

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(ECHO_GROUP, self.channel_name)

    async def stream_message(self, event: dict[str, Any]) -> None:
        await self.send_json(event["message"])


_echo = EchoConsumer.as_asgi()


async def application(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "websocket" and scope["path"] == "/ws/echo/":
        await _echo(scope, receive, send)
    else:
        await real_application(scope, receive, send)
