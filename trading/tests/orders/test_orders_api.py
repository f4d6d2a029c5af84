"""The orders API: the contract's objects, filters, idempotency, errors and ownership."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection
from rest_framework.test import APIClient

from trading.models import Fill, IdempotencyKey, Order
from trading.orders.reconcile import orders_reconcile
from trading.orders.services import order_submit

pytestmark = pytest.mark.django_db

ORDER_KEYS = {
    "id",
    "client_order_id",
    "exchange_order_id",
    "account",
    "bot",
    "exchange",
    "symbol",
    "side",
    "type",
    "amount",
    "price",
    "filled_amount",
    "average_price",
    "fee",
    "fee_currency",
    "status",
    "reason",
    "created_at",
    "updated_at",
}


def _body(account, **overrides):
    return {
        "exchange_account": account.pk,
        "symbol": "BTC/USDT",
        "side": "buy",
        "type": "limit",
        "amount": "0.1",
        "price": "100",
        **overrides,
    }


def test_post_creates_an_order_in_the_contracts_shape(alice_client, alice, account):
    response = alice_client.post("/api/orders/", _body(account), format="json")

    data = response.json()
    assert response.status_code == 201, data
    assert set(data) == ORDER_KEYS
    assert data["status"] == "new"
    assert data["amount"] == "0.1"
    assert data["price"] == "100"
    assert data["filled_amount"] == "0"
    assert data["average_price"] is None
    assert data["account"] == {
        "kind": "testnet",
        "id": account.pk,
        "label": account.label,
        "exchange": "binance",
    }
    assert data["created_at"].endswith("Z")
    assert data["client_order_id"] == f"qt-{data['id']}"


def test_same_idempotency_key_and_body_returns_the_same_order(alice_client, account):
    headers = {"HTTP_IDEMPOTENCY_KEY": "abc-1"}

    first = alice_client.post("/api/orders/", _body(account), format="json", **headers)
    again = alice_client.post("/api/orders/", _body(account), format="json", **headers)
    other = alice_client.post(
        "/api/orders/", _body(account, amount="0.2"), format="json", **headers
    )

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_key_reused"
    assert Order.objects.count() == 1


def test_idempotency_keys_are_per_user(
    alice_client, bob_client, alice, bob, account_factory, market
):
    alices = account_factory(alice)
    bobs = account_factory(bob)
    headers = {"HTTP_IDEMPOTENCY_KEY": "shared-key"}

    a = alice_client.post("/api/orders/", _body(alices), format="json", **headers)
    b = bob_client.post("/api/orders/", _body(bobs), format="json", **headers)

    assert (a.status_code, b.status_code) == (201, 201)
    assert a.json()["id"] != b.json()["id"]


@pytest.mark.parametrize(
    ("overrides", "status", "code", "field"),
    [
        ({"amount": "0.0000001"}, 400, "amount_below_minimum", "amount"),
        ({"price": "100.001"}, 400, "price_off_tick", "price"),
        ({"symbol": "NOPE/USDT"}, 400, "unknown_market", "symbol"),
        ({"amount": "-1"}, 400, "validation_error", "amount"),
        ({"price": None}, 400, "validation_error", "price"),
        ({"side": "hold"}, 400, "validation_error", "side"),
        ({"exchange_account": None}, 400, "validation_error", "paper_account"),
        ({"paper_account": 1}, 400, "validation_error", "paper_account"),
        ({"client_order_id": "qt-1"}, 400, "client_order_id_reserved", "client_order_id"),
    ],
)
def test_bad_input_answers_in_the_error_shape_naming_the_field(
    alice_client, account, overrides, status, code, field
):
    response = alice_client.post("/api/orders/", _body(account, **overrides), format="json")

    data = response.json()
    assert response.status_code == status, data
    assert set(data) == {"code", "message", "field", "fields"}
    assert (data["code"], data["field"]) == (code, field)
    assert data["message"]
    assert field in data["fields"]
    assert not Order.objects.exists()


def test_live_account_while_live_trading_is_off_is_refused(
    alice_client, alice, account_factory, market
):
    live = account_factory(alice, mode="live")

    response = alice_client.post("/api/orders/", _body(live), format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "live_trading_disabled"
    assert not Order.objects.exists()


def test_list_filters_and_paginates(alice_client, alice, account, venue):
    ids = [
        alice_client.post("/api/orders/", _body(account, side=side), format="json").json()["id"]
        for side in ("buy", "sell", "buy")
    ]
    order_submit(order_id=ids[0])

    everything = alice_client.get("/api/orders/").json()
    sells = alice_client.get("/api/orders/?side=sell").json()
    opened = alice_client.get("/api/orders/?status=open").json()
    page = alice_client.get("/api/orders/?limit=1&offset=1").json()
    by_account = alice_client.get(f"/api/orders/?exchange_account={account.pk}&open=true").json()
    finished = alice_client.get("/api/orders/?open=false").json()
    bad = alice_client.get("/api/orders/?status=lost")

    assert everything["count"] == 3
    assert [o["id"] for o in sells["results"]] == [ids[1]]
    assert [o["id"] for o in opened["results"]] == [ids[0]]
    assert page["count"] == 3
    assert len(page["results"]) == 1
    assert page["next"]
    assert by_account["count"] == 3
    assert finished["count"] == 0
    assert bad.status_code == 400
    assert bad.json()["field"] == "status"


def test_detail_has_events_and_fills(alice_client, account, venue):
    created = alice_client.post(
        "/api/orders/", _body(account, type="market", price=None), format="json"
    ).json()
    order_submit(order_id=created["id"])

    detail = alice_client.get(f"/api/orders/{created['id']}/").json()
    fills = alice_client.get(f"/api/fills/?order={created['id']}").json()

    assert detail["status"] == "filled"
    assert [e["to_status"] for e in detail["events"]] == ["new", "submitting", "filled"]
    assert len(detail["fills"]) == 1
    assert detail["fills"][0]["trade_id"] == venue.trades[0].trade_id
    assert fills["count"] == 1
    assert fills["results"][0]["amount"] == "0.1"
    assert Fill.objects.count() == 1


def test_cancel_answers_200_when_done_and_202_while_pending(alice_client, account, venue):
    new = alice_client.post("/api/orders/", _body(account), format="json").json()
    sent = alice_client.post("/api/orders/", _body(account), format="json").json()
    order_submit(order_id=sent["id"])

    done = alice_client.post(f"/api/orders/{new['id']}/cancel/")
    pending = alice_client.post(f"/api/orders/{sent['id']}/cancel/")
    again = alice_client.post(f"/api/orders/{new['id']}/cancel/")

    assert (done.status_code, done.json()["status"]) == (200, "canceled")
    assert (pending.status_code, pending.json()["status"]) == (202, "open")
    assert again.status_code == 409
    assert again.json()["code"] == "order_not_cancelable"


def test_another_users_order_is_a_404(alice_client, bob_client, account):
    created = alice_client.post("/api/orders/", _body(account), format="json").json()

    detail = bob_client.get(f"/api/orders/{created['id']}/")
    cancel = bob_client.post(f"/api/orders/{created['id']}/cancel/")
    listed = bob_client.get("/api/orders/").json()
    by_account = bob_client.post("/api/orders/", _body(account), format="json")

    assert detail.status_code == 404
    assert detail.json()["code"] == "not_found"
    assert cancel.status_code == 404
    assert listed["count"] == 0
    assert by_account.status_code == 400
    assert by_account.json()["field"] == "exchange_account"
    assert Order.objects.get().status == "new"


def test_paper_account_is_created_on_first_visit_with_10000_usdt(alice_client, alice):
    first = alice_client.get("/api/paper-accounts/").json()
    second = alice_client.get("/api/paper-accounts/").json()

    assert len(first) == 1
    assert second == first
    assert first[0]["exchange"] == "demo"
    assert first[0]["quote_currency"] == "USDT"
    assert first[0]["balances"] == {"USDT": "10000"}


def test_anonymous_requests_are_refused(api_client):
    assert api_client.get("/api/orders/").status_code in (401, 403)
    assert api_client.get("/api/paper-accounts/").status_code in (401, 403)


@pytest.mark.django_db(transaction=True)
def test_two_identical_concurrent_posts_make_one_order(alice, account):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite locks the whole database)")
    barrier = threading.Barrier(2)
    answers: list[tuple[int, int]] = []

    def post() -> None:
        client = APIClient()
        client.force_authenticate(alice)
        barrier.wait()
        try:
            response = client.post(
                "/api/orders/", _body(account), format="json", HTTP_IDEMPOTENCY_KEY="same-moment"
            )
            answers.append((response.status_code, response.json()["id"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(code for code, _ in answers) == [200, 201]
    assert len({order_id for _, order_id in answers}) == 1
    assert Order.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1


def test_stream_payload_equals_the_api_payload(alice_client, account, monkeypatch):
    from trading.orders import services

    sent = []
    # Every event reaches the outbox through `append` (`publish` too).
    monkeypatch.setattr(
        services.stream,
        "append",
        lambda events: sent.extend({"group": g, **m} for g, m in events) or [],
    )
    created = alice_client.post("/api/orders/", _body(account), format="json").json()

    assert sent[-1]["data"] == created
    orders_reconcile()
    assert Decimal(created["amount"]) == Decimal("0.1")
