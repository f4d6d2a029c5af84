"""Build the adapter for an exchange id. `accounts` calls this after decrypting keys."""

from __future__ import annotations

import threading
from collections.abc import Callable

from markets.core.adapter import Credentials, ExchangeAdapter
from markets.core.ccxt_adapter import QUIRKS, CcxtAdapter
from markets.core.demo import DemoAdapter
from markets.core.errors import AuthenticationError, BadRequestError, UnknownExchangeError
from markets.core.orders import OrderAdapter
from markets.core.paper import (
    AdapterPriceSource,
    PaperAdapter,
    PaperConfig,
    PaperStore,
    PriceSource,
)
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
    return _ccxt_adapter(
        exchange_id,
        credentials=credentials,
        base_url=base_url or None,
        sandbox=sandbox,
        policy=policy,
        budget=budget if budget is not None else _budget_factory(),
    )


def _ccxt_adapter(
    exchange_id: str,
    *,
    credentials: Credentials | None,
    base_url: str | None,
    sandbox: bool,
    policy: RetryPolicy | None,
    budget: RateBudget | None,
) -> CcxtAdapter:
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


_price_sources: dict[tuple[str, str | None], PriceSource] = {}
_price_sources_lock = threading.Lock()


def price_source_for(exchange_id: str, *, base_url: str | None = None) -> PriceSource:
    """The shared public price source of an exchange (its running candle; no keys needed).

    Exchanges: the 1m candle (its close is the last trade). Demo: the 5m candle, because the
    demo generates every bar since its epoch on first use (1m costs ~18 s per process, 5m ~4 s);
    the demo's running bar is already complete, so its price leads by up to 5 minutes.
    """
    key = (exchange_id, base_url or None)
    with _price_sources_lock:
        source = _price_sources.get(key)
        if source is None:
            source = _price_sources[key] = AdapterPriceSource(
                create_adapter(exchange_id, base_url=base_url),
                timeframe="5m" if exchange_id == "demo" else "1m",
            )
        return source


def create_paper_adapter(
    *,
    store: PaperStore,
    exchange_id: str = "demo",
    price_source: PriceSource | None = None,
    config: PaperConfig | None = None,
    base_url: str | None = None,
) -> PaperAdapter:
    """Return a paper adapter trading `store`'s account on `exchange_id`'s prices.

    Without `price_source`, prices come from the exchange's public candles (the offline demo
    market for "demo").
    """
    if exchange_id not in EXCHANGE_IDS:
        raise UnknownExchangeError(
            f"unknown exchange {exchange_id!r}; use one of {', '.join(EXCHANGE_IDS)}",
            exchange=exchange_id,
        )
    if price_source is None:
        price_source = price_source_for(exchange_id, base_url=base_url)
    return PaperAdapter(store, price_source, exchange_id=exchange_id, config=config)


def create_order_adapter(
    exchange_id: str,
    *,
    paper_store: PaperStore | None = None,
    paper_config: PaperConfig | None = None,
    price_source: PriceSource | None = None,
    credentials: Credentials | None = None,
    base_url: str | None = None,
    sandbox: bool = False,
    policy: RetryPolicy | None = None,
    budget: RateBudget | None = None,
) -> OrderAdapter:
    """Return the venue an order goes to: the paper book when `paper_store` is given (paper
    accounts), else the exchange itself through ccxt (testnet with `sandbox`, or live).

    The one place that chooses paper or exchange: the engine never branches on it.
    """
    if paper_store is not None:
        return create_paper_adapter(
            store=paper_store,
            exchange_id=exchange_id,
            price_source=price_source,
            config=paper_config,
            base_url=base_url,
        )
    if exchange_id == "demo":
        raise BadRequestError(
            "the demo exchange trades on paper accounts only", exchange="demo", field="account"
        )
    if credentials is None:
        raise AuthenticationError(
            f"placing orders on {exchange_id} needs the account's API keys", exchange=exchange_id
        )
    return _ccxt_adapter(
        exchange_id,
        credentials=credentials,
        base_url=base_url or None,
        sandbox=sandbox,
        policy=policy,
        budget=budget if budget is not None else _budget_factory(),
    )
