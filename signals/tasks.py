"""Celery tasks of the signals app (queue "ml"): thin, idempotent, one lock per run."""

from __future__ import annotations

from typing import Any

import structlog
from celery import shared_task

from accounts.events import user_group
from markets.locks import task_lock
from markets.selectors import market_get, market_get_by_id, markets_list
from markets.stream import publish
from signals import services

log = structlog.get_logger(__name__)

PREDICT_LOCK = "signals:predict"
PREDICT_LOCK_SECONDS = 300
RETRAIN_LOCK = "signals:retrain:{market}:{timeframe}"
RETRAIN_LOCK_SECONDS = 3 * 3600


@shared_task(name="signals.predict_signals_task", ignore_result=True)
def predict_signals_task() -> dict[str, int]:
    """Write signals for newly closed candles; safe to run every minute (unique per candle)."""
    with task_lock(PREDICT_LOCK, ttl=PREDICT_LOCK_SECONDS) as lease:
        if lease is None:
            return {"skipped": 1}
        report = services.signals_predict_all()
    return {
        "created": len(report.created),
        "existing": report.existing,
        "errors": len(report.errors),
    }


@shared_task(name="signals.retrain_models_task", ignore_result=True)
def retrain_models_task() -> list[dict[str, Any]]:
    """Retrain every enabled market and timeframe; a better candidate replaces the champion."""
    outcomes: list[dict[str, Any]] = []
    markets = markets_list(enabled=True, exchange_enabled=True)
    for market in markets:
        for timeframe in market.timeframes or []:
            outcomes.append(retrain_market(market.pk, timeframe))
    return outcomes


def retrain_market(market_id: int, timeframe: str) -> dict[str, Any]:
    market = market_get_by_id(market_id=market_id)
    lock = RETRAIN_LOCK.format(market=market_id, timeframe=timeframe)
    with task_lock(lock, ttl=RETRAIN_LOCK_SECONDS) as lease:
        if lease is None:
            return {"market": str(market), "timeframe": timeframe, "skipped": "locked"}
        try:
            outcome = services.model_train(
                exchange=market.exchange.ccxt_id, symbol=market.symbol, timeframe=timeframe
            )
        except Exception as e:  # one market's failure must not stop the others
            log.warning(
                "signals.retrain_failed", market=str(market), timeframe=timeframe, error=str(e)
            )
            return {"market": str(market), "timeframe": timeframe, "error": str(e)}
    return {
        "market": str(market),
        "timeframe": timeframe,
        "model_version": outcome.model_version.pk,
        "promoted": outcome.promoted,
    }


TUNE_LOCK = "signals:tune:{market}:{timeframe}"
TUNE_LOCK_SECONDS = 6 * 3600


@shared_task(name="signals.tune_model_task", ignore_result=True)
def tune_model_task(
    *,
    user_id: int,
    exchange: str,
    symbol: str,
    timeframe: str,
    trials: int,
    horizon: int = 4,
    folds: int = 5,
    pooled_with: list[str] | None = None,
) -> dict[str, Any]:
    """Run a walk-forward hyperparameter search, telling the user its progress on the stream.

    With `pooled_with` one model is searched over the market and those other symbols.
    """
    market = market_get(exchange=exchange, symbol=symbol)
    group = user_group(user_id)
    base = {
        "exchange": exchange,
        "symbol": symbol,
        "timeframe": timeframe,
        "trials": trials,
        "pooled_with": pooled_with or [],
    }

    def tell(state: str, **data: Any) -> None:
        publish(
            group=group, type="model_tuning", id=market.pk, data={**base, "state": state, **data}
        )

    def progress(done: int, total: int, best: float | None) -> None:
        tell("running", done=done, total=total, best_score=best)

    lock = TUNE_LOCK.format(market=market.pk, timeframe=timeframe)
    with task_lock(lock, ttl=TUNE_LOCK_SECONDS) as lease:
        if lease is None:
            tell("skipped", error="a search of this market and timeframe is already running")
            return {"skipped": "locked"}
        tell("running", done=0, total=trials, best_score=None)
        try:
            outcome = services.model_tune(
                exchange=exchange,
                symbol=symbol,
                timeframe=timeframe,
                trials=trials,
                horizon=horizon,
                folds=folds,
                progress=progress,
                pooled_with=pooled_with or (),
            )
        except Exception as e:  # reported to the user, who started it
            log.warning("signals.tune_failed", market=str(market), error=str(e))
            tell("failed", error=str(e))
            return {"error": str(e)}
    summary = outcome.summary()
    tell("done", **summary)
    return summary
