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
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import structlog
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from markets.core import errors
from markets.core.orders import OrderAdapter, VenueOrder, VenueTrade, is_own_client_order_id
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


ROUNDS = 4
"""Lookup rounds in one pass: an order resent in a round whose answer was lost again is looked
up in the next round of the same pass (and resent there once confirmed never placed)."""
CHUNK = 200
"""Orders recorded per transaction when a pass records many lookups at once."""


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
    claim = services.order_claim(order=order, cause="resend_never_placed")
    if claim is None:
        return False
    services.order_send(order=order, adapter=adapter, claim=claim)
    return True


def _lost_claim(order: Order, last_event: str | None) -> services.Step | None:
    """The claim of a SUBMITTING order whose worker died before writing the claim's event."""
    if order.status != S.SUBMITTING.value or last_event == S.SUBMITTING.value:
        return None
    previous = last_event or S.NEW.value
    at = order.submitted_at or order.updated_at
    return services.Step(previous, S.SUBMITTING.value, "claimed", at, {"recorded_late": True})


def _last_events(orders: list[Order]) -> dict[int, str]:
    """The state each of the SUBMITTING `orders` last has an event for."""
    ids = [o.pk for o in orders if o.status == S.SUBMITTING.value]
    if not ids:
        return {}
    last = (
        OrderEvent.objects.filter(order_id__in=ids)
        .values("order_id")
        .annotate(last_id=Max("id"))
        .values_list("last_id", flat=True)
    )
    return dict(OrderEvent.objects.filter(id__in=list(last)).values_list("order_id", "to_status"))


class TradeBook:
    """The account's trades of one pass, fetched once per market and indexed by order.

    Recording many filled orders asks the venue for the market's trades page by page from the
    oldest order's time, instead of once per order.
    """

    PAGE = 1000
    MAX_PAGES = 200

    def __init__(self, adapter: OrderAdapter, since_ms: dict[str, int]) -> None:
        self.adapter = adapter
        self.since_ms = since_ms
        self._by_order: dict[str, dict[str, list[VenueTrade]]] = {}

    def _load(self, symbol: str) -> dict[str, list[VenueTrade]]:
        by_order: dict[str, list[VenueTrade]] = defaultdict(list)
        since = self.since_ms.get(symbol)
        seen: set[str] = set()
        try:
            for _ in range(self.MAX_PAGES):
                page = self.adapter.fetch_my_trades(symbol, since_ms=since, limit=self.PAGE)
                for trade in page:
                    if trade.trade_id not in seen:
                        seen.add(trade.trade_id)
                        by_order[trade.exchange_order_id].append(trade)
                if len(page) < self.PAGE:
                    break
                since = page[-1].timestamp_ms  # trades of the same millisecond come again
        except errors.QuantumTraderError as e:
            log.info("order.trades_unavailable", symbol=symbol, error=e.code)
        return by_order

    def trades(self, order: Order, venue: VenueOrder) -> list[VenueTrade] | None:
        """The order's trades, or None when the book does not hold them all."""
        symbol = order.market.symbol
        if symbol not in self._by_order:
            self._by_order[symbol] = self._load(symbol)
        found = self._by_order[symbol].get(venue.exchange_order_id, [])
        return found if sum(t.amount for t in found) >= venue.filled else None


class RecentOrders:
    """The account's recent orders per market, open and closed, fetched once per pass.

    Resolving many orders whose answers were lost reads the market's order list page by page
    from the oldest one's send, instead of one lookup per order. An order this list lacks is
    still looked up by itself before anything is resent.
    """

    PAGE = 1000
    MAX_PAGES = 100

    def __init__(self, adapter: OrderAdapter, since_ms: dict[str, int]) -> None:
        self.adapter = adapter
        self.since_ms = since_ms
        self._by_client: dict[str, dict[str, VenueOrder]] = {}

    def _load(self, symbol: str) -> dict[str, VenueOrder]:
        by_client: dict[str, VenueOrder] = {}
        since = self.since_ms.get(symbol)
        try:
            for _ in range(self.MAX_PAGES):
                page = self.adapter.fetch_orders(symbol, since_ms=since, limit=self.PAGE)
                for venue in page:  # oldest first: the latest order with an id wins
                    if venue.client_order_id:
                        by_client[venue.client_order_id] = venue
                last = page[-1].timestamp_ms if page else None
                if len(page) < self.PAGE or last is None or last == since:
                    break
                since = last  # orders of the same millisecond come again
        except errors.QuantumTraderError as e:
            log.info("order.recent_orders_unavailable", symbol=symbol, error=e.code)
        return by_client

    def get(self, order: Order) -> VenueOrder | None:
        symbol = order.market.symbol
        if symbol not in self._by_client:
            self._by_client[symbol] = self._load(symbol)
        return self._by_client[symbol].get(order.client_order_id or "")


@dataclass
class _Pass:
    """One account's share of a pass: its adapter, the venue's open orders, its trades."""

    key: AccountKey
    adapter: OrderAdapter
    now: datetime
    report: ReconcileReport
    listing: dict[str, VenueOrder] | None
    trades: TradeBook
    recent: RecentOrders | None = None


def _listing(adapter: OrderAdapter) -> dict[str, VenueOrder] | None:
    """The venue's open orders by client order id (None when the venue could not be asked)."""
    try:
        open_orders = adapter.fetch_open_orders()
    except errors.QuantumTraderError as e:
        log.info("order.open_orders_unavailable", error=e.code)
        return None
    return {o.client_order_id: o for o in open_orders if o.client_order_id}


def _lookup(ctx: _Pass, order: Order, *, listed: bool) -> VenueOrder | None:
    """The venue's order with this client order id: from the pass's listing of open orders
    or of recent orders when `listed`, else (or when those lack it) asked for by itself,
    which finds closed orders too. None when the venue has none."""
    if listed and ctx.listing is not None and order.client_order_id in ctx.listing:
        return ctx.listing[order.client_order_id]
    if listed and ctx.recent is not None:
        recent = ctx.recent.get(order)
        if recent is not None:
            return recent
    try:
        return ctx.adapter.fetch_order(order.market.symbol, client_order_id=order.client_order_id)
    except errors.OrderNotFoundError:
        return None


def _chunks(items: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _lookup_all(
    ctx: _Pass, orders: list[Order], *, listed: bool
) -> tuple[list[tuple[Order, VenueOrder]], list[Order]]:
    """Look every order up; return the found ones with the venue's view, and the missing."""
    found: list[tuple[Order, VenueOrder]] = []
    missing: list[Order] = []
    for order in orders:
        try:
            venue = _lookup(ctx, order, listed=listed)
        except errors.QuantumTraderError as e:
            log.info("order.resolve_failed", order_id=order.pk, error=e.code)
            ctx.report.failed += 1
            continue
        if venue is None:
            missing.append(order)
        else:
            found.append((order, venue))
    return found, missing


def _resend_missing(ctx: _Pass, orders: list[Order], last_events: dict[int, str]) -> list[Order]:
    """Resend the orders confirmed never placed once their grace period has passed; return
    the resent ones whose answer was lost again."""
    report = ctx.report
    lost_again: list[Order] = []
    for order in orders:
        last_sent = order.submitted_at or order.created_at
        if max(ctx.now, timezone.now()) - last_sent < _grace():
            report.waiting += 1
            continue
        if order.status == S.SUBMITTING.value and not services.order_transition(
            order=order,
            to=S.UNKNOWN,
            cause="claim_expired",
            prior=_lost_claim(order, last_events.get(order.pk)),
        ):
            report.failed += 1
            continue
        if not _resend(order, ctx.adapter, timezone.now()):
            report.failed += 1
            continue
        report.resent += 1
        if order.status == S.UNKNOWN.value:
            lost_again.append(order)
    return lost_again


def _resolve_all(ctx: _Pass, orders: list[Order]) -> None:
    """Resolve UNKNOWN and stale SUBMITTING orders by client order id, in rounds.

    Each round looks every pending order up (the open-orders listing answers for those
    resting on the venue), records the found ones in a few transactions, and resends the
    ones confirmed never placed once the grace period since their last send has passed. A
    resend whose answer was lost again is looked up in the next round.
    """
    last_events = _last_events(orders)
    pending = orders
    for round_no in range(ROUNDS):
        found, missing = _lookup_all(ctx, pending, listed=round_no == 0)
        for chunk in _chunks(found):
            services.orders_apply_venue_many(
                answers=[(o, v, _lost_claim(o, last_events.get(o.pk))) for o, v in chunk],
                adapter=ctx.adapter,
                cause="reconciled",
                trades=ctx.trades.trades,
            )
            ctx.report.resolved += len(chunk)
        pending = _resend_missing(ctx, missing, last_events)
        if not pending:
            return
    ctx.report.waiting += len(pending)


def order_resolve(*, order: Order, adapter: OrderAdapter, now: datetime | None = None) -> str:
    """Resolve one UNKNOWN or stale SUBMITTING order by its client order id.

    Returns "resolved" (found and recorded), "resent" (confirmed never placed after the
    grace period, sent again with the same id), "waiting" (not found within the grace
    period) or "failed" (the venue could not be asked).
    """
    report = ReconcileReport()
    ctx = _Pass(
        key=(order.owner_id, order.exchange_account_id, order.paper_account_id),
        adapter=adapter,
        now=now or timezone.now(),
        report=report,
        listing=None,
        trades=TradeBook(adapter, {}),
    )
    _resolve_all(ctx, [order])
    if report.resolved:
        return "resolved"
    if report.resent:
        return "resent"
    if report.waiting:
        return "waiting"
    return "failed"


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


def _unchanged(order: Order, venue: VenueOrder) -> bool:
    return venue_status(venue).value == order.status and venue.filled == order.filled_amount


def _refresh_all(ctx: _Pass, orders: list[Order]) -> None:
    """Refresh open orders: those still listed open and unfilled since need nothing; the
    others are asked for one by one (they were filled or canceled meanwhile)."""
    changed: list[tuple[Order, VenueOrder]] = []
    for order in orders:
        listed = ctx.listing.get(order.client_order_id or "") if ctx.listing is not None else None
        if listed is not None and listed.exchange_order_id == order.exchange_order_id:
            if not _unchanged(order, listed):
                changed.append((order, listed))
            continue
        try:
            venue = ctx.adapter.fetch_order(
                order.market.symbol,
                exchange_order_id=order.exchange_order_id or None,
                client_order_id=None if order.exchange_order_id else order.client_order_id,
            )
        except errors.QuantumTraderError as e:
            log.info("order.refresh_failed", order_id=order.pk, error=e.code)
            continue
        if not _unchanged(order, venue):
            changed.append((order, venue))
    for chunk in _chunks(changed):
        ctx.report.refreshed += services.orders_apply_venue_many(
            answers=[(o, v, None) for o, v in chunk],
            adapter=ctx.adapter,
            cause="refreshed",
            trades=ctx.trades.trades,
        )


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


def _adopt_missing(key: AccountKey, listing: dict[str, VenueOrder], exchange_id: str) -> int:
    own = {cid: o for cid, o in listing.items() if is_own_client_order_id(cid)}
    if not own:
        return 0
    known = set(
        Order.objects.filter(client_order_id__in=list(own)).values_list(
            "client_order_id", flat=True
        )
    )
    return sum(_adopt(key, venue, exchange_id) for cid, venue in own.items() if cid not in known)


def _trade_since(orders: list[Order]) -> dict[str, int]:
    """Per market, from when the pass's trades (or orders) are needed: the oldest order's
    first intent, less a minute of clock difference."""
    since: dict[str, int] = {}
    for order in orders:
        ms = int((order.created_at - timedelta(minutes=1)).timestamp() * 1000)
        symbol = order.market.symbol
        since[symbol] = min(since.get(symbol, ms), ms)
    return since


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
    report.checked += len(orders)
    new = [o for o in orders if o.status == S.NEW.value]
    open_ = [o for o in orders if o.status in (S.OPEN.value, S.PARTIALLY_FILLED.value)]
    unresolved = [o for o in orders if o.status in (S.UNKNOWN.value, S.SUBMITTING.value)]
    ctx = _Pass(
        key=key,
        adapter=adapter,
        now=now,
        report=report,
        listing=_listing(adapter),
        trades=TradeBook(adapter, _trade_since(open_ + unresolved)),
        recent=RecentOrders(adapter, _trade_since(unresolved)) if len(unresolved) > 1 else None,
    )
    for order in new:
        outcome = services.order_submit(order_id=order.pk)
        report.submitted += outcome != "skipped"
    _resolve_all(ctx, unresolved)
    _refresh_all(ctx, open_)
    if orders and ctx.listing is not None:
        report.adopted += _adopt_missing(key, ctx.listing, orders[0].market.exchange.ccxt_id)


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
