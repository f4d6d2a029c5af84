"""A worker process that places and submits one order, killed (SIGKILL) at a named point.

Run by the crash tests and the bench:
    python -m trading.tests.orders.crash_worker FAKE_URL OWNER_ID ACCOUNT_ID POINT TYPE PRICE
POINT is a checkpoint of the submit path (before_intent, intent_committed, before_send,
acknowledged, fills), "sent" (inside the exchange call: the request reached the exchange and
its answer is never read), or "none". DATABASE_URL must name the database the caller uses.
"""

from __future__ import annotations

import os
import signal
import sys
from decimal import Decimal


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def main(argv: list[str]) -> None:
    fake_url, owner_id, account_id, point, order_type, price = argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quantum_trader.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from accounts.services import exchange_accounts
    from markets.core.ccxt_adapter import CcxtAdapter
    from markets.core.retry import MemoryRateBudget, RetryPolicy
    from trading.orders import services

    def create(exchange_id: str, **kwargs: object) -> CcxtAdapter:
        return CcxtAdapter(
            exchange_id,
            credentials=kwargs.get("credentials"),  # type: ignore[arg-type]
            base_url=fake_url,
            policy=RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.05),
            budget=MemoryRateBudget(default_rate=1_000_000, burst=1_000_000),
        )

    exchange_accounts.adapter_create = create
    if point == "sent":
        send = CcxtAdapter.create_order

        def create_then_die(self: CcxtAdapter, request: object) -> object:
            send(self, request)  # type: ignore[arg-type]
            _die()
            return None

        CcxtAdapter.create_order = create_then_die  # type: ignore[method-assign,assignment]
    elif point != "none":

        def checkpoint(name: str) -> None:
            if name == point:
                _die()

        services.checkpoint = checkpoint
    owner = get_user_model().objects.get(pk=int(owner_id))
    placed = services.order_place(
        owner=owner,
        exchange_account_id=int(account_id),
        symbol="BTC/USDT",
        side="buy",
        type=order_type,
        amount=Decimal("0.001"),
        price=None if price == "-" else Decimal(price),
        enqueue=False,
    )
    services.order_submit(order_id=placed.order.pk)


if __name__ == "__main__":
    main(sys.argv[1:])
