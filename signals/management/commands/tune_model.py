"""Search a market's model hyperparameters walk-forward with Optuna; train and judge the best."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError, CommandParser

from signals.core.features import CandleDataError
from signals.core.model import TrainingError
from signals.management.commands.train_model import _when, format_evaluation, format_fold_table
from signals.services import model_tune


class Command(BaseCommand):
    help = (
        "Walk-forward hyperparameter search (Optuna TPE, pruned, seeded, kept in the database so "
        "a second run resumes it); trains, registers and judges the best configuration."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--exchange", required=True)
        parser.add_argument(
            "--symbol",
            required=True,
            nargs="+",
            help="one market, or several: one model pooled over them (same exchange, timeframe)",
        )
        parser.add_argument("--timeframe", required=True)
        parser.add_argument("--trials", type=int, default=50, help="trials to add to the study")
        parser.add_argument("--horizon", type=int, default=4, help="label horizon in candles")
        parser.add_argument("--folds", type=int, default=5)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--start", help="first candle open time (ISO 8601, UTC)")
        parser.add_argument("--end", help="end of the window, exclusive (ISO 8601, UTC)")
        parser.add_argument(
            "--in-memory", action="store_true", help="keep the study in memory, not the database"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["trials"] < 1:
            raise CommandError("--trials must be at least 1")

        def progress(done: int, total: int, best: float | None) -> None:
            shown = "n/a" if best is None else f"{best:+.4f}"
            self.stdout.write(f"trial {done}/{total}: best walk-forward score so far {shown}")

        symbols = list(dict.fromkeys(options["symbol"]))
        try:
            outcome = model_tune(
                exchange=options["exchange"],
                symbol=symbols[0],
                pooled_with=symbols[1:],
                timeframe=options["timeframe"],
                trials=options["trials"],
                horizon=options["horizon"],
                folds=options["folds"],
                seed=options["seed"],
                start=_when(options["start"]),
                end=_when(options["end"]),
                storage=None if options["in_memory"] else "database",
                progress=progress,
            )
        except ObjectDoesNotExist:
            raise CommandError(
                f"no market {options['exchange']} {' or '.join(symbols)}; import its candles first"
            ) from None
        except (TrainingError, CandleDataError, ValueError) as e:
            raise CommandError(str(e)) from e
        found, version = outcome.search, outcome.train.model_version
        pbo = "n/a" if found.pbo is None else f"{found.pbo:.2f}"
        self.stdout.write(
            f"study {found.study_name}: {found.trials} trials ({found.pruned} pruned), best score "
            f"{found.best_score:+.4f}, probability of backtest overfitting {pbo}"
        )
        self.stdout.write(f"best parameters: {version.hyperparameters}")
        self.stdout.write(format_fold_table(outcome.train.result.folds))
        self.stdout.write(format_evaluation(version.evaluation))
        self.stdout.write(f"model version {version.pk}: status {version.status}")
