"""Paper accounts: each user's simulated account, its book kept in the database.

Every user gets one on the demo exchange (created on first use: `accounts` sits below
`trading` and cannot create it when the user is made). The paper exchange adapter keeps its
state (balances, resting orders, trades) in `PaperAccount.book` through `DjangoPaperStore`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from markets.core.adapter import timeframe_ms
from markets.core.factory import create_order_adapter
from markets.core.orders import OrderAdapter
from markets.core.paper import PaperAdapter, PaperBook
from markets.selectors import candles_frame, market_get_by_id
from markets.services import exchange_ensure
from trading.core.orders import OrderStatus
from trading.models import Order, PaperAccount

DEMO_EXCHANGE = "demo"
DEFAULT_LABEL = "Paper"
DEFAULT_QUOTE = "USDT"


def _initial_book(quote: str) -> dict[str, Any]:
    balance = Decimal(settings.PAPER_ACCOUNT_START_BALANCE)
    return PaperBook(balances={quote: balance}).to_json()


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
    """The account's balances per asset (free plus reserved by open orders), as strings."""
    book = PaperBook.from_json(account.book or {})
    assets = sorted(set(book.balances) | set(book.reserved))
    zero = Decimal(0)
    totals = {a: book.balances.get(a, zero) + book.reserved.get(a, zero) for a in assets}
    return {asset: format(value.normalize(), "f") for asset, value in totals.items()}


class DjangoPaperStore:
    """The paper exchange's `PaperStore` for one PaperAccount row.

    `transaction()` locks the row (SELECT ... FOR UPDATE) for the block, yields its book and
    writes it back (version + 1) when the block ends without an error; an error rolls the
    whole block back, book included.
    """

    def __init__(self, paper_account_id: int) -> None:
        self.paper_account_id = paper_account_id

    @contextmanager
    def _transaction(self) -> Iterator[PaperBook]:
        with transaction.atomic():
            row = PaperAccount.objects.select_for_update().get(pk=self.paper_account_id)
            book = PaperBook.from_json(row.book or {})
            yield book
            PaperAccount.objects.filter(pk=row.pk).update(
                book=book.to_json(), version=F("version") + 1
            )

    def transaction(self) -> AbstractContextManager[PaperBook]:
        return self._transaction()


def paper_adapter(*, paper_account_id: int) -> OrderAdapter:
    """Return the paper exchange adapter of one paper account (prices from its exchange)."""
    account = PaperAccount.objects.select_related("exchange").get(pk=paper_account_id)
    exchange = account.exchange
    base_url = exchange.api_base_url or settings.EXCHANGE_BASE_URLS.get(exchange.ccxt_id) or None
    return create_order_adapter(
        exchange.ccxt_id, paper_store=DjangoPaperStore(account.pk), base_url=base_url
    )


def paper_books_feed_candles(*, now: datetime | None = None) -> int:
    """Feed stored closed candles to every paper book with resting limit orders; return fills.

    The paper exchange fills a limit order on the first candle that crosses its price (see
    `markets.core.paper`); each book remembers the last candle it saw per symbol, so a candle
    is used once however often this runs. The reconciler then records the fills on the orders.
    The finest timeframe stored for the market is used.
    """
    now = now or timezone.now()
    resting = (
        Order.objects.filter(
            paper_account__isnull=False,
            type=Order.Type.LIMIT,
            status__in=[OrderStatus.OPEN.value, OrderStatus.PARTIALLY_FILLED.value],
        )
        .values_list("paper_account_id", "market_id")
        .distinct()
    )
    fills = 0
    for paper_account_id, market_id in resting:
        market = market_get_by_id(market_id=market_id)
        timeframes = sorted(market.timeframes or [], key=timeframe_ms)
        if not timeframes:
            continue
        timeframe = timeframes[0]
        adapter = paper_adapter(paper_account_id=paper_account_id)
        if not isinstance(adapter, PaperAdapter):  # the factory gives paper accounts this
            continue
        since = _oldest_resting_ms(paper_account_id=paper_account_id, market_id=market_id)
        start = datetime.fromtimestamp(since / 1000, tz=UTC) - timedelta(
            milliseconds=timeframe_ms(timeframe)
        )
        # Only candles the book has not seen: each fed candle is a locked book transaction.
        seen = PaperBook.from_json(
            PaperAccount.objects.values_list("book", flat=True).get(pk=paper_account_id)
        ).last_candle_ms.get(market.symbol)
        if seen is not None:
            start = max(start, datetime.fromtimestamp(seen / 1000, tz=UTC) + timedelta(seconds=1))
        closed_before = now - timedelta(milliseconds=timeframe_ms(timeframe))
        frame = candles_frame(market_id=market_id, timeframe=timeframe, start=start)
        for open_time, row in frame[frame.index <= closed_before].iterrows():
            fills += len(
                adapter.on_candle(
                    market.symbol,
                    int(open_time.timestamp() * 1000),
                    row["open"],
                    row["high"],
                    row["low"],
                    row["close"],
                    row["volume"],
                )
            )
    return fills


def _oldest_resting_ms(*, paper_account_id: int, market_id: int) -> int:
    first = (
        Order.objects.filter(
            paper_account_id=paper_account_id,
            market_id=market_id,
            type=Order.Type.LIMIT,
            status__in=[OrderStatus.OPEN.value, OrderStatus.PARTIALLY_FILLED.value],
        )
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return int(first.timestamp() * 1000) if first is not None else 0
