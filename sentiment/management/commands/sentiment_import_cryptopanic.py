"""Import saved CryptoPanic responses as historical news (available at publication time)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sentiment import services
from sentiment.core.cryptopanic import parse_page
from sentiment.models import Source


class Command(BaseCommand):
    help = (
        "Import CryptoPanic posts responses (JSON files) as historical news: each item is "
        "available from its publication time."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--source", default="CryptoPanic", help="Source name (CryptoPanic).")

    def handle(self, *args: Any, **options: Any) -> None:
        services.sources_ensure()
        source = Source.objects.filter(name=options["source"]).first()
        if source is None:
            raise CommandError(f"no source named {options['source']!r}")
        for path in options["paths"]:
            try:
                records, skipped, _ = parse_page(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError) as e:
                raise CommandError(f"{path}: {e}") from e
            # Old news is not pushed to live dashboards.
            report = services.news_ingest(
                source=source, records=records, mode="historical", notify=False
            )
            self.stdout.write(
                f"{path.name}: {report.created} added, {report.duplicates} already there, "
                f"{report.skipped + skipped} skipped"
            )
