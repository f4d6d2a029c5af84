"""Fixtures of the bot tests: a market with recent candles, paper and fake-exchange accounts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from accounts.services import exchange_accounts
from accounts.tests.factories import FakeExchange as FakeKeyCheck
from accounts.tests.factories import exchange_account_make
from markets.core.adapter import Credentials
from markets.core.ccxt_adapter import CcxtAdapter
from markets.core.retry import MemoryRateBudget, RetryPolicy
from markets.models import Candle, Exchange, Market
from markets.testing.fake_exchange import MIN_NOTIONAL, STEP, TICK, FakeExchange
from markets.tests.conftest import _guarded_connect, _guarded_connect_ex

HOUR = timedelta(hours=1)


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)


@pytest.fixture(autouse=True)
def _no_queue(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, tuple[Any, ...]]]:
    """Record task starts instead of queueing them; tests run the work themselves."""
    from trading import tasks

    queued: list[tuple[str, tuple[Any, ...]]] = []
    for name in (
        "order_submit_task",
        "order_cancel_task",
        "bots_tick_due_task",
        "bot_fills_book_task",
    ):
        task = getattr(tasks, name)
        monkeypatch.setattr(task, "delay", lambda *a, _n=name: queued.append((_n, a)))
    return queued


@pytest.fixture(autouse=True)
def _bot_settings(settings: Any) -> None:
    settings.LIVE_TRADING_ENABLED = False
    settings.ORDERS_NOT_FOUND_GRACE_SECONDS = 0


def newest_closed_open(now: datetime | None = None) -> datetime:
    now = now or datetime.now(UTC)
    return now.replace(minute=0, second=0, microsecond=0) - HOUR


def make_market(exchange_id: str = "binance", symbol: str = "BTC/USDT") -> Market:
    exchange, _ = Exchange.objects.get_or_create(
        ccxt_id=exchange_id, defaults={"name": exchange_id.title()}
    )
    base, quote = symbol.split("/")
    market, _ = Market.objects.update_or_create(
        exchange=exchange,
        symbol=symbol,
        defaults={
            "base": base,
            "quote": quote,
            "enabled": True,
            "listing_verified": True,
            "timeframes": ["1h"],
            "price_precision": TICK,
            "amount_precision": STEP,
            "min_amount": STEP,
            "min_notional": Decimal(MIN_NOTIONAL),
        },
    )
    return market


def add_candles(market: Market, closes: list[float], *, last_open: datetime) -> list[datetime]:
    """Store hourly candles with these closes, the last one opening at `last_open`."""
    times = [last_open - HOUR * (len(closes) - 1 - i) for i in range(len(closes))]
    rows = []
    for i, (at, close) in enumerate(zip(times, closes, strict=True)):
        open_ = closes[i - 1] if i else close
        rows.append(
            Candle(
                market=market,
                timeframe="1h",
                open_time=at,
                open=open_,
                high=max(open_, close) * 1.001,
                low=min(open_, close) * 0.999,
                close=close,
                volume=1.0,
            )
        )
    Candle.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["market", "timeframe", "open_time"],
        update_fields=["open", "high", "low", "close"],
    )
    return times


def rising(n: int = 60, start: float = 30000.0) -> list[float]:
    return [start * (1 + 0.001 * i) for i in range(n)]


@pytest.fixture
def market(db: Any) -> Market:
    return make_market()


@pytest.fixture
def fake() -> Iterator[FakeExchange]:
    with FakeExchange(prices={"BTCUSDT": "30000", "ETHUSDT": "2000"}) as exchange:
        yield exchange


def _adapter_create_for(fake: FakeExchange) -> Any:
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
            policy=RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.05),
            budget=MemoryRateBudget(default_rate=1_000_000, burst=1_000_000),
            timeout_ms=5_000,
        )

    return create


@pytest.fixture
def fake_account_factory(monkeypatch: pytest.MonkeyPatch, canary: Any, fake: FakeExchange) -> Any:
    """Make an exchange account through the real service; its orders go to `fake` via ccxt."""
    checker = FakeKeyCheck()

    def make(owner: Any, **overrides: Any) -> Any:
        monkeypatch.setattr(exchange_accounts, "adapter_create", checker.create)
        account = exchange_account_make(owner, canary, **overrides)
        monkeypatch.setattr(exchange_accounts, "adapter_create", _adapter_create_for(fake))
        return account

    return make
