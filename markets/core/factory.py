"""Build the adapter for an exchange id. `accounts` calls this after decrypting keys."""

from __future__ import annotations

from collections.abc import Callable

from markets.core.adapter import Credentials, ExchangeAdapter
from markets.core.ccxt_adapter import QUIRKS, CcxtAdapter
from markets.core.demo import DemoAdapter
from markets.core.errors import UnknownExchangeError
from markets.core.retry import MemoryRateBudget, RateBudget, RetryPolicy

EXCHANGE_IDS = ("demo", *sorted(QUIRKS))

_memory_budget = MemoryRateBudget({k: q.requests_per_second for k, q in QUIRKS.items()})


def _default_budget() -> RateBudget:
    return _memory_budget


_budget_factory: Callable[[], RateBudget] = _default_budget


def set_budget_factory(factory: Callable[[], RateBudget]) -> None:
    """Install the shared request budget (the Django shell installs a cache-backed one)."""
    global _budget_factory
    _budget_factory = factory


def create_adapter(
    exchange_id: str,
    *,
    credentials: Credentials | None = None,
    base_url: str | None = None,
    sandbox: bool = False,
    policy: RetryPolicy | None = None,
    budget: RateBudget | None = None,
) -> ExchangeAdapter:
    """Return an adapter for `exchange_id`; raise `UnknownExchangeError` for other ids."""
    if exchange_id == "demo":
        return DemoAdapter()
    if exchange_id not in QUIRKS:
        raise UnknownExchangeError(
            f"unknown exchange {exchange_id!r}; use one of {', '.join(EXCHANGE_IDS)}",
            exchange=exchange_id,
        )
    return CcxtAdapter(
        exchange_id,
        credentials=credentials,
        base_url=base_url or None,
        sandbox=sandbox,
        policy=policy,
        budget=budget if budget is not None else _budget_factory(),
    )
