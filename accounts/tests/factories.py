"""Test data for the accounts app: exchanges, a fake exchange adapter, exchange accounts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from markets.core.adapter import Credentials, KeyPermissions
from markets.core.errors import UnknownExchangeError
from markets.models import Exchange

SAFE_PERMISSIONS = KeyPermissions(known=True, can_trade=True, ip_restricted=True)


def exchange_get_or_create(ccxt_id: str = "binance", **fields: Any) -> Exchange:
    exchange, _ = Exchange.objects.get_or_create(
        ccxt_id=ccxt_id, defaults={"name": ccxt_id.title(), **fields}
    )
    return exchange


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


def credentials_for(canary: Any, *, passphrase: bool = False) -> dict[str, str]:
    """Canary-carrying credentials: every value is unique and watched by the leak sweep."""
    values = {"api_key": canary("key"), "secret": canary("secret")}
    if passphrase:
        values["passphrase"] = canary("pass")
    return values


def exchange_account_make(owner: Any, canary: Any, **overrides: Any) -> Any:
    """Store an exchange account through the real service (the exchange must be faked)."""
    from accounts.services import exchange_account_create

    exchange_get_or_create(overrides.pop("exchange_id", "binance"))
    fields: dict[str, Any] = {
        "exchange_id": "binance",
        "label": f"account-{owner.pk}-{uuid.uuid4().hex[:6]}",
        "mode": "testnet",
        **credentials_for(canary),
    }
    fields.update(overrides)
    return exchange_account_create(owner=owner, **fields)
