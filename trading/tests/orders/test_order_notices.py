"""Fills and refusals reach the owner's notifications, and their channels, exactly once."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from accounts.models import Delivery, Notification
from accounts.notifications.delivery import delivery_attempt
from accounts.notifications.services import channel_create
from accounts.tests.notify_fakes import Receiver
from markets.core.factory import create_order_adapter
from markets.core.paper import MemoryPriceSource
from trading.models import Order
from trading.orders import paper_store
from trading.orders.paper_store import paper_account_create
from trading.orders.services import order_place, order_submit
from trading.tests.orders.conftest import make_market

pytestmark = pytest.mark.django_db

PRICES = MemoryPriceSource({"BTC/USDT": "100"})


@pytest.fixture(autouse=True)
def _prices(monkeypatch):
    def create(exchange_id, **kwargs):
        return create_order_adapter(exchange_id, **kwargs, price_source=PRICES)

    monkeypatch.setattr(paper_store, "create_order_adapter", create)


@pytest.fixture
def paper(alice):
    make_market(exchange_id="demo")
    return paper_account_create(owner=alice, label="Paper")


@pytest.fixture
def receiver(settings):
    settings.NOTIFY_ALLOW_PRIVATE_TARGETS = True
    fake = Receiver().start()
    yield fake
    fake.stop()


def _place(owner, paper, amount="1"):
    return order_place(
        owner=owner,
        paper_account_id=paper.pk,
        symbol="BTC/USDT",
        side="buy",
        type="market",
        amount=Decimal(amount),
        enqueue=False,
    ).order


def test_paper_fill_notifies_the_owner_once_and_reaches_the_webhook(
    alice, bob, paper, receiver, django_capture_on_commit_callbacks, monkeypatch
):
    # Given a webhook channel for fills (deliveries recorded instead of queued)
    queued = []
    monkeypatch.setattr("accounts.notifications.services._enqueue", lambda ids: queued.extend(ids))
    channel, secret = channel_create(
        owner=alice,
        kind="webhook",
        label="fills",
        events=["order.filled"],
        url=receiver.base + "/h",
    )
    receiver.secrets["/h"] = secret
    # When a paper market order fills
    order = _place(alice, paper)
    with django_capture_on_commit_callbacks(execute=True):
        assert order_submit(order_id=order.pk) == "filled"
    # Then alice has one "order filled" notification naming the order; bob has none
    filled = Notification.objects.get(user=alice, kind="order.filled")
    assert filled.data["order_id"] == order.pk
    assert filled.body.startswith("buy 1 BTC/USDT at 100.05")
    assert filled.data["amount"] == "1"
    assert not Notification.objects.filter(user=bob).exists()
    # And its one delivery reaches the receiver, signed
    assert len(queued) == 1
    assert delivery_attempt(delivery_id=queued[0]) == "sent"
    got = receiver.wait_for(1)
    assert len(got) == 1
    assert got[0].signature_ok is True
    assert json.loads(got[0].body)["data"]["order_id"] == order.pk
    assert Delivery.objects.get(channel=channel).status == "sent"


def test_paper_rejection_notifies_with_the_reason(alice, paper):
    order = _place(alice, paper, amount="1000")
    order_submit(order_id=order.pk)
    rejected = Notification.objects.get(user=alice, kind="order.rejected")
    assert rejected.data["order_id"] == order.pk
    assert "insufficient_funds" in rejected.body
    assert not Notification.objects.filter(kind="order.filled").exists()


def test_order_unknown_for_over_a_minute_is_told_once(alice, paper):
    from datetime import timedelta

    from django.utils import timezone

    from trading.orders.notices import orders_unknown_notice

    order = _place(alice, paper)
    fresh = _place(alice, paper, amount="2")
    now = timezone.now()
    Order.objects.filter(pk=order.pk).update(
        status="unknown", updated_at=now - timedelta(minutes=2)
    )
    Order.objects.filter(pk=fresh.pk).update(status="unknown", updated_at=now)

    assert orders_unknown_notice(now=now) == 1
    assert orders_unknown_notice(now=now) == 0

    told = Notification.objects.get(user=alice, kind="order.unknown")
    assert told.data["order_id"] == order.pk
