"""`manage.py adapter_smoke`: check one exchange end to end with a real, harmless order.

Steps, each printed as it runs; the first failure stops the run with a non-zero exit:
load markets, fetch candles, check the key's scope, place a tiny limit buy far below the price,
find it by its client order id, cancel it, confirm it is gone. An order left open by a failed
step is canceled on the way out (best effort, reported).

It places an order, so it runs only against a testnet (`--testnet`) or a local fake exchange
(`--base-url http://127.0.0.1:...`), never a live account. Keys come from the environment
(`QT_SMOKE_API_KEY`, `QT_SMOKE_SECRET`, `QT_SMOKE_PASSPHRASE`), never from the command line.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from markets.core.adapter import Credentials, MarketInfo
from markets.core.ccxt_adapter import CcxtAdapter
from markets.core.errors import OrderNotFoundError, QuantumTraderError
from markets.core.factory import create_order_adapter
from markets.core.orders import OrderRequest, VenueOrder, check_client_order_id
from markets.core.redaction import redact_text

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
OPEN = {"open"}


class SmokeFailedError(QuantumTraderError):
    """One step failed; its message says why."""

    code = "smoke_failed"


def _round(value: Decimal, step: Decimal | None, rounding: str) -> Decimal:
    if not step:
        return value
    return (value / step).to_integral_value(rounding=rounding) * step


class Command(BaseCommand):
    help = "Check an exchange adapter end to end on a testnet or a local fake exchange."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--exchange", required=True, help="ccxt id: binance, coinbase, kucoin")
        parser.add_argument("--symbol", default="BTC/USDT", help="market to use (BTC/USDT)")
        parser.add_argument("--testnet", action="store_true", help="use the exchange's testnet")
        parser.add_argument(
            "--base-url", default="", help="a local fake exchange instead (http://127.0.0.1:...)"
        )
        parser.add_argument(
            "--distance",
            type=Decimal,
            default=Decimal("0.5"),
            help="limit price as a fraction of the last close (0.5: half the price)",
        )
        parser.add_argument(
            "--gone-timeout", type=float, default=10.0, help="seconds to wait for the cancel"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        exchange, symbol = options["exchange"], options["symbol"]
        base_url = options["base_url"] or settings.EXCHANGE_BASE_URLS.get(exchange) or ""
        if not options["testnet"] and urlsplit(base_url).hostname not in LOCAL_HOSTS:
            raise CommandError(
                "adapter_smoke places an order: use --testnet, or --base-url of a local fake "
                "exchange (127.0.0.1); it never runs against a live account",
                returncode=2,
            )
        if not 0 < options["distance"] < 1:
            raise CommandError("--distance must be between 0 and 1", returncode=2)
        key, secret = os.environ.get("QT_SMOKE_API_KEY"), os.environ.get("QT_SMOKE_SECRET")
        if not key or not secret:
            raise CommandError(
                "set QT_SMOKE_API_KEY and QT_SMOKE_SECRET (and QT_SMOKE_PASSPHRASE where the "
                "exchange has one) to the testnet key",
                returncode=2,
            )
        credentials = Credentials(key, secret, os.environ.get("QT_SMOKE_PASSPHRASE") or None)
        adapter = create_order_adapter(
            exchange, credentials=credentials, base_url=base_url or None, sandbox=options["testnet"]
        )
        if not isinstance(adapter, CcxtAdapter):
            raise CommandError(f"{exchange} has no exchange adapter to check", returncode=2)
        where = "testnet" if options["testnet"] else base_url
        self.stdout.write(f"adapter_smoke: {exchange} {symbol} on {where}")
        self.run_steps(adapter, symbol, options)

    def step(self, number: int, name: str, action: Callable[[], str]) -> None:
        self.stdout.write(f"[{number}/7] {name} ... ", ending="")
        self.stdout.flush()
        try:
            detail = action()
        except Exception as e:
            self.stdout.write("FAILED")
            message = redact_text(f"{type(e).__name__}: {e}")[:500]
            raise SmokeFailedError(f"step {number} ({name}) failed: {message}") from e
        self.stdout.write(f"ok: {detail}")

    def run_steps(self, adapter: CcxtAdapter, symbol: str, options: dict[str, Any]) -> None:
        smoke = Smoke(adapter, symbol, distance=options["distance"], wait=options["gone_timeout"])
        steps = [
            ("load markets", smoke.load),
            ("fetch candles", smoke.candles),
            ("check key scope", smoke.scope),
            ("place a far limit order", smoke.place),
            ("find it by client order id", smoke.find),
            ("cancel it", smoke.cancel),
            ("confirm it is gone", smoke.gone),
        ]
        try:
            for number, (name, action) in enumerate(steps, start=1):
                self.step(number, name, action)
        except SmokeFailedError as e:
            if smoke.placed is not None and not smoke.canceled:
                self._clean_up(adapter, symbol, smoke.placed)
            raise CommandError(str(e), returncode=1) from e
        finally:
            adapter.close()
        self.stdout.write("adapter_smoke: all 7 steps passed")

    def _clean_up(self, adapter: CcxtAdapter, symbol: str, placed: VenueOrder) -> None:
        try:
            adapter.cancel_order(symbol, exchange_order_id=placed.exchange_order_id)
            self.stdout.write(f"clean-up: canceled order {placed.exchange_order_id}")
        except Exception as e:
            message = redact_text(f"{type(e).__name__}: {e}")[:300]
            self.stdout.write(
                f"clean-up: could not cancel order {placed.exchange_order_id} ({message}); "
                "cancel it on the exchange"
            )


def _fetch_or_none(adapter: CcxtAdapter, symbol: str, client_order_id: str) -> VenueOrder | None:
    try:
        return adapter.fetch_order(symbol, client_order_id=client_order_id)
    except OrderNotFoundError:
        return None


class Smoke:
    """The seven steps, sharing what earlier steps learned."""

    def __init__(self, adapter: CcxtAdapter, symbol: str, *, distance: Decimal, wait: float):
        self.adapter, self.symbol, self.distance, self.wait = adapter, symbol, distance, wait
        # "smoke-", not the project's "qt-": the reconciler never adopts it as one of ours.
        self.client_order_id = check_client_order_id(
            adapter.exchange_id, f"smoke-{secrets.token_hex(8)}"
        )
        self.market: MarketInfo | None = None
        self.close = Decimal(0)
        self.placed: VenueOrder | None = None
        self.canceled = False

    def load(self) -> str:
        markets = {m.symbol: m for m in self.adapter.load_markets()}
        if self.symbol not in markets:
            raise SmokeFailedError(f"{self.symbol} is not listed ({len(markets)} markets)")
        self.market = markets[self.symbol]
        return f"{len(markets)} markets, {self.symbol} listed"

    def candles(self) -> str:
        rows = self.adapter.fetch_ohlcv(self.symbol, "1m", since_ms=None, limit=5)
        if not rows:
            raise SmokeFailedError("no candles returned")
        self.close = Decimal(str(rows[-1].close))
        return f"{len(rows)} candles, last close {self.close}"

    def scope(self) -> str:
        permissions = self.adapter.fetch_key_permissions()
        if not permissions.known:
            return f"not reported ({permissions.detail}); the order below proves trading"
        if permissions.can_withdraw or permissions.can_transfer:
            raise SmokeFailedError("the key may withdraw or transfer: make a trade-only key")
        if not permissions.can_trade:
            raise SmokeFailedError("the key may not trade")
        return "read and trade, no withdrawals or transfers"

    def place(self) -> str:
        assert self.market is not None  # noqa: S101 - step 1 passed
        price = _round(self.close * self.distance, self.market.price_precision, ROUND_FLOOR)
        if price <= 0:
            raise SmokeFailedError(f"no usable limit price from the last close {self.close}")
        notional = (self.market.min_notional or Decimal(0)) * Decimal("1.2")
        amount = max(self.market.min_amount or Decimal(0), notional / price)
        amount = _round(amount, self.market.amount_precision, ROUND_CEILING)
        self.placed = self.adapter.create_order(
            OrderRequest(
                symbol=self.symbol,
                side="buy",
                type="limit",
                amount=amount,
                price=price,
                client_order_id=self.client_order_id,
            )
        )
        return (
            f"buy {amount} at {price}, id {self.placed.exchange_order_id} ({self.client_order_id})"
        )

    def find(self) -> str:
        assert self.placed is not None  # noqa: S101 - step 4 passed
        found = self.adapter.fetch_order(self.symbol, client_order_id=self.client_order_id)
        if found.exchange_order_id != self.placed.exchange_order_id:
            raise SmokeFailedError(f"found order {found.exchange_order_id}, not the placed one")
        if found.status not in OPEN:
            raise SmokeFailedError(f"the order is {found.status}, expected it open")
        return f"{found.status}, {found.amount} at {found.price}"

    def cancel(self) -> str:
        assert self.placed is not None  # noqa: S101 - step 4 passed
        canceled = self.adapter.cancel_order(
            self.symbol, exchange_order_id=self.placed.exchange_order_id
        )
        self.canceled = True
        return canceled.status

    def gone(self) -> str:
        deadline = time.monotonic() + self.wait
        while True:
            still_open = [
                o
                for o in self.adapter.fetch_open_orders(self.symbol)
                if o.client_order_id == self.client_order_id
            ]
            final = _fetch_or_none(self.adapter, self.symbol, self.client_order_id)
            if not still_open and (final is None or final.status not in OPEN):
                return f"not among open orders; the venue says {final.status if final else 'none'}"
            if time.monotonic() > deadline:
                raise SmokeFailedError("the order is still open after the cancel")
            time.sleep(0.5)
