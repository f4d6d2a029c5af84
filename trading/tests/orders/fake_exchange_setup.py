"""Wire the engine to the fake Binance (markets.testing.fake_exchange) through real ccxt.

Orders go through the real path: the exchange account's key is decrypted by `accounts`, the
adapter is markets' CcxtAdapter pointed at the fake on 127.0.0.1. Only the rate budget and
the read retrier's delays are shortened, so a storm of orders runs in seconds.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from markets.core.adapter import Credentials
from markets.core.ccxt_adapter import CcxtAdapter
from markets.core.retry import MemoryRateBudget, RetryPolicy
from markets.models import Exchange, Market
from markets.testing.fake_exchange import MIN_NOTIONAL, STEP, TICK, FakeExchange

SYMBOLS = {"BTC/USDT": ("BTC", "USDT"), "ETH/USDT": ("ETH", "USDT")}


def adapter_create_for(fake: FakeExchange) -> Any:
    """An `accounts.services.exchange_accounts.adapter_create` that builds ccxt adapters."""

    def create(
        exchange_id: str,
        *,
        credentials: Credentials | None = None,
        base_url: str | None = None,
        sandbox: bool = False,
    ) -> CcxtAdapter:
        return CcxtAdapter(
            exchange_id,
            credentials=credentials,
            base_url=fake.url,
            policy=RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05),
            budget=MemoryRateBudget(default_rate=1_000_000, burst=1_000_000),
            timeout_ms=5_000,
        )

    return create


def fake_markets(exchange_id: str = "binance") -> dict[str, Market]:
    """The fake's markets as rows, with its limits (tick, step, minimum notional)."""
    exchange, _ = Exchange.objects.get_or_create(
        ccxt_id=exchange_id, defaults={"name": exchange_id.title()}
    )
    markets = {}
    for symbol, (base, quote) in SYMBOLS.items():
        markets[symbol], _ = Market.objects.update_or_create(
            exchange=exchange,
            symbol=symbol,
            defaults={
                "base": base,
                "quote": quote,
                "price_precision": TICK,
                "amount_precision": STEP,
                "min_amount": STEP,
                "min_notional": Decimal(MIN_NOTIONAL),
            },
        )
    return markets
