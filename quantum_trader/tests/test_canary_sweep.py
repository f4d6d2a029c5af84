"""The canary sweep finds planted leaks in every channel it watches, in every encoding.

The sweep runs around every test of the suite (root conftest); these tests plant leaks on
purpose, check they are found with their location, then clear them.
"""

from __future__ import annotations

import base64
import json
import logging
import urllib.parse

import pytest
import structlog
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.core import mail

from accounts.services import token_issue
from accounts.tests.factories import FakeExchange, exchange_account_make

ORIGIN = (b"origin", b"http://127.0.0.1:8000")


def _kinds_and_forms(leaks):
    return {(leak.kind, leak.form.split("@")[0]) for leak in leaks}


@pytest.mark.parametrize("prefix", ["", "x", "xy", '{"k": "', "Authorization: Basic "])
@pytest.mark.parametrize("encode", ["b64", "urlsafe"])
def test_base64_of_embedded_canary_is_found_at_every_alignment(canary_sweep, prefix, encode):
    secret = canary_sweep.make("secret")
    raw = (prefix + secret + '"}').encode()
    text = (base64.b64encode if encode == "b64" else base64.urlsafe_b64encode)(raw).decode()

    assert canary_sweep.find(text), text


def test_url_and_json_escaped_forms_are_found(canary_sweep):
    special = canary_sweep.register('CANARYX-a/b+c d"e\\f')

    found = {
        form
        for text in (
            urllib.parse.quote(special, safe=""),
            urllib.parse.quote_plus(special),
            json.dumps({"v": special}),
        )
        for _, form, _ in canary_sweep.find(text)
    }

    assert {"url", "url-plus", "json"} <= found, found


def test_plain_text_without_canary_is_clean(canary_sweep):
    canary_sweep.make()

    assert canary_sweep.find("nothing to see: CANARY- prefix alone is not a canary") == []


def test_planted_log_leak_is_found_with_logger_name(canary_sweep):
    secret = canary_sweep.make("secret")

    padded = "xy" + secret  # shifts the alignment, as inside a longer encoded string
    logging.getLogger("some.library").warning("signed with %s", base64.b64encode(padded.encode()))
    structlog.get_logger("qt.test").info("order.placed", note=secret)

    leaks = canary_sweep.take_leaks()
    assert ("log", "base64") in _kinds_and_forms(leaks)
    assert ("log", "plain") in _kinds_and_forms(leaks)
    assert any("some.library" in leak.where for leak in leaks)


def test_planted_http_leak_is_found_with_path(canary_sweep, client, settings, tmp_path):
    secret = canary_sweep.make("secret")
    (tmp_path / "index.html").write_text(f"<script>var key = {json.dumps(secret)}</script>")
    settings.FRONTEND_DIST = tmp_path

    client.get("/dashboard")

    leaks = canary_sweep.take_leaks()
    assert [(leak.kind, leak.where) for leak in leaks] == [("http", "GET /dashboard -> 200")]
    assert "<CANARY>" in leaks[0].context
    assert secret not in leaks[0].describe()


def test_planted_celery_payload_leak_is_found(canary_sweep):
    from kombu import Connection

    from accounts.tasks import exchange_account_check_task

    secret = canary_sweep.make("secret")
    with Connection("memory://") as connection:
        exchange_account_check_task.apply_async((secret,), connection=connection)

    leaks = canary_sweep.take_leaks()
    assert {leak.kind for leak in leaks} == {"celery"}


def test_planted_database_and_mail_leaks_are_found(canary_sweep, db):
    from markets.tests.factories import ExchangeFactory

    secret = canary_sweep.make("secret")
    ExchangeFactory(ccxt_id="leaky", name=base64.urlsafe_b64encode(secret.encode()).decode())
    mail.send_mail("subject", f"key: {secret}", None, ["a@example.com"])

    canary_sweep.scan_database()
    canary_sweep.scan_mail_outbox()

    leaks = canary_sweep.take_leaks()
    assert ("database", "base64") in _kinds_and_forms(leaks)  # same text as urlsafe here
    assert any("markets_exchange" in leak.where for leak in leaks)
    assert ("mail", "plain") in _kinds_and_forms(leaks)


def test_a_leak_fails_the_test_loudly(canary_sweep):
    secret = canary_sweep.make("secret")
    logging.getLogger("careless").error("key=%s", secret)

    with pytest.raises(pytest.fail.Exception) as caught:
        canary_sweep.fail_on_leaks()

    message = str(caught.value)
    assert "canary leak in log at logger careless (ERROR)" in message
    assert "test_a_leak_fails_the_test_loudly" in message
    assert secret not in message


@pytest.mark.django_db(transaction=True)
async def test_planted_websocket_frame_leak_is_found(canary_sweep, alice):
    from quantum_trader.asgi import application

    secret = canary_sweep.make("secret")
    key = await database_sync_to_async(token_issue)(user=alice)
    ws = WebsocketCommunicator(
        application, "/ws/stream/", headers=[ORIGIN, (b"authorization", f"Token {key}".encode())]
    )
    assert (await ws.connect())[0]
    await ws.receive_json_from()

    # The consumer echoes an unknown topic back in its error notice.
    await ws.send_json_to({"action": "subscribe", "topic": secret})
    await ws.receive_json_from()
    await ws.disconnect()

    leaks = canary_sweep.take_leaks()
    assert {leak.kind for leak in leaks} >= {"websocket"}
    assert any("StreamConsumer" in leak.where for leak in leaks)


# --- the real flows, watched by the sweep ---------------------------------------------------


@pytest.mark.django_db(transaction=True)
async def test_exchange_account_notification_frame_carries_masked_key_only(
    canary, alice, monkeypatch, dispatcher
):
    from accounts.services import exchange_accounts
    from quantum_trader.asgi import application

    fake = FakeExchange()
    monkeypatch.setattr(exchange_accounts, "adapter_create", fake.create)
    key = await database_sync_to_async(token_issue)(user=alice)
    ws = WebsocketCommunicator(
        application, "/ws/stream/", headers=[ORIGIN, (b"authorization", f"Token {key}".encode())]
    )
    assert (await ws.connect())[0]
    await ws.receive_json_from()

    account = await database_sync_to_async(exchange_account_make)(alice, canary)
    frame = await ws.receive_json_from(timeout=3)
    await ws.disconnect()

    assert frame["type"] == "notification"
    assert frame["data"] == {
        "kind": "exchange_account.created",
        "label": account.label,
        "key": "••••" + account.key_last4,
    }
