"""What a user hears about their orders: fills and refusals, through `accounts.services.notify`."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.utils import timezone

from accounts.services import notify
from trading.models import Order

# Order states a user is told about at once; UNKNOWN is told only once it has lasted.
_TOLD: dict[str, tuple[str, str]] = {
    Order.Status.FILLED.value: ("order.filled", "Order filled"),
    Order.Status.REJECTED.value: ("order.rejected", "Order rejected"),
}


def _plain(value: Decimal) -> str:
    """Write a stored amount without its trailing zeros: 0.001, not 0.001000000000000000."""
    return f"{value.normalize():f}"


def _words(order: Order) -> str:
    symbol = order.market.symbol
    price = f" at {_plain(order.average_price)}" if order.average_price is not None else ""
    return f"{order.side} {_plain(order.amount)} {symbol}{price}".strip()


def order_status_notice(order: Order) -> None:
    """Tell the owner that an order filled or was rejected (other states say nothing)."""
    told = _TOLD.get(order.status)
    if told is None:
        return
    kind, title = told
    body = _words(order)
    if order.status == Order.Status.REJECTED and order.reason:
        body = f"{body}: {order.reason[:300]}"
    notify(
        user_id=order.owner_id,
        kind=kind,
        title=title,
        body=body,
        data={
            "order_id": order.pk,
            "bot_id": order.bot_id,
            "status": order.status,
            "side": order.side,
            "amount": _plain(order.amount),
        },
    )


UNKNOWN_AFTER = timedelta(minutes=1)
_UNKNOWN_TOLD_KEY = "trading:notice:order-unknown:{}"
_UNKNOWN_TOLD_SECONDS = 7 * 24 * 3600


def orders_unknown_notice(*, now: datetime | None = None) -> int:
    """Tell owners about orders whose outcome has been UNKNOWN for more than a minute.

    Each order is told once (remembered in the shared cache for a week); the reconciler keeps
    working on it meanwhile. Returns how many were told.
    """
    now = now or timezone.now()
    rows = Order.objects.filter(
        status=Order.Status.UNKNOWN,
        updated_at__lt=now - UNKNOWN_AFTER,
        updated_at__gte=now - timedelta(days=1),
    ).select_related("market")
    told = 0
    for order in rows.order_by("pk")[:500]:
        if not cache.add(_UNKNOWN_TOLD_KEY.format(order.pk), 1, timeout=_UNKNOWN_TOLD_SECONDS):
            continue
        notify(
            user_id=order.owner_id,
            kind="order.unknown",
            title="Order outcome unknown",
            body=f"{_words(order)}: the exchange has not confirmed it for over a minute; it is "
            "being reconciled and will not be sent again.",
            data={"order_id": order.pk, "bot_id": order.bot_id, "status": order.status},
        )
        told += 1
    return told
