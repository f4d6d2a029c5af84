"""Fault storms against the fake Binance: every figure is read from the fake's own ledger.

20% of order answers dropped after the order was accepted, 5% 5xx after accepting, 5% 5xx
before accepting; then at most three reconciler passes. Every intent must end with exactly
one order on the exchange carrying its client order id, and none may stay UNKNOWN or
SUBMITTING. The bench (bench/bench_orders.py) runs the same at 10,000 orders.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from accounts.services import exchange_accounts
from markets.testing.fake_exchange import FakeExchange, Fault, FaultRates
from trading.models import Fill, Order
from trading.orders.reconcile import orders_reconcile
from trading.orders.services import order_place, order_submit
from trading.tests.orders.fake_exchange_setup import adapter_create_for, fake_markets

pytestmark = pytest.mark.django_db

N = 300
CREATE = "POST /api/v3/order"
STORM = FaultRates(drop_after=0.20, error_after=0.05, error_before=0.05)


@pytest.fixture
def fake():
    with FakeExchange(seed=12, prices={"BTCUSDT": "30000", "ETHUSDT": "2000"}) as server:
        yield server


@pytest.fixture
def storm_account(alice, account_factory, fake, monkeypatch):
    fake_markets()
    account = account_factory(alice)
    monkeypatch.setattr(exchange_accounts, "adapter_create", adapter_create_for(fake))
    return account


def _place_all(owner, account, n: int, *, type: str) -> list[Order]:
    orders = []
    for i in range(n):
        price = None if type == "market" else Decimal("20000") + i  # below the market: rests
        orders.append(
            order_place(
                owner=owner,
                exchange_account_id=account.pk,
                symbol="BTC/USDT",
                side="buy",
                type=type,
                amount=Decimal("0.001"),
                price=price,
                enqueue=False,
            ).order
        )
    return orders


def _storm(owner, account, fake, *, type: str) -> dict[str, int]:
    orders = _place_all(owner, account, N, type=type)
    fake.set_fault_rates(CREATE, STORM)
    for order in orders:
        order_submit(order_id=order.pk)
    unknown_after_submit = Order.objects.filter(status="unknown").count()
    cycles = 0
    while Order.objects.filter(status__in=["unknown", "submitting", "new"]).exists():
        cycles += 1
        assert cycles <= 3, "not reconciled within 3 reconciler passes"
        orders_reconcile()
    counts = fake.ledger.client_id_counts()
    return {
        "unknown_after_submit": unknown_after_submit,
        "cycles": cycles,
        "ledger_orders": len(fake.ledger),
        "duplicates": sum(1 for count in counts.values() if count > 1),
        "lost": sum(1 for order in orders if counts.get(order.client_order_id, 0) == 0),
    }


def test_limit_order_storm_ends_with_one_ledger_order_per_intent(alice, storm_account, fake):
    figures = _storm(alice, storm_account, fake, type="limit")

    assert figures["unknown_after_submit"] > N * 0.2  # the storm did hit
    assert figures["duplicates"] == 0
    assert figures["lost"] == 0
    assert figures["ledger_orders"] == N
    assert Order.objects.filter(status="open").count() == N
    assert fake.request_count(CREATE) > N  # the 5xx-before orders were sent again


def test_market_order_storm_never_duplicates_a_filled_order(alice, storm_account, fake):
    figures = _storm(alice, storm_account, fake, type="market")

    assert figures["duplicates"] == 0
    assert figures["lost"] == 0
    assert figures["ledger_orders"] == N
    assert Order.objects.filter(status="filled").count() == N
    ledger_fills = {f.trade_id for f in fake.ledger.fills()}
    assert {int(t) for t in Fill.objects.values_list("trade_id", flat=True)} == ledger_fills


def test_fresh_order_reported_missing_is_not_resent_within_the_grace(
    alice, storm_account, fake, settings
):
    settings.ORDERS_NOT_FOUND_GRACE_SECONDS = 30
    fake.missing_for_s = 30
    order = _place_all(alice, storm_account, 1, type="market")[0]
    fake.script(CREATE, Fault("drop_after"))
    order_submit(order_id=order.pk)

    orders_reconcile()
    orders_reconcile()

    order.refresh_from_db()
    assert order.status == "unknown"
    assert len(fake.ledger.by_client_id(order.client_order_id)) == 1
    assert fake.request_count(CREATE) == 1


def test_pass_resolves_lost_answers_from_order_lists_not_one_lookup_each(
    alice, storm_account, fake
):
    orders = _place_all(alice, storm_account, 30, type="limit")
    orders += _place_all(alice, storm_account, 30, type="market")
    fake.set_fault_rates(CREATE, FaultRates(drop_after=1.0))
    for order in orders:
        order_submit(order_id=order.pk)
    fake.clear_faults()
    assert Order.objects.filter(status="unknown").count() == 60
    lookups = fake.request_count("GET /api/v3/order")

    report = orders_reconcile()

    assert (report.resolved, report.resent, report.waiting) == (60, 0, 0)
    assert fake.request_count("GET /api/v3/order") == lookups  # none one by one
    assert Order.objects.filter(status="open").count() == 30
    assert Order.objects.filter(status="filled").count() == 30
    ledger_fills = {f.trade_id for f in fake.ledger.fills()}
    assert {int(t) for t in Fill.objects.values_list("trade_id", flat=True)} == ledger_fills
    assert len(fake.ledger) == 60
    for order in Order.objects.all():
        last = order.events.order_by("-id").first()
        assert last is not None
        assert last.to_status == order.status


def _refuse_every_key(fake: FakeExchange) -> None:
    fake.api_keys = {"a-key-nobody-has"}  # the account's key is unknown or revoked


def _empty_balance(fake: FakeExchange) -> None:
    fake.balances = {"USDT": Decimal("1"), "BTC": Decimal("0")}


@pytest.mark.parametrize(
    ("refusal", "code"),
    [(_refuse_every_key, "exchange_auth_failed"), (_empty_balance, "insufficient_funds")],
)
def test_exchange_refusal_is_a_stored_reason_sent_once_and_never_resent(
    alice, storm_account, fake, refusal, code
):
    order = _place_all(alice, storm_account, 1, type="market")[0]
    refusal(fake)

    order_submit(order_id=order.pk)
    orders_reconcile()
    orders_reconcile()

    order.refresh_from_db()
    assert order.status == "rejected"
    assert order.reason.endswith(f"({code})")
    assert fake.request_count(CREATE) == 1
    assert len(fake.ledger) == 0
    assert list(order.events.values_list("to_status", flat=True).order_by("id")) == [
        "new",
        "submitting",
        "rejected",
    ]
