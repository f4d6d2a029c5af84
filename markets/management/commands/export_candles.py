"""Export stored candles of one market as CSV (timestamp_ms,open,high,low,close,volume)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from markets import services
from markets.management.commands._common import add_market_arguments, parse_time, resolve_market


class Command(BaseCommand):
    help = "Write stored candles as CSV to --output (default: standard output)."

    def add_arguments(self, parser: CommandParser) -> None:
        add_market_arguments(parser)
        parser.add_argument("--start", help="inclusive open time (UTC)")
        parser.add_argument("--end", help="exclusive open time (UTC)")
        parser.add_argument("--output", "-o", help="file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        start = parse_time(options.get("start"), "start")
        end = parse_time(options.get("end"), "end")
        market = resolve_market(options, create=False)
        kwargs = {"market": market, "timeframe": options["timeframe"], "start": start, "end": end}
        if options.get("output"):
            with open(options["output"], "w", encoding="utf-8", newline="") as out:
                n = services.export_candles_csv(out=out, **kwargs)
            self.stderr.write(f"exported {n} candles to {options['output']}")
        else:
            services.export_candles_csv(out=self.stdout, **kwargs)  # type: ignore[arg-type]
