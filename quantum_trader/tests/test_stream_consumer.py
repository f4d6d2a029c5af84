from __future__ import annotations

import json

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


# --- the outbox protocol: sequences, resume, too old, slow clients --------------------------


def _publish(topic: str, *ids: int) -> None:
    from markets.stream import publish

    for i in ids:
        publish(group=topic, type="news", id=i, data={"n": i})


publish_ = database_sync_to_async(_publish)


async def _subscribe(ws, topic: str, after: int | None = None) -> dict:
    frame: dict = {"action": "subscribe", "topic": topic}
    if after is not None:
        frame["after"] = after
    await ws.send_json_to(frame)
    reply = await ws.receive_json_from(timeout=3)
    assert reply["type"] == "subscribed"
    assert reply["data"]["topic"] == topic
    return reply


async def _events(ws, count: int) -> list[dict]:
    return [await ws.receive_json_from(timeout=5) for _ in range(count)]


async def test_subscribe_receive_unsubscribe_with_sequences(alice, dispatcher):
    ws = await _connect_as(alice)
    await _subscribe(ws, "asset.BTC")

    await publish_("asset.BTC", 1, 2, 3)
    got = await _events(ws, 3)
    await ws.send_json_to({"action": "unsubscribe", "topic": "asset.BTC"})
    assert (await ws.receive_json_from())["type"] == "unsubscribed"
    await publish_("asset.BTC", 4)

    assert [(m["topic"], m["seq"], m["id"]) for m in got] == [
        ("asset.BTC", 1, 1),
        ("asset.BTC", 2, 2),
        ("asset.BTC", 3, 3),
    ]
    assert await ws.receive_nothing(timeout=0.3)
    await ws.disconnect()


async def test_reconnect_with_last_sequence_gets_exactly_the_missed_events(alice, dispatcher):
    ws = await _connect_as(alice)
    await _subscribe(ws, "asset.BTC")
    await publish_("asset.BTC", 1, 2)
    last = (await _events(ws, 2))[-1]["seq"]
    await ws.disconnect()

    await publish_("asset.BTC", 3, 4, 5)  # committed while the client is away
    ws = await _connect_as(alice)
    reply = await _subscribe(ws, "asset.BTC", after=last)
    replayed = await _events(ws, 3)
    await publish_("asset.BTC", 6)
    live = await _events(ws, 1)

    assert reply["data"]["seq"] == 2
    assert [m["seq"] for m in replayed + live] == [3, 4, 5, 6]
    assert [m["id"] for m in replayed + live] == [3, 4, 5, 6]
    assert await ws.receive_nothing(timeout=0.3)
    await ws.disconnect()


async def test_own_topic_resumes_from_the_connect_url(alice, dispatcher):
    own = f"user.{alice.pk}"
    await publish_(own, 1, 2, 3, 4)
    key = await database_sync_to_async(token_issue)(user=alice)
    ws = WebsocketCommunicator(
        application,
        "/ws/stream/?after=2",
        headers=[ORIGIN, (b"authorization", f"Token {key}".encode())],
    )
    assert (await ws.connect())[0]

    hello = await ws.receive_json_from()
    got = await _events(ws, 2)

    assert hello["data"]["seq"] == {own: 2}
    assert [(m["topic"], m["seq"]) for m in got] == [(own, 3), (own, 4)]
    assert await ws.receive_nothing(timeout=0.3)
    await ws.disconnect()


async def test_subscribe_past_retention_is_told_to_refetch(alice, settings):
    settings.STREAM_REPLAY_MAX = 3
    await publish_("asset.BTC", *range(1, 8))
    ws = await _connect_as(alice)

    reply = await _subscribe(ws, "asset.BTC", after=1)
    resync = await ws.receive_json_from()

    assert reply["data"]["seq"] is None
    assert resync["type"] == "resync"
    assert resync["data"] == {"topic": "asset.BTC", "seq": 7, "reason": "too_old"}
    await ws.disconnect()


async def test_duplicates_are_dropped_and_gaps_filled_from_the_outbox(alice):
    from markets.models import StreamEvent

    ws = await _connect_as(alice)
    await _subscribe(ws, "asset.BTC")
    await publish_("asset.BTC", 1, 2, 3)
    rows = await database_sync_to_async(
        lambda: list(StreamEvent.objects.order_by("sequence").values_list("message", flat=True))
    )()
    layer = get_channel_layer()

    for message in (rows[0], rows[0], rows[2], rows[1]):  # a repeat, then 3 before 2
        await layer.group_send("asset.BTC", {"type": "stream.message", "message": message})
    got = await _events(ws, 3)

    assert [m["seq"] for m in got] == [1, 2, 3]
    assert await ws.receive_nothing(timeout=0.3)
    await ws.disconnect()


async def test_heartbeat_sends_a_lost_tail_and_the_sequences(alice, settings):
    from markets.stream import dispatch_round

    settings.STREAM_HEARTBEAT_SECONDS = 0.3
    ws = await _connect_as(alice)
    await _subscribe(ws, "asset.BTC")
    await publish_("asset.BTC", 1, 2)
    # Dispatched, but the channel layer lost both (as when Redis restarts): nothing arrives live.
    await database_sync_to_async(dispatch_round)(lambda events: None)

    got = await _events(ws, 3)

    assert [(m["topic"], m["seq"]) for m in got[:2]] == [("asset.BTC", 1), ("asset.BTC", 2)]
    assert got[2]["type"] == "heartbeat"
    assert got[2]["data"]["seq"] == {f"user.{alice.pk}": 0, "asset.BTC": 2}
    await ws.disconnect()


async def test_a_client_too_far_behind_is_told_to_resync_and_closed(alice, settings):
    settings.STREAM_SEND_QUEUE = 5
    await publish_("asset.BTC", *range(1, 21))
    ws = await _connect_as(alice)

    await ws.send_json_to({"action": "subscribe", "topic": "asset.BTC", "after": 0})
    frames = []
    while True:
        output = await ws.receive_output(timeout=3)
        if output["type"] == "websocket.close":
            break
        frames.append(json.loads(output["text"]))

    assert output["code"] == 4408
    resyncs = [f["data"]["topic"] for f in frames if f["type"] == "resync"]
    assert "asset.BTC" in resyncs
    assert len([f for f in frames if f["type"] == "news"]) < 20


async def test_subscription_cap_and_bad_after_are_refused(alice, settings):
    settings.STREAM_MAX_SUBSCRIPTIONS = 2  # the own topic and one more
    ws = await _connect_as(alice)

    await _subscribe(ws, "asset.BTC")
    await ws.send_json_to({"action": "subscribe", "topic": "asset.ETH"})
    capped = await ws.receive_json_from()
    await ws.send_json_to({"action": "subscribe", "topic": "asset.BTC", "after": -1})
    bad = await ws.receive_json_from()

    assert capped["type"] == "error"
    assert "At most 2" in capped["data"]["detail"]
    assert bad["type"] == "error"
    assert bad["data"]["field"] == "after"
    await ws.disconnect()


async def test_foreign_user_topic_is_refused_even_with_a_sequence(alice, bob, dispatcher):
    ws = await _connect_as(bob)
    await publish_(f"user.{alice.pk}", 1)

    await ws.send_json_to({"action": "subscribe", "topic": f"user.{alice.pk}", "after": 0})
    reply = await ws.receive_json_from()

    assert reply["type"] == "error"
    assert reply["data"]["detail"] == "Unknown or forbidden topic."
    assert await ws.receive_nothing(timeout=0.3)
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


async def test_a_lost_channel_layer_is_waited_out_and_the_gap_filled(alice, monkeypatch, settings):
    """As when Redis restarts: receive fails, the groups are forgotten, the socket stays open.

    (With a real Redis: test_stream_crash.py restarts one.)"""
    from markets.stream import dispatch_round, layer_sender

    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    layer = get_channel_layer()
    ws = await _connect_as(alice)
    await _subscribe(ws, "asset.BTC")
    receive = layer.receive
    failures = []

    async def failing_receive(channel: str) -> dict:
        if len(failures) < 3:
            if not failures:
                layer.groups.clear()  # a restarted Redis has no group memberships
                # Committed and dispatched while the connection was out of its groups.
                await publish_("asset.BTC", 2, 3)
                await database_sync_to_async(dispatch_round)(layer_sender(layer))
            failures.append(channel)
            raise ConnectionError("Connection closed by server.")
        return await receive(channel)

    monkeypatch.setattr(layer, "receive", failing_receive)
    send = database_sync_to_async(dispatch_round)
    await publish_("asset.BTC", 1)
    await send(layer_sender(layer))  # wakes the pending receive; the next ones fail
    got = await _events(ws, 3)
    await publish_("asset.BTC", 4)
    await send(layer_sender(layer))  # live again: the connection is back in its group
    got += await _events(ws, 1)

    assert [(m["topic"], m.get("seq")) for m in got] == [("asset.BTC", n) for n in (1, 2, 3, 4)]
    assert await ws.receive_nothing(timeout=0.3)
    await ws.disconnect()
