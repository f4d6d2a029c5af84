"""The Order and Fill objects of the API contract, as plain dicts (the stream sends these)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from trading.models import Fill, Order

ORDER_RELATED = ("market__exchange", "exchange_account__exchange", "paper_account__exchange")


def iso(value: datetime) -> str:
    """ISO 8601 in UTC with a Z, as every time in the API."""
    text = value.isoformat()
    return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text


def decimal_text(value: Decimal | None) -> str | None:
    """A Decimal as the API writes it: plain notation, no exponent, trailing zeros kept off."""
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return text


def order_account(order: Order) -> dict[str, Any]:
    """The account an order belongs to: kind (paper, testnet, live), id, label, exchange."""
    if order.paper_account is not None:
        paper = order.paper_account
        return {
            "kind": "paper",
            "id": paper.pk,
            "label": paper.label,
            "exchange": paper.exchange.ccxt_id,
        }
    account = order.exchange_account
    if account is None:  # the database constraint makes this unreachable
        raise ValueError(f"order {order.pk} has no account")
    return {
        "kind": account.mode,
        "id": account.pk,
        "label": account.label,
        "exchange": account.exchange.ccxt_id,
    }


def order_payload(order: Order) -> dict[str, Any]:
    """The contract's Order object."""
    return {
        "id": order.pk,
        "client_order_id": order.client_order_id or "",
        "exchange_order_id": order.exchange_order_id or None,
        "account": order_account(order),
        "bot": order.bot_id,
        "exchange": order.market.exchange.ccxt_id,
        "symbol": order.market.symbol,
        "side": order.side,
        "type": order.type,
        "amount": decimal_text(order.amount),
        "price": decimal_text(order.price),
        "filled_amount": decimal_text(order.filled_amount),
        "average_price": decimal_text(order.average_price),
        "fee": decimal_text(order.fee),
        "fee_currency": order.fee_currency or None,
        "status": order.status,
        "reason": order.reason,
        "created_at": iso(order.created_at),
        "updated_at": iso(order.updated_at),
    }


def fill_payload(fill: Fill, *, order: Order | None = None) -> dict[str, Any]:
    """The contract's Fill object."""
    order = order or fill.order
    return {
        "id": fill.pk,
        "order": fill.order_id,
        "trade_id": fill.trade_id,
        "exchange": fill.exchange,
        "symbol": fill.symbol,
        "side": order.side,
        "amount": decimal_text(fill.amount),
        "price": decimal_text(fill.price),
        "fee": decimal_text(fill.fee),
        "fee_currency": fill.fee_currency or None,
        "is_maker": fill.is_maker,
        "executed_at": iso(fill.executed_at),
    }
