"""Train, validate walk-forward and register a model for one market or several (pooled)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_datetime

from signals.core.features import CandleDataError
from signals.core.model import (
    DEFAULT_FEE_RATE,
    DEFAULT_SLIPPAGE_BPS,
    TrainingError,
    TrainParams,
)
from signals.services import (
    PooledTrainOutcome,
    TrainOutcome,
    model_train,
    model_train_pooled,
)


def _when(value: str | None) -> datetime | None:
    if value is None:
        return None
    parsed = parse_datetime(value) or parse_datetime(f"{value}T00:00:00+00:00")
    if parsed is None:
        raise CommandError(f"cannot read the date {value!r}; use ISO 8601, e.g. 2021-01-31")
    if parsed.tzinfo is None:
        raise CommandError(f"{value!r} has no timezone; add Z or +00:00")
    return parsed


MARKET_WIDTH = 22


def format_fold_table(folds: list[dict[str, Any]]) -> str:
    """Return the walk-forward folds as a fixed-width text table."""
    pooled = any("market" in f for f in folds)
    header = (
        f"{'fold':>4} {'market' if pooled else '':<{MARKET_WIDTH if pooled else 0}}"
        f"{' ' if pooled else ''}{'test window (UTC)':<33} {'train':>6} {'test':>5} {'iter':>4} "
        f"{'logloss':>7} {'prior':>6} {'brier':>6} {'ECE':>5} {'acc':>5} {'mF1':>5} "
        f"{'buy@':>5} {'sell@':>5} {'trades':>6} {'net':>7} {'b&h':>7}"
    )
    lines = [header]
    for f in folds:
        window = f"{f['test_start'][:16]} → {f['test_end'][5:16]}"
        market = f"{f.get('market', ''):<{MARKET_WIDTH}} " if pooled else ""
        lines.append(
            f"{f['fold']:>4} {market}{window:<33} {f['train_rows']:>6} {f['test_rows']:>5} "
            f"{f['best_iteration']:>4} {f['log_loss']:>7.4f} {f['prior_log_loss']:>6.4f} "
            f"{f['brier']:>6.4f} {f['ece']:>5.3f} "
            f"{f['accuracy']:>5.3f} {f['macro_f1']:>5.3f} {f['buy_threshold']:>5.2f} "
            f"{f['sell_threshold']:>5.2f} {f.get('trades', 0):>6} "
            f"{f.get('net_return', float('nan')):>+7.2%} "
            f"{f.get('buy_hold_return', float('nan')):>+7.2%}"
        )
    if folds:
        first = folds[0]
        lines.append(
            f"costs: fee {first['fee_rate']:.4%} and slippage {first['slippage_bps']:g} bps per "
            "fill; thresholds chosen on each fold's training window"
        )
    return "\n".join(lines)


def format_evaluation(evaluation: dict[str, Any]) -> str:
    """Return the pooled out-of-sample evaluation and the champion verdict as text.

    A model over several markets is shown market by market, then its verdict.
    """
    if "markets" in evaluation:
        lines = []
        for key, market_eval in evaluation["markets"].items():
            lines.append(f"{key}:")
            shown = {k: v for k, v in market_eval.items() if k not in ("eligible", "reasons")}
            lines.extend(f"  {line}" for line in format_evaluation(shown).splitlines()[:-1])
        if evaluation.get("pbo") is not None:
            lines.append(f"probability of backtest overfitting: {evaluation['pbo']:.2f}")
        if evaluation.get("eligible"):
            lines.append("skill checks: passed on every market")
        else:
            lines.extend(f"not champion: {reason}" for reason in evaluation.get("reasons", []))
        return "\n".join(lines)
    lines = [
        f"out of sample: log loss {evaluation['log_loss']:.4f} vs prior "
        f"{evaluation['prior_log_loss']:.4f} (block t {evaluation['log_loss_t']:+.2f}), "
        f"Brier {evaluation['brier']:.4f}, ECE {evaluation['ece']:.3f}"
    ]
    if "net_return" in evaluation:
        lines.append(
            f"trading: net {evaluation['net_return']:+.2%} vs buy-and-hold "
            f"{evaluation['buy_hold_return']:+.2%}; random entries: "
            f"{evaluation['random_percentile']:.1f}th percentile of "
            f"{evaluation['random_draws']} draws; Deflated Sharpe "
            f"{evaluation['deflated_sharpe']:.3f} over {evaluation['trials']} trial(s)"
        )
    if evaluation.get("pbo") is not None:
        lines.append(f"probability of backtest overfitting: {evaluation['pbo']:.2f}")
    if evaluation.get("eligible"):
        lines.append("skill checks: passed")
    else:
        lines.extend(f"not champion: {reason}" for reason in evaluation.get("reasons", []))
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Train a BUY/SELL/HOLD model with walk-forward validation and register it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--exchange", required=True)
        parser.add_argument(
            "--symbol",
            required=True,
            nargs="+",
            help="one market, or several: one model pooled over them (same exchange, timeframe)",
        )
        parser.add_argument("--timeframe", required=True)
        parser.add_argument("--start", help="first candle open time (ISO 8601, UTC)")
        parser.add_argument("--end", help="end of the window, exclusive (ISO 8601, UTC)")
        parser.add_argument("--horizon", type=int, default=4, help="label horizon in candles")
        parser.add_argument("--folds", type=int, default=5)
        parser.add_argument("--fee-rate", type=float, default=DEFAULT_FEE_RATE)
        parser.add_argument("--slippage-bps", type=float, default=DEFAULT_SLIPPAGE_BPS)
        parser.add_argument(
            "--labels",
            choices=("fixed", "volatility", "triple_barrier"),
            default="fixed",
            help="label method",
        )
        parser.add_argument("--rounds", type=int, default=300, help="maximum boosting rounds")
        parser.add_argument("--no-promote", action="store_true", help="register as candidate only")

    def handle(self, *args: Any, **options: Any) -> None:
        symbols = list(dict.fromkeys(options["symbol"]))
        common: dict[str, Any] = {
            "exchange": options["exchange"],
            "timeframe": options["timeframe"],
            "start": _when(options["start"]),
            "end": _when(options["end"]),
            "horizon": options["horizon"],
            "folds": options["folds"],
            "fee_rate": options["fee_rate"],
            "slippage_bps": options["slippage_bps"],
            "label_method": options["labels"],
            "train_params": TrainParams(num_boost_round=options["rounds"]),
            "promote": not options["no_promote"],
        }
        outcome: TrainOutcome | PooledTrainOutcome
        try:
            if len(symbols) > 1:
                outcome = model_train_pooled(symbols=symbols, **common)
            else:
                outcome = model_train(symbol=symbols[0], **common)
        except ObjectDoesNotExist:  # no such market
            raise CommandError(
                f"no market {options['exchange']} {' or '.join(symbols)}; import its candles first"
            ) from None
        except (TrainingError, CandleDataError, ValueError) as e:
            raise CommandError(str(e)) from e
        version = outcome.model_version
        self.stdout.write(format_fold_table(outcome.result.folds))
        self.stdout.write(format_evaluation(version.evaluation))
        self.stdout.write(
            f"model version {version.pk}: feature set {version.feature_set_version}, "
            f"summary score (mean log-loss skill over the class prior) "
            f"{version.summary_score:+.4f}; status {version.status}"
        )
        if outcome.contest:
            self.stdout.write(f"champion contest: {outcome.contest}")
