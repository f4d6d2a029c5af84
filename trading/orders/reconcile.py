"""The reconciler: resolve orders whose outcome is unknown, refresh open ones, adopt lost ones.

An UNKNOWN order (or a SUBMITTING one whose worker died: older than the claim timeout) is
looked up on its venue by its client order id. The lookup finds closed orders too (Binance's
`origClientOrderId` query does), so an order that exists in any state is recorded, never
sent again. Only an order the venue still does not know once the grace period since its last
send has passed is resent, with the same client order id. NEW orders older than the claim
timeout (their task was lost with its worker) are submitted. Open orders are refreshed with
their fills; open orders on the venue with the platform's prefix but no local row are adopted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import structlog
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from markets.core import errors
from markets.core.orders import OrderAdapter, VenueOrder, is_own_client_order_id
from markets.selectors import market_get
from trading.core.orders import OPEN_STATES, OrderStatus, venue_status
from trading.models import Order, OrderEvent
from trading.orders import services
from trading.orders.payloads import ORDER_RELATED
from trading.orders.venues import account_adapter, order_adapter

log = structlog.get_logger(__name__)

S = OrderStatus
AccountKey = tuple[int, int | None, int | None]  # owner, exchange account, paper account


@dataclass
class ReconcileReport:
    """What one reconciler pass did."""

    checked: int = 0
    resolved: int = 0
    resent: int = 0
    submitted: int = 0
    waiting: int = 0
    refreshed: int = 0
    adopted: int = 0
    failed: int = 0
    accounts: int = 0
    by_state: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "resolved": self.resolved,
            "resent": self.resent,
            "submitted": self.submitted,
            "waiting": self.waiting,
            "refreshed": self.refreshed,
            "adopted": self.adopted,
            "failed": self.failed,
            "accounts": self.accounts,
        }


def _claim_timeout() -> timedelta:
    return timedelta(seconds=settings.ORDERS_CLAIM_TIMEOUT_SECONDS)


def _grace() -> timedelta:
    return timedelta(seconds=settings.ORDERS_NOT_FOUND_GRACE_SECONDS)


def _candidates(now: datetime) -> Q:
    stale = now - _claim_timeout()
    return (
        Q(status=S.UNKNOWN.value)
        | Q(status=S.SUBMITTING.value, updated_at__lt=stale)
        | Q(status=S.NEW.value, created_at__lt=stale)
        | Q(status__in=[s.value for s in OPEN_STATES])
    )


def _resend(order: Order, adapter: OrderAdapter, now: datetime) -> bool:
    try:
        services.sending_check(order)
    except errors.QuantumTraderError as e:
        return services.order_transition(
            order=order,
            to=S.REJECTED,
            cause="refused",
            details={"code": e.code},
            reason=f"{e.message} ({e.code})",
        )
    if not services.order_transition(
        order=order,
        to=S.SUBMITTING,
        cause="resend_never_placed",
        submit_attempts=order.submit_attempts + 1,
        submitted_at=now,
    ):
        return False
    services.order_send(order=order, adapter=adapter)
    return True


def order_resolve(*, order: Order, adapter: OrderAdapter, now: datetime | None = None) -> str:
    """Resolve one UNKNOWN or stale SUBMITTING order by its client order id.

    Returns "resolved" (found and recorded), "resent" (confirmed never placed after the
    grace period, sent again with the same id), "waiting" (not found within the grace
    period) or "failed" (the venue could not be asked).
    """
    now = now or timezone.now()
    try:
        venue = adapter.fetch_order(order.market.symbol, client_order_id=order.client_order_id)
    except errors.OrderNotFoundError:
        last_sent = order.submitted_at or order.created_at
        if now - last_sent < _grace():
            return "waiting"
        if order.status == S.SUBMITTING.value and not services.order_transition(
            order=order, to=S.UNKNOWN, cause="claim_expired"
        ):
            return "failed"
        return "resent" if _resend(order, adapter, now) else "failed"
    except errors.QuantumTraderError as e:
        log.info("order.resolve_failed", order_id=order.pk, error=e.code)
        return "failed"
    services.order_apply_venue(order=order, venue=venue, adapter=adapter, cause="reconciled")
    return "resolved"


def order_refresh(*, order: Order, adapter: OrderAdapter | None = None) -> bool:
    """Ask the venue for an open order's state and fills and record them."""
    adapter = adapter or order_adapter(order=order)
    try:
        venue = adapter.fetch_order(
            order.market.symbol,
            exchange_order_id=order.exchange_order_id or None,
            client_order_id=None if order.exchange_order_id else order.client_order_id,
        )
    except errors.QuantumTraderError as e:
        log.info("order.refresh_failed", order_id=order.pk, error=e.code)
        return False
    return services.order_apply_venue(order=order, venue=venue, adapter=adapter, cause="refreshed")


def _adopt(key: AccountKey, venue: VenueOrder, exchange_id: str) -> bool:
    owner_id, exchange_account_id, paper_account_id = key
    try:
        market = market_get(exchange=exchange_id, symbol=venue.symbol)
    except Exception:  # an unlisted market: nothing to attach the order to
        log.warning("order.adopt_no_market", symbol=venue.symbol, exchange=exchange_id)
        return False
    now = timezone.now()
    status = venue_status(venue)
    try:
        with transaction.atomic():
            order = Order.objects.create(
                owner_id=owner_id,
                exchange_account_id=exchange_account_id,
                paper_account_id=paper_account_id,
                market=market,
                client_order_id=venue.client_order_id,
                exchange_order_id=venue.exchange_order_id,
                side=venue.side,
                type=venue.type,
                amount=venue.amount,
                price=venue.price,
                filled_amount=venue.filled,
                average_price=venue.average_price,
                fee=venue.fee_cost,
                fee_currency=venue.fee_currency or "",
                status=status.value,
                reason="Adopted: found on the exchange with the platform's prefix.",
                submitted_at=now,
                created_at=now,
                updated_at=now,
            )
            OrderEvent.objects.create(
                order=order,
                from_status=S.UNKNOWN.value,
                to_status=status.value,
                cause="adopted",
                details={"exchange_order_id": venue.exchange_order_id},
                created_at=now,
            )
    except IntegrityError:
        return False  # it has a row after all (placed meanwhile)
    log.warning("order.adopted", order_id=order.pk, client_order_id=venue.client_order_id)
    return True


def _adopt_missing(key: AccountKey, adapter: OrderAdapter, exchange_id: str) -> int:
    try:
        open_orders = adapter.fetch_open_orders()
    except errors.QuantumTraderError as e:
        log.info("order.adopt_skipped", error=e.code)
        return 0
    own = {o.client_order_id: o for o in open_orders if is_own_client_order_id(o.client_order_id)}
    if not own:
        return 0
    known = set(
        Order.objects.filter(client_order_id__in=list(own)).values_list(
            "client_order_id", flat=True
        )
    )
    return sum(_adopt(key, venue, exchange_id) for cid, venue in own.items() if cid not in known)


def _reconcile_account(
    key: AccountKey, orders: list[Order], report: ReconcileReport, now: datetime
) -> None:
    owner_id, exchange_account_id, paper_account_id = key
    try:
        adapter = account_adapter(
            owner_id=owner_id,
            exchange_account_id=exchange_account_id,
            paper_account_id=paper_account_id,
        )
    except errors.QuantumTraderError as e:
        log.warning("order.reconcile_no_adapter", account=key, error=e.code)
        report.failed += len(orders)
        return
    for order in orders:
        report.checked += 1
        if order.status == S.NEW.value:
            outcome = services.order_submit(order_id=order.pk)
            report.submitted += outcome != "skipped"
        elif order.status in (S.OPEN.value, S.PARTIALLY_FILLED.value):
            report.refreshed += order_refresh(order=order, adapter=adapter)
        else:
            outcome = order_resolve(order=order, adapter=adapter, now=now)
            if outcome == "resolved":
                report.resolved += 1
            elif outcome == "resent":
                report.resent += 1
            elif outcome == "waiting":
                report.waiting += 1
            else:
                report.failed += 1
    if orders:
        report.adopted += _adopt_missing(key, adapter, orders[0].market.exchange.ccxt_id)


def orders_reconcile(
    *,
    exchange_account_id: int | None = None,
    paper_account_id: int | None = None,
    now: datetime | None = None,
) -> ReconcileReport:
    """Run one reconciler pass over every account's unresolved and open orders (or one's)."""
    now = now or timezone.now()
    rows = Order.objects.filter(_candidates(now)).select_related(*ORDER_RELATED)
    if exchange_account_id is not None:
        rows = rows.filter(exchange_account_id=exchange_account_id)
    if paper_account_id is not None:
        rows = rows.filter(paper_account_id=paper_account_id)
    by_account: dict[AccountKey, list[Order]] = defaultdict(list)
    for order in rows.order_by("id"):
        key = (order.owner_id, order.exchange_account_id, order.paper_account_id)
        by_account[key].append(order)
    report = ReconcileReport(accounts=len(by_account))
    for key, orders in by_account.items():
        _reconcile_account(key, orders, report, now)
    log.info("orders.reconciled", **report.as_dict())
    return report
