"""Paper accounts: each user's simulated account, its book kept in the database.

Every user gets one on the demo exchange (created on first use: `accounts` sits below
`trading` and cannot create it when the user is made). The paper exchange adapter keeps its
state (balances, resting orders, trades) in `PaperAccount.book` through `DjangoPaperStore`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from markets.core.orders import OrderAdapter
from markets.services import exchange_ensure
from trading.models import PaperAccount

DEMO_EXCHANGE = "demo"
DEFAULT_LABEL = "Paper"
DEFAULT_QUOTE = "USDT"


def _initial_book(quote: str) -> dict[str, Any]:
    return {"balances": {quote: str(Decimal(settings.PAPER_ACCOUNT_START_BALANCE))}}


def paper_account_create(
    *, owner: Any, exchange_id: str = DEMO_EXCHANGE, label: str, quote_currency: str = DEFAULT_QUOTE
) -> PaperAccount:
    """Create a paper account holding PAPER_ACCOUNT_START_BALANCE of its quote currency."""
    exchange = exchange_ensure(exchange_id=exchange_id)
    return PaperAccount.objects.create(
        owner=owner,
        exchange=exchange,
        label=label,
        quote_currency=quote_currency,
        book=_initial_book(quote_currency),
    )


def paper_accounts_ensure(*, owner: Any) -> list[PaperAccount]:
    """Return the owner's paper accounts, creating the demo exchange's one if none exists."""
    rows = PaperAccount.objects.filter(owner=owner).select_related("exchange").order_by("id")
    if not rows.exists():
        try:
            with transaction.atomic():
                paper_account_create(owner=owner, label=DEFAULT_LABEL)
        except IntegrityError:
            pass  # a concurrent request created it
    return list(rows.all())


def paper_account_balances(*, account: PaperAccount) -> dict[str, str]:
    """The account's balances per asset, as decimal strings."""
    balances = (account.book or {}).get("balances", {})
    return {asset: str(value) for asset, value in sorted(balances.items())}


def paper_adapter(*, paper_account_id: int) -> OrderAdapter:
    """Return the paper exchange adapter of one paper account."""
    from trading.orders.venues import VenueUnavailableError

    raise VenueUnavailableError(
        f"Paper account {paper_account_id}: the paper exchange is not available yet.",
        code="paper_unavailable",
    )
