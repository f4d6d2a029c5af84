"""Place one order through the same path as the API (intent first, then one send)."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.selectors import exchange_account_owner_id
from markets.core.errors import QuantumTraderError
from trading.models import PaperAccount
from trading.orders.payloads import order_payload
from trading.orders.services import order_load, order_place, order_submit


def _decimal(value: str | None, name: str) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        raise CommandError(f"--{name}: not a number: {value!r}") from None


class Command(BaseCommand):
    help = (
        "Place an order on an exchange account (--account) or a paper account "
        "(--paper-account) of its owner, send it once in this process, and print it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        venue = parser.add_mutually_exclusive_group(required=True)
        venue.add_argument("--account", type=int, help="exchange account id")
        venue.add_argument("--paper-account", type=int, help="paper account id")
        parser.add_argument("--symbol", required=True, help="e.g. BTC/USDT")
        parser.add_argument("--side", required=True, choices=["buy", "sell"])
        parser.add_argument("--type", required=True, choices=["market", "limit"])
        parser.add_argument("--amount", required=True, help="base currency, e.g. 0.001")
        parser.add_argument("--price", help="limit orders only")
        parser.add_argument("--client-order-id", help="optional; not starting with 'qt-'")
        parser.add_argument(
            "--queue", action="store_true", help="hand the send to a worker instead"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["account"] is not None:
            owner_id = exchange_account_owner_id(account_id=options["account"])
        else:
            owner_id = (
                PaperAccount.objects.filter(pk=options["paper_account"])
                .values_list("owner_id", flat=True)
                .first()
            )
        if owner_id is None:
            raise CommandError("No such account.")
        owner = get_user_model().objects.get(pk=owner_id)
        amount = _decimal(options["amount"], "amount")
        if amount is None:  # required by the parser
            raise CommandError("--amount is required")
        try:
            placed = order_place(
                owner=owner,
                exchange_account_id=options["account"],
                paper_account_id=options["paper_account"],
                symbol=options["symbol"],
                side=options["side"],
                type=options["type"],
                amount=amount,
                price=_decimal(options["price"], "price"),
                client_order_id=options["client_order_id"],
                enqueue=options["queue"],
            )
        except QuantumTraderError as e:
            field = f" ({e.field})" if e.field else ""
            raise CommandError(f"{e.code}{field}: {e.message}") from None
        if not options["queue"]:
            order_submit(order_id=placed.order.pk)
        order = order_load(order_id=placed.order.pk)
        self.stdout.write(json.dumps(order_payload(order), indent=2))
