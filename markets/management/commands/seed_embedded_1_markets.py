"""Demo market data for the embedded default: offline, idempotent, fast."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from markets import services

DEMO_SYMBOLS = {"BTC/USDT": ["5m", "1h"], "ETH/USDT": ["5m", "1h"], "SOL/USDT": ["1h"]}
# About 60 days of hours and 7 days of five-minute candles.
DEMO_HISTORY = {"1h": 60 * 24, "5m": 7 * 24 * 12}


class Command(BaseCommand):
    help = "Create the demo exchange and markets and backfill them from the offline demo market."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        reports = services.seed_demo_markets(symbols=DEMO_SYMBOLS, history=DEMO_HISTORY)
        for report in reports:
            self.stdout.write(report.summary_lines()[0])
        self.stdout.write(f"demo market data ready in {time.monotonic() - started:.1f}s")
