"""Read every stored market's limits from its exchange's listing; verifies offline markets."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from markets import services


class Command(BaseCommand):
    help = (
        "Re-read the limits and precision of stored markets from their exchanges, marking "
        "each listing verified (or unverified when the exchange no longer lists the market)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--exchange", help="only this exchange (ccxt id); default: all")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = services.markets_refresh(exchange_id=options.get("exchange"))
        except services.MarketDataError as e:
            raise CommandError(e.message) from None
        for line in report.summary_lines():
            self.stdout.write(line)
        if report.failed:
            raise CommandError(
                f"{len(report.failed)} exchange(s) unreachable: {', '.join(sorted(report.failed))}"
            )
