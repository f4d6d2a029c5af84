"""Writes of the signals app: the walk-forward hyperparameter search and its model."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

import structlog
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, transaction

from markets.core.errors import QuantumTraderError
from markets.selectors import market_get
from signals.core.labels import LabelParams
from signals.core.model import DEFAULT_FEE_RATE, DEFAULT_SLIPPAGE_BPS
from signals.core.tuning import SearchResult, search, search_pooled
from signals.services.training import (
    PooledTrainOutcome,
    SearchRecord,
    TrainOutcome,
    model_train,
    model_train_pooled,
    pooled_training_data,
    training_data,
)

log = structlog.get_logger(__name__)

Progress = Callable[[int, int, float | None], None]


def optuna_storage_url() -> str:
    """Return an SQLAlchemy URL of the project's own database, for Optuna's RDB storage."""
    settings = connection.settings_dict
    user = quote(str(settings.get("USER") or ""), safe="")
    password = quote(str(settings.get("PASSWORD") or ""), safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings.get("HOST") or "localhost"
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgresql+psycopg://{auth}{host}{port}/{settings['NAME']}"


def study_name(
    *,
    exchange: str,
    symbol: str,
    timeframe: str,
    horizon: int,
    folds: int,
    pooled_with: Sequence[str] = (),
) -> str:
    """Name the study of one market (or pool) and set-up (running it again resumes it)."""
    symbols = "+".join(sorted({symbol, *pooled_with}))
    return f"signals:{exchange}:{symbols}:{timeframe}:h{horizon}:f{folds}"


@dataclass
class TuneOutcome:
    search: SearchResult
    train: TrainOutcome | PooledTrainOutcome

    def summary(self) -> dict[str, Any]:
        version = self.train.model_version
        return {
            "model_version": version.pk,
            "status": version.status,
            "trials": self.search.trials,
            "pruned": self.search.pruned,
            "best_score": self.search.best_score,
            "pbo": self.search.pbo,
            "eligible": self.train.verdict.eligible,
            "reasons": self.train.verdict.reasons,
        }


def model_tune(
    *,
    exchange: str,
    symbol: str,
    timeframe: str,
    trials: int = 50,
    horizon: int = 4,
    folds: int = 5,
    seed: int = 0,
    start: datetime | None = None,
    end: datetime | None = None,
    fee_rate: float = DEFAULT_FEE_RATE,
    slippage_bps: float = DEFAULT_SLIPPAGE_BPS,
    storage: str | None = "database",
    progress: Progress | None = None,
    now: datetime | None = None,
    pooled_with: Sequence[str] = (),
) -> TuneOutcome:
    """Search hyperparameters walk-forward, then train, register and judge the best.

    The study lives in the project's database (`storage="database"`; None keeps it in memory)
    under a name per market and set-up, so a second run adds trials to the first. The model
    is judged with the Deflated Sharpe deflated for every trial of the study, and the study's
    Probability of Backtest Overfitting is recorded beside it. With `pooled_with` (other
    symbols of the exchange) one model is searched and trained over all the markets.
    """
    if trials < 1:
        raise ValueError("trials must be at least 1")
    extra = [s for s in dict.fromkeys(pooled_with) if s != symbol]
    if extra:
        return _model_tune_pooled(
            exchange=exchange,
            symbols=[symbol, *extra],
            timeframe=timeframe,
            trials=trials,
            horizon=horizon,
            folds=folds,
            seed=seed,
            start=start,
            end=end,
            fee_rate=fee_rate,
            slippage_bps=slippage_bps,
            storage=storage,
            progress=progress,
            now=now,
        )
    market = market_get(exchange=exchange, symbol=symbol)
    labels = LabelParams(horizon=horizon, fee_rate=fee_rate, slippage_bps=slippage_bps)
    data = training_data(
        market, timeframe, start=start, end=end, now=now, feature_config=None, label_params=labels
    )
    name = study_name(
        exchange=exchange, symbol=symbol, timeframe=timeframe, horizon=horizon, folds=folds
    )
    found = search(
        data.candles,
        data.features,
        data.labels,
        trials=trials,
        horizon=horizon,
        folds=folds,
        seed=seed,
        storage=optuna_storage_url() if storage == "database" else storage,
        study_name=name,
        fee_rate=fee_rate,
        slippage_bps=slippage_bps,
        optional_features=data.optional,
        progress=progress,
    )
    log.info(
        "signals.search_done", study=name, trials=found.trials, best=found.best_score, pbo=found.pbo
    )
    trained = model_train(
        exchange=exchange,
        symbol=symbol,
        timeframe=timeframe,
        start=start,
        end=end,
        horizon=horizon,
        folds=folds,
        train_params=found.best_params,
        feature_config=data.config,
        fee_rate=fee_rate,
        slippage_bps=slippage_bps,
        now=now,
        search=SearchRecord(
            trials=found.trials,
            sharpe_variance=found.sharpe_variance,
            pbo=found.pbo,
            study=name,
        ),
    )
    return TuneOutcome(search=found, train=trained)


def _model_tune_pooled(
    *,
    exchange: str,
    symbols: list[str],
    timeframe: str,
    trials: int,
    horizon: int,
    folds: int,
    seed: int,
    start: datetime | None,
    end: datetime | None,
    fee_rate: float,
    slippage_bps: float,
    storage: str | None,
    progress: Progress | None,
    now: datetime | None,
) -> TuneOutcome:
    labels = LabelParams(horizon=horizon, fee_rate=fee_rate, slippage_bps=slippage_bps)
    _, loaded, config, optional = pooled_training_data(
        exchange=exchange,
        symbols=symbols,
        timeframe=timeframe,
        start=start,
        end=end,
        now=now,
        feature_config=None,
        label_params=labels,
    )
    name = study_name(
        exchange=exchange,
        symbol=symbols[0],
        timeframe=timeframe,
        horizon=horizon,
        folds=folds,
        pooled_with=symbols[1:],
    )
    found = search_pooled(
        loaded,
        trials=trials,
        horizon=horizon,
        folds=folds,
        seed=seed,
        storage=optuna_storage_url() if storage == "database" else storage,
        study_name=name,
        fee_rate=fee_rate,
        slippage_bps=slippage_bps,
        optional_features=optional,
        progress=progress,
    )
    log.info(
        "signals.search_done", study=name, trials=found.trials, best=found.best_score, pbo=found.pbo
    )
    trained = model_train_pooled(
        exchange=exchange,
        symbols=symbols,
        timeframe=timeframe,
        start=start,
        end=end,
        horizon=horizon,
        folds=folds,
        train_params=found.best_params,
        feature_config=config,
        fee_rate=fee_rate,
        slippage_bps=slippage_bps,
        now=now,
        search=SearchRecord(
            trials=found.trials, sharpe_variance=found.sharpe_variance, pbo=found.pbo, study=name
        ),
    )
    return TuneOutcome(search=found, train=trained)


class TuneRequestError(QuantumTraderError, ValueError):
    """A search cannot be started for the market and timeframe asked for."""

    code = "tune_request_invalid"
    status = 400


def model_tune_enqueue(
    *,
    user_id: int,
    exchange: str,
    symbol: str,
    timeframe: str,
    trials: int,
    horizon: int,
    folds: int,
    pooled_with: Sequence[str] = (),
) -> dict[str, Any]:
    """Check the markets and queue the search on the ml queue; progress goes to the user's stream.

    With `pooled_with` (other symbols of the exchange) one model is searched over all of them.
    """
    extra = [s for s in dict.fromkeys(pooled_with) if s != symbol]
    for name, field in [(symbol, "symbol"), *((s, "pooled_with") for s in extra)]:
        try:
            market = market_get(exchange=exchange, symbol=name)
        except ObjectDoesNotExist:
            raise TuneRequestError(f"no market {exchange} {name}", field=field) from None
        if timeframe not in (market.timeframes or []):
            raise TuneRequestError(
                f"{market} has no {timeframe} candles configured (it has "
                f"{', '.join(market.timeframes or []) or 'none'})",
                field="timeframe",
            )
    from signals.tasks import tune_model_task

    options = {
        "user_id": user_id,
        "exchange": exchange,
        "symbol": symbol,
        "timeframe": timeframe,
        "trials": trials,
        "horizon": horizon,
        "folds": folds,
        "pooled_with": extra,
    }
    transaction.on_commit(lambda: tune_model_task.delay(**options))
    return {
        "exchange": exchange,
        "symbol": symbol,
        "timeframe": timeframe,
        "trials": trials,
        "horizon": horizon,
        "folds": folds,
        "pooled_with": extra,
        "study": study_name(
            exchange=exchange,
            symbol=symbol,
            timeframe=timeframe,
            horizon=horizon,
            folds=folds,
            pooled_with=extra,
        ),
        "queue": "ml",
    }
