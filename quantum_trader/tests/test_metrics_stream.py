"""Stream metrics: events published by type, and open websocket connections."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from prometheus_client import REGISTRY

from accounts.services import token_issue
from markets import stream
from quantum_trader.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_open_websockets_are_counted_until_they_close(alice):
    key = await database_sync_to_async(token_issue)(user=alice)
    before = sample("qt_websocket_connections")
    communicator = WebsocketCommunicator(
        application,
        "/ws/stream/",
        headers=[
            (b"origin", b"http://127.0.0.1:8000"),
            (b"authorization", f"Token {key}".encode()),
        ],
    )
    connected, _ = await communicator.connect()
    assert connected
    await communicator.receive_json_from()

    assert sample("qt_websocket_connections") == before + 1
    await communicator.disconnect()
    assert sample("qt_websocket_connections") == before


async def test_refused_websockets_are_not_counted():
    before = sample("qt_websocket_connections")
    communicator = WebsocketCommunicator(
        application, "/ws/stream/", headers=[(b"origin", b"http://127.0.0.1:8000")]
    )
    connected, _ = await communicator.connect()
    assert connected is False
    assert sample("qt_websocket_connections") == before


def test_published_events_are_counted_by_type(settings):
    settings.STREAM_VIA_OUTBOX = True
    before = sample("qt_stream_events_published_total", type="candle")
    message = stream.build_message(type="candle", topic="g", id=1, data={})

    stream.send_now([("g", message), ("g", message)])

    assert sample("qt_stream_events_published_total", type="candle") == before + 2
