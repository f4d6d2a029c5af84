"""Order methods of the exchange adapter interface: the types every venue speaks.

The trading engine talks to a venue (Binance, Coinbase, KuCoin through ccxt, or the paper
exchange) only through `OrderAdapter`. Amounts and prices are `Decimal`; the engine rounds them
to the market's lot step and price tick before building an `OrderRequest`.

Writes (`create_order`, `cancel_order`) are sent once: an answer that never came (timeout,
dropped connection, 5xx after sending) raises `OrderOutcomeUnknownError`, and an exchange that
says the client order id is taken raises `DuplicateOrderError`. Reads may be retried.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, Protocol, runtime_checkable

OrderSide = Literal["buy", "sell"]
OrderType = Literal["market", "limit"]
VenueOrderStatus = Literal["open", "closed", "canceled", "expired", "rejected"]
"""ccxt's unified order status: `closed` means fully filled."""

CLIENT_ORDER_ID_PREFIX = "qt"
"""Marks the project's orders on an exchange, so the reconciler can adopt ones it lost."""


@dataclass(frozen=True)
class ClientOrderIdRule:
    """How long a client order id may be on a venue and which characters it may hold."""

    max_length: int
    allowed: re.Pattern[str]


# Binance: newClientOrderId up to 36 of [.A-Z:/a-z0-9_-], unique among open orders only.
# KuCoin: clientOid up to 40 characters. Coinbase: client_order_id (a UUID is customary; the
# exchange returns the existing order when one is reused).
CLIENT_ORDER_ID_RULES: dict[str, ClientOrderIdRule] = {
    "binance": ClientOrderIdRule(36, re.compile(r"^[.A-Z:/a-z0-9_-]{1,36}$")),
    "kucoin": ClientOrderIdRule(40, re.compile(r"^[A-Za-z0-9_-]{1,40}$")),
    "coinbase": ClientOrderIdRule(36, re.compile(r"^[A-Za-z0-9_-]{1,36}$")),
    "demo": ClientOrderIdRule(36, re.compile(r"^[A-Za-z0-9_-]{1,36}$")),
}


@dataclass(frozen=True)
class OrderRequest:
    """One order to place, already rounded to the market's precision."""

    symbol: str
    side: OrderSide
    type: OrderType
    amount: Decimal
    client_order_id: str
    price: Decimal | None = None


@dataclass(frozen=True)
class VenueOrder:
    """An order as the venue reports it."""

    exchange_order_id: str
    client_order_id: str | None
    symbol: str
    side: OrderSide
    type: OrderType
    status: VenueOrderStatus
    amount: Decimal
    filled: Decimal
    average_price: Decimal | None
    price: Decimal | None
    fee_cost: Decimal
    fee_currency: str | None
    timestamp_ms: int | None


@dataclass(frozen=True)
class VenueTrade:
    """One fill of an order as the venue reports it."""

    trade_id: str
    exchange_order_id: str
    symbol: str
    side: OrderSide
    amount: Decimal
    price: Decimal
    fee_cost: Decimal
    fee_currency: str | None
    timestamp_ms: int
    is_maker: bool | None = None


@runtime_checkable
class OrderAdapter(Protocol):
    """The order half of an exchange adapter (a venue that can trade)."""

    exchange_id: str

    def create_order(self, request: OrderRequest) -> VenueOrder:
        """Send the order once; raise OrderOutcomeUnknownError when no usable answer came."""
        ...

    def fetch_order(
        self,
        symbol: str,
        *,
        exchange_order_id: str | None = None,
        client_order_id: str | None = None,
    ) -> VenueOrder:
        """Look an order up by either id; raise OrderNotFoundError when the venue has none."""
        ...

    def cancel_order(
        self,
        symbol: str,
        *,
        exchange_order_id: str | None = None,
        client_order_id: str | None = None,
    ) -> VenueOrder:
        """Cancel an open order and return it as the venue now reports it."""
        ...

    def fetch_open_orders(self, symbol: str | None = None) -> list[VenueOrder]:
        """Return the account's open orders (on one market, or all)."""
        ...

    def fetch_orders(
        self, symbol: str, *, since_ms: int | None = None, limit: int | None = None
    ) -> list[VenueOrder]:
        """Return the account's orders on a market, open and closed, placed from `since_ms` on,
        oldest first (at most `limit`; a venue may return fewer). A read of many orders at once:
        the reconciler's lookups of recent orders. An order missing here is not proof that
        the venue never had it: only `fetch_order` says that."""
        ...

    def fetch_my_trades(
        self, symbol: str, *, since_ms: int | None = None, limit: int | None = None
    ) -> list[VenueTrade]:
        """Return the account's fills on a market, oldest first."""
        ...

    def fetch_balance(self) -> dict[str, Decimal]:
        """Return free balances per asset."""
        ...


def client_order_id_for(exchange_id: str, order_id: int) -> str:
    """Return the deterministic client order id of the project's order `order_id`.

    The same order always gets the same id, so a resend after a crash carries it again and
    the venue (or the reconciler) recognises the order.
    """
    if order_id <= 0:
        raise ValueError(f"order_id must be positive, got {order_id}")
    value = f"{CLIENT_ORDER_ID_PREFIX}-{order_id}"
    check_client_order_id(exchange_id, value)
    return value


def check_client_order_id(exchange_id: str, value: str) -> str:
    """Return `value` when it meets the venue's length and character rules; else ValueError."""
    rule = CLIENT_ORDER_ID_RULES.get(exchange_id, CLIENT_ORDER_ID_RULES["demo"])
    if not rule.allowed.match(value):
        raise ValueError(
            f"client order id {value!r} does not fit {exchange_id}: at most {rule.max_length} "
            f"characters matching {rule.allowed.pattern}"
        )
    return value


def is_own_client_order_id(value: str | None) -> bool:
    """True when a client order id carries the project's prefix (an order we placed)."""
    return value is not None and value.startswith(f"{CLIENT_ORDER_ID_PREFIX}-")
