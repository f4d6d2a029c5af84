"""The one factory of order adapters: paper accounts get the paper exchange, exchange
accounts get the exchange's adapter with the user's key (through `accounts`).

Nothing else in the engine tells paper from real: every order is sent, looked up and
canceled through the adapter this returns.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist

from accounts.selectors import exchange_account_get
from accounts.services import exchange_account_adapter
from accounts.services.exchange_accounts import ExchangeAccountError
from markets.core import errors
from markets.core.orders import OrderAdapter
from trading.models import Order


class VenueUnavailableError(errors.QuantumTraderError):
    """No adapter could be built for the order's account (key unreadable, account unusable)."""

    code = "venue_unavailable"
    status = 503


def account_adapter(
    *,
    owner_id: int,
    exchange_account_id: int | None,
    paper_account_id: int | None,
    account: Any = None,
) -> OrderAdapter:
    """Return the adapter of one account: the paper exchange or the user's exchange key.

    `account` is the exchange account's row when the caller has just read it (with the
    order), which saves reading it again; it must be the owner's.
    """
    if paper_account_id is not None:
        from trading.orders.paper_store import paper_adapter

        return paper_adapter(paper_account_id=paper_account_id)
    if exchange_account_id is None:
        raise VenueUnavailableError("The order has no account.")
    if account is None or account.pk != exchange_account_id or account.owner_id != owner_id:
        try:
            account = exchange_account_get(account_id=exchange_account_id, owner_id=owner_id)
        except ObjectDoesNotExist:
            raise VenueUnavailableError("The exchange account no longer exists.") from None
    # A changed key, status or row (rotation, marked unusable) makes a fresh adapter.
    stamp = (account.status, account.key_id, account.updated_at.isoformat(), account.wrapped_key)
    cached = _cache_get(exchange_account_id, stamp)
    if cached is not None:
        return cached
    try:
        adapter = exchange_account_adapter(account_id=exchange_account_id, owner_id=owner_id)
    except ObjectDoesNotExist:
        raise VenueUnavailableError("The exchange account no longer exists.") from None
    except ExchangeAccountError as e:
        raise VenueUnavailableError(str(e), code=e.code) from None
    if not isinstance(adapter, OrderAdapter):
        raise VenueUnavailableError(
            f"The {adapter.exchange_id} adapter cannot place orders.", code="orders_unsupported"
        )
    _cache_put(exchange_account_id, stamp, adapter)
    return adapter


# Adapters of exchange accounts, kept per thread for a few minutes: building one (ccxt client,
# market listing) costs more than sending an order. The stamp names the key's version.
_local = threading.local()
Stamp = tuple[str, str, str, str]


def _cache() -> OrderedDict[int, tuple[Stamp, float, OrderAdapter]]:
    if not hasattr(_local, "adapters"):
        _local.adapters = OrderedDict()
    cache: OrderedDict[int, tuple[Stamp, float, OrderAdapter]] = _local.adapters
    return cache


def _cache_get(account_id: int, stamp: Stamp) -> OrderAdapter | None:
    entry = _cache().get(account_id)
    if entry is None:
        return None
    cached_stamp, created, adapter = entry
    if cached_stamp != stamp or time.monotonic() - created > settings.ORDERS_ADAPTER_CACHE_SECONDS:
        del _cache()[account_id]
        return None
    return adapter


def _cache_put(account_id: int, stamp: Stamp, adapter: OrderAdapter) -> None:
    cache = _cache()
    cache[account_id] = (stamp, time.monotonic(), adapter)
    cache.move_to_end(account_id)
    while len(cache) > 32:
        cache.popitem(last=False)


def adapter_cache_clear() -> None:
    """Forget this thread's cached adapters (tests that swap the exchange)."""
    _cache().clear()


def order_adapter(*, order: Order) -> OrderAdapter:
    """Return the adapter `order` is sent, looked up and canceled through (the account row
    read with the order, when it was, names the key version the cached adapter must have)."""
    loaded = order.exchange_account if "exchange_account" in order._state.fields_cache else None
    return account_adapter(
        owner_id=order.owner_id,
        exchange_account_id=order.exchange_account_id,
        paper_account_id=order.paper_account_id,
        account=loaded,
    )
