"""The one factory of order adapters: paper accounts get the paper exchange, exchange
accounts get the exchange's adapter with the user's key (through `accounts`).

Nothing else in the engine tells paper from real: every order is sent, looked up and
canceled through the adapter this returns.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist

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
    *, owner_id: int, exchange_account_id: int | None, paper_account_id: int | None
) -> OrderAdapter:
    """Return the adapter of one account: the paper exchange or the user's exchange key."""
    if paper_account_id is not None:
        from trading.orders.paper_store import paper_adapter

        return paper_adapter(paper_account_id=paper_account_id)
    if exchange_account_id is None:
        raise VenueUnavailableError("The order has no account.")
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
    return adapter


def order_adapter(*, order: Order) -> OrderAdapter:
    """Return the adapter `order` is sent, looked up and canceled through."""
    return account_adapter(
        owner_id=order.owner_id,
        exchange_account_id=order.exchange_account_id,
        paper_account_id=order.paper_account_id,
    )
