"""Embedded demo: train a small model per demo market and write signals for recent candles.

Idempotent and offline: a demo market that already has a champion is not retrained, and
signals are unique per model and candle. Skips cleanly when no demo candles exist.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand

from markets.core.adapter import timeframe_ms
from markets.models import Candle, Market
from signals.core.features import CandleDataError
from signals.core.model import TrainingError, TrainParams
from signals.models import ModelVersion
from signals.services import MIN_TRAIN_CANDLES, model_train, signals_backfill

DEMO_PARAMS = TrainParams(num_boost_round=40, early_stopping_rounds=10, max_depth=3)
RECENT_CANDLES = 168


class Command(BaseCommand):
    help = "Train small demo models and write signals for the demo markets (embedded run)."

    def handle(self, *args: Any, **options: Any) -> None:
        markets = Market.objects.filter(exchange__is_demo=True).select_related("exchange")
        seeded = 0
        for market in markets:
            for timeframe in market.timeframes or ["1h"]:
                seeded += self._seed(market, timeframe)
        if seeded == 0:
            self.stdout.write("signals demo: no demo candles to learn from; nothing to seed")

    def _seed(self, market: Market, timeframe: str) -> int:
        candles = Candle.objects.filter(market=market, timeframe=timeframe)
        count = candles.count()
        if count < MIN_TRAIN_CANDLES:
            if count:
                self.stdout.write(
                    f"signals demo: {market} {timeframe} has {count} candles "
                    f"(< {MIN_TRAIN_CANDLES}); skipped"
                )
            return 0
        scope = f"{market.exchange.ccxt_id}:{market.symbol}"
        champion = ModelVersion.objects.filter(
            scope=scope, timeframe=timeframe, status=ModelVersion.Status.CHAMPION
        ).first()
        if champion is None:
            try:
                outcome = model_train(
                    exchange=market.exchange.ccxt_id,
                    symbol=market.symbol,
                    timeframe=timeframe,
                    horizon=4,
                    folds=2,
                    train_params=DEMO_PARAMS,
                )
            except (TrainingError, CandleDataError) as e:
                self.stdout.write(f"signals demo: {market} {timeframe} not trained: {e}")
                return 0
            champion = outcome.model_version
            if champion.status != ModelVersion.Status.CHAMPION:
                return 0
        last = candles.order_by("-open_time").values_list("open_time", flat=True).first()
        if last is None:
            return 0
        step = timedelta(milliseconds=timeframe_ms(timeframe))
        written = signals_backfill(
            market=market,
            model_version=champion,
            start=last - (RECENT_CANDLES - 1) * step,
            end=last + step,
        )
        self.stdout.write(
            f"signals demo: {market} {timeframe} model #{champion.pk}, {written} new signals"
        )
        return 1
