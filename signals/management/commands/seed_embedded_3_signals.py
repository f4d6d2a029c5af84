"""Embedded demo: train a small model per demo market and write signals for recent candles.

Idempotent and offline: a demo market that already has a model is not retrained, and signals
are unique per model and candle. A demo model that does not earn the champion's seat (the demo
candles are a random walk: it should not) stays a candidate; the demo still shows its signals,
and the seed prints why it is not champion. Skips cleanly when no demo candles exist.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand

from markets.core.adapter import timeframe_ms
from markets.selectors import market_candle_stats, markets_list
from signals.core.features import CandleDataError
from signals.core.model import TrainingError, TrainParams
from signals.selectors import champion_get, model_version_latest
from signals.services import MIN_TRAIN_CANDLES, model_train, signals_backfill

if TYPE_CHECKING:
    from markets.models import Market

DEMO_PARAMS = TrainParams(num_boost_round=40, early_stopping_rounds=10, max_depth=3)
RECENT_CANDLES = 168


class Command(BaseCommand):
    help = "Train small demo models and write signals for the demo markets (embedded run)."

    def handle(self, *args: Any, **options: Any) -> None:
        markets = markets_list(demo=True)
        seeded = 0
        for market in markets:
            for timeframe in market.timeframes or ["1h"]:
                seeded += self._seed(market, timeframe)
        if seeded == 0:
            self.stdout.write("signals demo: no demo candles to learn from; nothing to seed")

    def _seed(self, market: Market, timeframe: str) -> int:
        stats = {s["timeframe"]: s for s in market_candle_stats(market_id=market.pk)}
        count = stats[timeframe]["count"] if timeframe in stats else 0
        if count < MIN_TRAIN_CANDLES:
            if count:
                self.stdout.write(
                    f"signals demo: {market} {timeframe} has {count} candles "
                    f"(< {MIN_TRAIN_CANDLES}); skipped"
                )
            return 0
        key = {"exchange": market.exchange.ccxt_id, "symbol": market.symbol, "timeframe": timeframe}
        champion = champion_get(**key) or model_version_latest(**key)
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
            if not outcome.promoted:
                reasons = "; ".join(outcome.verdict.reasons)
                self.stdout.write(
                    f"signals demo: {market} {timeframe} model #{champion.pk} stays a candidate "
                    f"(no champion, bots on the champion do not trade): {reasons}"
                )
        last: datetime = stats[timeframe]["last"]
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
