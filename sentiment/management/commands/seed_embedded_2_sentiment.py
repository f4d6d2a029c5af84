"""Create the sentiment sources and backfill demo headlines and aggregates (offline, idempotent)."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from sentiment import services
from sentiment.models import Source


class Command(BaseCommand):
    help = "Create the sentiment sources and backfill demo headlines and aggregates."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=60, help="Days of history (60).")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        services.sources_ensure()
        if services.real_sources_configured():
            self.stdout.write("sentiment: a real source token is set, no demo headlines added")
            return
        end = timezone.now()
        start = end - timedelta(days=options["days"])
        created = 0
        aggregates = 0
        for source in Source.objects.filter(kind=Source.Kind.DEMO, enabled=True):
            created += services.demo_backfill(source=source, start=start, end=end)
            for asset in source.assets or services.DEFAULT_ASSETS:
                for interval in services.AGGREGATE_INTERVALS:
                    aggregates += services.aggregates_recompute(
                        asset=asset, interval=interval, start=start, end=end
                    )
        self.stdout.write(
            f"sentiment: {created} demo headlines added, {aggregates} aggregates computed "
            f"in {time.perf_counter() - started:.1f} s"
        )
