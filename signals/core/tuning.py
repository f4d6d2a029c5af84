"""Walk-forward hyperparameter search with Optuna, and what it tried.

Each trial is scored by the embargoed walk-forward (never a single split): its objective is
the mean calibrated log-loss skill over the folds, reported fold by fold so the pruner can
stop a hopeless trial early. The sampler (TPE) is seeded; with an RDB storage URL the study is
kept in the database and a second run with the same name resumes it.

Every finished trial leaves, as user attributes, per-block sums (and sums of squares) of its
strategy's net per-candle returns at its in-fold thresholds, and its Sharpe ratio: enough to
estimate the Probability of Backtest Overfitting (CSCV, configurations compared by Sharpe) over
all trials and the variance of the trials' Sharpe ratios that the Deflated Sharpe needs,
including for trials run before a resume.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

import numpy as np
import optuna
import pandas as pd
from sqlalchemy.pool import NullPool

from signals.core.model import (
    DEFAULT_FEE_RATE,
    DEFAULT_SLIPPAGE_BPS,
    BacktestFn,
    TrainParams,
    WalkForwardResult,
    walk_forward,
)
from signals.core.pooled import (
    MarketData,
    PooledResult,
    build_pool,
    pooled_verdict,
    pooled_walk_forward,
)
from signals.core.skill import Verdict, judge, pbo_from_block_sums, sharpe

PBO_BLOCKS = 12

Progress = Callable[[int, int, float | None], None]


@dataclass
class SearchResult:
    best_params: TrainParams
    best_score: float
    trials: int  # every configuration tried, pruned ones included (for the Deflated Sharpe)
    complete: int
    pruned: int
    sharpe_variance: float
    pbo: float | None
    pbo_splits: int
    study_name: str


def suggest(trial: optuna.Trial | optuna.trial.FixedTrial, base: TrainParams) -> TrainParams:
    """Draw one configuration from the search space around `base`."""
    return replace(
        base,
        max_depth=trial.suggest_int("max_depth", 2, 6),
        learning_rate=trial.suggest_float("learning_rate", 0.02, 0.3, log=True),
        min_child_weight=trial.suggest_float("min_child_weight", 1.0, 50.0, log=True),
        subsample=trial.suggest_float("subsample", 0.5, 1.0),
        colsample_bytree=trial.suggest_float("colsample_bytree", 0.4, 1.0),
        reg_lambda=trial.suggest_float("reg_lambda", 0.1, 20.0, log=True),
    )


def _block_sums(values: np.ndarray, blocks: int) -> list[float]:
    edges = np.linspace(0, values.size, blocks + 1).astype(int)
    return [float(values[a:b].sum()) for a, b in itertools.pairwise(edges)]


def search(
    candles: pd.DataFrame,
    features: pd.DataFrame,
    labels: pd.Series,
    *,
    trials: int,
    horizon: int,
    folds: int = 5,
    base: TrainParams | None = None,
    seed: int = 0,
    storage: str | optuna.storages.BaseStorage | None = None,
    study_name: str = "signals",
    fee_rate: float = DEFAULT_FEE_RATE,
    slippage_bps: float = DEFAULT_SLIPPAGE_BPS,
    optional_features: Sequence[str] = (),
    progress: Progress | None = None,
) -> SearchResult:
    """Run `trials` more trials of the study (resuming it when it exists) and summarise it."""

    def run(params: TrainParams, on_fold: Callable[[int, float], None]) -> Scored:
        return walk_forward(
            candles,
            features,
            labels,
            params=params,
            horizon=horizon,
            folds=folds,
            fee_rate=fee_rate,
            slippage_bps=slippage_bps,
            optional_features=optional_features,
            evaluate_trading=True,
            light=True,
            seed=seed,
            on_fold=on_fold,
        )

    return search_with(
        run,
        trials=trials,
        base=base,
        seed=seed,
        storage=storage,
        study_name=study_name,
        progress=progress,
    )


def search_pooled(
    markets: Sequence[MarketData],
    *,
    trials: int,
    horizon: int,
    folds: int = 5,
    base: TrainParams | None = None,
    seed: int = 0,
    storage: str | optuna.storages.BaseStorage | None = None,
    study_name: str = "signals",
    fee_rate: float = DEFAULT_FEE_RATE,
    slippage_bps: float = DEFAULT_SLIPPAGE_BPS,
    optional_features: Sequence[str] = (),
    progress: Progress | None = None,
) -> SearchResult:
    """The search for one model pooled over several markets (time-aligned folds)."""
    pool = build_pool(markets, optional_features=optional_features)

    def run(params: TrainParams, on_fold: Callable[[int, float], None]) -> Scored:
        return pooled_walk_forward(
            markets,
            params=params,
            horizon=horizon,
            folds=folds,
            fee_rate=fee_rate,
            slippage_bps=slippage_bps,
            optional_features=optional_features,
            evaluate_trading=True,
            light=True,
            seed=seed,
            on_fold=on_fold,
            pool=pool,
        )

    return search_with(
        run,
        trials=trials,
        base=base,
        seed=seed,
        storage=storage,
        study_name=study_name,
        progress=progress,
    )


class Scored(Protocol):
    summary_score: float
    returns: np.ndarray


def search_with(
    run: Callable[[TrainParams, Callable[[int, float], None]], Scored],
    *,
    trials: int,
    base: TrainParams | None = None,
    seed: int = 0,
    storage: str | optuna.storages.BaseStorage | None = None,
    study_name: str = "signals",
    progress: Progress | None = None,
) -> SearchResult:
    """Run `trials` more trials of `run` (a walk-forward of one configuration) and summarise."""
    base = base or TrainParams()
    sampler = optuna.samplers.TPESampler(seed=seed)
    pruner = optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=1)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    if isinstance(storage, str):
        # No pool: the study's connections close after each use instead of idling in the
        # database between trials (and outliving the search).
        storage = optuna.storages.RDBStorage(storage, engine_kwargs={"poolclass": NullPool})
    study = optuna.create_study(
        study_name=study_name,
        storage=storage,
        sampler=sampler,
        pruner=pruner,
        direction="maximize",
        load_if_exists=True,
    )
    study.set_user_attr("pbo_blocks", PBO_BLOCKS)

    def objective(trial: optuna.Trial) -> float:
        params = suggest(trial, base)

        def on_fold(fold: int, running: float) -> None:
            trial.report(running, fold)
            if trial.should_prune():
                raise optuna.TrialPruned()

        result = run(params, on_fold)
        returns = result.returns
        trial.set_user_attr("block_returns", _block_sums(returns, PBO_BLOCKS))
        trial.set_user_attr("block_squares", _block_sums(returns**2, PBO_BLOCKS))
        trial.set_user_attr("block_rows", _block_sums(np.ones(returns.size), PBO_BLOCKS))
        trial.set_user_attr("sharpe", sharpe(result.returns))
        return result.summary_score

    def callback(study: optuna.Study, trial: optuna.trial.FrozenTrial) -> None:
        if progress is not None:
            done = sum(1 for t in study.trials if t.state.is_finished()) - already
            best = study.best_value if _has_complete(study) else None
            progress(done, trials, best)

    already = sum(1 for t in study.trials if t.state.is_finished())
    study.optimize(objective, n_trials=trials, callbacks=[callback], gc_after_trial=False)
    return summarise(study, base)


def _has_complete(study: optuna.Study) -> bool:
    return any(t.state == optuna.trial.TrialState.COMPLETE for t in study.trials)


def summarise(study: optuna.Study, base: TrainParams) -> SearchResult:
    """Best configuration, trial counts, Sharpe variance and PBO of a study."""
    complete = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    pruned = [t for t in study.trials if t.state == optuna.trial.TrialState.PRUNED]
    if not complete:
        raise ValueError("the search finished no trial")
    best = study.best_trial
    sharpes = np.array([float(t.user_attrs.get("sharpe", 0.0)) for t in complete])
    usable = [t for t in complete if "block_returns" in t.user_attrs]
    pbo: dict[str, Any] = {"pbo": None, "splits": 0}
    if len(usable) >= 2:
        sums = np.array([t.user_attrs["block_returns"] for t in usable]).T
        squares = np.array([t.user_attrs["block_squares"] for t in usable]).T
        rows = np.asarray(usable[0].user_attrs["block_rows"], dtype=np.float64)
        pbo = pbo_from_block_sums(sums, rows, squares)
    return SearchResult(
        best_params=replace(base, **best.params),
        best_score=float(best.value if best.value is not None else float("nan")),
        trials=len(complete) + len(pruned),
        complete=len(complete),
        pruned=len(pruned),
        sharpe_variance=float(np.var(sharpes, ddof=1)) if sharpes.size > 1 else 0.0,
        pbo=pbo["pbo"],
        pbo_splits=int(pbo["splits"]),
        study_name=study.study_name,
    )


def validate_best(
    candles: pd.DataFrame,
    features: pd.DataFrame,
    labels: pd.Series,
    found: SearchResult,
    *,
    horizon: int,
    folds: int = 5,
    fee_rate: float = DEFAULT_FEE_RATE,
    slippage_bps: float = DEFAULT_SLIPPAGE_BPS,
    optional_features: Sequence[str] = (),
    backtest: BacktestFn | None = None,
    seed: int = 0,
) -> tuple[WalkForwardResult, Verdict]:
    """Walk-forward the search's best configuration and judge it, deflated for the search."""
    result = walk_forward(
        candles,
        features,
        labels,
        params=found.best_params,
        horizon=horizon,
        folds=folds,
        fee_rate=fee_rate,
        slippage_bps=slippage_bps,
        optional_features=optional_features,
        backtest=backtest,
        seed=seed,
        trials=found.trials,
        trial_sharpe_variance=found.sharpe_variance,
    )
    result.evaluation["pbo"] = found.pbo
    return result, judge(result.evaluation)


def validate_best_pooled(
    markets: Sequence[MarketData],
    found: SearchResult,
    *,
    horizon: int,
    folds: int = 5,
    fee_rate: float = DEFAULT_FEE_RATE,
    slippage_bps: float = DEFAULT_SLIPPAGE_BPS,
    optional_features: Sequence[str] = (),
    backtest: BacktestFn | None = None,
    seed: int = 0,
) -> tuple[PooledResult, Verdict]:
    """Walk-forward the pooled search's best configuration; judge it on every market."""
    result = pooled_walk_forward(
        markets,
        params=found.best_params,
        horizon=horizon,
        folds=folds,
        fee_rate=fee_rate,
        slippage_bps=slippage_bps,
        optional_features=optional_features,
        backtest=backtest,
        seed=seed,
        trials=found.trials,
        trial_sharpe_variance=found.sharpe_variance,
    )
    return result, pooled_verdict(result, {"pbo": found.pbo})
