"""Fixtures of the order tests: loopback-only sockets, a market with limits, venues."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from accounts.services import exchange_accounts
from accounts.tests.factories import FakeExchange, exchange_account_make
from markets.models import Exchange, Market
from markets.tests.conftest import _guarded_connect, _guarded_connect_ex
from trading.tests.fake_venue import FakeVenue


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch):
    """Refuse every connection outside 127.0.0.1 (and ::1) for the order tests."""
    import socket

    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)


@pytest.fixture(autouse=True)
def _order_settings(settings):
    settings.ORDERS_NOT_FOUND_GRACE_SECONDS = 0
    settings.ORDERS_CLAIM_TIMEOUT_SECONDS = 60
    settings.LIVE_TRADING_ENABLED = False


def make_market(exchange_id: str = "binance", symbol: str = "BTC/USDT", **limits: Any) -> Market:
    exchange, _ = Exchange.objects.get_or_create(
        ccxt_id=exchange_id, defaults={"name": exchange_id.title()}
    )
    base, quote = symbol.split("/")
    values = {
        "price_precision": Decimal("0.01"),
        "amount_precision": Decimal("0.00001"),
        "min_amount": Decimal("0.00001"),
        "min_notional": Decimal("5"),
        **limits,
    }
    market, _ = Market.objects.update_or_create(
        exchange=exchange, symbol=symbol, defaults={"base": base, "quote": quote, **values}
    )
    return market


@pytest.fixture
def market(db) -> Market:
    return make_market()


@pytest.fixture
def venue() -> FakeVenue:
    return FakeVenue()


@pytest.fixture
def account_factory(monkeypatch, canary, venue):
    """Make an exchange account through the real service; its adapter is `venue`'s."""
    fake = FakeExchange()

    def make(owner: Any, **overrides: Any) -> Any:
        monkeypatch.setattr(exchange_accounts, "adapter_create", fake.create)
        account = exchange_account_make(owner, canary, **overrides)
        monkeypatch.setattr(
            exchange_accounts, "adapter_create", lambda exchange_id, **kw: venue.adapter()
        )
        return account

    return make


@pytest.fixture
def account(alice, account_factory, market):
    return account_factory(alice)


@pytest.fixture(autouse=True)
def _fresh_adapters():
    """Each test builds its own adapters (tests swap the exchange behind them)."""
    from trading.orders.venues import adapter_cache_clear

    adapter_cache_clear()
    yield
    adapter_cache_clear()
