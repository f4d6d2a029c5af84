"""The paper exchange: an `OrderAdapter` that fills orders against market prices, holding no keys.

Rules (the same for every paper account; the engine rounds amounts and prices beforehand, the
paper venue enforces no precision):

* A market order fills at once, in full, at the symbol's last trade price (`PriceSource`)
  moved against the trader by `slippage_bps` (a buy pays `last * (1 + bps/10000)`, a sell gets
  `last * (1 - bps/10000)`), and pays the taker fee.
* A limit order that can trade when it arrives (buy limit >= last, sell limit <= last) fills at
  once, in full, at the better of its limit and the slipped last price, as a taker.
* Otherwise it rests and fills from closed candles fed to `on_candle`: a buy when the candle's
  low <= its price, a sell when the high >= its price, at its limit price, paying the maker
  fee. An order takes part only in candles that open at or after the moment it was placed (a
  candle already running when it arrived is not used: no look-ahead).
* Partial fills: on each candle at most `max_volume_share` of the candle's base volume fills,
  shared by the account's crossed orders on that symbol oldest first. An order not filled in
  full stays open with its filled amount and fills further on later candles. A candle is used
  once per symbol (feeding the same or an older candle again fills nothing).
* Fees are charged in the quote currency: `amount * price * fee rate`.
* Balances per paper account: a buy limit reserves `amount * price * (1 + maker fee)` of the
  quote, a sell limit reserves `amount` of the base; a fill uses the reservation, a cancel
  returns what is left. A market buy needs `amount * price * (1 + taker fee)` free. Too little:
  `InsufficientFundsError`, nothing changes. `fetch_balance` reports free balances.
* A client order id must be unique among the account's OPEN orders (as on Binance):
  `DuplicateOrderError`. Lookup by client order id returns the latest order carrying it.

State lives in a `PaperStore`: `transaction()` yields the account's `PaperBook` and persists it
when the block ends without an error (an error leaves the stored book unchanged). The book is
JSON-serialisable (`to_json`/`from_json`, Decimals as strings), so the Django shell can keep
it in a model field. `MemoryPaperStore` keeps it in this process.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

from markets.core.adapter import ExchangeAdapter
from markets.core.errors import (
    BadRequestError,
    BadSymbolError,
    DuplicateOrderError,
    ExchangeUnavailableError,
    InsufficientFundsError,
    InvalidOrderError,
    OrderNotFoundError,
)
from markets.core.orders import (
    OrderRequest,
    OrderSide,
    OrderType,
    VenueOrder,
    VenueOrderStatus,
    VenueTrade,
    check_client_order_id,
)

_BPS = Decimal(10_000)
ZERO = Decimal(0)


# --- prices ----------------------------------------------------------------------------------


@runtime_checkable
class PriceSource(Protocol):
    """The last trade price of a symbol."""

    def last_price(self, symbol: str) -> Decimal:
        """Return the last price; BadSymbolError for an unlisted symbol, ExchangeUnavailableError
        when no price is known yet."""
        ...


class MemoryPriceSource:
    """Prices set by hand (tests, replays)."""

    def __init__(self, prices: dict[str, Decimal | str] | None = None) -> None:
        self._prices = {k: Decimal(str(v)) for k, v in (prices or {}).items()}

    def set(self, symbol: str, price: Decimal | str) -> None:
        self._prices[symbol] = Decimal(str(price))

    def last_price(self, symbol: str) -> Decimal:
        try:
            return self._prices[symbol]
        except KeyError:
            raise BadSymbolError(f"paper lists no market {symbol!r}", field="symbol") from None


class AdapterPriceSource:
    """Last prices from an exchange adapter: the close of the running 1m candle.

    Works with any `ExchangeAdapter`, the offline `DemoAdapter` included. The float close is
    turned into a Decimal at the market's price tick.
    """

    def __init__(self, adapter: ExchangeAdapter, *, timeframe: str = "1m") -> None:
        self.adapter = adapter
        self.timeframe = timeframe
        self._ticks: dict[str, Decimal | None] | None = None

    def _tick(self, symbol: str) -> Decimal | None:
        if self._ticks is None:
            self._ticks = {m.symbol: m.price_precision for m in self.adapter.load_markets()}
        if symbol not in self._ticks:
            raise BadSymbolError(
                f"{self.adapter.exchange_id} lists no market {symbol!r}", field="symbol"
            )
        return self._ticks[symbol]

    def last_price(self, symbol: str) -> Decimal:
        tick = self._tick(symbol)
        candles = self.adapter.fetch_ohlcv(symbol, self.timeframe, limit=1)
        if not candles:
            raise ExchangeUnavailableError(f"no price for {symbol} yet")
        price = Decimal(str(candles[-1].close))
        return price.quantize(tick) if tick is not None and tick > 0 else price


# --- the book --------------------------------------------------------------------------------


@dataclass
class PaperOrder:
    order_id: str
    client_order_id: str
    symbol: str
    side: OrderSide
    type: OrderType
    amount: Decimal
    price: Decimal | None
    status: VenueOrderStatus
    timestamp_ms: int
    filled: Decimal = ZERO
    cost: Decimal = ZERO
    fee_cost: Decimal = ZERO
    reserved: Decimal = ZERO
    """What this open order still holds back: quote for a buy, base for a sell."""

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.filled

    def to_venue(self, fee_currency: str) -> VenueOrder:
        return VenueOrder(
            exchange_order_id=self.order_id,
            client_order_id=self.client_order_id,
            symbol=self.symbol,
            side=self.side,
            type=self.type,
            status=self.status,
            amount=self.amount,
            filled=self.filled,
            average_price=self.cost / self.filled if self.filled > 0 else None,
            price=self.price,
            fee_cost=self.fee_cost,
            fee_currency=fee_currency if self.fee_cost > 0 else None,
            timestamp_ms=self.timestamp_ms,
        )


@dataclass
class PaperTrade:
    trade_id: str
    order_id: str
    symbol: str
    side: OrderSide
    amount: Decimal
    price: Decimal
    fee_cost: Decimal
    fee_currency: str
    timestamp_ms: int
    is_maker: bool

    def to_venue(self) -> VenueTrade:
        return VenueTrade(
            trade_id=self.trade_id,
            exchange_order_id=self.order_id,
            symbol=self.symbol,
            side=self.side,
            amount=self.amount,
            price=self.price,
            fee_cost=self.fee_cost,
            fee_currency=self.fee_currency,
            timestamp_ms=self.timestamp_ms,
            is_maker=self.is_maker,
        )


_ORDER_DECIMALS = ("amount", "price", "filled", "cost", "fee_cost", "reserved")


@dataclass
class PaperBook:
    """One paper account: free and reserved balances, orders, trades, counters."""

    balances: dict[str, Decimal] = field(default_factory=dict)
    reserved: dict[str, Decimal] = field(default_factory=dict)
    orders: dict[str, PaperOrder] = field(default_factory=dict)
    trades: list[PaperTrade] = field(default_factory=list)
    next_order_id: int = 1
    next_trade_id: int = 1
    last_candle_ms: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict; every Decimal becomes a string."""

        def dec(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        return {
            "balances": {k: str(v) for k, v in self.balances.items()},
            "reserved": {k: str(v) for k, v in self.reserved.items()},
            "orders": [
                {
                    **{
                        k: getattr(o, k) for k in o.__dataclass_fields__ if k not in _ORDER_DECIMALS
                    },
                    **{k: dec(getattr(o, k)) for k in _ORDER_DECIMALS},
                }
                for o in self.orders.values()
            ],
            "trades": [
                {
                    **t.__dict__,
                    "amount": str(t.amount),
                    "price": str(t.price),
                    "fee_cost": str(t.fee_cost),
                }
                for t in self.trades
            ],
            "next_order_id": self.next_order_id,
            "next_trade_id": self.next_trade_id,
            "last_candle_ms": dict(self.last_candle_ms),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PaperBook:
        """Rebuild a book written by `to_json`."""
        orders = {}
        for raw in data.get("orders", []):
            values = dict(raw)
            for k in _ORDER_DECIMALS:
                values[k] = None if values.get(k) is None else Decimal(values[k])
            order = PaperOrder(**values)
            orders[order.order_id] = order
        trades = [
            PaperTrade(
                **{
                    **raw,
                    "amount": Decimal(raw["amount"]),
                    "price": Decimal(raw["price"]),
                    "fee_cost": Decimal(raw["fee_cost"]),
                }
            )
            for raw in data.get("trades", [])
        ]
        return cls(
            balances={k: Decimal(v) for k, v in data.get("balances", {}).items()},
            reserved={k: Decimal(v) for k, v in data.get("reserved", {}).items()},
            orders=orders,
            trades=trades,
            next_order_id=int(data.get("next_order_id", 1)),
            next_trade_id=int(data.get("next_trade_id", 1)),
            last_candle_ms={k: int(v) for k, v in data.get("last_candle_ms", {}).items()},
        )

    def add(self, asset: str, amount: Decimal) -> None:
        self.balances[asset] = self.balances.get(asset, ZERO) + amount

    def hold(self, asset: str, amount: Decimal) -> None:
        """Move `amount` from free to reserved."""
        self.add(asset, -amount)
        self.reserved[asset] = self.reserved.get(asset, ZERO) + amount

    def release(self, asset: str, amount: Decimal, *, to_free: bool) -> None:
        """Take `amount` out of reserved, back to free or spent."""
        self.reserved[asset] = self.reserved.get(asset, ZERO) - amount
        if to_free:
            self.add(asset, amount)


class PaperStore(Protocol):
    """Where one paper account's book lives."""

    def transaction(self) -> AbstractContextManager[PaperBook]:
        """Yield the book, locked; persist it when the block ends without an error."""
        ...


class MemoryPaperStore:
    """A book in this process, guarded by a lock; an error inside a transaction rolls back."""

    def __init__(
        self, book: PaperBook | None = None, *, balances: dict[str, Decimal | str] | None = None
    ) -> None:
        self._book = book or PaperBook(
            balances={k: Decimal(str(v)) for k, v in (balances or {}).items()}
        )
        self._lock = threading.RLock()

    @contextmanager
    def _transaction(self) -> Iterator[PaperBook]:
        with self._lock:
            working = copy.deepcopy(self._book)
            yield working
            self._book = working

    def transaction(self) -> AbstractContextManager[PaperBook]:
        return self._transaction()

    def snapshot(self) -> PaperBook:
        with self._lock:
            return copy.deepcopy(self._book)


# --- the adapter -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PaperConfig:
    """Fees as fractions (0.001 = 0.1 %), slippage in basis points, fill share per candle."""

    maker_fee: Decimal = Decimal("0.001")
    taker_fee: Decimal = Decimal("0.001")
    slippage_bps: Decimal = Decimal("5")
    max_volume_share: Decimal = Decimal("0.1")


def split_symbol(symbol: str) -> tuple[str, str]:
    """("BTC", "USDT") from "BTC/USDT"; BadSymbolError for anything else."""
    base, sep, quote = symbol.partition("/")
    if not sep or not base or not quote or "/" in quote:
        raise BadSymbolError(f"paper lists no market {symbol!r}", field="symbol")
    return base, quote


class PaperAdapter:
    """An `OrderAdapter` that trades one paper account on `exchange_id`'s prices."""

    def __init__(
        self,
        store: PaperStore,
        prices: PriceSource,
        *,
        exchange_id: str = "demo",
        config: PaperConfig | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.prices = prices
        self.exchange_id = exchange_id
        self.config = config or PaperConfig()
        self._clock = clock

    def _now_ms(self) -> int:
        return int(self._clock() * 1000)

    # --- writes ----------------------------------------------------------------------------

    def _validate(self, request: OrderRequest) -> tuple[str, str]:
        try:
            check_client_order_id(self.exchange_id, request.client_order_id)
        except ValueError as e:
            raise BadRequestError(str(e), field="client_order_id") from None
        base, quote = split_symbol(request.symbol)
        if not request.amount.is_finite() or request.amount <= 0:
            raise InvalidOrderError("the amount must be greater than 0", field="amount")
        if request.type == "limit" and (
            request.price is None or not request.price.is_finite() or request.price <= 0
        ):
            raise InvalidOrderError("a limit order needs a price above 0", field="price")
        return base, quote

    def create_order(self, request: OrderRequest) -> VenueOrder:
        """Place the order on the paper book; market orders and marketable limits fill now."""
        base, quote = self._validate(request)
        last = self.prices.last_price(request.symbol)
        slip = self.config.slippage_bps / _BPS
        slipped = last * (1 + slip) if request.side == "buy" else last * (1 - slip)
        now = self._now_ms()
        with self.store.transaction() as book:
            if any(
                o.client_order_id == request.client_order_id and o.status == "open"
                for o in book.orders.values()
            ):
                raise DuplicateOrderError(
                    f"an open paper order already has client order id {request.client_order_id}",
                    field="client_order_id",
                )
            order = PaperOrder(
                order_id=str(book.next_order_id),
                client_order_id=request.client_order_id,
                symbol=request.symbol,
                side=request.side,
                type=request.type,
                amount=request.amount,
                price=request.price if request.type == "limit" else None,
                status="open",
                timestamp_ms=now,
            )
            limit = order.price
            marketable = limit is None or (
                limit >= last if request.side == "buy" else limit <= last
            )
            if marketable:
                if limit is None:
                    price = slipped
                else:
                    price = min(limit, slipped) if request.side == "buy" else max(limit, slipped)
                self._check_funds(book, order, base, quote, price, self.config.taker_fee)
                book.next_order_id += 1
                book.orders[order.order_id] = order
                self._fill(book, order, order.amount, price, now, maker=False)
            else:
                assert limit is not None  # noqa: S101 - a resting order is a limit order
                self._check_funds(book, order, base, quote, limit, self.config.maker_fee)
                book.next_order_id += 1
                book.orders[order.order_id] = order
                if order.side == "buy":
                    order.reserved = order.amount * limit * (1 + self.config.maker_fee)
                    book.hold(quote, order.reserved)
                else:
                    order.reserved = order.amount
                    book.hold(base, order.reserved)
            return order.to_venue(quote)

    def _check_funds(
        self,
        book: PaperBook,
        order: PaperOrder,
        base: str,
        quote: str,
        price: Decimal,
        fee: Decimal,
    ) -> None:
        if order.side == "buy":
            need, asset = order.amount * price * (1 + fee), quote
        else:
            need, asset = order.amount, base
        have = book.balances.get(asset, ZERO)
        if have < need:
            raise InsufficientFundsError(
                f"the paper account has {have} {asset} free and the order needs {need}",
                field="amount",
            )

    def _fill(
        self,
        book: PaperBook,
        order: PaperOrder,
        amount: Decimal,
        price: Decimal,
        now_ms: int,
        *,
        maker: bool,
    ) -> None:
        base, quote = split_symbol(order.symbol)
        cost = amount * price
        fee = cost * (self.config.maker_fee if maker else self.config.taker_fee)
        if order.side == "buy":
            if order.reserved > 0:
                # the reservation was amount * limit * (1 + maker fee); at the limit price it
                # covers cost + fee exactly
                used = cost + fee
                order.reserved -= used
                book.release(quote, used, to_free=False)
            else:
                book.add(quote, -(cost + fee))
            book.add(base, amount)
        else:
            if order.reserved > 0:
                order.reserved -= amount
                book.release(base, amount, to_free=False)
            else:
                book.add(base, -amount)
            book.add(quote, cost - fee)
        order.filled += amount
        order.cost += cost
        order.fee_cost += fee
        if order.filled >= order.amount:
            order.status = "closed"
            if order.reserved != 0:  # nothing should be left; return any rounding residue
                book.release(quote if order.side == "buy" else base, order.reserved, to_free=True)
                order.reserved = ZERO
        book.trades.append(
            PaperTrade(
                trade_id=str(book.next_trade_id),
                order_id=order.order_id,
                symbol=order.symbol,
                side=order.side,
                amount=amount,
                price=price,
                fee_cost=fee,
                fee_currency=quote,
                timestamp_ms=now_ms,
                is_maker=maker,
            )
        )
        book.next_trade_id += 1

    def cancel_order(
        self,
        symbol: str,
        *,
        exchange_order_id: str | None = None,
        client_order_id: str | None = None,
    ) -> VenueOrder:
        """Cancel an open order and return what it held; a closed one is OrderNotFoundError."""
        base, quote = split_symbol(symbol)
        with self.store.transaction() as book:
            order = self._find(book, symbol, exchange_order_id, client_order_id)
            if order.status != "open":
                raise OrderNotFoundError(
                    f"paper order {order.order_id} is {order.status}, not open"
                )
            order.status = "canceled"
            if order.reserved > 0:
                book.release(quote if order.side == "buy" else base, order.reserved, to_free=True)
                order.reserved = ZERO
            return order.to_venue(quote)

    def on_candle(
        self,
        symbol: str,
        open_time_ms: int,
        open: Decimal | float | str,
        high: Decimal | float | str,
        low: Decimal | float | str,
        close: Decimal | float | str,
        volume: Decimal | float | str,
    ) -> list[VenueTrade]:
        """Fill resting limit orders on `symbol` from one closed candle; return the new fills."""
        high_d, low_d, volume_d = (Decimal(str(v)) for v in (high, low, volume))
        fills: list[VenueTrade] = []
        with self.store.transaction() as book:
            if book.last_candle_ms.get(symbol, -1) >= open_time_ms:
                return []
            book.last_candle_ms[symbol] = open_time_ms
            capacity = max(volume_d, ZERO) * self.config.max_volume_share
            resting = sorted(
                (
                    o
                    for o in book.orders.values()
                    if o.symbol == symbol
                    and o.status == "open"
                    and o.price is not None
                    and o.timestamp_ms <= open_time_ms
                ),
                key=lambda o: int(o.order_id),
            )
            for order in resting:
                if capacity <= 0:
                    break
                assert order.price is not None  # noqa: S101 - filtered above
                crossed = low_d <= order.price if order.side == "buy" else high_d >= order.price
                if not crossed:
                    continue
                amount = min(order.remaining, capacity)
                capacity -= amount
                before = len(book.trades)
                self._fill(book, order, amount, order.price, open_time_ms, maker=True)
                fills.extend(t.to_venue() for t in book.trades[before:])
        return fills

    # --- reads -----------------------------------------------------------------------------

    def _find(
        self,
        book: PaperBook,
        symbol: str,
        exchange_order_id: str | None,
        client_order_id: str | None,
    ) -> PaperOrder:
        order: PaperOrder | None = None
        if exchange_order_id is not None:
            order = book.orders.get(exchange_order_id)
        elif client_order_id is not None:
            for candidate in book.orders.values():  # insertion order: the latest wins
                if candidate.client_order_id == client_order_id:
                    order = candidate
        else:
            raise BadRequestError("give an exchange order id or a client order id")
        if order is None or order.symbol != symbol:
            raise OrderNotFoundError(
                f"no paper order {exchange_order_id or client_order_id} on {symbol}"
            )
        return order

    def fetch_order(
        self,
        symbol: str,
        *,
        exchange_order_id: str | None = None,
        client_order_id: str | None = None,
    ) -> VenueOrder:
        _, quote = split_symbol(symbol)
        with self.store.transaction() as book:
            return self._find(book, symbol, exchange_order_id, client_order_id).to_venue(quote)

    def fetch_open_orders(self, symbol: str | None = None) -> list[VenueOrder]:
        with self.store.transaction() as book:
            return [
                o.to_venue(split_symbol(o.symbol)[1])
                for o in book.orders.values()
                if o.status == "open" and (symbol is None or o.symbol == symbol)
            ]

    def fetch_orders(
        self, symbol: str, *, since_ms: int | None = None, limit: int | None = None
    ) -> list[VenueOrder]:
        _, quote = split_symbol(symbol)
        with self.store.transaction() as book:
            orders = [o.to_venue(quote) for o in book.orders.values() if o.symbol == symbol]
        orders = [o for o in orders if since_ms is None or (o.timestamp_ms or 0) >= since_ms]
        orders.sort(key=lambda o: (o.timestamp_ms or 0, o.exchange_order_id))
        return orders[:limit] if limit is not None else orders

    def fetch_my_trades(
        self, symbol: str, *, since_ms: int | None = None, limit: int | None = None
    ) -> list[VenueTrade]:
        with self.store.transaction() as book:
            trades = [
                t.to_venue()
                for t in book.trades
                if t.symbol == symbol and (since_ms is None or t.timestamp_ms >= since_ms)
            ]
        return trades[:limit] if limit is not None else trades

    def fetch_balance(self) -> dict[str, Decimal]:
        with self.store.transaction() as book:
            return {k: v for k, v in book.balances.items() if v != 0}

    def close(self) -> None:
        return None
