"""The order half of the ccxt adapter (`OrderAdapter`), mixed into `CcxtAdapter`.

Writes (`create_order`, `cancel_order`) go out exactly once: they pass through the shared
request budget but never through the retrier's repeat loop, and ccxt's own retry option is
forced to 0. How a failed write is reported:

* no usable answer (timeout, dropped connection, truncated or garbled body, HTTP 5xx, any
  ccxt `OperationFailed` other than a rate limit): `OrderOutcomeUnknownError`. The request
  may have reached the matching engine; only a lookup by client order id can tell.
* HTTP 429/418 or a rate-limit code (`DDoSProtection`, `RateLimitExceeded`):
  `RateLimitedError`. Binance documents 429 as "breaking a request rate limit" and 418 as an
  IP ban: the request is refused before it is processed, so nothing was placed.
* the client order id is already taken (ccxt `DuplicateOrderId`, Binance -2010 "Duplicate
  order sent.", KuCoin 126044/126033): `DuplicateOrderError`, "already placed".
* any other answer from the exchange: the mapped fatal error (`InvalidOrderError`,
  `InsufficientFundsError`, `AuthenticationError`, ...). The exchange said no.

Numbers: ccxt parses prices and amounts into floats. `VenueOrder`/`VenueTrade` take their
Decimals from the raw strings in ccxt's `info` (the exchange's own JSON) wherever the
exchange sends them, so no value passes through a float. Only when a venue's payload lacks a
field is ccxt's float used, through `Decimal(str(x))`: `str` of a float is the shortest string
that reads back to the same float, which equals the exchange's decimal string for every value
of at most 15 significant digits (all prices and amounts of these venues).

Client order ids by venue:

* Binance: `newClientOrderId` on create; `origClientOrderId` to query and cancel.
* KuCoin: `clientOid` on create; ccxt's clientOid endpoints
  (`GET /api/v1/order/client-order/{clientOid}`, `DELETE .../client-order/{clientOid}`).
* Coinbase (Advanced Trade): `client_order_id` on create. ccxt 4.5.90 has no lookup by
  client order id, so `fetch_order(client_order_id=...)` scans the market's open orders, then
  its most recent orders (`fetch_orders`, up to 100), and matches `client_order_id`; an older
  order is reported missing. Cancel by client order id looks the order up that way first.
  A Coinbase market buy is sized in the quote currency: pass `OrderRequest.price` as the
  reference price (ccxt computes cost = amount * price); without it the order is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from ccxt.base import errors as ccxt_errors

from markets.core import errors
from markets.core.orders import (
    OrderRequest,
    OrderSide,
    OrderType,
    VenueOrder,
    VenueOrderStatus,
    VenueTrade,
    check_client_order_id,
)
from markets.core.redaction import redact_text

if TYPE_CHECKING:
    from markets.core.ccxt_adapter import ExchangeQuirks
    from markets.core.retry import Retrier

# Exchange codes/messages that mean "this client order id is taken", which ccxt 4.5.90 maps to
# the generic InvalidOrder. Matched in the error text ccxt raises (it carries the raw body).
DUPLICATE_MARKERS: dict[str, tuple[str, ...]] = {
    "binance": ("Duplicate order sent.",),
    "kucoin": ('"126044"', '"126033"', "clientOid duplicate", "Duplicate order"),
    "coinbase": ("DUPLICATE_CLIENT_ORDER_ID", "duplicate client order id"),
}

# Raw `info` keys of an order that hold exact decimal strings, per venue.
_ORDER_RAW: dict[str, dict[str, str]] = {
    "binance": {
        "amount": "origQty",
        "filled": "executedQty",
        "cost": "cummulativeQuoteQty",
        "price": "price",
    },
    "kucoin": {
        "amount": "size",
        "filled": "dealSize",
        "cost": "dealFunds",
        "price": "price",
        "fee": "fee",
        "fee_currency": "feeCurrency",
    },
    "coinbase": {
        "filled": "filled_size",
        "average": "average_filled_price",
        "fee": "total_fees",
    },
}
_TRADE_RAW: dict[str, dict[str, str]] = {
    "binance": {
        "amount": "qty",
        "price": "price",
        "fee": "commission",
        "fee_currency": "commissionAsset",
    },
    "kucoin": {"amount": "size", "price": "price", "fee": "fee", "fee_currency": "feeCurrency"},
    "coinbase": {"amount": "size", "price": "price", "fee": "commission"},
}
_STATUSES: dict[str, VenueOrderStatus] = {
    "open": "open",
    "closed": "closed",
    "canceled": "canceled",
    "cancelled": "canceled",
    "expired": "expired",
    "rejected": "rejected",
}
_COINBASE_SCAN_LIMIT = 100


def to_decimal(value: Any) -> Decimal | None:
    """An exact Decimal from an exchange string, or from a ccxt float via its shortest repr."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return None
    try:
        result = Decimal(value) if isinstance(value, str | int) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return result if result.is_finite() else None


def _raw(info: Any, keys: dict[str, str], name: str) -> Decimal | None:
    if not isinstance(info, dict) or name not in keys:
        return None
    return to_decimal(info.get(keys[name]))


def _coinbase_configuration(info: Any) -> tuple[Decimal | None, Decimal | None]:
    """(base size, limit price) from a Coinbase order's `order_configuration`."""
    config = info.get("order_configuration") if isinstance(info, dict) else None
    if not isinstance(config, dict):
        return None, None
    for body in config.values():
        if isinstance(body, dict):
            return to_decimal(body.get("base_size")), to_decimal(body.get("limit_price"))
    return None, None


def _side(value: Any) -> OrderSide:
    text = str(value or "").lower()
    if text not in ("buy", "sell"):
        raise errors.NetworkError(f"order with side {value!r} in the exchange's answer")
    return "buy" if text == "buy" else "sell"


def _type(value: Any) -> OrderType:
    return "market" if "market" in str(value or "").lower() else "limit"


def _info(structure: dict[str, Any]) -> dict[str, Any]:
    info = structure.get("info")
    return info if isinstance(info, dict) else {}


def _first(*values: Decimal | None) -> Decimal | None:
    return next((v for v in values if v is not None), None)


def _fees(exchange_id: str, order: dict[str, Any]) -> tuple[Decimal, str | None]:
    info = _info(order)
    keys = _ORDER_RAW.get(exchange_id, {})
    raw_fee = _raw(info, keys, "fee")
    if raw_fee is not None:
        currency = info.get(keys["fee_currency"]) if "fee_currency" in keys else None
        if currency is None and exchange_id == "coinbase":
            currency = _quote(order.get("symbol"))
        return raw_fee, currency if isinstance(currency, str) and currency else None
    fills = info.get("fills")
    if isinstance(fills, list) and fills:  # Binance FULL response
        total = Decimal(0)
        assets: set[str] = set()
        for fill in fills:
            total += to_decimal(fill.get("commission")) or Decimal(0)
            if fill.get("commissionAsset"):
                assets.add(str(fill["commissionAsset"]))
        return total, (assets.pop() if len(assets) == 1 else None)
    total = Decimal(0)
    currency = None
    for fee in order.get("fees") or ([order["fee"]] if order.get("fee") else []):
        if isinstance(fee, dict):
            total += to_decimal(fee.get("cost")) or Decimal(0)
            currency = fee.get("currency") or currency
    return total, currency


def _quote(symbol: Any) -> str | None:
    if isinstance(symbol, str) and "/" in symbol:
        return symbol.split("/", 1)[1].split(":", 1)[0]
    return None


def venue_order_from_ccxt(exchange_id: str, order: dict[str, Any]) -> VenueOrder:
    """Map a ccxt order structure to a `VenueOrder`, taking numbers from the raw payload."""
    info = _info(order)
    keys = _ORDER_RAW.get(exchange_id, {})
    amount = _raw(info, keys, "amount")
    price = _raw(info, keys, "price")
    if exchange_id == "coinbase":
        amount, price = _coinbase_configuration(info)
    amount = _first(amount, to_decimal(order.get("amount")))
    filled = _first(_raw(info, keys, "filled"), to_decimal(order.get("filled"))) or Decimal(0)
    average = _raw(info, keys, "average")
    cost = _raw(info, keys, "cost")
    if average is None and cost is not None and filled > 0:
        average = cost / filled
    if average is None:
        average = to_decimal(order.get("average"))
    if price is None and order.get("type") != "market":
        price = to_decimal(order.get("price"))
    if price is not None and price == 0:
        price = None  # Binance and KuCoin report market orders with price "0"
    if average is not None and average == 0:
        average = None
    fee_cost, fee_currency = _fees(exchange_id, order)
    status = _STATUSES.get(str(order.get("status") or "open").lower())
    if status is None:
        raise errors.NetworkError(
            f"{exchange_id}: order status {order.get('status')!r} is not understood",
            exchange=exchange_id,
        )
    exchange_order_id = order.get("id")
    if exchange_order_id is None or amount is None:
        raise errors.NetworkError(
            f"{exchange_id}: the order in the answer lacks its id or amount", exchange=exchange_id
        )
    timestamp = order.get("timestamp")
    return VenueOrder(
        exchange_order_id=str(exchange_order_id),
        client_order_id=order.get("clientOrderId"),
        symbol=str(order.get("symbol")),
        side=_side(order.get("side")),
        type=_type(order.get("type")),
        status=status,
        amount=amount,
        filled=filled,
        average_price=average,
        price=price,
        fee_cost=fee_cost,
        fee_currency=fee_currency,
        timestamp_ms=int(timestamp) if timestamp is not None else None,
    )


def venue_trade_from_ccxt(exchange_id: str, trade: dict[str, Any]) -> VenueTrade:
    """Map a ccxt trade structure to a `VenueTrade`, taking numbers from the raw payload."""
    info = _info(trade)
    keys = _TRADE_RAW.get(exchange_id, {})
    amount = _first(_raw(info, keys, "amount"), to_decimal(trade.get("amount")))
    price = _first(_raw(info, keys, "price"), to_decimal(trade.get("price")))
    fee = _raw(info, keys, "fee")
    fee_currency: Any = None
    if fee is not None and "fee_currency" in keys:
        fee_currency = info.get(keys["fee_currency"])
    raw_fee = trade.get("fee")
    ccxt_fee: dict[str, Any] = raw_fee if isinstance(raw_fee, dict) else {}
    if fee is None:
        fee = to_decimal(ccxt_fee.get("cost")) or Decimal(0)
    fee_currency = fee_currency or ccxt_fee.get("currency")
    if amount is None or price is None or trade.get("id") is None:
        raise errors.NetworkError(
            f"{exchange_id}: a trade in the answer lacks its id, amount or price",
            exchange=exchange_id,
        )
    maker = trade.get("takerOrMaker")
    return VenueTrade(
        trade_id=str(trade["id"]),
        exchange_order_id=str(trade.get("order") or ""),
        symbol=str(trade.get("symbol")),
        side=_side(trade.get("side")),
        amount=amount,
        price=price,
        fee_cost=fee,
        fee_currency=str(fee_currency) if fee_currency else None,
        timestamp_ms=int(trade.get("timestamp") or 0),
        is_maker=None if maker is None else maker == "maker",
    )


def is_duplicate_client_id_error(exchange_id: str, e: Exception) -> bool:
    """True when the exchange refused the order because its client order id is taken."""
    if isinstance(e, ccxt_errors.DuplicateOrderId):
        return True
    if not isinstance(e, ccxt_errors.InvalidOrder):
        return False
    text = str(e)
    return any(marker in text for marker in DUPLICATE_MARKERS.get(exchange_id, ()))


class CcxtOrderMethods:
    """`OrderAdapter` for a ccxt exchange; `CcxtAdapter` provides the plumbing it uses."""

    exchange_id: str
    quirks: ExchangeQuirks
    client: Any
    retrier: Retrier

    if TYPE_CHECKING:

        def _call(self, fn: Callable[[], Any], *, retry: bool = True) -> Any: ...

        def _ensure_markets(self) -> None: ...

        def _translate(self, e: Exception) -> errors.ExchangeError: ...

    # --- writes: exactly once --------------------------------------------------------------

    def _translate_write(self, e: Exception, action: str) -> errors.ExchangeError:
        if is_duplicate_client_id_error(self.exchange_id, e):
            return errors.DuplicateOrderError(
                redact_text(f"{self.exchange_id}: the client order id is already in use: {e}")[
                    :500
                ],
                exchange=self.exchange_id,
            )
        if isinstance(e, ccxt_errors.DDoSProtection | ccxt_errors.RateLimitExceeded):
            return self._translate(e)  # RateLimitedError with Retry-After: refused, not placed
        if isinstance(e, ccxt_errors.OperationFailed):
            return errors.OrderOutcomeUnknownError(
                redact_text(
                    f"{self.exchange_id}: no usable answer to {action} ({type(e).__name__}): {e}"
                )[:500],
                exchange=self.exchange_id,
            )
        return self._translate(e)

    def _write(self, fn: Callable[[], Any], action: str) -> Any:
        def attempt() -> Any:
            self.client.last_response_headers = None
            try:
                return fn()
            except ccxt_errors.BaseError as e:
                raise self._translate_write(e, action) from e
            except (ValueError, TypeError, KeyError, IndexError, AttributeError) as e:
                # ccxt could not read the answer (a truncated or garbled body): it was sent.
                raise errors.OrderOutcomeUnknownError(
                    f"{self.exchange_id}: unusable answer to {action} ({type(e).__name__})",
                    exchange=self.exchange_id,
                ) from e

        return self.retrier.call(attempt, retry=False)

    def _check_client_id(self, value: str) -> str:
        try:
            return check_client_order_id(self.exchange_id, value)
        except ValueError as e:
            raise errors.BadRequestError(
                str(e), exchange=self.exchange_id, field="client_order_id"
            ) from None

    def _check_symbol(self, symbol: str) -> None:
        self._ensure_markets()
        if symbol not in self.client.markets:
            raise errors.BadSymbolError(
                f"{self.exchange_id} lists no market {symbol!r}",
                exchange=self.exchange_id,
                field="symbol",
            )

    def create_order(self, request: OrderRequest) -> VenueOrder:
        """Send the order once; see the module docstring for what each failure means."""
        self._check_client_id(request.client_order_id)
        self._check_symbol(request.symbol)
        if request.type == "limit" and request.price is None:
            raise errors.InvalidOrderError(
                "a limit order needs a price", exchange=self.exchange_id, field="price"
            )
        params: dict[str, Any] = {self.quirks.client_order_id_param: request.client_order_id}
        price = float(request.price) if request.price is not None else None
        if self.exchange_id == "coinbase" and request.type == "market":
            price = None
            if request.side == "buy":
                if request.price is None:
                    raise errors.InvalidOrderError(
                        "a coinbase market buy needs a reference price to size its cost",
                        exchange=self.exchange_id,
                        field="price",
                    )
                params["cost"] = float(request.amount * request.price)
        raw = self._write(
            lambda: self.client.create_order(
                request.symbol, request.type, request.side, float(request.amount), price, params
            ),
            "create_order",
        )
        try:
            order = venue_order_from_ccxt(self.exchange_id, raw)
        except errors.ExchangeError as e:
            # The exchange accepted something but the answer cannot be read: outcome unknown.
            raise errors.OrderOutcomeUnknownError(e.message, exchange=self.exchange_id) from e
        if order.client_order_id is None:
            order = _with_client_id(order, request.client_order_id)
        return order

    def cancel_order(
        self,
        symbol: str,
        *,
        exchange_order_id: str | None = None,
        client_order_id: str | None = None,
    ) -> VenueOrder:
        """Cancel once; an unanswered cancel raises OrderOutcomeUnknownError."""
        self._check_symbol(symbol)
        order_id, params = self._order_ref(symbol, exchange_order_id, client_order_id)
        raw = self._write(
            lambda: self.client.cancel_order(order_id, symbol, params), "cancel_order"
        )
        try:
            return venue_order_from_ccxt(self.exchange_id, raw)
        except errors.ExchangeError:
            # KuCoin and Coinbase answer a cancel with ids only: read the order back.
            return self.fetch_order(
                symbol,
                exchange_order_id=str(raw.get("id") or order_id or "") or None,
                client_order_id=client_order_id,
            )

    def _order_ref(
        self, symbol: str, exchange_order_id: str | None, client_order_id: str | None
    ) -> tuple[str | None, dict[str, Any]]:
        if exchange_order_id is not None:
            return exchange_order_id, {}
        if client_order_id is None:
            raise errors.BadRequestError(
                "give an exchange order id or a client order id", exchange=self.exchange_id
            )
        self._check_client_id(client_order_id)
        if self.exchange_id == "binance":
            return None, {"origClientOrderId": client_order_id}
        if self.exchange_id == "kucoin":
            return None, {"clientOid": client_order_id}
        found = self._coinbase_find(symbol, client_order_id)
        return found.exchange_order_id, {}

    # --- reads: retried like every read ----------------------------------------------------

    def fetch_order(
        self,
        symbol: str,
        *,
        exchange_order_id: str | None = None,
        client_order_id: str | None = None,
    ) -> VenueOrder:
        """Look an order up by either id; raise OrderNotFoundError when the venue has none."""
        self._check_symbol(symbol)
        if (
            exchange_order_id is None
            and client_order_id is not None
            and self.exchange_id == "coinbase"
        ):
            self._check_client_id(client_order_id)
            return self._coinbase_find(symbol, client_order_id)
        order_id, params = self._order_ref(symbol, exchange_order_id, client_order_id)
        raw = self._call(lambda: self.client.fetch_order(order_id, symbol, params))
        return venue_order_from_ccxt(self.exchange_id, raw)

    def _coinbase_find(self, symbol: str, client_order_id: str) -> VenueOrder:
        for fetch in (
            lambda: self.client.fetch_open_orders(symbol),
            lambda: self.client.fetch_orders(symbol, None, _COINBASE_SCAN_LIMIT),
        ):
            for raw in self._call(fetch):
                if raw.get("clientOrderId") == client_order_id:
                    return venue_order_from_ccxt(self.exchange_id, raw)
        raise errors.OrderNotFoundError(
            f"{self.exchange_id} has no recent order with client order id {client_order_id!r}",
            exchange=self.exchange_id,
        )

    def fetch_open_orders(self, symbol: str | None = None) -> list[VenueOrder]:
        """Return the account's open orders (on one market, or all)."""
        if symbol is not None:
            self._check_symbol(symbol)
        else:
            self._ensure_markets()
        raws = self._call(lambda: self.client.fetch_open_orders(symbol))
        return [venue_order_from_ccxt(self.exchange_id, raw) for raw in raws]

    def fetch_orders(
        self, symbol: str, *, since_ms: int | None = None, limit: int | None = None
    ) -> list[VenueOrder]:
        """Return the account's orders on a market from `since_ms` (Binance `allOrders`,
        KuCoin's and Coinbase's order lists through ccxt), oldest first."""
        self._check_symbol(symbol)
        raws = self._call(lambda: self.client.fetch_orders(symbol, since_ms, limit))
        orders = [venue_order_from_ccxt(self.exchange_id, raw) for raw in raws]
        return sorted(orders, key=lambda o: (o.timestamp_ms or 0, o.exchange_order_id))

    def fetch_my_trades(
        self, symbol: str, *, since_ms: int | None = None, limit: int | None = None
    ) -> list[VenueTrade]:
        """Return the account's fills on a market, oldest first."""
        self._check_symbol(symbol)
        raws = self._call(lambda: self.client.fetch_my_trades(symbol, since_ms, limit))
        trades = [venue_trade_from_ccxt(self.exchange_id, raw) for raw in raws]
        return sorted(trades, key=lambda t: (t.timestamp_ms, t.trade_id))


def _with_client_id(order: VenueOrder, client_order_id: str) -> VenueOrder:
    return replace(order, client_order_id=client_order_id)
