"""Run one reconciler pass now (the beat task runs one every 30 s)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from trading.orders.reconcile import orders_reconcile


class Command(BaseCommand):
    help = (
        "Resolve UNKNOWN and stale SUBMITTING orders by their client order id, submit stale "
        "NEW ones, refresh open orders and their fills, adopt the platform's orders found "
        "on the exchange; for every account, or one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--account", type=int, help="only this exchange account")
        parser.add_argument("--paper-account", type=int, help="only this paper account")

    def handle(self, *args: Any, **options: Any) -> None:
        report = orders_reconcile(
            exchange_account_id=options["account"], paper_account_id=options["paper_account"]
        )
        self.stdout.write(json.dumps(report.as_dict()))
