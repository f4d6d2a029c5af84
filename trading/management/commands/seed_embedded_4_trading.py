"""Give the embedded default's demo user a paper account and a finished backtest (idempotent)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import BaseCommand

from markets.selectors import market_get
from trading.orders.paper_store import paper_accounts_ensure
from trading.selectors import backtest_run_list
from trading.services import BacktestConfigError, backtest_run_create, backtest_run_execute

DEMO_USER = "demo"
DEMO_EXCHANGE = "demo"
DEMO_SYMBOLS = ("BTC/USDT", "ETH/USDT")
TIMEFRAMES = ("1h", "4h", "1d", "15m", "5m", "1m")


class Command(BaseCommand):
    help = (
        "Give the demo user a paper account on the demo exchange, and run one SMA-cross "
        "backtest on the offline demo market, once."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=DEMO_USER).first()
        if user is None:
            self.stdout.write("trading seed: no demo user, nothing to do")
            return
        accounts = paper_accounts_ensure(owner=user)
        self.stdout.write(f"trading seed: the demo user has {len(accounts)} paper account(s)")
        if backtest_run_list(owner=user).exists():
            self.stdout.write("trading seed: the demo user already has backtests")
            return
        for symbol in DEMO_SYMBOLS:
            try:
                market_get(exchange=DEMO_EXCHANGE, symbol=symbol)
            except ObjectDoesNotExist:
                continue
            for timeframe in TIMEFRAMES:
                config = {
                    "exchange": DEMO_EXCHANGE,
                    "symbol": symbol,
                    "timeframe": timeframe,
                    "strategy": "sma_cross",
                    "params": {"fast": 20, "slow": 50},
                    "fee": 0.001,
                    "slippage_bps": 5,
                }
                try:
                    run = backtest_run_create(owner=user, config=config, enqueue=False)
                except BacktestConfigError:
                    continue  # no candles in this timeframe
                backtest_run_execute(run_id=run.pk)
                self.stdout.write(f"trading seed: demo backtest #{run.pk} on {symbol} {timeframe}")
                return
        self.stdout.write("trading seed: no demo market with candles, nothing to do")
