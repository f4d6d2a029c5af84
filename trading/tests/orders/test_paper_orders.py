"""Paper orders through the one order path, the paper book kept in PaperAccount rows."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from markets.core.factory import create_order_adapter
from markets.core.paper import MemoryPriceSource, PaperBook
from trading.models import Fill, Order, PaperAccount
from trading.orders import paper_store
from trading.orders.paper_store import DjangoPaperStore, paper_account_create
from trading.orders.reconcile import orders_reconcile
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


def _place(owner, paper, **overrides):
    args = {
        "owner": owner,
        "paper_account_id": paper.pk,
        "symbol": "BTC/USDT",
        "side": "buy",
        "type": "market",
        "amount": Decimal("1"),
        **overrides,
    }
    return order_place(**args, enqueue=False).order


def test_paper_market_order_fills_with_slippage_and_fee_in_the_book(alice, paper):
    order = _place(alice, paper)

    state = order_submit(order_id=order.pk)

    order.refresh_from_db()
    paper.refresh_from_db()
    book = PaperBook.from_json(paper.book)
    fill = Fill.objects.get(order=order)
    # 100 slipped 5 bps against a buy = 100.05; taker fee 0.1 % of 100.05 = 0.10005
    assert state == "filled"
    assert order.average_price == Decimal("100.05")
    assert fill.price == Decimal("100.05")
    assert fill.fee == Decimal("0.10005")
    assert fill.exchange == "demo"
    assert fill.venue == f"paper_account:{paper.pk}"
    assert book.balances["USDT"] == Decimal("10000") - Decimal("100.05") - Decimal("0.10005")
    assert book.balances["BTC"] == Decimal("1")
    assert paper.version >= 1


def test_paper_insufficient_balance_is_rejected_with_its_reason(alice, paper):
    order = _place(alice, paper, amount=Decimal("1000"))

    order_submit(order_id=order.pk)

    order.refresh_from_db()
    assert order.status == "rejected"
    assert "(insufficient_funds)" in order.reason
    assert PaperBook.from_json(PaperAccount.objects.get().book).balances["USDT"] == Decimal("10000")


def test_paper_limit_order_rests_then_cancels_returning_the_reservation(alice, paper):
    order = _place(alice, paper, type="limit", price=Decimal("90"))
    order_submit(order_id=order.pk)
    from trading.orders.services import order_cancel, order_cancel_request

    order_cancel_request(owner=alice, order_id=order.pk)
    state = order_cancel(order_id=order.pk)
    orders_reconcile()

    book = PaperBook.from_json(PaperAccount.objects.get().book)
    assert state == "canceled"
    assert book.balances["USDT"] == Decimal("10000")
    assert sum(book.reserved.values()) == 0


def test_store_transaction_rolls_back_the_book_on_error(alice, paper):
    store = DjangoPaperStore(paper.pk)

    def spend_then_fail() -> None:
        with store.transaction() as book:
            book.add("USDT", Decimal("-5000"))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        spend_then_fail()
    with store.transaction() as book:
        book.add("USDT", Decimal("-1"))

    paper.refresh_from_db()
    assert PaperBook.from_json(paper.book).balances["USDT"] == Decimal("9999")
    assert paper.version == 1


@pytest.mark.django_db(transaction=True)
def test_store_transactions_on_one_book_never_interleave(alice):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    make_market(exchange_id="demo")
    paper = paper_account_create(owner=alice, label="Paper")
    barrier = threading.Barrier(4)

    def spend() -> None:
        barrier.wait()
        try:
            for _ in range(10):
                with DjangoPaperStore(paper.pk).transaction() as book:
                    book.add("USDT", Decimal("-1"))
        finally:
            connection.close()

    threads = [threading.Thread(target=spend) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    paper.refresh_from_db()
    assert PaperBook.from_json(paper.book).balances["USDT"] == Decimal("9960")
    assert paper.version == 40
    assert Order.objects.count() == 0
