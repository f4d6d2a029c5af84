from __future__ import annotations

import pytest

from accounts.services import exchange_accounts
from accounts.tests.factories import FakeExchange, exchange_get_or_create


@pytest.fixture
def fake_exchange(monkeypatch) -> FakeExchange:
    """Replace the markets adapter factory with a fake exchange for this test."""
    fake = FakeExchange()
    monkeypatch.setattr(exchange_accounts, "adapter_create", fake.create)
    return fake


@pytest.fixture
def binance(db):
    return exchange_get_or_create("binance")


@pytest.fixture
def creds(canary) -> dict[str, str]:
    return {"api_key": canary("key"), "secret": canary("secret")}
