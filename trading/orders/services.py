"""Writes of the order path: place an intent, submit it once, record answers, cancel.

An order is a row before it is a request: `order_place` commits the intent (NEW, with its
deterministic client order id) and only then, on commit, starts `order_submit_task`. The
task claims the order (NEW -> SUBMITTING, one worker wins), sends it once and records the
answer. An answer that never came makes the order UNKNOWN; only the reconciler
(`trading.orders.reconcile`) resolves it, by looking the order up by its client order id.

Every state change goes through `order_transition`: a conditional update on the expected
status and version, with its OrderEvent, stream event and audit record in one transaction.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import structlog
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from accounts.events import user_group
from accounts.selectors import exchange_account_get
from accounts.services import (
    AuditAction,
    AuditEntry,
    audit_record,
    audit_record_each,
    audit_record_many,
)
from markets import stream
from markets.core import errors
from markets.core.orders import (
    OrderAdapter,
    OrderRequest,
    VenueOrder,
    VenueTrade,
    check_client_order_id,
    client_order_id_for,
    is_own_client_order_id,
)
from markets.selectors import candle_latest_close, markets_get_many
from markets.services import market_check_tradable
from trading.bots.bulk import bulk_update_rows
from trading.bots.kill import KillSwitchOnError, kill_switch_reasons
from trading.core.orders import (
    MarketRules,
    OrderCheckError,
    OrderStatus,
    can_transition,
    check_transition,
    order_prepare,
    venue_status,
)
from trading.models import Fill, IdempotencyKey, Order, OrderEvent, PaperAccount
from trading.orders import statements
from trading.orders.notices import order_status_notice
from trading.orders.payloads import ORDER_RELATED, fill_payload, order_payload

log = structlog.get_logger(__name__)

S = OrderStatus
Checkpoint = Callable[[str], None]


def _no_checkpoint(name: str) -> None:
    return None


# Named points of the submit path: "before_intent", "intent_committed", "before_send",
# "acknowledged" (an answer came, nothing of it recorded) and "fills" (fills stored, state
# not yet). The crash tests replace this with a function that kills the process at one.
checkpoint: Checkpoint = _no_checkpoint


class LiveTradingDisabledError(errors.QuantumTraderError):
    """A live account's order while the server's LIVE_TRADING_ENABLED switch is off."""

    code = "live_trading_disabled"
    status = 403


class IdempotencyKeyReusedError(errors.QuantumTraderError):
    """The Idempotency-Key was already used with a different request body."""

    code = "idempotency_key_reused"
    status = 409


class OrderNotCancelableError(errors.QuantumTraderError):
    """The order is finished, or its outcome is still being resolved."""

    code = "order_not_cancelable"
    status = 409


@dataclass(frozen=True)
class PlacedOrder:
    """The order an `order_place` call stands for; `created` is False for a replayed key."""

    order: Order
    created: bool


def _publish_order(order: Order) -> None:
    stream.publish(
        group=user_group(order.owner_id), type="order", id=order.pk, data=order_payload(order)
    )


@dataclass(frozen=True)
class Step:
    """A state change already applied to the row whose OrderEvent and audit record are still
    to be written (a claim: they go out with the record of the answer, off the send path)."""

    previous: str
    to: str
    cause: str
    at: datetime
    details: dict[str, Any] = field(default_factory=dict)


def _record_steps(order: Order, steps: tuple[Step, ...]) -> None:
    """Write the events and audit records of `steps` (inside the caller's transaction)."""
    if not steps:
        return
    OrderEvent.objects.bulk_create(
        OrderEvent(
            order=order,
            from_status=step.previous,
            to_status=step.to,
            cause=step.cause,
            details=step.details,
            created_at=step.at,
        )
        for step in steps
    )
    for step in steps:
        audit_record(
            action=AuditAction.ORDER_STATUS_CHANGED,
            target=order,
            details={"from": step.previous, "to": step.to, "cause": step.cause, **step.details},
        )
    order_status_notice(order)


def order_transition(
    *,
    order: Order,
    to: OrderStatus | str,
    cause: str,
    details: dict[str, Any] | None = None,
    prior: Step | None = None,
    **changes: Any,
) -> bool:
    """Move `order` to `to` if it is still in the state and version it was read in.

    Applies `UPDATE ... WHERE id = %s AND status = <expected> AND version = <n>` with the
    other `changes`, then records an OrderEvent, the stream event and an audit record in
    the same transaction, and updates `order` in memory. Returns False (and changes nothing)
    when another worker moved the order first. A state may follow itself only where the
    table says so (an open order with more fills). `prior` is a claim applied earlier
    (`order_claim`) whose event and audit record are written in this transaction, whatever
    its outcome.
    """
    target = OrderStatus(to)
    check_transition(order.status, target)
    now = timezone.now()
    previous = order.status
    with transaction.atomic():
        if prior is not None:
            _record_steps(order, (prior,))
            _publish_order(order)  # still as the claim left it
        updated = Order.objects.filter(pk=order.pk, status=previous, version=order.version).update(
            status=target.value, version=F("version") + 1, updated_at=now, **changes
        )
        if updated != 1:
            return False
        order.status = target.value
        order.version += 1
        order.updated_at = now
        for name, value in changes.items():
            setattr(order, name, value)
        if previous != target.value:
            _record_steps(order, (Step(previous, target.value, cause, now, details or {}),))
        _publish_order(order)
    log.info(
        "order.transition",
        order_id=order.pk,
        from_status=previous,
        to_status=target.value,
        cause=cause,
    )
    return True


def order_steps_record(*, order: Order, steps: tuple[Step, ...]) -> None:
    """Write the records of steps applied earlier, in a transaction of their own."""
    if steps:
        with transaction.atomic():
            _record_steps(order, steps)
            _publish_order(order)


@functools.cache
def _claim_sql() -> str:
    """The claim's UPDATE, written once: the compiled statement keeps the ORM's query building
    off the path to the exchange. It claims only while no kill switch covers the order
    (`statements.sendable_condition`, the rule of `trading.bots.kill.order_kill_check`)."""
    o = f'"{Order._meta.db_table}"'
    return (
        f'UPDATE {o} SET "status" = %s, "version" = {o}."version" + 1, "updated_at" = %s, '  # noqa: S608 (names from the models)
        f'"submit_attempts" = %s, "submitted_at" = %s '
        f'WHERE {o}."id" = %s AND {o}."status" = %s AND {o}."version" = %s '
        f"AND {statements.sendable_condition(o)}"
    )


def order_claim(*, order: Order, cause: str) -> Step | None:
    """Claim a NEW or UNKNOWN order for sending: NEW/UNKNOWN -> SUBMITTING, one worker wins.

    One conditional UPDATE (expected state and version), committed on its own before anything
    is sent, so a worker that dies after this leaves SUBMITTING for the reconciler and no
    other worker can send the order. Nothing else is written here: the claim's OrderEvent,
    audit record and stream event go out with the record of the answer (`prior`), keeping
    the path from the intent to the exchange one short statement long. Returns the step to
    record, or None when another worker moved the order first or a kill switch covers it
    (`order_kill_check` tells which).
    """
    target = S.SUBMITTING
    check_transition(order.status, target)
    now = timezone.now()
    previous = order.status
    attempts = order.submit_attempts + 1
    # Outside a transaction this one statement commits by itself (autocommit). It claims the
    # order only while no kill switch covers it (checked in the same statement).
    with connection.cursor() as cursor:
        cursor.execute(
            _claim_sql(),
            [target.value, now, attempts, now, order.pk, previous, order.version],
        )
        updated = cursor.rowcount
    if updated != 1:
        return None
    order.status = target.value
    order.version += 1
    order.updated_at = now
    order.submit_attempts = attempts
    order.submitted_at = now
    return Step(previous, target.value, cause, now)


def order_load(*, order_id: int) -> Order:
    """Load an order with what its payload and its venue need (`ORDER_RELATED`, as
    `select_related` would), through a statement written once (`statements.order_row_sql`)."""
    with connection.cursor() as cursor:
        statements.execute_prepared(cursor, "qt_order_row", statements.order_row_sql(), [order_id])
        row = cursor.fetchone()
    if row is None:
        raise Order.DoesNotExist(f"Order matching id={order_id} does not exist.")
    return statements.order_from_row(row, using=connection.alias)


def order_load_claim(*, order_id: int, cause: str) -> tuple[Order, Step | None]:
    """Load a NEW order and claim it (NEW -> SUBMITTING), one worker wins: `order_load` and
    `order_claim` in one statement on PostgreSQL, the two in turn elsewhere.

    The claim holds on the same conditions as `order_claim` (the row still in the status and
    version this read it in, no kill switch covering it) and one more: a live account's
    order is claimed only while live trading is on. Like `order_claim` it commits on its own
    before anything is sent and writes nothing else. Returns the order (claimed, or as it was
    read) and the claim's step, or None when it was not claimed: not NEW any more, moved by
    another worker, or refused (`sending_check` tells why).
    """
    if connection.vendor != "postgresql":  # no UPDATE inside WITH elsewhere
        order = order_load(order_id=order_id)
        if order.status != S.NEW.value:
            return order, None
        try:
            live_check(order)
        except LiveTradingDisabledError:
            return order, None
        return order, order_claim(order=order, cause=cause)
    now = timezone.now()
    target, previous = S.SUBMITTING.value, S.NEW.value
    with connection.cursor() as cursor:
        statements.execute_prepared(
            cursor,
            "qt_order_load_claim",
            statements.load_claim_sql(),
            [
                order_id,
                target,
                now,
                now,
                order_id,
                previous,
                bool(settings.LIVE_TRADING_ENABLED),
                order_id,
            ],
        )
        row = cursor.fetchone()
    if row is None:
        raise Order.DoesNotExist(f"Order matching id={order_id} does not exist.")
    order = statements.order_from_row(row[1:], using=connection.alias)
    if not row[0]:
        return order, None
    order.status = target
    order.version += 1
    order.updated_at = now
    order.submit_attempts += 1
    order.submitted_at = now
    return order, Step(previous, target, cause, now)


# --- placing ------------------------------------------------------------------------------

# The stored candles whose newest close prices a market order's notional check when the
# caller gives no price, finest first, and how old that close may be.
REFERENCE_TIMEFRAMES = ("1m", "5m", "15m", "1h")
REFERENCE_MAX_AGE = timedelta(days=2)


@dataclass(frozen=True)
class OrderIntent:
    """One order to place, as `order_place` takes it (see there).

    `reference_price` is the latest price the caller knows, for a market order's notional
    check (a bot's: the close of the candle it decided on); None reads the newest stored close
    of the market (`_reference_price`).
    """

    owner: Any
    symbol: str
    side: str
    type: str
    amount: Decimal
    price: Decimal | None = None
    exchange_account_id: int | None = None
    paper_account_id: int | None = None
    client_order_id: str | None = None
    bot_id: int | None = None
    kill_exempt: bool = False
    reference_price: Decimal | None = None
    ip_address: str | None = None


@dataclass(frozen=True)
class _Venue:
    exchange_id: str
    exchange_account: Any  # accounts' ExchangeAccount, or None
    paper_account: PaperAccount | None


@dataclass(frozen=True)
class _Checked:
    """An order that passed its checks, not stored yet."""

    order: Order
    intent: OrderIntent
    exchange_id: str


def _reference_price(market_id: int) -> Decimal | None:
    """The latest stored close of the market (1m candles first), for a market order's notional."""
    close = candle_latest_close(
        market_id=market_id,
        timeframes=REFERENCE_TIMEFRAMES,
        since=timezone.now() - REFERENCE_MAX_AGE,
    )
    return None if close is None else Decimal(repr(close))


def _check_custom_client_id(exchange_id: str, value: str) -> str:
    if is_own_client_order_id(value):
        raise OrderCheckError(
            "Client order ids starting with 'qt-' are reserved for the platform's own ids.",
            field="client_order_id",
            code="client_order_id_reserved",
        )
    try:
        return check_client_order_id(exchange_id, value)
    except ValueError as e:
        raise OrderCheckError(str(e), field="client_order_id", code="invalid") from None


def _enqueue_submit(order_id: int) -> None:
    from trading.tasks import order_submit_task

    transaction.on_commit(lambda: order_submit_task.delay(order_id))


class OrderIntents:
    """Orders checked one at a time and stored together: the place step of the order path.

    `add` runs every check of one order at once (kill switch, account and live trading,
    tradable market, lot step, minimum amount and notional, price tick, client order id) and
    returns its Order, not stored yet, or raises the failing check's error naming the field.
    What the checks read (kill switches, accounts, markets, reference prices) is read once per
    owner, account and market, or for many at once by `preload`. `write` stores every added
    order in one transaction with a few statements for all of them: the rows and their client
    order ids (`qt-<id>` unless given), an OrderEvent and an audit record each, their stream
    events; once that commits, each order's submission starts. `order_place` is this for one
    order; the bot engine uses one per chunk of ticks.
    """

    def __init__(self) -> None:
        self._kill: dict[int, str] = {}
        self._paper: dict[int, PaperAccount | None] = {}
        self._exchange: dict[tuple[int, int], Any] = {}
        self._markets: dict[tuple[str, str], Any] = {}
        self._prices: dict[int, Decimal | None] = {}
        self._checked: list[_Checked] = []

    def __len__(self) -> int:
        return len(self._checked)

    def preload(
        self,
        *,
        owner_ids: Iterable[int],
        paper_account_ids: Iterable[int] = (),
        markets: Iterable[tuple[str, str]] = (),
    ) -> None:
        """Read at once what orders of these owners, paper accounts and (exchange id, symbol)
        markets will be checked against: a statement each, however many orders follow."""
        owners = set(owner_ids) - set(self._kill)
        if owners:
            reasons = kill_switch_reasons(owner_ids=owners)
            for owner_id in owners:
                self._kill[owner_id] = reasons.get(owner_id, "")
        papers = set(paper_account_ids) - set(self._paper)
        if papers:
            found = PaperAccount.objects.select_related("exchange").in_bulk(papers)
            for pk in papers:
                self._paper[pk] = found.get(pk)
        keys = set(markets) - set(self._markets)
        if keys:
            found_markets = markets_get_many(keys=keys)
            for key in keys:
                self._markets[key] = found_markets.get(key)

    def _kill_reason(self, owner_id: int) -> str:
        if owner_id not in self._kill:
            self._kill[owner_id] = kill_switch_reasons(owner_ids=[owner_id]).get(owner_id, "")
        return self._kill[owner_id]

    def _venue(self, intent: OrderIntent) -> _Venue:
        owner_id = intent.owner.pk
        exchange_account_id, paper_account_id = intent.exchange_account_id, intent.paper_account_id
        if (exchange_account_id is None) == (paper_account_id is None):
            raise OrderCheckError(
                "Give exactly one of paper_account and exchange_account.",
                field="paper_account" if paper_account_id is None else "exchange_account",
                code="account_required",
            )
        if paper_account_id is not None:
            if paper_account_id not in self._paper:
                self.preload(owner_ids=(), paper_account_ids=[paper_account_id])
            paper = self._paper[paper_account_id]
            if paper is None or paper.owner_id != owner_id:
                raise OrderCheckError(
                    "You have no paper account with this id.",
                    field="paper_account",
                    code="not_found",
                )
            return _Venue(paper.exchange.ccxt_id, None, paper)
        assert exchange_account_id is not None  # noqa: S101 (one of the two is set, checked above)
        key = (owner_id, exchange_account_id)
        if key not in self._exchange:
            try:
                self._exchange[key] = exchange_account_get(
                    account_id=exchange_account_id, owner_id=owner_id
                )
            except ObjectDoesNotExist:
                self._exchange[key] = None
        account = self._exchange[key]
        if account is None:
            raise OrderCheckError(
                "You have no exchange account with this id.",
                field="exchange_account",
                code="not_found",
            )
        if account.mode == "live" and not settings.LIVE_TRADING_ENABLED:
            raise LiveTradingDisabledError(
                "Live trading is switched off on this server (LIVE_TRADING_ENABLED); use a "
                "paper or testnet account.",
                field="exchange_account",
            )
        if account.status == "unusable":
            raise OrderCheckError(
                account.status_message or "This exchange account is unusable.",
                field="exchange_account",
                code="account_unusable",
            )
        return _Venue(account.exchange.ccxt_id, account, None)

    def _market(self, exchange_id: str, symbol: str) -> Any:
        key = (exchange_id, symbol)
        if key not in self._markets:
            self.preload(owner_ids=(), markets=[key])
        market = self._markets[key]
        if market is None:
            raise OrderCheckError(
                f"There is no market {symbol} on {exchange_id}.",
                field="symbol",
                code="unknown_market",
            )
        return market

    def _price(self, market_id: int) -> Decimal | None:
        if market_id not in self._prices:
            self._prices[market_id] = _reference_price(market_id)
        return self._prices[market_id]

    def add(self, intent: OrderIntent) -> Order:
        """Check one order; return its Order (stored by `write`) or raise why it is refused.

        The amount is rounded down to the lot step and checked against the market's minimums
        (a market order's notional at `intent.reference_price`, else the newest stored close);
        a limit price must lie on the tick. Raises KillSwitchOnError while a kill switch
        covers the owner (unless `kill_exempt`), LiveTradingDisabledError for a live account
        while live trading is off, OrderCheckError or MarketNotTradableError otherwise.
        """
        reason = "" if intent.kill_exempt else self._kill_reason(intent.owner.pk)
        if reason:
            raise KillSwitchOnError(reason)
        venue = self._venue(intent)
        market = self._market(venue.exchange_id, intent.symbol)
        market_check_tradable(market=market)
        rules = MarketRules(
            tick=market.price_precision,
            step=market.amount_precision,
            min_amount=market.min_amount,
            min_notional=market.min_notional,
        )
        reference: Decimal | None = None
        if intent.type == "market":
            reference = intent.reference_price
            if reference is None:
                reference = self._price(market.pk)
        prepared = order_prepare(
            side=intent.side,
            type=intent.type,
            amount=intent.amount,
            price=intent.price,
            rules=rules,
            reference_price=reference,
        )
        client_order_id = intent.client_order_id
        if client_order_id is not None:
            client_order_id = _check_custom_client_id(venue.exchange_id, client_order_id)
        now = timezone.now()
        order = Order(
            owner=intent.owner,
            exchange_account=venue.exchange_account,
            paper_account=venue.paper_account,
            bot_id=intent.bot_id,
            market=market,
            client_order_id=client_order_id,
            side=intent.side,
            type=intent.type,
            amount=prepared.amount,
            price=prepared.price,
            created_at=now,
            updated_at=now,
        )
        self._checked.append(_Checked(order, intent, venue.exchange_id))
        return order

    def write(self, *, enqueue: bool = True) -> list[Order]:
        """Store every order added since the last write (NEW) in one transaction; once it
        commits, start each one's submission (unless not `enqueue`). Returns the orders."""
        checked, self._checked = self._checked, []
        if not checked:
            return []
        orders = [c.order for c in checked]
        with transaction.atomic():
            _insert_orders(orders)
            unnamed = [c for c in checked if c.order.client_order_id is None]
            for c in unnamed:
                c.order.client_order_id = client_order_id_for(c.exchange_id, c.order.pk)
            bulk_update_rows(Order, [c.order for c in unnamed], ["client_order_id"])
            OrderEvent.objects.bulk_create(
                OrderEvent(
                    order=c.order,
                    from_status=S.NEW.value,
                    to_status=S.NEW.value,
                    cause="placed",
                    details={"requested_amount": str(c.intent.amount), "bot": c.intent.bot_id},
                    created_at=c.order.created_at,
                )
                for c in checked
            )
            audit_record_each(
                action=AuditAction.ORDER_PLACED,
                entries=[
                    AuditEntry(
                        target=c.order,
                        actor=c.intent.owner,
                        ip_address=c.intent.ip_address,
                        details={
                            "symbol": c.intent.symbol,
                            "side": c.order.side,
                            "type": c.order.type,
                            "amount": str(c.order.amount),
                            "price": None if c.order.price is None else str(c.order.price),
                            "account": "paper" if c.order.paper_account_id else "exchange",
                        },
                    )
                    for c in checked
                ],
            )
            stream.append(_order_event(order) for order in orders)
            if enqueue:
                for order in orders:
                    _enqueue_submit(order.pk)
        for order in orders:
            log.info(
                "order.placed",
                order_id=order.pk,
                owner_id=order.owner_id,
                symbol=order.market.symbol,
                side=order.side,
            )
        return orders


def _insert_orders(orders: list[Order]) -> None:
    """Insert new orders, setting their ids: one statement where the database returns the
    ids of a bulk insert (PostgreSQL, SQLite 3.35+), one per order elsewhere."""
    if connection.features.can_return_rows_from_bulk_insert:
        Order.objects.bulk_create(orders)
        return
    for order in orders:
        order.save(force_insert=True)


def _body_hash(request: dict[str, Any]) -> str:
    canonical = json.dumps(request, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _replay(*, owner_id: int, key: str, body_hash: str, now: datetime) -> Order | None:
    row = IdempotencyKey.objects.filter(owner_id=owner_id, key=key).first()
    if row is None:
        return None
    if row.expires_at <= now:
        row.delete()
        return None
    if row.body_hash != body_hash:
        raise IdempotencyKeyReusedError(
            "This Idempotency-Key was already used with a different order; use a new key.",
            field="Idempotency-Key",
        )
    return order_load(order_id=row.order_id)


def order_place(
    *,
    owner: Any,
    symbol: str,
    side: str,
    type: str,
    amount: Decimal,
    price: Decimal | None = None,
    exchange_account_id: int | None = None,
    paper_account_id: int | None = None,
    client_order_id: str | None = None,
    bot_id: int | None = None,
    idempotency_key: str | None = None,
    ip_address: str | None = None,
    enqueue: bool = True,
    kill_exempt: bool = False,
    reference_price: Decimal | None = None,
) -> PlacedOrder:
    """Check an order, commit its intent (NEW) and start its submission once committed.

    The checks and writes are `OrderIntents`' for one order. The amount is rounded down to
    the lot step and checked against the market's minimums; a limit price must lie on the
    tick. The client order id is `qt-<order id>` unless the caller gives one (manual orders),
    which must fit the venue's rules, must not use the reserved `qt-` prefix and must be
    unused. With `idempotency_key`, the same key and the same request within
    IDEMPOTENCY_KEY_TTL return the first order (`created` False), and a different request
    raises IdempotencyKeyReusedError. While a kill switch covers the owner it raises
    KillSwitchOnError, except for a bot's closing sale (`kill_exempt`).
    """
    request = {
        "exchange_account": exchange_account_id,
        "paper_account": paper_account_id,
        "symbol": symbol,
        "side": side,
        "type": type,
        "amount": str(amount.normalize()),
        "price": None if price is None else str(price.normalize()),
        "client_order_id": client_order_id,
        "bot": bot_id,
    }
    body_hash = _body_hash(request)
    now = timezone.now()
    if idempotency_key:
        replayed = _replay(owner_id=owner.pk, key=idempotency_key, body_hash=body_hash, now=now)
        if replayed is not None:
            return PlacedOrder(replayed, created=False)
    intents = OrderIntents()
    order = intents.add(
        OrderIntent(
            owner=owner,
            symbol=symbol,
            side=side,
            type=type,
            amount=amount,
            price=price,
            exchange_account_id=exchange_account_id,
            paper_account_id=paper_account_id,
            client_order_id=client_order_id,
            bot_id=bot_id,
            kill_exempt=kill_exempt,
            reference_price=reference_price,
            ip_address=ip_address,
        )
    )
    checkpoint("before_intent")
    try:
        with transaction.atomic():
            intents.write(enqueue=enqueue)
            if idempotency_key:
                # Unique per (owner, key): of two identical concurrent requests, the second
                # waits here for the first to commit, fails, and rolls its order back.
                IdempotencyKey.objects.create(
                    owner=owner,
                    key=idempotency_key,
                    body_hash=body_hash,
                    order=order,
                    created_at=now,
                    expires_at=now + timedelta(seconds=settings.IDEMPOTENCY_KEY_TTL_SECONDS),
                )
    except IntegrityError:
        if idempotency_key:
            replayed = _replay(owner_id=owner.pk, key=idempotency_key, body_hash=body_hash, now=now)
            if replayed is not None:
                return PlacedOrder(replayed, created=False)
        if client_order_id is not None:
            raise OrderCheckError(
                "This client order id is already used; choose another.",
                field="client_order_id",
                code="client_order_id_taken",
            ) from None
        raise
    checkpoint("intent_committed")
    return PlacedOrder(order, created=True)


# --- sending and recording answers ---------------------------------------------------------


def _ms_to_datetime(value: int | None) -> datetime:
    if value is None:
        return timezone.now()
    return datetime.fromtimestamp(value / 1000, tz=UTC)


def _venue_key(order: Order) -> str:
    if order.paper_account_id is not None:
        return f"paper_account:{order.paper_account_id}"
    return f"exchange_account:{order.exchange_account_id}"


def _fill_row(order: Order, exchange: str, venue: str, trade: VenueTrade) -> Fill:
    """The (unsaved) Fill of one of the order's trades on the venue."""
    return Fill(
        order=order,
        exchange=exchange,
        venue=venue,
        symbol=trade.symbol,
        trade_id=trade.trade_id,
        amount=trade.amount,
        price=trade.price,
        fee=trade.fee_cost,
        fee_currency=trade.fee_currency or "",
        is_maker=trade.is_maker,
        executed_at=_ms_to_datetime(trade.timestamp_ms),
    )


def order_fills_record(*, order: Order, trades: list[VenueTrade]) -> int:
    """Store the order's new fills (known ones are skipped by their unique key); count them."""
    added = 0
    exchange = order.market.exchange.ccxt_id
    venue = _venue_key(order)
    for trade in trades:
        if order.exchange_order_id and trade.exchange_order_id != order.exchange_order_id:
            continue
        if Fill.objects.filter(
            exchange=exchange, venue=venue, symbol=trade.symbol, trade_id=trade.trade_id
        ).exists():
            continue
        try:
            with transaction.atomic():
                fill = _fill_row(order, exchange, venue, trade)
                fill.save(force_insert=True)
                audit_record(
                    action=AuditAction.ORDER_FILLED,
                    target=order,
                    details={
                        "trade_id": trade.trade_id,
                        "amount": str(trade.amount),
                        "price": str(trade.price),
                    },
                )
                stream.publish(
                    group=user_group(order.owner_id),
                    type="fill",
                    id=fill.pk,
                    data=fill_payload(fill, order=order),
                )
        except IntegrityError:
            continue  # another worker stored it first
        added += 1
    if added and order.bot_id is not None:
        bot_id = order.bot_id
        from trading.tasks import bot_fills_book_task

        transaction.on_commit(lambda: bot_fills_book_task.delay(bot_id))
    return added


TRADES_PAGE = 1000
TradesSource = Callable[[Order, VenueOrder], list[VenueTrade] | None]
TRADES_PAGES = 5


def _fetch_trades(adapter: OrderAdapter, order: Order, venue: VenueOrder) -> list[VenueTrade]:
    """The venue's trades of this order: pages from the order's own time on the venue's clock
    until they add up to what the venue says is filled (or run out)."""
    if venue.timestamp_ms is not None:
        since = venue.timestamp_ms - 1000
    else:
        since = int(((order.submitted_at or order.created_at) - timedelta(minutes=1)).timestamp())
        since *= 1000
    found: list[VenueTrade] = []
    try:
        for _ in range(TRADES_PAGES):
            page = adapter.fetch_my_trades(order.market.symbol, since_ms=since, limit=TRADES_PAGE)
            found.extend(t for t in page if t.exchange_order_id == venue.exchange_order_id)
            if sum(t.amount for t in found) >= venue.filled or len(page) < TRADES_PAGE:
                break
            since = page[-1].timestamp_ms + 1
    except errors.ExchangeError as e:
        # The fills are fetched again by the reconciler while the order is not recorded whole.
        log.warning("order.fills_unavailable", order_id=order.pk, error=e.code)
    return found


def order_apply_venue(
    *,
    order: Order,
    venue: VenueOrder,
    adapter: OrderAdapter | None,
    cause: str,
    prior: Step | None = None,
    trades: TradesSource | None = None,
) -> bool:
    """Record what the venue says of an order: its state, ids, filled amount, fees and fills.

    Returns False when the order moved meanwhile (another worker) or when the venue's state
    may not follow the stored one (a terminal order is never changed). `prior` is the claim
    whose records go out with this one (see `order_transition`). `trades` gives the order's
    fills from trades already fetched (a reconciler pass); None from it, or no `trades`,
    asks the venue for this order's trades.
    """
    target = venue_status(venue)
    if not can_transition(order.status, target):
        log.warning(
            "order.venue_state_ignored",
            order_id=order.pk,
            stored=order.status,
            venue=target.value,
        )
        order_steps_record(order=order, steps=(prior,) if prior else ())
        return False
    if adapter is not None and venue.filled > 0 and venue.filled > order.filled_amount:
        order.exchange_order_id = order.exchange_order_id or venue.exchange_order_id
        known = trades(order, venue) if trades is not None else None
        if known is None:
            known = _fetch_trades(adapter, order, venue)
        order_fills_record(order=order, trades=known)
        checkpoint("fills")
    changes: dict[str, Any] = {
        "exchange_order_id": venue.exchange_order_id,
        "filled_amount": venue.filled,
        "average_price": venue.average_price,
        "fee": venue.fee_cost,
        "fee_currency": venue.fee_currency or "",
    }
    if venue.status == "rejected":
        changes["reason"] = "The exchange rejected the order."
    unchanged = target.value == order.status and all(
        getattr(order, name) == value for name, value in changes.items()
    )
    if unchanged:
        order_steps_record(order=order, steps=(prior,) if prior else ())
        return True
    return order_transition(order=order, to=target, cause=cause, prior=prior, **changes)


def _venue_changes(venue: VenueOrder) -> dict[str, Any]:
    changes: dict[str, Any] = {
        "exchange_order_id": venue.exchange_order_id,
        "filled_amount": venue.filled,
        "average_price": venue.average_price,
        "fee": venue.fee_cost,
        "fee_currency": venue.fee_currency or "",
    }
    if venue.status == "rejected":
        changes["reason"] = "The exchange rejected the order."
    return changes


def _order_event(order: Order) -> tuple[str, dict[str, Any]]:
    group = user_group(order.owner_id)
    return group, stream.build_message(
        type="order", topic=group, id=order.pk, data=order_payload(order)
    )


def _fill_rows(
    plan: list[tuple[Order, list[VenueTrade]]],
) -> list[tuple[Order, Fill]]:
    """Store the plan's new fills in one statement (known ones skipped); return them."""
    candidates: list[tuple[Order, Fill]] = []
    for order, trades in plan:
        exchange = order.market.exchange.ccxt_id
        venue = _venue_key(order)
        for trade in trades:
            candidates.append((order, _fill_row(order, exchange, venue, trade)))
    if not candidates:
        return []
    known = set(
        Fill.objects.filter(
            venue__in={f.venue for _, f in candidates},
            trade_id__in=[f.trade_id for _, f in candidates],
        ).values_list("exchange", "venue", "symbol", "trade_id")
    )
    fresh: list[tuple[Order, Fill]] = []
    keys: set[tuple[str, str, str, str]] = set()
    for order, fill in candidates:
        key = (fill.exchange, fill.venue, fill.symbol, fill.trade_id)
        if key not in known and key not in keys:
            keys.add(key)
            fresh.append((order, fill))
    with transaction.atomic():
        Fill.objects.bulk_create([fill for _, fill in fresh])
    return fresh


def _plan_fills(
    answers: list[tuple[Order, VenueOrder, Step | None]],
    adapter: OrderAdapter,
    trades: TradesSource | None,
) -> list[tuple[Order, list[VenueTrade]]]:
    """The trades of each answer's order that filled more than is recorded."""
    plan: list[tuple[Order, list[VenueTrade]]] = []
    for order, venue, _ in answers:
        if venue.filled <= order.filled_amount or not can_transition(
            order.status, venue_status(venue)
        ):
            continue
        order.exchange_order_id = order.exchange_order_id or venue.exchange_order_id
        known = trades(order, venue) if trades is not None else None
        if known is None:
            known = _fetch_trades(adapter, order, venue)
        mine = [t for t in known if t.exchange_order_id == order.exchange_order_id]
        plan.append((order, mine))
    return plan


_VENUE_FIELDS = (
    "status",
    "version",
    "updated_at",
    "exchange_order_id",
    "filled_amount",
    "average_price",
    "fee",
    "fee_currency",
    "reason",
)


_CASTS = {
    "status": "varchar",
    "version": "integer",
    "updated_at": "timestamptz",
    "exchange_order_id": "varchar",
    "filled_amount": "numeric",
    "average_price": "numeric",
    "fee": "numeric",
    "fee_currency": "varchar",
    "reason": "text",
}


def _write_rows(orders: list[Order]) -> None:
    """Write the venue fields of rows the caller holds locked: one statement on PostgreSQL
    (UPDATE ... FROM VALUES), one per row elsewhere."""
    if not orders:
        return
    if connection.vendor != "postgresql":
        for order in orders:
            values = {name: getattr(order, name) for name in _VENUE_FIELDS}
            Order.objects.filter(pk=order.pk).update(**values)
        return
    meta = Order._meta
    columns = [field.column for field in meta.concrete_fields if field.name in _VENUE_FIELDS]
    fields = [field.name for field in meta.concrete_fields if field.name in _VENUE_FIELDS]
    row = "(%s::bigint, " + ", ".join(f"%s::{_CASTS[name]}" for name in fields) + ")"
    params: list[Any] = []
    for order in orders:
        params.append(order.pk)
        params.extend(getattr(order, name) for name in fields)
    assignments = ", ".join(f'"{c}" = v."{c}"' for c in columns)
    names = ", ".join(f'"{c}"' for c in columns)
    sql = (
        f'UPDATE "{meta.db_table}" AS o SET {assignments} '  # noqa: S608 (names from the model)
        f"FROM (VALUES {', '.join([row] * len(orders))}) AS v(id, {names}) WHERE o.id = v.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _apply_one(
    order: Order, venue: VenueOrder, cause: str, now: datetime, current: tuple[str, int] | None
) -> Step | None:
    """Apply the venue's view to one order in memory when the row, locked by the caller, is
    still in the state and version the order was read in; return its step, or None when
    nothing changes or the order moved. The caller writes the rows."""
    target = venue_status(venue)
    if current != (order.status, order.version):
        return None  # moved meanwhile (another worker)
    if not can_transition(order.status, target):
        log.warning(
            "order.venue_state_ignored", order_id=order.pk, stored=order.status, venue=target.value
        )
        return None
    changes = _venue_changes(venue)
    if target.value == order.status and all(
        getattr(order, name) == value for name, value in changes.items()
    ):
        return None
    previous = order.status
    order.status = target.value
    order.version += 1
    order.updated_at = now
    for name, value in changes.items():
        setattr(order, name, value)
    return Step(previous, target.value, cause, now)


def _book_fills_later(bot_id: int) -> None:
    from trading.tasks import bot_fills_book_task

    transaction.on_commit(lambda: bot_fills_book_task.delay(bot_id))


def _write_records(
    fills: list[tuple[Order, Fill]],
    steps: list[tuple[Order, Step]],
    events: list[tuple[str, dict[str, Any]]],
) -> None:
    """The OrderEvents, audit records and stream events of a batch, a statement or so each."""
    OrderEvent.objects.bulk_create(
        OrderEvent(
            order=order,
            from_status=step.previous,
            to_status=step.to,
            cause=step.cause,
            details=step.details,
            created_at=step.at,
        )
        for order, step in steps
        if step.previous != step.to
    )
    audit_record_many(
        action=AuditAction.ORDER_FILLED,
        entries=[
            (order, {"trade_id": f.trade_id, "amount": str(f.amount), "price": str(f.price)})
            for order, f in fills
        ],
    )
    audit_record_many(
        action=AuditAction.ORDER_STATUS_CHANGED,
        entries=[
            (order, {"from": st.previous, "to": st.to, "cause": st.cause, **st.details})
            for order, st in steps
            if st.previous != st.to
        ],
    )
    stream.send_now(events)
    for order in {order.pk: order for order, st in steps if st.previous != st.to}.values():
        order_status_notice(order)
    for bot_id in {order.bot_id for order, _ in fills if order.bot_id is not None}:
        _book_fills_later(bot_id)


def orders_apply_venue_many(
    *,
    answers: list[tuple[Order, VenueOrder, Step | None]],
    adapter: OrderAdapter,
    cause: str,
    trades: TradesSource | None = None,
) -> int:
    """Record what the venue says of many orders in one transaction; return how many changed.

    The same records as `order_apply_venue` for each (state by a conditional update, fills,
    OrderEvents, audit records, stream events), written with a few statements for the whole
    batch instead of a transaction per order. Orders that moved meanwhile, or whose venue state
    may not follow theirs, are left as they are; a claim in `answers` is recorded regardless.
    """
    plan = _plan_fills(answers, adapter, trades)
    now = timezone.now()
    steps: list[tuple[Order, Step]] = []
    events: list[tuple[str, dict[str, Any]]] = []
    try:
        with transaction.atomic():
            fills = _fill_rows(plan)  # first: a conflict here leaves every order untouched
            for order, fill in fills:
                group = user_group(order.owner_id)
                data = fill_payload(fill, order=order)
                events.append(
                    (group, stream.build_message(type="fill", topic=group, id=fill.pk, data=data))
                )
            # The rows locked, then checked and written together: the same guarantee as one
            # conditional update per order (expected state and version), in two statements.
            current = {
                pk: (status, version)
                for pk, status, version in Order.objects.select_for_update()
                .filter(pk__in=[order.pk for order, _, _ in answers])
                .values_list("pk", "status", "version")
            }
            changed: list[Order] = []
            for order, venue, prior in answers:
                if prior is not None:
                    steps.append((order, prior))
                    events.append(_order_event(order))
                step = _apply_one(order, venue, cause, now, current.get(order.pk))
                if step is not None:
                    changed.append(order)
                    steps.append((order, step))
                    events.append(_order_event(order))
            _write_rows(changed)
            _write_records(fills, steps, events)
    except IntegrityError:
        # A fill stored meanwhile by another worker: record these orders one by one.
        return sum(
            order_apply_venue(
                order=order, venue=venue, adapter=adapter, cause=cause, prior=prior, trades=trades
            )
            for order, venue, prior in answers
        )
    for order, step in steps:
        if step.cause == cause:
            log.info(
                "order.transition",
                order_id=order.pk,
                from_status=step.previous,
                to_status=step.to,
                cause=cause,
            )
    return sum(1 for _, step in steps if step.cause == cause)


def _request_of(order: Order) -> OrderRequest:
    if order.client_order_id is None:  # set when the intent is committed
        raise ValueError(f"order {order.pk} has no client order id")
    return OrderRequest(
        symbol=order.market.symbol,
        side="buy" if order.side == "buy" else "sell",
        type="limit" if order.type == "limit" else "market",
        amount=order.amount,
        client_order_id=order.client_order_id,
        price=order.price,
    )


def reason_code(e: errors.QuantumTraderError) -> str:
    """A stable code for an error: its own, or its class's name (InsufficientFundsError ->
    insufficient_funds) where it has only the generic exchange code."""
    if e.code not in ("exchange_error", "error"):
        return e.code
    name = type(e).__name__.removesuffix("Error")
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _reason(e: errors.QuantumTraderError) -> str:
    return f"{e.message} ({reason_code(e)})"[:1000]


def order_send(*, order: Order, adapter: OrderAdapter, claim: Step | None = None) -> str:
    """Send a SUBMITTING order once and record the answer; return the resulting state.

    Fatal errors (invalid order, insufficient funds, refused key, unknown symbol) reject
    the order with their reason. An answer that never came, a 5xx, a network error or a
    duplicate client order id make it UNKNOWN: the reconciler looks it up, never a resend.
    `claim` (from `order_claim`) is recorded in the same transaction as the answer.
    """
    checkpoint("before_send")
    try:
        venue = adapter.create_order(_request_of(order))
    except errors.DuplicateOrderError as e:
        order_transition(
            order=order,
            to=S.UNKNOWN,
            cause="duplicate_client_order_id",
            prior=claim,
            reason=_reason(e),
        )
        return order.status
    except errors.FatalError as e:
        order_transition(
            order=order,
            to=S.REJECTED,
            cause="exchange_rejected",
            details={"code": reason_code(e)},
            prior=claim,
            reason=_reason(e),
        )
        return order.status
    except errors.ExchangeError as e:
        order_transition(
            order=order,
            to=S.UNKNOWN,
            cause="outcome_unknown",
            details={"code": reason_code(e)},
            prior=claim,
            reason=_reason(e),
        )
        return order.status
    except Exception as e:
        # Not an exchange answer at all: the request may have gone out, so never assume not.
        log.exception("order.send_failed", order_id=order.pk)
        order_transition(
            order=order,
            to=S.UNKNOWN,
            cause="outcome_unknown",
            details={"error": type(e).__name__},
            prior=claim,
            reason="The order's outcome is unknown; it is being looked up.",
        )
        return order.status
    checkpoint("acknowledged")
    order_apply_venue(order=order, venue=venue, adapter=adapter, cause="acknowledged", prior=claim)
    return order.status


def sending_check(order: Order) -> None:
    """Raise LiveTradingDisabledError for a live account's order while live trading is off,
    KillSwitchOnError while a kill switch covers the order (or its bot is not running)."""
    from trading.bots.kill import order_kill_check

    order_kill_check(order)
    live_check(order)


def live_check(order: Order) -> None:
    """Raise LiveTradingDisabledError for a live account's order while live trading is off."""
    account = order.exchange_account
    if account is not None and account.mode == "live" and not settings.LIVE_TRADING_ENABLED:
        raise LiveTradingDisabledError(
            "Live trading is switched off on this server (LIVE_TRADING_ENABLED).",
            field="exchange_account",
        )


def _refuse(order: Order, e: errors.QuantumTraderError) -> str:
    order_transition(
        order=order,
        to=S.REJECTED,
        cause="refused",
        details={"code": reason_code(e)},
        reason=_reason(e),
    )
    return order.status


def order_submit(*, order_id: int) -> str:
    """Claim a NEW order (NEW -> SUBMITTING; one worker wins), send it once, record the answer.

    Returns the order's state afterwards, or "skipped" when it was not NEW any more. The
    order is read and claimed in one statement (`order_load_claim`), kill switches and the
    live-trading switch checked inside it; an order it refuses for those is rejected with
    their reason, and one whose account yields no adapter is rejected unsent.
    """
    from trading.orders.venues import order_adapter

    order, claim = order_load_claim(order_id=order_id, cause="claimed")
    if claim is None:
        if order.status != S.NEW.value:
            return "skipped"
        try:
            sending_check(order)
        except errors.QuantumTraderError as e:
            return _refuse_unsent(order, e)
        return "skipped"  # another worker moved it between the claim and this check
    try:
        adapter = order_adapter(order=order)
    except errors.QuantumTraderError as e:
        order_transition(
            order=order,
            to=S.REJECTED,
            cause="refused",
            details={"code": reason_code(e)},
            prior=claim,
            reason=_reason(e),
        )
        return order.status
    return order_send(order=order, adapter=adapter, claim=claim)


def _refuse_unsent(order: Order, e: errors.QuantumTraderError) -> str:
    """Reject an order that was never sent (NEW -> SUBMITTING -> REJECTED, conditionally)."""
    if order_transition(order=order, to=S.SUBMITTING, cause="claimed"):
        return _refuse(order, e)
    return "skipped"


# --- canceling -----------------------------------------------------------------------------


def order_cancel_request(*, owner: Any, order_id: int, ip_address: str | None = None) -> Order:
    """Cancel one of the owner's orders: at once if it was never sent, else on the venue.

    A NEW order is canceled here (status CANCELED on return). An open one is canceled by
    `order_cancel_task` after this commits (still OPEN on return). Raises
    OrderNotCancelableError for finished orders and for orders being resolved.
    """
    order = Order.objects.select_related(*ORDER_RELATED).get(pk=order_id, owner=owner)
    if order.status == S.NEW.value and order_transition(
        order=order, to=S.CANCELED, cause="canceled_before_sending"
    ):
        return order
    order = order_load(order_id=order_id)
    if order.status in (S.OPEN.value, S.PARTIALLY_FILLED.value):
        with transaction.atomic():
            audit_record(
                action=AuditAction.ORDER_CANCEL_REQUESTED,
                actor=owner,
                target=order,
                ip_address=ip_address,
            )
            from trading.tasks import order_cancel_task

            transaction.on_commit(lambda: order_cancel_task.delay(order_id))
        return order
    if order.status in (S.SUBMITTING.value, S.UNKNOWN.value, S.NEW.value):
        raise OrderNotCancelableError(
            "The order is being sent or its outcome is being looked up; try again shortly."
        )
    raise OrderNotCancelableError(f"The order is already {order.status}.")


def order_cancel(*, order_id: int) -> str:
    """Cancel an open order on its venue and record the answer; return its state afterwards.

    An unanswered cancel leaves the order as it is; the reconciler refreshes it.
    """
    from trading.orders.venues import order_adapter

    order = order_load(order_id=order_id)
    if order.status not in (S.OPEN.value, S.PARTIALLY_FILLED.value):
        return order.status
    try:
        adapter = order_adapter(order=order)
        venue = adapter.cancel_order(
            order.market.symbol,
            exchange_order_id=order.exchange_order_id or None,
            client_order_id=order.client_order_id,
        )
    except errors.OrderNotFoundError:
        # Filled or canceled meanwhile: the reconciler records what happened.
        from trading.orders.reconcile import order_refresh

        order_refresh(order=order)
        return order.status
    except errors.QuantumTraderError as e:
        log.warning("order.cancel_failed", order_id=order.pk, error=e.code)
        return order.status
    order_apply_venue(order=order, venue=venue, adapter=adapter, cause="canceled")
    return order.status
