"""`manage.py stream_dispatch`: send committed stream events to the channel layer.

Several may run at once (each claims topics with SKIP LOCKED on PostgreSQL). Runs until
SIGTERM or SIGINT; a killed one leaves nothing marked sent that was not sent.
"""

from __future__ import annotations

import asyncio
import signal
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from markets.stream import RoundReport, dispatch_forever


class Command(BaseCommand):
    help = "Dispatch the stream outbox to the channel layer until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval-ms",
            type=int,
            default=None,
            help="pause when idle (STREAM_DISPATCH_INTERVAL_MS)",
        )
        parser.add_argument(
            "--verbose-rounds", action="store_true", help="print each round's topic@sequence"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        interval = None if options["interval_ms"] is None else options["interval_ms"] / 1000
        verbose = bool(options["verbose_rounds"])

        async def on_round(report: RoundReport) -> None:
            if verbose and report.events:
                sent = " ".join(f"{topic}@{seq}" for topic, seq in report.sent)
                self.stdout.write(f"sent {report.events} {sent}")
                self.stdout.flush()

        async def main() -> None:
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, stop.set)
            await dispatch_forever(interval=interval, stop=stop, on_round=on_round)

        asyncio.run(main())
