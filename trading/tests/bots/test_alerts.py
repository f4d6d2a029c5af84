"""Inbound alerts: a valid one moves a paper bot through its risk checks to an order; every
bad one is refused with its reason, logged, and places nothing."""

from __future__ import annotations

import json
import time
from decimal import Decimal

import pytest

from markets.core.paper import AdapterPriceSource
from trading.bots.services import bot_create, bot_start
from trading.models import AlertReceipt, Order
from trading.orders.services import order_submit
from trading.tests.bots.conftest import add_candles, newest_closed_open, rising

pytestmark = pytest.mark.django_db


@pytest.fixture
def bot(alice, market, monkeypatch):
    add_candles(market, rising(), last_open=newest_closed_open())
    price = Decimal(f"{rising()[-1]:.2f}")
    monkeypatch.setattr(AdapterPriceSource, "last_price", lambda self, symbol: price)
    made = bot_create(
        owner=alice,
        name="tv",
        market_id=market.pk,
        timeframe="1h",
        strategy="rule",
        rule_name="sma_cross",
        rule_params={"fast": 2, "slow": 5},
        capital=Decimal("1000"),
        risk_profile={"max_position": 0.5},
    )
    return bot_start(owner=alice, bot_id=made.pk)


@pytest.fixture
def hook(alice_client, bot, canary, canary_sweep):
    response = alice_client.put(f"/api/bots/{bot.pk}/alert-hook/", {}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    # From here on the secret must show up nowhere: logs, answers, the database
    canary_sweep.register(body["secret"])
    assert body["url"] == f"/api/hooks/{bot.pk}/"
    assert len(body["secret"]) >= 24
    return body


def _alert(hook, **overrides):
    body = {
        "action": "buy",
        "symbol": "BINANCE:BTCUSDT",
        "price": 31000.5,
        "id": f"a-{time.time_ns()}",
        "timestamp": int(time.time()),
        "secret": hook["secret"],
        **overrides,
    }
    return {k: v for k, v in body.items() if v is not None}


def _post(api_client, bot, body, **headers):
    raw = body if isinstance(body, str | bytes) else json.dumps(body)
    return api_client.post(f"/api/hooks/{bot.pk}/", raw, content_type="text/plain", **headers)


def test_valid_alert_places_a_paper_order_through_the_risk_checks(api_client, bot, hook):
    # When TradingView sends a buy alert
    response = _post(api_client, bot, _alert(hook, id="tv-1"))
    # Then it is accepted and the bot bought within its risk profile, through the order path
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["outcome"] == "ordered"
    order = Order.objects.get(bot=bot)
    assert body["order"] == order.pk
    assert (order.side, order.type, order.status) == ("buy", "market", "new")
    assert order.paper_account_id == bot.paper_account_id
    notional = order.amount * Decimal(repr(rising()[-1]))
    assert Decimal("480") < notional < Decimal("500")  # max_position 0.5 of 1000
    receipt = AlertReceipt.objects.get()
    assert (receipt.accepted, receipt.reason, receipt.alert_id) == (True, "accepted", "tv-1")
    assert receipt.checks == [{"name": "order_size", "passed": True, "reason": ""}]
    # And the paper venue fills it
    assert order_submit(order_id=order.pk) == "filled"


def test_sell_alert_without_a_position_places_nothing(api_client, bot, hook):
    response = _post(api_client, bot, _alert(hook, action="close"))
    assert response.status_code == 202
    assert response.json()["order"] is None
    assert not Order.objects.exists()


def test_secret_in_the_header_is_accepted(api_client, bot, hook):
    body = _alert(hook)
    del body["secret"]
    response = _post(api_client, bot, body, HTTP_X_QT_SECRET=hook["secret"])
    assert response.status_code == 202


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"secret": "wrong-secret-value"}, 403, "wrong_secret"),
        ({"secret": None}, 403, "wrong_secret"),
        ({"timestamp": int(time.time()) - 3600}, 400, "stale_timestamp"),
        ({"timestamp": None}, 400, "missing_timestamp"),
        ({"timestamp": "yesterday"}, 400, "malformed"),
        ({"symbol": "ETHUSDT"}, 400, "unknown_symbol"),
        ({"action": "short"}, 400, "bad_action"),
        ({"id": None}, 400, "missing_alert_id"),
    ],
)
def test_bad_alert_is_refused_with_its_reason_and_no_order(
    api_client, bot, hook, change, status, code
):
    response = _post(api_client, bot, _alert(hook, **change))
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert response.json()["message"]
    assert not Order.objects.exists()
    receipt = AlertReceipt.objects.get()
    assert (receipt.accepted, receipt.reason) == (False, code)


def test_old_timestamp_in_iso_form_is_refused(api_client, bot, hook):
    response = _post(api_client, bot, _alert(hook, timestamp="2020-01-01T00:00:00Z"))
    assert response.json()["code"] == "stale_timestamp"


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", "", "\xff"])
def test_malformed_body_is_refused(api_client, bot, hook, raw):
    response = _post(api_client, bot, raw)
    assert response.status_code == 400
    assert response.json()["code"] == "malformed"
    assert not Order.objects.exists()
    assert AlertReceipt.objects.get().reason == "malformed"


def test_repeated_alert_id_is_refused(api_client, bot, hook):
    first = _post(api_client, bot, _alert(hook, id="same"))
    again = _post(api_client, bot, _alert(hook, id="same"))
    assert first.status_code == 202
    assert again.status_code == 409
    assert again.json()["code"] == "replayed"
    assert Order.objects.count() == 1
    assert sorted(AlertReceipt.objects.values_list("reason", flat=True)) == [
        "accepted",
        "replayed",
    ]


def test_foreign_address_is_refused_when_limited(alice_client, api_client, bot, hook):
    limited = alice_client.put(
        f"/api/bots/{bot.pk}/alert-hook/",
        {"allowed_addresses": ["52.89.214.238", "34.212.75.30/32"]},
        format="json",
    )
    assert limited.status_code == 200
    assert limited.json()["secret"] == ""  # kept
    response = _post(api_client, bot, _alert(hook), REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 403
    assert response.json()["code"] == "address_refused"
    assert not Order.objects.exists()
    allowed = _post(api_client, bot, _alert(hook), REMOTE_ADDR="52.89.214.238")
    assert allowed.status_code == 202


def test_rate_limit_holds(alice_client, api_client, bot, hook):
    alice_client.put(f"/api/bots/{bot.pk}/alert-hook/", {"max_per_minute": 2}, format="json")
    codes = [_post(api_client, bot, _alert(hook, action="close")).status_code for _ in range(3)]
    assert codes == [202, 202, 429]
    assert AlertReceipt.objects.filter(reason="rate_limited").count() == 1


def test_bot_not_running_is_refused(alice, alice_client, api_client, bot, hook):
    alice_client.post(f"/api/bots/{bot.pk}/pause/")
    response = _post(api_client, bot, _alert(hook))
    assert response.status_code == 409
    assert response.json()["code"] == "bot_not_running"
    assert not Order.objects.exists()


def test_another_users_bot_is_404(bob_client, api_client, bot, hook):
    for response in (
        bob_client.get(f"/api/bots/{bot.pk}/alert-hook/"),
        bob_client.get(f"/api/bots/{bot.pk + 1000}/alert-hook/"),
        bob_client.put(f"/api/bots/{bot.pk}/alert-hook/", {}, format="json"),
        bob_client.delete(f"/api/bots/{bot.pk}/alert-hook/"),
        bob_client.get(f"/api/bots/{bot.pk}/alerts/"),
    ):
        assert response.status_code == 404
    # A bot without a hook (or none at all) takes no alerts
    assert _post(api_client, bot, _alert(hook), **{}).status_code == 202
    assert (
        api_client.post("/api/hooks/999999/", "{}", content_type="application/json").status_code
        == 404
    )


def test_secret_is_never_shown_again(alice_client, bot, hook):
    shown = alice_client.get(f"/api/bots/{bot.pk}/alert-hook/")
    assert hook["secret"] not in shown.content.decode()
    assert shown.json()["secret_hint"] == "…" + hook["secret"][-4:]
    log = alice_client.get(f"/api/bots/{bot.pk}/alerts/")
    assert hook["secret"] not in log.content.decode()
