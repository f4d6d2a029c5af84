"""A fake Binance spot exchange on 127.0.0.1 for tests and benchmarks, with a ledger and faults.

It speaks the subset of Binance's REST API that ccxt 4.5.90 uses for spot trading:
`GET /api/v3/exchangeInfo`, `/api/v3/klines`, `/api/v3/ticker/price`, `/api/v3/time`,
`POST|GET|DELETE /api/v3/order`, `GET /api/v3/openOrders`, `/api/v3/allOrders`,
`/api/v3/myTrades`, `/api/v3/account` and `/sapi/v1/account/apiRestrictions`. Signatures are
not checked; the `X-MBX-APIKEY` header must name a known, unrevoked key when `api_keys` is
given.

The LEDGER (`FakeExchange.ledger`) records every order the exchange accepted: it is the source
of truth tests and benchmarks read ("0 duplicates, 0 lost" is counted there, never from the
engine's own view).

Matching: a market order fills at once, in full, at the symbol's price (`set_price`); a limit
order that is marketable when it arrives fills at once at the current price (taker),
otherwise it rests until `set_price` crosses it (buy when price <= limit, sell when
price >= limit) and then fills in full at its limit price (maker). Commission is `fee_rate` of
the quote amount, charged in the quote asset.

Binance's client order id rule is kept: `newClientOrderId` must be unique among OPEN orders
only ("A unique id among open orders", Binance spot API docs). A second order with the id of
an open order is refused with -2010 "Duplicate order sent."; once that order is filled or
canceled the same id is accepted again as a NEW order (which is how blind resends duplicate
filled market orders on the real exchange).

Faults, per endpoint key such as "POST /api/v3/order" (or "*" for every endpoint):

* `script(key, Fault(...), ...)` queues faults consumed one per request, before any random ones;
* `set_fault_rates(key, FaultRates(...))` draws from a `random.Random(seed)`: one draw picks at
  most one of rate limit (429/418 with Retry-After), 5xx before accepting, 5xx after
  accepting, or dropping the connection after accepting without an answer; latency has its
  own draw.
* `missing_for_s`: an order is reported missing (-2013 "Order does not exist.") by
  `GET /api/v3/order` and left out of `openOrders` for that many seconds after it was
  accepted, as Binance does while a fresh order propagates.
"""

from __future__ import annotations

import bisect
import contextlib
import csv
import itertools
import json
import random
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs, urlparse

FaultKind = Literal[
    "drop_after", "error_before", "error_after", "rate_limit", "ban", "latency", "truncate"
]
OPEN_STATUSES = ("NEW", "PARTIALLY_FILLED")
INTERVAL_MS = {
    "1m": 60_000,
    "5m": 300_000,
    "15m": 900_000,
    "1h": 3_600_000,
    "4h": 14_400_000,
    "1d": 86_400_000,
}
STEP = Decimal("0.00001")
TICK = Decimal("0.01")
MIN_NOTIONAL = Decimal("5")


def symbol_info(name: str, base: str, quote: str) -> dict[str, Any]:
    """An exchangeInfo symbol entry that ccxt accepts (tick 0.01, step 0.00001, notional 5)."""
    return {
        "symbol": name,
        "status": "TRADING",
        "baseAsset": base,
        "baseAssetPrecision": 8,
        "quoteAsset": quote,
        "quotePrecision": 8,
        "quoteAssetPrecision": 8,
        "orderTypes": ["LIMIT", "MARKET"],
        "isSpotTradingAllowed": True,
        "isMarginTradingAllowed": False,
        "permissions": ["SPOT"],
        "permissionSets": [["SPOT"]],
        "filters": [
            {
                "filterType": "PRICE_FILTER",
                "minPrice": "0.01",
                "maxPrice": "1000000.00",
                "tickSize": str(TICK),
            },
            {
                "filterType": "LOT_SIZE",
                "minQty": str(STEP),
                "maxQty": "9000.00000",
                "stepSize": str(STEP),
            },
            {
                "filterType": "NOTIONAL",
                "minNotional": "5.00",
                "applyMinToMarket": True,
                "maxNotional": "9000000.00",
                "applyMaxToMarket": False,
                "avgPriceMins": 5,
            },
        ],
    }


@dataclass(frozen=True)
class Fault:
    """One scripted misbehaviour. `status` and `retry_after` apply to errors and rate limits."""

    kind: FaultKind
    status: int | None = None
    retry_after: int = 1
    seconds: float = 0.0


@dataclass(frozen=True)
class FaultRates:
    """Probabilities per request on one endpoint (the first four are exclusive)."""

    rate_limit: float = 0.0
    error_before: float = 0.0
    error_after: float = 0.0
    drop_after: float = 0.0
    latency: float = 0.0
    latency_s: float = 0.0
    error_status: int = 503
    retry_after: int = 1


@dataclass
class LedgerFill:
    trade_id: int
    order_id: int
    symbol: str
    side: str
    price: Decimal
    qty: Decimal
    commission: Decimal
    commission_asset: str
    time_ms: int
    is_maker: bool


@dataclass
class LedgerOrder:
    order_id: int
    client_order_id: str
    symbol: str
    side: str  # "BUY" | "SELL"
    type: str  # "MARKET" | "LIMIT"
    amount: Decimal
    price: Decimal | None
    status: str  # NEW, PARTIALLY_FILLED, FILLED, CANCELED
    created_ms: int
    accepted_at: float  # monotonic
    fills: list[LedgerFill] = field(default_factory=list)

    @property
    def filled(self) -> Decimal:
        return sum((f.qty for f in self.fills), Decimal(0))

    @property
    def quote_filled(self) -> Decimal:
        return sum((f.qty * f.price for f in self.fills), Decimal(0))


class Ledger:
    """Every order the fake accepted, thread-safe. Accessors return copies."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._orders: dict[int, LedgerOrder] = {}
        self._fills: list[LedgerFill] = []
        self._by_client: dict[str, list[int]] = {}
        self._open_ids: dict[int, LedgerOrder] = {}  # insertion-ordered, like _orders

    def orders(self) -> list[LedgerOrder]:
        """Snapshot of every accepted order, in acceptance order."""
        with self.lock:
            return [replace(o, fills=list(o.fills)) for o in self._orders.values()]

    def fills(self) -> list[LedgerFill]:
        with self.lock:
            return list(self._fills)

    def by_client_id(self, client_order_id: str) -> list[LedgerOrder]:
        """Every accepted order that carried this client order id (more than one = a dup)."""
        return [o for o in self.orders() if o.client_order_id == client_order_id]

    def client_id_counts(self) -> dict[str, int]:
        """How many accepted orders carried each client order id."""
        counts: dict[str, int] = {}
        for o in self.orders():
            counts[o.client_order_id] = counts.get(o.client_order_id, 0) + 1
        return counts

    def duplicates(self) -> dict[str, int]:
        """Client order ids accepted more than once, with their counts."""
        return {k: v for k, v in self.client_id_counts().items() if v > 1}

    def __len__(self) -> int:
        with self.lock:
            return len(self._orders)

    # internal, called under the lock
    def _add(self, order: LedgerOrder) -> None:
        self._orders[order.order_id] = order
        self._by_client.setdefault(order.client_order_id, []).append(order.order_id)
        if order.status in OPEN_STATUSES:
            self._open_ids[order.order_id] = order

    def _set_status(self, order: LedgerOrder, status: str) -> None:
        order.status = status
        if status not in OPEN_STATUSES:
            self._open_ids.pop(order.order_id, None)

    def _open_with_client_id(self, client_order_id: str) -> bool:
        return any(i in self._open_ids for i in self._by_client.get(client_order_id, ()))

    def _get(self, order_id: int) -> LedgerOrder | None:
        return self._orders.get(order_id)

    def _latest_by_client_id(self, client_order_id: str) -> LedgerOrder | None:
        ids = self._by_client.get(client_order_id)
        return self._orders[ids[-1]] if ids else None

    def _open(self) -> Iterator[LedgerOrder]:
        return iter(list(self._open_ids.values()))

    def _add_fill(self, f: LedgerFill) -> None:
        self._fills.append(f)


@dataclass
class RequestRecord:
    at: float
    method: str
    path: str
    params: dict[str, str]


class _Reply(Exception):
    """Raised inside a handler to answer at once."""

    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


_MISSING = object()
API_RESTRICTIONS = {
    "ipRestrict": False,
    "createTime": 1_700_000_000_000,
    "enableReading": True,
    "enableSpotAndMarginTrading": True,
    "enableWithdrawals": False,
    "enableInternalTransfer": False,
    "permitsUniversalTransfer": False,
    "enableMargin": False,
    "enableFutures": False,
    "enableVanillaOptions": False,
}


def _error(status: int, code: int, msg: str) -> _Reply:
    return _Reply(status, {"code": code, "msg": msg})


class FakeExchange:
    """The fake exchange. Use as a context manager, or `start()` / `stop()`."""

    def __init__(
        self,
        *,
        seed: int = 0,
        prices: dict[str, Decimal | str] | None = None,
        symbols: dict[str, tuple[str, str]] | None = None,
        candles_csv: Path | None = None,
        candles_symbol: str = "BTCUSDT",
        fee_rate: Decimal = Decimal("0.001"),
        missing_for_s: float = 0.0,
        balances: dict[str, Decimal | str] | None = None,
        api_keys: set[str] | None = None,
        record_requests: bool = True,
    ) -> None:
        self.symbols = symbols or {"BTCUSDT": ("BTC", "USDT"), "ETHUSDT": ("ETH", "USDT")}
        self.exchange_info = {
            "timezone": "UTC",
            "serverTime": 1_700_000_000_000,
            "rateLimits": [],
            "exchangeFilters": [],
            "symbols": [symbol_info(n, b, q) for n, (b, q) in self.symbols.items()],
        }
        self.prices: dict[str, Decimal] = {
            k: Decimal(str(v))
            for k, v in (prices or {"BTCUSDT": "30000", "ETHUSDT": "2000"}).items()
        }
        self.fee_rate = fee_rate
        self.missing_for_s = missing_for_s
        self.balances: dict[str, Decimal] | None = (
            None if balances is None else {k: Decimal(str(v)) for k, v in balances.items()}
        )
        self.api_keys = set(api_keys) if api_keys is not None else None
        self.revoked: set[str] = set()
        self.record_requests = record_requests
        self.ledger = Ledger()
        self.requests: list[RequestRecord] = []
        self._rng = random.Random(seed)  # noqa: S311 - fault injection, not security
        self._rates: dict[str, FaultRates] = {}
        self._scripts: dict[str, list[Fault]] = {}
        self._fault_lock = threading.Lock()
        self._ids = itertools.count(1)
        self._trade_ids = itertools.count(1)
        self._times: list[int] = []
        self._rows: list[list[str]] = []
        self._candles_symbol = candles_symbol
        if candles_csv is not None:
            with open(candles_csv, newline="") as f:
                for row in csv.reader(f):
                    if row and row[0] != "timestamp_ms":
                        self._times.append(int(row[0]))
                        self._rows.append(row)
        self.server = _Server(self)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakeExchange:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> FakeExchange:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- faults ------------------------------------------------------------------------------

    def script(self, endpoint: str, *faults: Fault) -> None:
        """Queue faults for `endpoint` ("POST /api/v3/order", or "*"), one per request."""
        with self._fault_lock:
            self._scripts.setdefault(endpoint, []).extend(faults)

    def set_fault_rates(self, endpoint: str, rates: FaultRates | None) -> None:
        """Random faults for `endpoint` (or "*"); None removes them."""
        with self._fault_lock:
            if rates is None:
                self._rates.pop(endpoint, None)
            else:
                self._rates[endpoint] = rates

    def clear_faults(self) -> None:
        with self._fault_lock:
            self._rates.clear()
            self._scripts.clear()

    def _next_fault(self, endpoint: str) -> tuple[Fault | None, float]:
        """The fault for this request and the latency to add before it."""
        with self._fault_lock:
            for key in (endpoint, "*"):
                queue = self._scripts.get(key)
                if queue:
                    fault = queue.pop(0)
                    return fault, fault.seconds if fault.kind == "latency" else 0.0
            rates = self._rates.get(endpoint) or self._rates.get("*")
            if rates is None:
                return None, 0.0
            latency = rates.latency_s if self._rng.random() < rates.latency else 0.0
            u = self._rng.random()
        edge = 0.0
        for kind, p in (
            ("rate_limit", rates.rate_limit),
            ("error_before", rates.error_before),
            ("error_after", rates.error_after),
            ("drop_after", rates.drop_after),
        ):
            edge += p
            if u < edge:
                return (
                    Fault(kind, status=rates.error_status, retry_after=rates.retry_after),  # type: ignore[arg-type]
                    latency,
                )
        return None, latency

    # --- keys and market -------------------------------------------------------------------

    def revoke_key(self, api_key: str) -> None:
        """Make the exchange refuse `api_key` from now on (-2015)."""
        self.revoked.add(api_key)

    def set_price(self, symbol: str, price: Decimal | str) -> list[LedgerFill]:
        """Move the last price of `symbol` (e.g. "BTCUSDT") and fill resting orders it crosses."""
        value = Decimal(str(price))
        with self.ledger.lock:
            self.prices[symbol] = value
            fills = []
            for order in list(self.ledger._open()):
                if order.symbol != symbol or order.price is None:
                    continue
                crossed = value <= order.price if order.side == "BUY" else value >= order.price
                if crossed:
                    fills.append(self._fill(order, order.price, maker=True))
            return fills

    def _now_ms(self) -> int:
        return int(time.time() * 1000)

    def _fill(self, order: LedgerOrder, price: Decimal, *, maker: bool) -> LedgerFill:
        qty = order.amount - order.filled
        base, quote = self.symbols[order.symbol]
        fill = LedgerFill(
            trade_id=next(self._trade_ids),
            order_id=order.order_id,
            symbol=order.symbol,
            side=order.side,
            price=price,
            qty=qty,
            commission=(qty * price * self.fee_rate).quantize(Decimal("0.00000001")),
            commission_asset=quote,
            time_ms=self._now_ms(),
            is_maker=maker,
        )
        order.fills.append(fill)
        self.ledger._set_status(order, "FILLED")
        self.ledger._add_fill(fill)
        if self.balances is not None:
            sign = Decimal(1) if order.side == "BUY" else Decimal(-1)
            self.balances[base] = self.balances.get(base, Decimal(0)) + sign * qty
            self.balances[quote] = (
                self.balances.get(quote, Decimal(0)) - sign * qty * price - fill.commission
            )
        return fill

    # --- endpoint logic (called with the parsed request) ------------------------------------

    def _check_key(self, headers: Any) -> None:
        key = headers.get("X-MBX-APIKEY")
        if key is None:
            raise _error(401, -2014, "API-key format invalid.")
        if key in self.revoked or (self.api_keys is not None and key not in self.api_keys):
            raise _error(401, -2015, "Invalid API-key, IP, or permissions for action.")

    def _symbol(self, params: dict[str, str]) -> str:
        symbol = params.get("symbol", "")
        if symbol not in self.symbols:
            raise _error(400, -1121, "Invalid symbol.")
        return symbol

    @staticmethod
    def _decimal(params: dict[str, str], name: str) -> Decimal:
        try:
            value = Decimal(params[name])
        except (KeyError, InvalidOperation):
            raise _error(
                400,
                -1102,
                f"Mandatory parameter '{name}' was not sent, was empty/null, or malformed.",
            ) from None
        if not value.is_finite() or value <= 0:
            raise _error(400, -1013, f"Invalid {name}.")
        return value

    def _order_json(self, o: LedgerOrder, *, full: bool = False) -> dict[str, Any]:
        body: dict[str, Any] = {
            "symbol": o.symbol,
            "orderId": o.order_id,
            "orderListId": -1,
            "clientOrderId": o.client_order_id,
            "price": f"{o.price or 0:.8f}",
            "origQty": f"{o.amount:.8f}",
            "executedQty": f"{o.filled:.8f}",
            "cummulativeQuoteQty": f"{o.quote_filled:.8f}",
            "status": o.status,
            "timeInForce": "GTC",
            "type": o.type,
            "side": o.side,
            "time": o.created_ms,
            "updateTime": o.fills[-1].time_ms if o.fills else o.created_ms,
            "workingTime": o.created_ms,
            "transactTime": o.created_ms,
            "selfTradePreventionMode": "NONE",
        }
        if full:
            body["fills"] = [
                {
                    "price": f"{f.price:.8f}",
                    "qty": f"{f.qty:.8f}",
                    "commission": f"{f.commission:.8f}",
                    "commissionAsset": f.commission_asset,
                    "tradeId": f.trade_id,
                }
                for f in o.fills
            ]
        return body

    def _create(self, params: dict[str, str]) -> tuple[LedgerOrder, str]:
        symbol = self._symbol(params)
        side = params.get("side", "").upper()
        kind = params.get("type", "").upper()
        if side not in ("BUY", "SELL") or kind not in ("MARKET", "LIMIT"):
            raise _error(400, -1116, "Invalid orderType.")
        qty = self._decimal(params, "quantity")
        price = self._decimal(params, "price") if kind == "LIMIT" else None
        if qty % STEP != 0:
            raise _error(400, -1013, "Filter failure: LOT_SIZE")
        if price is not None and price % TICK != 0:
            raise _error(400, -1013, "Filter failure: PRICE_FILTER")
        with self.ledger.lock:
            last = self.prices.get(symbol)
            if last is None:
                raise _error(400, -1013, "Market is closed.")
            if qty * (price or last) < MIN_NOTIONAL:
                raise _error(400, -1013, "Filter failure: NOTIONAL")
            client_id = params.get("newClientOrderId") or f"fake-{uuid.uuid4().hex[:20]}"
            if self.ledger._open_with_client_id(client_id):
                raise _error(400, -2010, "Duplicate order sent.")
            self._check_balance(symbol, side, qty, price or last)
            order = LedgerOrder(
                order_id=next(self._ids),
                client_order_id=client_id,
                symbol=symbol,
                side=side,
                type=kind,
                amount=qty,
                price=price,
                status="NEW",
                created_ms=self._now_ms(),
                accepted_at=time.monotonic(),
            )
            self.ledger._add(order)
            marketable = price is None or (price >= last if side == "BUY" else price <= last)
            if marketable:
                self._fill(order, last, maker=False)
            body = json.dumps(
                self._order_json(order, full=params.get("newOrderRespType") == "FULL")
            )
        if params.get("newOrderRespType") == "ACK":
            ack = json.loads(body)
            body = json.dumps(
                {
                    k: ack[k]
                    for k in ("symbol", "orderId", "orderListId", "clientOrderId", "transactTime")
                }
            )
        return order, body

    def _check_balance(self, symbol: str, side: str, qty: Decimal, price: Decimal) -> None:
        if self.balances is None:
            return
        base, quote = self.symbols[symbol]
        need, asset = (qty * price, quote) if side == "BUY" else (qty, base)
        if self.balances.get(asset, Decimal(0)) < need:
            raise _error(400, -2010, "Account has insufficient balance for requested action.")

    def _find(self, params: dict[str, str]) -> LedgerOrder:
        symbol = self._symbol(params)
        order: LedgerOrder | None = None
        if "orderId" in params:
            try:
                order = self.ledger._get(int(params["orderId"]))
            except ValueError:
                order = None
        elif "origClientOrderId" in params:
            order = self.ledger._latest_by_client_id(params["origClientOrderId"])
        else:
            raise _error(400, -1102, "Param 'origClientOrderId' or 'orderId' must be sent.")
        if order is None or order.symbol != symbol:
            raise _error(400, -2013, "Order does not exist.")
        return order

    def _hidden(self, order: LedgerOrder) -> bool:
        return time.monotonic() - order.accepted_at < self.missing_for_s

    def _public(self, path: str, params: dict[str, str]) -> Any:
        if path == "/api/v3/exchangeInfo":
            return self.exchange_info
        if path == "/api/v3/time":
            return {"serverTime": self._now_ms()}
        if path == "/api/v3/ticker/price":
            if "symbol" in params:
                symbol = self._symbol(params)
                return {"symbol": symbol, "price": str(self.prices[symbol])}
            return [{"symbol": k, "price": str(v)} for k, v in self.prices.items()]
        if path == "/api/v3/klines":
            return self._klines(params)
        return _MISSING

    def _route(self, method: str, path: str, params: dict[str, str], headers: Any) -> Any:
        public = self._public(path, params)
        if public is not _MISSING:
            return public
        self._check_key(headers)
        handler = {
            ("GET", "/api/v3/order"): self._query_order,
            ("DELETE", "/api/v3/order"): self._cancel_order,
            ("GET", "/api/v3/openOrders"): self._open_orders,
            ("GET", "/api/v3/allOrders"): self._all_orders,
            ("GET", "/api/v3/myTrades"): self._my_trades,
            ("GET", "/api/v3/account"): lambda params: self._account(),
            ("GET", "/sapi/v1/account/apiRestrictions"): lambda params: API_RESTRICTIONS,
        }.get((method, path))
        if handler is None:
            raise _error(404, -1, "not found")
        with self.ledger.lock:
            return handler(params)  # type: ignore[no-untyped-call]

    def _query_order(self, params: dict[str, str]) -> dict[str, Any]:
        order = self._find(params)
        if self._hidden(order):
            raise _error(400, -2013, "Order does not exist.")
        return self._order_json(order)

    def _cancel_order(self, params: dict[str, str]) -> dict[str, Any]:
        order = self._find(params)
        if order.status not in OPEN_STATUSES:
            raise _error(400, -2011, "Unknown order sent.")
        self.ledger._set_status(order, "CANCELED")
        body = self._order_json(order)
        body["origClientOrderId"] = order.client_order_id
        return body

    def _open_orders(self, params: dict[str, str]) -> list[dict[str, Any]]:
        symbol = self._symbol(params) if "symbol" in params else None
        return [
            self._order_json(o)
            for o in self.ledger._open()
            if (symbol is None or o.symbol == symbol) and not self._hidden(o)
        ]

    def _all_orders(self, params: dict[str, str]) -> list[dict[str, Any]]:
        """Binance `allOrders`: the symbol's orders, any state, from `orderId` or `startTime`
        (to `endTime`), oldest first, at most `limit` (500, up to 1000)."""
        symbol = self._symbol(params)
        start = int(params.get("startTime", 0))
        end = int(params.get("endTime", 2**62))
        first_id = int(params.get("orderId", 0))
        limit = min(int(params.get("limit", 500)), 1000)
        out = []
        for o in self.ledger._orders.values():  # acceptance order: oldest first
            if o.symbol != symbol or o.order_id < first_id or self._hidden(o):
                continue
            if start <= o.created_ms <= end:
                out.append(self._order_json(o))
                if len(out) >= limit:
                    break
        return out

    def _my_trades(self, params: dict[str, str]) -> list[dict[str, Any]]:
        symbol = self._symbol(params)
        since = int(params.get("startTime", 0))
        limit = min(int(params.get("limit", 500)), 1000)
        out = []
        for f in self.ledger._fills:
            if f.symbol != symbol or f.time_ms < since:
                continue
            out.append(
                {
                    "symbol": f.symbol,
                    "id": f.trade_id,
                    "orderId": f.order_id,
                    "orderListId": -1,
                    "price": f"{f.price:.8f}",
                    "qty": f"{f.qty:.8f}",
                    "quoteQty": f"{(f.price * f.qty).quantize(Decimal('0.00000001'), ROUND_DOWN)}",
                    "commission": f"{f.commission:.8f}",
                    "commissionAsset": f.commission_asset,
                    "time": f.time_ms,
                    "isBuyer": f.side == "BUY",
                    "isMaker": f.is_maker,
                    "isBestMatch": True,
                }
            )
            if len(out) >= limit:
                break
        return out

    def _account(self) -> dict[str, Any]:
        balances = self.balances if self.balances is not None else {"USDT": Decimal("1000000")}
        return {
            "makerCommission": 10,
            "takerCommission": 10,
            "canTrade": True,
            "canWithdraw": False,
            "canDeposit": True,
            "updateTime": self._now_ms(),
            "accountType": "SPOT",
            "balances": [
                {"asset": a, "free": f"{v:.8f}", "locked": "0.00000000"}
                for a, v in balances.items()
            ],
            "permissions": ["SPOT"],
        }

    def _klines(self, params: dict[str, str]) -> list[list[Any]]:
        if params.get("symbol") != self._candles_symbol or not self._times:
            return []
        step = INTERVAL_MS.get(params.get("interval", ""), 3_600_000)
        limit = min(int(params.get("limit", 500)), 1000)
        start = int(params.get("startTime", 0))
        end = int(params.get("endTime", 2**62))
        i = bisect.bisect_left(self._times, start)
        out: list[list[Any]] = []
        while i < len(self._times) and self._times[i] <= end and len(out) < limit:
            t, o, h, lo, c, v = self._rows[i][:6]
            out.append([int(t), o, h, lo, c, v, int(t) + step - 1, "0", 0, "0", "0", "0"])
            i += 1
        return out

    # --- HTTP --------------------------------------------------------------------------------

    # --- convenience -------------------------------------------------------------------------

    def request_count(self, endpoint: str) -> int:
        """How many requests reached `endpoint` ("POST /api/v3/order")."""
        method, path = endpoint.split(" ", 1)
        with self._fault_lock:
            return sum(1 for r in self.requests if r.method == method and r.path == path)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, fake: FakeExchange) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake


class _Handler(BaseHTTPRequestHandler):
    """One HTTP request to the fake; the exchange logic lives in `FakeExchange`."""

    server: _Server

    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without this, Nagle's algorithm and the
    # client's delayed ACK add ~40 ms to every keep-alive answer.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def _send(
        self,
        status: int,
        body: bytes,
        headers: dict[str, str] | None = None,
        length: int | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body) if length is None else length))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        try:
            self.wfile.write(body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (its timeout)

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _params(self) -> tuple[str, dict[str, str]]:
        parsed = urlparse(self.path)
        params = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            raw = self.rfile.read(length).decode()
            params.update({k: v[-1] for k, v in parse_qs(raw).items()})
        return parsed.path, params

    def _before(self, fault: Fault | None) -> bool:
        """Answer a fault that strikes before the exchange acts; True when answered."""
        if fault is None:
            return False
        if fault.kind in ("rate_limit", "ban"):
            payload = {"code": -1003, "msg": "Too many requests; IP banned."}
            self._send(
                418 if fault.kind == "ban" else 429,
                json.dumps(payload).encode(),
                {"Retry-After": str(fault.retry_after)},
            )
            return True
        if fault.kind == "error_before":
            self._send(fault.status or 503, b"Service Unavailable")
            return True
        return False

    def _after(
        self, fault: Fault | None, status: int, body: bytes, headers: dict[str, str]
    ) -> None:
        kind = fault.kind if fault is not None else None
        if kind == "drop_after":
            self._drop()
        elif fault is not None and kind == "error_after":
            self._send(fault.status or 503, b"Internal Server Error")
        elif kind == "truncate":
            self._send(status, body[: len(body) // 2], headers, length=len(body))
            self._drop()
        else:
            self._send(status, body, headers)

    def _handle(self, method: str) -> None:
        fake = self.server.fake
        path, params = self._params()
        endpoint = f"{method} {path}"
        if fake.record_requests:
            with fake._fault_lock:
                fake.requests.append(RequestRecord(time.monotonic(), method, path, params))
        fault, latency = fake._next_fault(endpoint)
        if latency > 0:
            time.sleep(latency)
        if self._before(fault):
            return
        headers: dict[str, str] = {}
        try:
            if endpoint == "POST /api/v3/order":
                fake._check_key(self.headers)
                body = fake._create(params)[1].encode()
            else:
                body = json.dumps(fake._route(method, path, params, self.headers)).encode()
            status = 200
        except _Reply as reply:
            status, headers = reply.status, reply.headers
            body = json.dumps(reply.body).encode()
        self._after(fault, status, body, headers)

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_DELETE(self) -> None:
        self._handle("DELETE")
