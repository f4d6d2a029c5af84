"""Placing, submitting, recording and canceling orders against an in-memory venue."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError

from accounts.models import AuditEvent
from markets.core import errors
from markets.services import MarketNotTradableError
from trading.core.orders import OrderCheckError
from trading.models import Fill, Order, OrderEvent
from trading.orders import services
from trading.orders.reconcile import orders_reconcile
from trading.orders.services import (
    IdempotencyKeyReusedError,
    LiveTradingDisabledError,
    OrderNotCancelableError,
    order_cancel,
    order_cancel_request,
    order_place,
    order_submit,
)
from trading.tests.orders.conftest import make_market

pytestmark = pytest.mark.django_db


def _place(owner, account, **overrides):
    args = {
        "owner": owner,
        "exchange_account_id": account.pk,
        "symbol": "BTC/USDT",
        "side": "buy",
        "type": "limit",
        "amount": Decimal("0.1"),
        "price": Decimal("100"),
        "enqueue": False,
        **overrides,
    }
    return order_place(**args).order


def test_order_place_commits_a_new_intent_with_its_deterministic_client_id(alice, account):
    order = _place(alice, account, amount=Decimal("0.123456789"))

    assert order.status == "new"
    assert order.client_order_id == f"qt-{order.pk}"
    assert order.amount == Decimal("0.12345")
    assert order.events.get().cause == "placed"
    assert AuditEvent.objects.filter(action="order.placed", target_id=str(order.pk)).exists()


@pytest.fixture
def eager(settings):
    """Run Celery tasks in-process. The app reads its configuration once: set it there too."""
    from trading.tasks import order_submit_task

    app = order_submit_task.app
    previous = app.conf.task_always_eager  # read (and loaded) before the setting changes
    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def test_order_place_enqueues_the_submit_task_on_commit(
    alice, account, venue, eager, django_capture_on_commit_callbacks
):

    with django_capture_on_commit_callbacks(execute=True):
        order = order_place(
            owner=alice,
            exchange_account_id=account.pk,
            symbol="BTC/USDT",
            side="buy",
            type="limit",
            amount=Decimal("0.1"),
            price=Decimal("100"),
        ).order

    order.refresh_from_db()
    assert order.status == "open"
    assert venue.create_calls == [order.client_order_id]


def test_submit_records_the_acknowledgement_and_only_one_claim_wins(alice, account, venue):
    order = _place(alice, account)

    first = order_submit(order_id=order.pk)
    second = order_submit(order_id=order.pk)

    order.refresh_from_db()
    assert (first, second) == ("open", "skipped")
    assert order.exchange_order_id == venue.ledger[0].exchange_order_id
    assert venue.create_calls == [order.client_order_id]
    assert list(order.events.values_list("to_status", flat=True)) == ["new", "submitting", "open"]


def test_market_order_fill_is_recorded_once_with_its_fee(alice, account, venue):
    order = _place(alice, account, type="market", price=None, amount=Decimal("0.5"))

    order_submit(order_id=order.pk)
    orders_reconcile()

    order.refresh_from_db()
    fill = Fill.objects.get(order=order)
    assert order.status == "filled"
    assert order.filled_amount == Decimal("0.5")
    assert order.average_price == Decimal("100")
    assert fill.amount == Decimal("0.5")
    assert fill.fee == Decimal("0.05")
    assert AuditEvent.objects.filter(action="order.fill").count() == 1


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (errors.InsufficientFundsError("Account has insufficient balance."), "insufficient_funds"),
        (errors.InvalidOrderError("Filter failure: PRICE_FILTER"), "order_rejected"),
        (
            errors.AuthenticationError("Invalid API-key, IP, or permissions."),
            "exchange_auth_failed",
        ),
        (errors.BadSymbolError("Invalid symbol."), "unknown_symbol"),
        (errors.PermissionDeniedError("This action is disabled."), "exchange_permission_denied"),
    ],
)
def test_fatal_exchange_error_rejects_with_its_reason_and_is_sent_once(
    alice, account, venue, error, code
):
    venue.create_error = error
    order = _place(alice, account)

    order_submit(order_id=order.pk)
    orders_reconcile()
    orders_reconcile()

    order.refresh_from_db()
    assert order.status == "rejected"
    assert order.reason == f"{error.message} ({code})"
    assert len(venue.create_calls) == 1


@pytest.mark.parametrize(
    "error",
    [
        errors.OrderOutcomeUnknownError("read timeout"),
        errors.NetworkError("connection reset"),
        errors.ExchangeUnavailableError("HTTP 503"),
        errors.RateLimitedError("HTTP 429"),
        RuntimeError("bug in the adapter"),
    ],
)
def test_unanswered_send_makes_the_order_unknown_and_is_never_resent_blindly(
    alice, account, venue, error
):
    venue.create_error = error
    order = _place(alice, account)

    order_submit(order_id=order.pk)

    order.refresh_from_db()
    assert order.status == "unknown"
    assert len(venue.create_calls) == 1


def test_duplicate_client_id_means_already_placed_and_the_reconciler_finds_it(
    alice, account, venue
):
    order = _place(alice, account)
    order_submit(order_id=order.pk)
    Order.objects.filter(pk=order.pk).update(status="unknown")
    venue.create_error = errors.DuplicateOrderError("Duplicate order sent.")

    orders_reconcile()

    order.refresh_from_db()
    assert order.status == "open"
    assert len(venue.orders_with_client_id(order.client_order_id)) == 1


def test_unknown_order_is_resent_only_after_the_grace_period(alice, account, venue, settings):
    settings.ORDERS_NOT_FOUND_GRACE_SECONDS = 3600
    venue.create_error = errors.OrderOutcomeUnknownError("HTTP 503 before accepting")
    order = _place(alice, account)
    order_submit(order_id=order.pk)
    venue.create_error = None

    waiting = orders_reconcile()
    settings.ORDERS_NOT_FOUND_GRACE_SECONDS = 0
    resent = orders_reconcile()

    order.refresh_from_db()
    assert (waiting.waiting, resent.resent) == (1, 1)
    assert order.status == "open"
    assert venue.create_calls == [order.client_order_id, order.client_order_id]
    assert len(venue.ledger) == 1


def test_filled_order_reported_missing_at_first_is_not_resent_within_the_grace(
    alice, account, venue, settings
):
    settings.ORDERS_NOT_FOUND_GRACE_SECONDS = 3600
    venue.faults.missing_for_seconds = 3600
    venue.faults.drop_after = 1.0
    order = _place(alice, account, type="market", price=None)
    order_submit(order_id=order.pk)

    report = orders_reconcile()
    venue.faults.missing_for_seconds = 0
    orders_reconcile()

    order.refresh_from_db()
    assert report.waiting == 1
    assert order.status == "filled"
    assert len(venue.ledger) == 1


def test_live_account_order_is_refused_while_live_trading_is_off(alice, account_factory, market):
    live = account_factory(alice, mode="live")

    with pytest.raises(LiveTradingDisabledError) as caught:
        _place(alice, live)

    assert caught.value.code == "live_trading_disabled"
    assert not Order.objects.exists()


def test_live_switch_turned_off_before_sending_rejects_the_order(
    alice, account_factory, market, venue, settings
):
    settings.LIVE_TRADING_ENABLED = True
    live = account_factory(alice, mode="live")
    order = _place(alice, live)
    settings.LIVE_TRADING_ENABLED = False

    order_submit(order_id=order.pk)

    order.refresh_from_db()
    assert order.status == "rejected"
    assert "live_trading_disabled" in order.reason
    assert venue.create_calls == []


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"symbol": "DOGE/USDT"}, "symbol", "unknown_market"),
        ({"amount": Decimal("0.000001")}, "amount", "amount_below_minimum"),
        ({"price": Decimal("100.001")}, "price", "price_off_tick"),
        ({"amount": Decimal("0.01")}, "amount", "notional_below_minimum"),
        ({"client_order_id": "qt-999999"}, "client_order_id", "client_order_id_reserved"),
        ({"client_order_id": "has space"}, "client_order_id", "invalid"),
        ({"exchange_account_id": None}, "paper_account", "account_required"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(
    alice, account, venue, overrides, field, code
):
    with pytest.raises(OrderCheckError) as caught:
        _place(alice, account, **overrides)

    assert (caught.value.field, caught.value.code) == (field, code)
    assert not Order.objects.exists()
    assert venue.create_calls == []


def test_market_with_unknown_limits_is_refused(alice, account):
    make_market(symbol="ETH/USDT", min_notional=None)

    with pytest.raises(OrderCheckError) as caught:
        _place(alice, account, symbol="ETH/USDT")

    assert caught.value.code == "market_limits_unknown"


def test_market_with_an_unverified_listing_is_refused(alice, account):
    make_market(symbol="ETH/USDT", listing_verified=False)

    with pytest.raises(MarketNotTradableError) as caught:
        _place(alice, account, symbol="ETH/USDT")

    assert (caught.value.code, caught.value.field) == ("market_not_verified", "symbol")
    assert not Order.objects.exists()


def test_another_users_account_is_refused(bob, account):
    with pytest.raises(OrderCheckError) as caught:
        _place(bob, account)

    assert (caught.value.field, caught.value.code) == ("exchange_account", "not_found")


def test_custom_client_order_id_is_sent_and_may_not_be_reused(alice, account, venue):
    order = _place(alice, account, client_order_id="my-order-1")
    order_submit(order_id=order.pk)

    with pytest.raises(OrderCheckError) as caught:
        _place(alice, account, client_order_id="my-order-1")

    assert venue.create_calls == ["my-order-1"]
    assert caught.value.code == "client_order_id_taken"


def test_idempotency_key_replays_the_same_order_and_refuses_another_body(alice, account):
    first = order_place(
        owner=alice,
        exchange_account_id=account.pk,
        symbol="BTC/USDT",
        side="buy",
        type="limit",
        amount=Decimal("0.1"),
        price=Decimal("100"),
        idempotency_key="k-1",
        enqueue=False,
    )
    again = order_place(
        owner=alice,
        exchange_account_id=account.pk,
        symbol="BTC/USDT",
        side="buy",
        type="limit",
        amount=Decimal("0.10"),
        price=Decimal("100.00"),
        idempotency_key="k-1",
        enqueue=False,
    )

    with pytest.raises(IdempotencyKeyReusedError):
        _place(alice, account, amount=Decimal("0.2"), idempotency_key="k-1")
    assert first.created
    assert not again.created
    assert again.order.pk == first.order.pk
    assert Order.objects.count() == 1


def test_cancel_of_a_new_order_needs_no_venue(alice, account, venue):
    order = _place(alice, account)

    canceled = order_cancel_request(owner=alice, order_id=order.pk)

    assert canceled.status == "canceled"
    assert order_submit(order_id=order.pk) == "skipped"
    assert venue.create_calls == []


def test_cancel_of_an_open_order_cancels_it_on_the_venue(alice, account, venue):
    order = _place(alice, account)
    order_submit(order_id=order.pk)

    pending = order_cancel_request(owner=alice, order_id=order.pk)
    state = order_cancel(order_id=order.pk)

    assert pending.status == "open"
    assert state == "canceled"
    assert venue.ledger[0].status == "canceled"
    with pytest.raises(OrderNotCancelableError):
        order_cancel_request(owner=alice, order_id=order.pk)


def test_another_users_order_cannot_be_canceled(alice, bob, account):
    order = _place(alice, account)

    with pytest.raises(Order.DoesNotExist):
        order_cancel_request(owner=bob, order_id=order.pk)


def test_partial_fills_are_recorded_once_each(alice, account, venue):
    order = _place(alice, account, amount=Decimal("1"))
    order_submit(order_id=order.pk)

    venue.fill(venue.ledger[0].exchange_order_id, Decimal("0.4"))
    orders_reconcile()
    orders_reconcile()
    venue.fill(venue.ledger[0].exchange_order_id, Decimal("0.6"))
    orders_reconcile()

    order.refresh_from_db()
    assert order.status == "filled"
    assert Fill.objects.filter(order=order).count() == 2
    assert sum(f.amount for f in Fill.objects.filter(order=order)) == Decimal("1")
    states = list(OrderEvent.objects.filter(order=order).values_list("to_status", flat=True))
    assert states == ["new", "submitting", "open", "partially_filled", "filled"]


def test_stale_submitting_order_is_looked_up_and_a_fresh_one_left_alone(
    alice, account, venue, settings
):
    order = _place(alice, account)
    services.order_transition(order=order, to="submitting", cause="claimed")
    venue.create(services._request_of(order))  # the worker sent it, then died

    fresh = orders_reconcile()
    settings.ORDERS_CLAIM_TIMEOUT_SECONDS = 0
    stale = orders_reconcile()

    order.refresh_from_db()
    assert (fresh.checked, stale.resolved) == (0, 1)
    assert order.status == "open"
    assert len(venue.ledger) == 1


def test_open_order_missing_locally_is_adopted(alice, account, venue, market):
    order = _place(alice, account)
    order_submit(order_id=order.pk)
    lost = services._request_of(order)
    venue.create(type(lost)(**{**lost.__dict__, "client_order_id": "qt-424242"}))

    report = orders_reconcile()

    adopted = Order.objects.get(client_order_id="qt-424242")
    assert report.adopted == 1
    assert adopted.status == "open"
    assert adopted.owner == alice
    assert adopted.exchange_account_id == account.pk


def test_stream_and_audit_see_each_state_change(alice, account, monkeypatch):
    sent = []
    # Every event reaches the outbox through `append` (`publish` too).
    monkeypatch.setattr(
        services.stream,
        "append",
        lambda events: sent.extend({"group": g, **m} for g, m in events) or [],
    )
    order = _place(alice, account)

    order_submit(order_id=order.pk)

    order_events = [m for m in sent if m["type"] == "order"]
    assert [m["data"]["status"] for m in order_events] == ["new", "submitting", "open"]
    assert {m["group"] for m in sent} == {f"user.{alice.pk}"}
    assert order_events[-1]["data"]["account"]["kind"] == "testnet"
    assert AuditEvent.objects.filter(action="order.status_changed").count() == 2


def test_claim_of_a_worker_that_died_before_sending_is_recorded_and_the_order_sent_once(
    alice, account, venue, settings
):
    settings.ORDERS_CLAIM_TIMEOUT_SECONDS = 0
    order = _place(alice, account)
    claim = services.order_claim(order=services.order_load(order_id=order.pk), cause="claimed")
    assert claim is not None  # the worker dies here: SUBMITTING, nothing sent, no event yet

    report = orders_reconcile()

    order.refresh_from_db()
    assert report.resent == 1
    assert order.status == "open"
    assert venue.create_calls == [order.client_order_id]
    history = list(order.events.order_by("id").values_list("from_status", "to_status", "cause"))
    assert history == [
        ("new", "new", "placed"),
        ("new", "submitting", "claimed"),
        ("submitting", "unknown", "claim_expired"),
        ("unknown", "submitting", "resend_never_placed"),
        ("submitting", "open", "acknowledged"),
    ]


def test_claim_records_go_out_with_the_answer_in_one_history(alice, account, venue):
    order = _place(alice, account)

    order_submit(order_id=order.pk)

    history = list(order.events.order_by("id").values_list("to_status", "cause"))
    assert history == [("new", "placed"), ("submitting", "claimed"), ("open", "acknowledged")]
    audits = AuditEvent.objects.filter(action="order.status_changed", target_id=str(order.pk))
    assert sorted(a.details["to"] for a in audits) == ["open", "submitting"]


def test_batch_record_falls_back_to_one_by_one_when_a_fill_was_stored_meanwhile(
    alice, account, venue, monkeypatch
):
    venue.faults.drop_after = 1.0
    orders = [_place(alice, account, type="market", price=None) for _ in range(2)]
    for order in orders:
        order_submit(order_id=order.pk)
    venue.faults.drop_after = 0.0
    real = services._fill_rows
    calls = []

    def conflict_once(plan):
        calls.append(len(plan))
        if len(calls) == 1:
            raise IntegrityError("fill_unique_trade")
        return real(plan)

    monkeypatch.setattr(services, "_fill_rows", conflict_once)

    report = orders_reconcile()

    assert report.resolved == 2
    assert calls == [2]  # the batch once, then each order on its own path
    for order in orders:
        order.refresh_from_db()
        assert order.status == "filled"
        assert order.fills.count() == 1
        assert order.events.order_by("-id").first().to_status == "filled"
    assert len(venue.ledger) == 2
