"""The order path's written-once statements give what the ORM gives."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext

from trading.models import Order
from trading.orders import services
from trading.orders.paper_store import paper_account_create
from trading.orders.payloads import ORDER_RELATED, order_payload
from trading.orders.services import order_load, order_load_claim, order_place
from trading.tests.orders.conftest import make_market

pytestmark = pytest.mark.django_db


def _statements(captured: CaptureQueriesContext) -> list[str]:
    """The statements run, a prepared statement's one-time PREPARE left out."""
    return [q["sql"] for q in captured.captured_queries if not q["sql"].startswith("PREPARE ")]


def _values(obj: Model | None) -> dict[str, Any] | None:
    if obj is None:
        return None
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _related(order: Order) -> dict[str, Any]:
    """Every object along ORDER_RELATED, by path, as its field values."""
    found: dict[str, Any] = {"": _values(order)}
    for path in ORDER_RELATED:
        obj: Any = order
        for name in path.split("__"):
            obj = getattr(obj, name) if obj is not None else None
        found[path] = _values(obj)
        found[path.split("__")[0]] = _values(getattr(order, path.split("__")[0]))
    return found


def _place(owner: Any, **account: Any) -> Order:
    return order_place(
        owner=owner,
        symbol="BTC/USDT",
        side="buy",
        type="limit",
        amount=Decimal("0.1"),
        price=Decimal("100"),
        enqueue=False,
        **account,
    ).order


@pytest.mark.parametrize("kind", ["exchange", "paper"])
def test_order_load_gives_what_select_related_gives_and_reads_nothing_more(alice, account, kind):
    # given an exchange account's order and a paper account's
    if kind == "paper":
        make_market(exchange_id="demo")
        paper = paper_account_create(owner=alice, label="Paper")
        order = _place(alice, paper_account_id=paper.pk)
    else:
        order = _place(alice, exchange_account_id=account.pk)
    expected = Order.objects.select_related(*ORDER_RELATED).get(pk=order.pk)
    # when it is loaded
    with CaptureQueriesContext(connection) as reading:
        loaded = order_load(order_id=order.pk)
    # then in one statement, with the same rows along every relation
    assert len(_statements(reading)) == 1
    with CaptureQueriesContext(connection) as afterwards:
        assert _related(loaded) == _related(expected)
        assert order_payload(loaded) == order_payload(expected)
    # and nothing more is read for them
    assert afterwards.captured_queries == []
    assert loaded._state.adding is False
    assert loaded._state.db == "default"


def test_order_load_of_a_missing_order_raises_does_not_exist(db):
    with pytest.raises(Order.DoesNotExist):
        order_load(order_id=987654321)
    with pytest.raises(Order.DoesNotExist):
        order_load_claim(order_id=987654321, cause="claimed")


def test_read_and_claim_leaves_in_memory_what_it_stored_and_claims_once(alice, account):
    # given a NEW order
    order = _place(alice, exchange_account_id=account.pk)
    # when it is read and claimed in one statement
    with CaptureQueriesContext(connection) as claiming:
        claimed, claim = order_load_claim(order_id=order.pk, cause="claimed")
    # then it is SUBMITTING in the row and in memory alike, one attempt, one version more
    assert len(_statements(claiming)) == 1
    assert claim is not None
    assert (claim.previous, claim.to, claim.cause) == ("new", "submitting", "claimed")
    stored = Order.objects.get(pk=order.pk)
    assert _values(claimed) == _values(stored)
    assert (stored.status, stored.version, stored.submit_attempts) == ("submitting", 1, 1)
    assert stored.submitted_at == claim.at
    # and a second read and claim finds it claimed and changes nothing
    again, second = order_load_claim(order_id=order.pk, cause="claimed")
    assert second is None
    assert again.status == "submitting"
    assert _values(Order.objects.get(pk=order.pk)) == _values(stored)


def test_read_and_claim_never_claims_a_row_changed_after_the_statement_read_it(
    alice, account, monkeypatch
):
    # given a NEW order whose version another worker bumps while this claim is under way
    # (the statement's read of the version stands for the read before a claim)
    order = _place(alice, exchange_account_id=account.pk)
    real = services.statements.load_claim_sql

    def stale_version() -> str:
        # the statement reads version 7 while the row holds 8: as if changed meanwhile
        return real().replace('SELECT "version" FROM', 'SELECT "version" - 1 AS "version" FROM', 1)

    Order.objects.filter(pk=order.pk).update(version=8)
    monkeypatch.setattr(services.statements, "load_claim_sql", lambda: stale_version())
    # when it is read and claimed
    _, claim = order_load_claim(order_id=order.pk, cause="claimed")
    # then it is not claimed and stays as it was
    assert claim is None
    stored = Order.objects.get(pk=order.pk)
    assert (stored.status, stored.version, stored.submit_attempts) == ("new", 8, 0)


@pytest.mark.django_db(transaction=True)
def test_a_new_database_session_prepares_the_statements_again(alice, account):
    # given an order read once on this session
    order = _place(alice, exchange_account_id=account.pk)
    assert order_load(order_id=order.pk).pk == order.pk
    # when the session ends and another begins
    connection.close()
    with CaptureQueriesContext(connection) as reading:
        loaded, claim = order_load_claim(order_id=order.pk, cause="claimed")
        again = order_load(order_id=order.pk)
    # then the statements are prepared on it before they run, and run as before
    if connection.vendor == "postgresql":
        assert [q["sql"].split()[0] for q in reading.captured_queries] == [
            "PREPARE",
            "EXECUTE",
            "PREPARE",
            "EXECUTE",
        ]
    assert claim is not None
    assert loaded.pk == again.pk == order.pk
    assert again.status == "submitting"
