"""Tick every running bot whose newest closed candle has no decision yet."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from trading.bots.engine import bots_tick_due


class Command(BaseCommand):
    help = "Tick every running bot now (--once), or every BOTS_TICK_INTERVAL_SECONDS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="One pass, then exit.")
        parser.add_argument("--bot", type=int, action="append", help="Only these bot ids.")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            started = time.perf_counter()
            report = bots_tick_due(bot_ids=options["bot"])
            elapsed = time.perf_counter() - started
            outcomes = ", ".join(f"{k} {v}" for k, v in sorted(report.outcomes.items()))
            self.stdout.write(
                f"run_bots: {sum(report.outcomes.values())} ticks ({outcomes or 'none due'}), "
                f"{report.predictions} model predictions, {elapsed:.2f} s"
            )
            if options["once"]:
                return
            time.sleep(max(1.0, settings.BOTS_TICK_INTERVAL_SECONDS - elapsed))
