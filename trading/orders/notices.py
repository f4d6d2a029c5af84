"""What a user hears about their orders: fills and refusals, through `accounts.services.notify`."""

from __future__ import annotations

from accounts.services import notify
from trading.models import Order

# Order states a user is told about at once; UNKNOWN is told only once it has lasted.
_TOLD: dict[str, tuple[str, str]] = {
    Order.Status.FILLED.value: ("order.filled", "Order filled"),
    Order.Status.REJECTED.value: ("order.rejected", "Order rejected"),
}


def _words(order: Order) -> str:
    symbol = order.market.symbol
    price = f" at {order.average_price}" if order.average_price is not None else ""
    return f"{order.side} {order.amount} {symbol}{price}".strip()


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
            "amount": str(order.amount),
        },
    )
