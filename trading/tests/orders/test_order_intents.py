"""Many orders through the one order path: checked one by one, stored together."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEvent
from markets.core.errors import QuantumTraderError
from trading.bots.kill import kill_switch_set
from trading.models import Order, OrderEvent
from trading.orders.paper_store import paper_account_create
from trading.orders.services import OrderIntent, OrderIntents
from trading.tests.orders.conftest import make_market

pytestmark = pytest.mark.django_db

PRICE = Decimal("100")


@pytest.fixture
def papers(alice, bob):
    make_market(exchange_id="demo")
    make_market(exchange_id="demo", symbol="ETH/USDT", active=False)
    return {
        alice.pk: paper_account_create(owner=alice, label="Paper"),
        bob.pk: paper_account_create(owner=bob, label="Paper"),
    }


def _intent(owner: Any, paper: Any, **overrides: Any) -> OrderIntent:
    values: dict[str, Any] = {
        "owner": owner,
        "symbol": "BTC/USDT",
        "side": "buy",
        "type": "market",
        "amount": Decimal("0.1"),
        "paper_account_id": paper.pk,
        "reference_price": PRICE,
    }
    values.update(overrides)
    return OrderIntent(**values)


def _refusal(intents: OrderIntents, intent: OrderIntent) -> tuple[str, str | None]:
    with pytest.raises(QuantumTraderError) as refused:
        intents.add(intent)
    return refused.value.code, refused.value.field


def test_a_batch_stores_the_orders_that_pass_and_refuses_each_other_with_its_reason(
    alice, bob, papers, django_capture_on_commit_callbacks
):
    # given bob's kill switch on, and a batch with good orders among refused ones
    kill_switch_set(actor=bob, scope="user", active=True, reason="holiday")
    mine, theirs = papers[alice.pk], papers[bob.pk]
    intents = OrderIntents()
    good = [
        intents.add(_intent(alice, mine)),
        intents.add(_intent(alice, mine, amount=Decimal("0.123456"))),
        intents.add(_intent(alice, mine, side="sell", type="limit", price=Decimal("101.50"))),
        intents.add(_intent(bob, theirs, side="sell", kill_exempt=True)),
    ]
    refusals = [
        _refusal(intents, _intent(alice, mine, amount=Decimal("0.000001"))),
        _refusal(intents, _intent(alice, mine, amount=Decimal("0.01"))),
        _refusal(intents, _intent(alice, mine, symbol="ETH/USDT")),
        _refusal(intents, _intent(alice, mine, symbol="XRP/USDT")),
        _refusal(intents, _intent(alice, theirs)),
        _refusal(intents, _intent(bob, theirs)),
        _refusal(intents, _intent(alice, mine, type="limit", price=Decimal("100.001"))),
        _refusal(intents, _intent(alice, mine, client_order_id="qt-77")),
    ]
    assert refusals == [
        ("amount_below_minimum", "amount"),
        ("notional_below_minimum", "amount"),
        ("market_inactive", "symbol"),
        ("unknown_market", "symbol"),
        ("not_found", "paper_account"),
        ("kill_switch_on", None),
        ("price_off_tick", "price"),
        ("client_order_id_reserved", "client_order_id"),
    ]
    assert len(intents) == 4
    assert not Order.objects.exists()  # checked, nothing stored yet
    # when the batch is written
    with django_capture_on_commit_callbacks() as submissions:
        written = intents.write()
    # then exactly the orders that passed are stored, NEW, each with its deterministic client
    # id, its placed event and audit record, and each one's submission waits for the commit
    assert written == good
    rows = {order.pk: order for order in Order.objects.all()}
    assert set(rows) == {order.pk for order in good}
    for order in good:
        row = rows[order.pk]
        assert row.status == "new"
        assert row.client_order_id == f"qt-{order.pk}"
        assert row.amount == order.amount
    assert rows[good[1].pk].amount == Decimal("0.12345")  # rounded down to the lot step
    assert rows[good[2].pk].price == Decimal("101.50")
    assert OrderEvent.objects.filter(cause="placed", order__in=good).count() == 4
    audits = AuditEvent.objects.filter(action="order.placed")
    assert sorted(audits.values_list("target_id", "actor_id")) == sorted(
        (str(order.pk), order.owner_id) for order in good
    )
    assert len(submissions) == 4
    assert intents.write() == []  # written once


def test_writing_many_orders_runs_as_many_statements_as_writing_one(alice, papers):
    # given what the checks read, read once for the batch
    paper = papers[alice.pk]
    intents = OrderIntents()
    with CaptureQueriesContext(connection) as preload:
        intents.preload(
            owner_ids=[alice.pk], paper_account_ids=[paper.pk], markets=[("demo", "BTC/USDT")]
        )
    assert len(preload.captured_queries) == 3
    intents.add(_intent(alice, paper))
    intents.write(enqueue=False)  # the owner's stream topic exists from here on
    # when one order and then eight are checked and written
    counts = []
    for n in (1, 8):
        with CaptureQueriesContext(connection) as checks:
            for _ in range(n):
                intents.add(_intent(alice, paper))
        with CaptureQueriesContext(connection) as writes:
            assert len(intents.write(enqueue=False)) == n
        assert len(checks.captured_queries) == 0
        counts.append(len(writes.captured_queries))
    # then the checks read nothing more and both writes ran the same statements
    assert counts[0] == counts[1]
    assert Order.objects.count() == 10
    assert len(set(Order.objects.values_list("client_order_id", flat=True))) == 10


def test_a_market_order_without_a_reference_price_is_checked_at_the_newest_stored_close(
    alice, papers
):
    from datetime import timedelta

    from django.utils import timezone

    from markets.models import Candle, Market

    paper = papers[alice.pk]
    market = Market.objects.get(exchange__ccxt_id="demo", symbol="BTC/USDT")
    now = timezone.now().replace(second=0, microsecond=0)
    for timeframe, minutes, close in (("1h", 60, 1000.0), ("1m", 1, 10.0)):
        Candle.objects.create(
            market=market,
            timeframe=timeframe,
            open_time=now - timedelta(minutes=minutes),
            open=close,
            high=close,
            low=close,
            close=close,
            volume=1.0,
        )
    # 0.1 at the 1m close (10) is 1, under the minimum notional of 5, though 100 at the 1h close
    assert _refusal(OrderIntents(), _intent(alice, paper, reference_price=None)) == (
        "notional_below_minimum",
        "amount",
    )
    assert OrderIntents().add(_intent(alice, paper, amount=Decimal("1"), reference_price=None))
