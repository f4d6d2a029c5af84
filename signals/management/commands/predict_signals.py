"""Write signals for the latest closed candle of every enabled market with a champion."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from signals.services import signals_predict_all


class Command(BaseCommand):
    help = "Predict the latest closed candle for all enabled markets with a champion model."

    def handle(self, *args: Any, **options: Any) -> None:
        report = signals_predict_all()
        for signal in report.created:
            self.stdout.write(
                f"{signal.market} {signal.timeframe} {signal.open_time:%Y-%m-%d %H:%M}Z "
                f"{signal.action} (confidence {signal.confidence:.2f})"
            )
        for error in report.errors:
            self.stderr.write(f"skipped: {error}")
        for note in report.notes:
            self.stdout.write(f"nothing to write: {note}")
        self.stdout.write(
            f"{len(report.created)} new signals, {report.existing} already written, "
            f"{len(report.errors)} skipped"
        )
