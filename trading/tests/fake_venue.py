"""An in-memory venue behind the OrderAdapter interface, with a ledger and seedable faults.

It keeps Binance's rules that matter to the engine: a client order id is unique among OPEN
orders only (a resend of a filled order would be accepted as a new order), lookups by client
order id find closed orders too, and a fresh order may be reported missing for a while.
Faults are drawn per create call from a seeded generator:
  drop_after  the order is accepted, the answer is lost (OrderOutcomeUnknownError)
  error_after the order is accepted, then a 5xx (OrderOutcomeUnknownError)
  error_before a 5xx before the order is accepted (OrderOutcomeUnknownError; nothing placed)
"""

from __future__ import annotations

import itertools
import random
import threading
import time
from dataclasses import dataclass, field, replace
from decimal import Decimal

from markets.core import errors
from markets.core.orders import OrderRequest, VenueOrder, VenueTrade


@dataclass
class Faults:
    drop_after: float = 0.0
    error_after: float = 0.0
    error_before: float = 0.0
    missing_for_seconds: float = 0.0
    seed: int = 7


@dataclass
class FakeVenue:
    """The venue's own record: every order it ever accepted, in `ledger`."""

    exchange_id: str = "binance"
    faults: Faults = field(default_factory=Faults)
    fill_market_orders: bool = True
    price: Decimal = Decimal("100")
    fee_rate: Decimal = Decimal("0.001")
    create_error: Exception | None = None
    ledger: list[VenueOrder] = field(default_factory=list)
    trades: list[VenueTrade] = field(default_factory=list)
    created_at: dict[str, float] = field(default_factory=dict)
    create_calls: list[str] = field(default_factory=list)
    fetch_calls: int = 0

    def __post_init__(self) -> None:
        self._ids = itertools.count(1)
        self._trade_ids = itertools.count(1)
        self._random = random.Random(self.faults.seed)
        self._lock = threading.Lock()

    def adapter(self) -> FakeVenueAdapter:
        return FakeVenueAdapter(self)

    def orders_with_client_id(self, client_order_id: str) -> list[VenueOrder]:
        return [o for o in self.ledger if o.client_order_id == client_order_id]

    def _accept(self, request: OrderRequest) -> VenueOrder:
        for existing in self.ledger:
            if existing.client_order_id == request.client_order_id and existing.status == "open":
                raise errors.DuplicateOrderError("Duplicate order sent.", exchange=self.exchange_id)
        exchange_order_id = str(next(self._ids))
        filled = Decimal(0)
        status = "open"
        average: Decimal | None = None
        fee = Decimal(0)
        if request.type == "market" and self.fill_market_orders:
            filled, status, average = request.amount, "closed", self.price
            fee = (filled * self.price * self.fee_rate).quantize(Decimal("0.00000001"))
            self.trades.append(
                VenueTrade(
                    trade_id=str(next(self._trade_ids)),
                    exchange_order_id=exchange_order_id,
                    symbol=request.symbol,
                    side=request.side,
                    amount=filled,
                    price=self.price,
                    fee_cost=fee,
                    fee_currency="USDT",
                    timestamp_ms=int(time.time() * 1000),
                    is_maker=False,
                )
            )
        order = VenueOrder(
            exchange_order_id=exchange_order_id,
            client_order_id=request.client_order_id,
            symbol=request.symbol,
            side=request.side,
            type=request.type,
            status=status,  # type: ignore[arg-type]
            amount=request.amount,
            filled=filled,
            average_price=average,
            price=request.price,
            fee_cost=fee,
            fee_currency="USDT" if fee else None,
            timestamp_ms=int(time.time() * 1000),
        )
        self.ledger.append(order)
        self.created_at[exchange_order_id] = time.monotonic()
        return order

    def create(self, request: OrderRequest) -> VenueOrder:
        with self._lock:
            self.create_calls.append(request.client_order_id)
            if self.create_error is not None:
                raise self.create_error
            draw = self._random.random()
            faults = self.faults
            if draw < faults.error_before:
                raise errors.OrderOutcomeUnknownError("HTTP 503", exchange=self.exchange_id)
            order = self._accept(request)
            if draw < faults.error_before + faults.drop_after:
                raise errors.OrderOutcomeUnknownError("read timeout", exchange=self.exchange_id)
            if draw < faults.error_before + faults.drop_after + faults.error_after:
                raise errors.OrderOutcomeUnknownError("HTTP 502", exchange=self.exchange_id)
            return order

    def find(self, *, exchange_order_id: str | None, client_order_id: str | None) -> VenueOrder:
        with self._lock:
            self.fetch_calls += 1
            matches = [
                o
                for o in self.ledger
                if (exchange_order_id is not None and o.exchange_order_id == exchange_order_id)
                or (client_order_id is not None and o.client_order_id == client_order_id)
            ]
            if matches:
                # Binance answers the open one first, else the latest.
                chosen = next((o for o in matches if o.status == "open"), matches[-1])
                age = time.monotonic() - self.created_at[chosen.exchange_order_id]
                if age >= self.faults.missing_for_seconds:
                    return chosen
            raise errors.OrderNotFoundError("Order does not exist.", exchange=self.exchange_id)

    def fill(self, exchange_order_id: str, amount: Decimal) -> None:
        """Fill part of a resting order at its price (a test's market move)."""
        with self._lock:
            index = next(
                i for i, o in enumerate(self.ledger) if o.exchange_order_id == exchange_order_id
            )
            order = self.ledger[index]
            filled = order.filled + amount
            price = order.price or self.price
            self.trades.append(
                VenueTrade(
                    trade_id=str(next(self._trade_ids)),
                    exchange_order_id=exchange_order_id,
                    symbol=order.symbol,
                    side=order.side,
                    amount=amount,
                    price=price,
                    fee_cost=Decimal(0),
                    fee_currency=None,
                    timestamp_ms=int(time.time() * 1000),
                    is_maker=True,
                )
            )
            self.ledger[index] = replace(
                order,
                filled=filled,
                average_price=price,
                status="closed" if filled >= order.amount else "open",
            )

    def cancel(self, exchange_order_id: str | None, client_order_id: str | None) -> VenueOrder:
        order = self.find(exchange_order_id=exchange_order_id, client_order_id=client_order_id)
        with self._lock:
            if order.status != "open":
                raise errors.OrderNotFoundError("Unknown order sent.", exchange=self.exchange_id)
            index = self.ledger.index(order)
            self.ledger[index] = replace(order, status="canceled")
            return self.ledger[index]


@dataclass
class FakeVenueAdapter:
    venue: FakeVenue

    @property
    def exchange_id(self) -> str:
        return self.venue.exchange_id

    def create_order(self, request: OrderRequest) -> VenueOrder:
        return self.venue.create(request)

    def fetch_order(
        self,
        symbol: str,
        *,
        exchange_order_id: str | None = None,
        client_order_id: str | None = None,
    ) -> VenueOrder:
        return self.venue.find(exchange_order_id=exchange_order_id, client_order_id=client_order_id)

    def cancel_order(
        self,
        symbol: str,
        *,
        exchange_order_id: str | None = None,
        client_order_id: str | None = None,
    ) -> VenueOrder:
        return self.venue.cancel(exchange_order_id, client_order_id)

    def fetch_open_orders(self, symbol: str | None = None) -> list[VenueOrder]:
        return [o for o in self.venue.ledger if o.status == "open"]

    def fetch_orders(
        self, symbol: str, *, since_ms: int | None = None, limit: int | None = None
    ) -> list[VenueOrder]:
        return [o for o in self.venue.ledger if o.symbol == symbol][:limit]

    def fetch_my_trades(
        self, symbol: str, *, since_ms: int | None = None, limit: int | None = None
    ) -> list[VenueTrade]:
        return [t for t in self.venue.trades if t.symbol == symbol]

    def fetch_balance(self) -> dict[str, Decimal]:
        return {"USDT": Decimal("100000")}

    def close(self) -> None:
        return None
