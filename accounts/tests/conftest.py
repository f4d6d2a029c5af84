from __future__ import annotations

import pytest

from accounts.services import exchange_accounts
from accounts.tests.factories import FakeExchange
from markets.tests.factories import ExchangeFactory


@pytest.fixture
def fake_exchange(monkeypatch) -> FakeExchange:
    """Replace the markets adapter factory with a fake exchange for this test."""
    fake = FakeExchange()
    monkeypatch.setattr(exchange_accounts, "adapter_create", fake.create)
    return fake


@pytest.fixture
def binance(db):
    return ExchangeFactory(ccxt_id="binance")


@pytest.fixture
def creds(canary) -> dict[str, str]:
    return {"api_key": canary("key"), "secret": canary("secret")}
