"""Test data for the accounts app: users, a fake exchange adapter, exchange accounts.

Exchanges and markets come from `markets.tests.factories`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import factory

from accounts.models import ExchangeAccount, User
from markets.core.adapter import Credentials, KeyPermissions
from markets.core.errors import UnknownExchangeError
from markets.tests.factories import ExchangeFactory

SAFE_PERMISSIONS = KeyPermissions(known=True, can_trade=True, ip_restricted=True)
PASSWORD = "correct-horse-battery-staple"

Canary = Callable[[str], str]


class UserFactory(factory.django.DjangoModelFactory[User]):
    """An active user whose password is PASSWORD (hashed as the real service hashes it)."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password(PASSWORD)
    is_staff = False
    is_superuser = False


@dataclass
class FakeAdapter:
    exchange: FakeExchange
    exchange_id: str
    credentials: Credentials | None
    is_demo: bool = False
    closed: bool = False

    def fetch_key_permissions(self) -> KeyPermissions:
        self.exchange.calls.append(("fetch_key_permissions", self.exchange_id))
        if self.exchange.error is not None:
            raise self.exchange.error
        return self.exchange.permissions

    def fetch_balance(self) -> dict[str, Decimal]:
        self.exchange.calls.append(("fetch_balance", self.exchange_id))
        if self.exchange.error is not None:
            raise self.exchange.error
        return {"USDT": Decimal("100")}

    def load_markets(self) -> list[Any]:
        return []

    def fetch_ohlcv(self, symbol: str, timeframe: str, **kw: Any) -> list[Any]:
        return []

    def close(self) -> None:
        self.closed = True


@dataclass
class FakeExchange:
    """Stands in for `markets.core.factory.create_adapter`; answers what a test sets."""

    permissions: KeyPermissions = SAFE_PERMISSIONS
    error: Exception | None = None
    known_ids: tuple[str, ...] = ("binance", "kucoin", "coinbase")
    created: list[dict[str, Any]] = field(default_factory=list)
    calls: list[tuple[str, str]] = field(default_factory=list)

    def create(
        self,
        exchange_id: str,
        *,
        credentials: Credentials | None = None,
        base_url: str | None = None,
        sandbox: bool = False,
    ) -> FakeAdapter:
        if exchange_id not in self.known_ids:
            raise UnknownExchangeError(f"no adapter for {exchange_id}", exchange=exchange_id)
        self.created.append(
            {
                "exchange_id": exchange_id,
                "credentials": credentials,
                "base_url": base_url,
                "sandbox": sandbox,
            }
        )
        return FakeAdapter(self, exchange_id, credentials)


def credentials_for(canary: Canary, *, passphrase: bool = False) -> dict[str, str]:
    """Canary-carrying credentials: every value is unique and watched by the leak sweep."""
    values = {"api_key": canary("key"), "secret": canary("secret")}
    if passphrase:
        values["passphrase"] = canary("pass")
    return values


def exchange_account_make(owner: User, canary: Canary, **overrides: Any) -> ExchangeAccount:
    """Store an exchange account through the real service (the exchange must be faked)."""
    from accounts.services import exchange_account_create

    ExchangeFactory(ccxt_id=overrides.get("exchange_id", "binance"))
    fields: dict[str, Any] = {
        "exchange_id": "binance",
        "label": f"account-{owner.pk}-{uuid.uuid4().hex[:6]}",
        "mode": "testnet",
        **credentials_for(canary),
    }
    fields.update(overrides)
    return exchange_account_create(owner=owner, **fields)
