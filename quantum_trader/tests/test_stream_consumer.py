from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings

from accounts.services import token_issue
from quantum_trader.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://127.0.0.1:8000")


def _communicator(*headers: tuple[bytes, bytes]) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, "/ws/stream/", headers=list(headers))


async def _connect_as(user) -> WebsocketCommunicator:
    key = await database_sync_to_async(token_issue)(user=user)
    communicator = _communicator(ORIGIN, (b"authorization", f"Token {key}".encode()))
    connected, _ = await communicator.connect()
    assert connected
    hello = await communicator.receive_json_from()
    assert hello["type"] == "hello"
    return communicator


async def test_anonymous_connection_is_refused():
    communicator = _communicator(ORIGIN)

    connected, code = await communicator.connect()

    assert connected is False
    assert code == 4401


async def test_foreign_origin_is_refused(alice):
    key = await database_sync_to_async(token_issue)(user=alice)
    communicator = _communicator(
        (b"origin", b"https://evil.example"), (b"authorization", f"Token {key}".encode())
    )

    connected, _ = await communicator.connect()

    assert connected is False


async def test_same_origin_on_any_port_is_accepted(alice):
    key = await database_sync_to_async(token_issue)(user=alice)
    communicator = _communicator(
        (b"origin", b"http://localhost:9123"),
        (b"host", b"localhost:9123"),
        (b"authorization", f"Token {key}".encode()),
    )

    connected, _ = await communicator.connect()

    assert connected
    await communicator.disconnect()


async def test_same_origin_with_host_not_allowed_is_refused(alice):
    key = await database_sync_to_async(token_issue)(user=alice)
    communicator = _communicator(
        (b"origin", b"http://evil.example:9123"),
        (b"host", b"evil.example:9123"),
        (b"authorization", f"Token {key}".encode()),
    )

    connected, _ = await communicator.connect()

    assert connected is False


async def test_bad_token_is_refused():
    communicator = _communicator(ORIGIN, (b"authorization", b"Token not-a-real-token"))

    connected, code = await communicator.connect()

    assert connected is False
    assert code == 4401


async def test_user_receives_own_group_events_only(alice, bob):
    alice_ws = await _connect_as(alice)
    bob_ws = await _connect_as(bob)
    layer = get_channel_layer()

    await layer.group_send(
        f"user.{alice.pk}",
        {"type": "stream.message", "message": {"type": "notification", "data": {"n": 1}}},
    )

    assert (await alice_ws.receive_json_from())["data"] == {"n": 1}
    assert await bob_ws.receive_nothing(timeout=0.2)
    await alice_ws.disconnect()
    await bob_ws.disconnect()


async def test_subscribing_to_another_users_group_is_refused(alice, bob):
    bob_ws = await _connect_as(bob)

    await bob_ws.send_json_to({"action": "subscribe", "topic": f"user.{alice.pk}"})
    reply = await bob_ws.receive_json_from()
    await get_channel_layer().group_send(
        f"user.{alice.pk}", {"type": "stream.message", "message": {"type": "order", "data": {}}}
    )

    assert reply["type"] == "error"
    assert await bob_ws.receive_nothing(timeout=0.2)
    await bob_ws.disconnect()


@pytest.mark.parametrize("topic", ["market.binance.BTC-USDT.1h", "asset.BTC"])
async def test_public_topic_subscription_delivers_events(alice, topic):
    ws = await _connect_as(alice)

    await ws.send_json_to({"action": "subscribe", "topic": topic})
    assert (await ws.receive_json_from())["type"] == "subscribed"
    await get_channel_layer().group_send(
        topic, {"type": "stream.message", "message": {"type": "candle", "topic": topic}}
    )

    assert (await ws.receive_json_from())["topic"] == topic
    await ws.disconnect()


@pytest.mark.parametrize(
    "payload",
    [
        ["not", "an", "object"],
        {"action": "dance", "topic": "asset.BTC"},
        {"action": "subscribe", "topic": "market.../../x"},
        {"action": "subscribe"},
    ],
)
async def test_malformed_messages_get_an_error_and_keep_the_connection(alice, payload):
    ws = await _connect_as(alice)

    await ws.send_json_to(payload)
    reply = await ws.receive_json_from()
    await ws.send_json_to({"action": "subscribe", "topic": "asset.ETH"})

    assert reply["type"] == "error"
    assert (await ws.receive_json_from())["type"] == "subscribed"
    await ws.disconnect()


async def test_session_cookie_authenticates_browser(alice, password):
    from django.test import AsyncClient

    client = AsyncClient()
    assert await database_sync_to_async(client.login)(username="alice", password=password)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    communicator = _communicator(ORIGIN, (b"cookie", cookie.encode()))

    connected, _ = await communicator.connect()

    assert connected
    assert (await communicator.receive_json_from())["data"]["user"] == "alice"
    await communicator.disconnect()


async def test_outbox_event_from_another_process_reaches_subscriber(alice, settings):
    settings.STREAM_VIA_OUTBOX = True
    from markets.models import StreamEvent
    from markets.stream import relay_outbox

    ws = await _connect_as(alice)
    stop = asyncio.Event()
    relay = asyncio.create_task(relay_outbox(interval=0.05, stop=stop))
    await asyncio.sleep(0.1)

    await database_sync_to_async(StreamEvent.objects.create)(
        group=f"user.{alice.pk}",
        message={
            "type": "backtest",
            "topic": f"user.{alice.pk}",
            "id": 7,
            "ts": 1,
            "data": {"progress": 0.5},
        },
    )

    message = await ws.receive_json_from(timeout=2)
    assert message["id"] == 7
    assert message["data"] == {"progress": 0.5}
    stop.set()
    await relay
    await ws.disconnect()


# --- A revoked session or token closes the connections opened with it -----------------------


async def _token_connection(user) -> tuple[str, WebsocketCommunicator]:
    key = await database_sync_to_async(token_issue)(user=user)
    communicator = _communicator(ORIGIN, (b"authorization", f"Token {key}".encode()))
    connected, _ = await communicator.connect()
    assert connected
    assert (await communicator.receive_json_from())["type"] == "hello"
    return key, communicator


async def _session_connection(username: str, password: str):
    from django.test import AsyncClient

    client = AsyncClient()
    assert await database_sync_to_async(client.login)(username=username, password=password)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    communicator = _communicator(ORIGIN, (b"cookie", cookie.encode()))
    connected, _ = await communicator.connect()
    assert connected
    assert (await communicator.receive_json_from())["type"] == "hello"
    return client, communicator


def _api_as(key: str):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


async def _closed_with(communicator: WebsocketCommunicator) -> int:
    output = await communicator.receive_output(timeout=2)
    assert output["type"] == "websocket.close"
    return output["code"]


async def test_token_logout_closes_that_tokens_connection_only(alice):
    key, revoked_ws = await _token_connection(alice)
    _other_key, other_ws = await _token_connection(alice)

    response = await database_sync_to_async(_api_as(key).post)("/api/auth/logout/")

    assert response.status_code == 204
    assert await _closed_with(revoked_ws) == 4401
    assert await other_ws.receive_nothing(timeout=0.3)
    await other_ws.disconnect()


async def test_revoking_a_session_on_the_settings_page_closes_its_connection(alice, password):
    from accounts.models import UserSession

    _client, session_ws = await _session_connection("alice", password)
    key, token_ws = await _token_connection(alice)
    session_id = await database_sync_to_async(
        lambda: UserSession.objects.get(user=alice, kind=UserSession.Kind.SESSION).pk
    )()

    response = await database_sync_to_async(_api_as(key).delete)(
        f"/api/auth/sessions/{session_id}/"
    )

    assert response.status_code == 204
    assert await _closed_with(session_ws) == 4401
    assert await token_ws.receive_nothing(timeout=0.3)
    await token_ws.disconnect()


async def test_session_logout_closes_the_browsers_connection(alice, password):
    client, session_ws = await _session_connection("alice", password)

    response = await client.post("/api/auth/logout/")  # the test client skips CSRF checks

    assert response.status_code == 204
    assert await _closed_with(session_ws) == 4401


async def test_sign_out_everywhere_closes_every_connection_of_the_user_only(alice, bob, password):
    _client, session_ws = await _session_connection("alice", password)
    key, token_ws = await _token_connection(alice)
    _bob_key, bob_ws = await _token_connection(bob)

    response = await database_sync_to_async(_api_as(key).post)("/api/auth/logout-everywhere/")

    assert response.status_code == 200
    assert response.json() == {"revoked": 2}
    assert await _closed_with(session_ws) == 4401
    assert await _closed_with(token_ws) == 4401
    assert await bob_ws.receive_nothing(timeout=0.3)
    await bob_ws.disconnect()


async def test_password_change_closes_the_connections_of_api_tokens(alice, password):
    from accounts.services import password_change

    _key, token_ws = await _token_connection(alice)

    await database_sync_to_async(password_change)(
        user=alice, new_password="A-new-passphrase-91", ip_address=None
    )

    assert await _closed_with(token_ws) == 4401
