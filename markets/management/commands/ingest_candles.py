"""Backfill or update candles of one market from its exchange."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from markets import services
from markets.core.errors import ExchangeError
from markets.management.commands._common import add_market_arguments, parse_time, resolve_market


class Command(BaseCommand):
    help = "Fetch closed candles from --since (or after the newest stored one) up to now."

    def add_arguments(self, parser: CommandParser) -> None:
        add_market_arguments(parser)
        parser.add_argument("--since", help="start date or time (UTC), e.g. 2021-01-01")

    def handle(self, *args: Any, **options: Any) -> None:
        since = parse_time(options.get("since"), "since")
        market = resolve_market(options)
        try:
            report = services.ingest_candles(
                market=market, timeframe=options["timeframe"], since=since
            )
        except ExchangeError as e:
            raise CommandError(e.message) from None  # the message already names the exchange
        for line in report.summary_lines():
            self.stdout.write(line)
