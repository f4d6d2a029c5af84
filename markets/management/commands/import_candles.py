"""Import candles from a CSV file (timestamp_ms,open,high,low,close,volume)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from markets import services
from markets.management.commands._common import add_market_arguments, resolve_market


class Command(BaseCommand):
    help = (
        "Import candles from CSV; malformed rows are counted and skipped, good rows stored. "
        "Needs no network: a new market is created from its symbol, its listing unverified "
        "until `refresh_markets` (or the ingest task) reads it from the exchange."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV with columns timestamp_ms,open,high,low,close,volume")
        add_market_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        market = resolve_market(options, offline=True)
        try:
            report = services.import_candles_csv(
                market=market, timeframe=options["timeframe"], source=path
            )
        except UnicodeDecodeError:
            raise CommandError(f"{path} is not a UTF-8 text file") from None
        for line in report.summary_lines():
            self.stdout.write(line)
        if not market.listing_verified:
            self.stdout.write(
                f"  {market}: listing not verified (limits unknown, no trading); "
                "run `manage.py refresh_markets` when the exchange is reachable"
            )
