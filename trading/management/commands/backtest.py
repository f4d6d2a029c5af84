"""Run a backtest over stored candles and print its metrics table."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from trading.core.backtest import DEFAULT_FEE_RATE, DEFAULT_SLIPPAGE_BPS
from trading.core.metrics import format_metrics
from trading.services import (
    BacktestConfigError,
    backtest_compute,
    backtest_prepare,
    backtest_run_create,
    backtest_run_execute,
)


class Command(BaseCommand):
    help = (
        "Backtest a strategy (sma_cross, rsi_bands, walk_forward or model:<id>) on stored "
        "candles and print the metrics. Runs in this process; with --user the run is also "
        "stored for that user."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--exchange", required=True)
        parser.add_argument("--symbol", required=True)
        parser.add_argument("--timeframe", required=True)
        parser.add_argument("--strategy", required=True)
        parser.add_argument("--params", default="{}", help="JSON, e.g. '{\"fast\": 10}'")
        parser.add_argument("--start", help="ISO 8601 UTC, inclusive")
        parser.add_argument("--end", help="ISO 8601 UTC, exclusive")
        parser.add_argument("--fee", type=float, default=DEFAULT_FEE_RATE)
        parser.add_argument("--maker-fee", type=float)
        parser.add_argument("--slippage-bps", type=float, default=DEFAULT_SLIPPAGE_BPS)
        parser.add_argument("--initial-cash", type=float, default=10_000.0)
        parser.add_argument("--stop-loss", type=float)
        parser.add_argument("--take-profit", type=float)
        parser.add_argument("--trailing-stop", type=float)
        parser.add_argument("--max-drawdown", type=float)
        parser.add_argument("--sizing", default="{}", help='JSON, e.g. \'{"method": "atr", ...}\'')
        parser.add_argument(
            "--no-market-limits", action="store_true", help="ignore lot step and min notional"
        )
        parser.add_argument("--user", help="store the run for this username")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            params = json.loads(options["params"])
            sizing = json.loads(options["sizing"])
        except json.JSONDecodeError as e:
            raise CommandError(f"--params and --sizing take JSON objects: {e}") from None
        config = {
            "exchange": options["exchange"],
            "symbol": options["symbol"],
            "timeframe": options["timeframe"],
            "strategy": options["strategy"],
            "params": params,
            "start": options["start"],
            "end": options["end"],
            "fee": options["fee"],
            "maker_fee": options["maker_fee"],
            "slippage_bps": options["slippage_bps"],
            "initial_cash": options["initial_cash"],
            "stops": {
                "stop_loss": options["stop_loss"],
                "take_profit": options["take_profit"],
                "trailing_stop": options["trailing_stop"],
            },
            "sizing": sizing,
            "max_drawdown": options["max_drawdown"],
            "market_limits": not options["no_market_limits"],
        }
        try:
            if options["user"]:
                metrics = self._stored(options["user"], config)
            else:
                metrics = backtest_compute(backtest_prepare(config)).metrics
        except BacktestConfigError as e:
            raise CommandError(str(e)) from None
        self.stdout.write(format_metrics(metrics))

    def _stored(self, username: str, config: dict[str, Any]) -> dict[str, Any]:
        try:
            owner = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"no user {username!r}") from None
        run = backtest_run_create(owner=owner, config=config, enqueue=False)
        backtest_run_execute(run_id=run.pk)
        run.refresh_from_db()
        if run.status != run.Status.DONE:
            raise CommandError(f"backtest #{run.pk} failed: {run.error}")
        self.stdout.write(f"Stored backtest #{run.pk} for {username}")
        return dict(run.metrics)
