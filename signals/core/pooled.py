"""One model for several markets of a timeframe: pooled rows, per-market features, time folds.

Each market's features are normalised on its own history (a rolling z-score over the last
`window` candles, the row itself included, so nothing later is read) and the market is a
feature (one column per market, 1 on its rows). The markets' rows are stacked in time order.

Walk-forward folds are cut on time, not on rows: the test windows are consecutive time spans
over the last `test_fraction` of the markets' labelled candles, and a fold trains only on rows
of any market whose time is at least `horizon` candles before the fold's first test candle.
So no fold's booster, calibrator or thresholds sees any market's test window, nor the candles
the last training labels read. Each fold is scored per market (a fold-table row per market,
beside that market's own class prior), and the out-of-sample evaluation, trading results and
Deflated Sharpe are per market, as is the champion verdict.
"""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import xgboost as xgb

from signals.core.calibration import fit_calibrator
from signals.core.labels import CLASS_NAMES
from signals.core.model import (
    DEFAULT_FEE_RATE,
    DEFAULT_SLIPPAGE_BPS,
    MIN_CALIBRATION_ROWS,
    MIN_TRAIN_ROWS,
    BacktestFn,
    CalibratedModel,
    Costs,
    TrainingError,
    TrainParams,
    _iterations,
    _row_log_loss,
    _TradingLog,
    attach_calibration,
    choose_thresholds_joint,
    default_backtest,
    fit_model,
    fold_scores,
    pooled_evaluation,
    predict_proba,
    usable_rows,
)
from signals.core.skill import Verdict, judge

logger = logging.getLogger(__name__)

NORMALISE_WINDOW = 336
# Bounded by construction and the same on every market: left as they are.
UNNORMALISED = ("hour_sin", "hour_cos", "dow_sin", "dow_cos")


@dataclass
class MarketData:
    """One market's candles, raw features (as `build_features` makes them) and labels."""

    key: str
    candles: pd.DataFrame
    features: pd.DataFrame
    labels: pd.Series


def market_columns(count: int) -> list[str]:
    return [f"market_{i}" for i in range(count)]


def normalise_features(
    features: pd.DataFrame, *, window: int = NORMALISE_WINDOW, keep: Sequence[str] = ()
) -> pd.DataFrame:
    """Return each column as a z-score over its own last `window` rows (row included).

    Rows before a full window are NaN. Columns in `UNNORMALISED` or `keep` are unchanged.
    """
    out = features.copy()
    skip = set(UNNORMALISED) | set(keep)
    columns = [c for c in features.columns if c not in skip]
    values = features[columns]
    rolling = values.rolling(window, min_periods=window)
    mean, std = rolling.mean(), rolling.std(ddof=0)
    z = (values - mean) / std.where(std > 0)
    z = z.where(~(std == 0), 0.0)
    out[columns] = z
    return out


def pooled_features(
    features: pd.DataFrame,
    *,
    market: int,
    markets: int,
    window: int = NORMALISE_WINDOW,
    keep: Sequence[str] = (),
) -> pd.DataFrame:
    """Return one market's model input: its normalised features and the market columns."""
    out = normalise_features(features, window=window, keep=keep)
    for i, name in enumerate(market_columns(markets)):
        out[name] = 1.0 if i == market else 0.0
    return out


def pooling_of(booster: xgb.Booster) -> dict[str, Any] | None:
    """Return what a pooled booster was trained on (markets, window, kept columns), or None."""
    raw = booster.attr("pooled")
    return json.loads(raw) if raw else None


def model_input(booster: xgb.Booster, features: pd.DataFrame, market_key: str) -> pd.DataFrame:
    """Return the features a booster reads for `market_key` (pooled boosters transform them)."""
    pooling = pooling_of(booster)
    if pooling is None:
        return features
    keys = list(pooling["markets"])
    if market_key not in keys:
        raise TrainingError(f"the model was not trained on {market_key} (it serves {keys})")
    return pooled_features(
        features,
        market=keys.index(market_key),
        markets=len(keys),
        window=int(pooling["window"]),
        keep=tuple(pooling.get("keep", ())),
    )


def extra_history(booster: xgb.Booster) -> int:
    """Return how many more candles than a plain model a booster needs to predict one row."""
    pooling = pooling_of(booster)
    return int(pooling["window"]) if pooling else 0


@dataclass
class Pool:
    """The markets' usable rows stacked in time order."""

    keys: list[str]
    data: list[MarketData]
    matrix: np.ndarray
    y: np.ndarray
    times: np.ndarray  # int64 ns open times
    market: np.ndarray  # market number of each row
    row: np.ndarray  # position of each row in its market's candles
    names: list[str]
    step: int  # ns per candle
    window: int
    keep: tuple[str, ...]


def _step_ns(candles: pd.DataFrame) -> int:
    stamps = candles.index.as_unit("ns").asi8
    return int(np.min(np.diff(stamps))) if stamps.size > 1 else 1


def build_pool(
    markets: Sequence[MarketData],
    *,
    window: int = NORMALISE_WINDOW,
    optional_features: Sequence[str] = (),
) -> Pool:
    """Normalise each market's features, add the market columns and stack the usable rows."""
    if len(markets) < 2:
        raise ValueError("a pooled model needs at least two markets")
    keys = [m.key for m in markets]
    if len(set(keys)) != len(keys):
        raise ValueError("each market may appear once in a pool")
    steps = {_step_ns(m.candles) for m in markets}
    if len(steps) != 1:
        raise ValueError("the markets of a pool must share one timeframe")
    keep = tuple(optional_features)
    parts = []
    for number, m in enumerate(markets):
        frame = pooled_features(
            m.features, market=number, markets=len(markets), window=window, keep=keep
        )
        mask = usable_rows(frame, keep) & m.labels.notna().to_numpy()
        positions = np.flatnonzero(mask)
        parts.append(
            (
                frame.to_numpy(dtype=np.float64)[positions],
                m.labels.to_numpy()[positions],
                m.candles.index.as_unit("ns").asi8[positions],
                np.full(positions.size, number),
                positions,
            )
        )
        names = list(frame.columns)
    matrix = np.concatenate([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    times = np.concatenate([p[2] for p in parts])
    market = np.concatenate([p[3] for p in parts])
    row = np.concatenate([p[4] for p in parts])
    order = np.lexsort((market, times))
    return Pool(
        keys=keys,
        data=list(markets),
        matrix=matrix[order],
        y=y[order],
        times=times[order],
        market=market[order],
        row=row[order],
        names=names,
        step=steps.pop(),
        window=window,
        keep=keep,
    )


def fit_pooled(
    pool: Pool,
    train: np.ndarray,
    *,
    params: TrainParams,
    horizon: int,
    costs: Costs,
    calibration_fraction: float,
) -> CalibratedModel:
    """Fit the booster, calibrator and thresholds on the pool's rows `train` (time ordered).

    The calibration rows are the training rows of the last `calibration_fraction` of the
    window's time; the booster fits rows at least `horizon` candles earlier. Thresholds are
    one pair for all markets, the best summed net growth over their calibration windows.
    """
    times = pool.times[train]
    calib_rows = int(train.size * calibration_fraction)
    if calib_rows < MIN_CALIBRATION_ROWS:
        raise TrainingError(
            f"{train.size} pooled training rows leave {calib_rows} to calibrate on; at least "
            f"{MIN_CALIBRATION_ROWS} are needed: use more candles or fewer folds"
        )
    cut = times[train.size - calib_rows]
    calib = train[times >= cut]
    fit = train[times < cut - horizon * pool.step]
    markets = len(pool.keys)
    if fit.size < MIN_TRAIN_ROWS:
        raise TrainingError(
            f"{fit.size} pooled rows are left to fit before the calibration rows; at least "
            f"{MIN_TRAIN_ROWS} are needed"
        )
    # Up to one row per market per candle: this many rows span more than `horizon` candles.
    booster = fit_model(
        pool.matrix[fit],
        pool.y[fit].astype(np.int64),
        params,
        embargo=(horizon + 1) * markets,
        feature_names=pool.names,
    )
    raw = predict_proba(booster, pool.matrix[calib], calibrated=False)
    calibrator = fit_calibrator(raw, pool.y[calib])
    proba = calibrator.apply(raw)
    windows = []
    for number, m in enumerate(pool.data):
        mine = pool.market[calib] == number
        if not mine.any():
            continue
        rows = pool.row[calib][mine]
        window = m.candles.iloc[rows[0] : rows[-1] + 1]
        filled = np.full((len(window), 3), np.nan)
        filled[rows - rows[0]] = proba[mine]
        windows.append(
            (
                pd.DataFrame(filled).ffill().fillna(1.0 / 3).to_numpy(),
                window["open"].to_numpy(dtype=np.float64),
                window["close"].to_numpy(dtype=np.float64),
            )
        )
    thresholds = choose_thresholds_joint(windows, cost=costs.per_side)
    return CalibratedModel(booster=booster, calibrator=calibrator, thresholds=thresholds)


def attach_pooling(booster: xgb.Booster, pool: Pool) -> xgb.Booster:
    """Record in the booster (so in its artifact) the markets and normalisation it reads."""
    booster.set_attr(
        pooled=json.dumps({"markets": pool.keys, "window": pool.window, "keep": list(pool.keep)})
    )
    return booster


@dataclass
class PooledResult:
    """Fold rows (one per fold and market), per-market probabilities and evaluations."""

    folds: list[dict[str, Any]]
    probabilities: dict[str, pd.DataFrame]
    summary_score: float
    feature_names: list[str]
    evaluation: dict[str, Any]
    verdicts: dict[str, Verdict] = field(default_factory=dict)
    row_skill: np.ndarray = field(default_factory=lambda: np.zeros(0))
    returns: np.ndarray = field(default_factory=lambda: np.zeros(0))


def time_bounds(pool: Pool, *, folds: int, test_fraction: float) -> list[tuple[int, int]]:
    """Return each fold's test window as [start, end) open times (ns), over all markets."""
    stamps = np.unique(pool.times)
    test = int(stamps.size * test_fraction)
    edges = np.linspace(stamps.size - test, stamps.size, folds + 1).astype(int)
    out = []
    for lo, hi in itertools.pairwise(edges):
        if hi > lo:
            end = int(stamps[hi]) if hi < stamps.size else int(stamps[-1]) + 1
            out.append((int(stamps[lo]), end))
    return out


def pooled_walk_forward(
    markets: Sequence[MarketData],
    *,
    params: TrainParams,
    horizon: int,
    folds: int = 5,
    test_fraction: float = 0.5,
    window: int = NORMALISE_WINDOW,
    fee_rate: float = DEFAULT_FEE_RATE,
    slippage_bps: float = DEFAULT_SLIPPAGE_BPS,
    optional_features: Sequence[str] = (),
    backtest: BacktestFn | None = None,
    evaluate_trading: bool = True,
    seed: int = 0,
    calibration_fraction: float = 0.5,
    trials: int = 1,
    trial_sharpe_variance: float = 0.0,
    on_fold: Callable[[int, float], None] | None = None,
    light: bool = False,
    pool: Pool | None = None,
) -> PooledResult:
    """Walk-forward one model over several markets, folds aligned on time; score per market."""
    if folds < 1:
        raise ValueError("folds must be at least 1")
    pool = pool or build_pool(markets, window=window, optional_features=optional_features)
    if pool.y.size < MIN_TRAIN_ROWS * 2:
        raise TrainingError(
            f"only {pool.y.size} labelled rows past the warm-up and normalisation window; "
            f"walk-forward needs at least {MIN_TRAIN_ROWS * 2}"
        )
    costs = Costs(fee_rate=fee_rate, slippage_bps=slippage_bps)
    if evaluate_trading and backtest is None and not light:
        backtest = default_backtest()
    count = len(pool.keys)
    fold_rows: list[dict[str, Any]] = []
    collected: list[dict[str, list[np.ndarray]]] = [
        {"proba": [], "y": [], "prior": []} for _ in range(count)
    ]
    skills: list[list[np.ndarray]] = [[] for _ in range(count)]
    trading = [_TradingLog() for _ in range(count)]
    out_of_sample: list[list[pd.DataFrame]] = [[] for _ in range(count)]
    fold_skills: list[float] = []
    for number, (lo, hi) in enumerate(
        time_bounds(pool, folds=folds, test_fraction=test_fraction), start=1
    ):
        test = np.flatnonzero((pool.times >= lo) & (pool.times < hi))
        train = np.flatnonzero(pool.times < lo - horizon * pool.step)
        model = fit_pooled(
            pool,
            train,
            params=params,
            horizon=horizon,
            costs=costs,
            calibration_fraction=calibration_fraction,
        )
        raw_all = predict_proba(model.booster, pool.matrix[test], calibrated=False)
        proba_all = model.calibrator.apply(raw_all)
        per_market = []
        for m, data in enumerate(pool.data):
            mine = pool.market[test] == m
            if not mine.any():
                continue
            rows = pool.row[test][mine]
            proba, raw = proba_all[mine], raw_all[mine]
            y_test = pool.y[test][mine].astype(np.int64)
            trained = pool.y[train][pool.market[train] == m].astype(np.int64)
            prior = np.bincount(trained, minlength=3) + 1.0
            prior = prior / prior.sum()
            scores = fold_scores(proba, raw, y_test, prior)
            tiled = np.tile(prior, (y_test.size, 1))
            skills[m].append(_row_log_loss(tiled, y_test) - _row_log_loss(proba, y_test))
            collected[m]["proba"].append(proba)
            collected[m]["y"].append(y_test)
            collected[m]["prior"].append(tiled)
            fold_trading = (
                trading[m].add(data.candles, rows, proba, model.thresholds, costs, backtest)
                if evaluate_trading
                else {}
            )
            index = data.candles.index
            mine_train = pool.row[train][pool.market[train] == m]
            fold_rows.append(
                {
                    "fold": number,
                    "market": pool.keys[m],
                    "train_start": pd.Timestamp(int(pool.times[train[0]]), tz="UTC").isoformat(),
                    "train_end": pd.Timestamp(int(pool.times[train[-1]]), tz="UTC").isoformat(),
                    "test_start": index[rows[0]].isoformat(),
                    "test_end": index[rows[-1]].isoformat(),
                    "train_rows": int(train.size),
                    "market_train_rows": int(mine_train.size),
                    "calibration_rows": model.calibrator.rows,
                    "test_rows": int(rows.size),
                    "best_iteration": _iterations(model.booster)[1],
                    **scores,
                    "calibration": model.calibrator.to_dict(),
                    "buy_threshold": model.thresholds[0],
                    "sell_threshold": model.thresholds[1],
                    "fee_rate": costs.fee_rate,
                    "slippage_bps": costs.slippage_bps,
                    **fold_trading,
                }
            )
            per_market.append(scores["log_loss_skill"])
            out_of_sample[m].append(
                pd.DataFrame(proba, index=index[rows], columns=list(CLASS_NAMES))
            )
        fold_skills.extend(per_market)
        logger.info("pooled walk-forward fold %s done", number)
        if on_fold is not None:
            on_fold(number, float(np.mean(fold_skills)))
    if not fold_rows:
        raise TrainingError("no walk-forward fold has test rows")
    evaluation: dict[str, Any] = {"markets": {}, "trials": trials}
    verdicts: dict[str, Verdict] = {}
    all_skill, all_returns = [], []
    for m, key in enumerate(pool.keys):
        if not collected[m]["y"]:
            continue
        market_skill = np.concatenate(skills[m])
        market_eval, returns = pooled_evaluation(
            collected[m],
            market_skill,
            trading[m],
            horizon=horizon,
            costs=costs,
            seed=seed,
            trials=trials,
            trial_sharpe_variance=trial_sharpe_variance,
            light=light,
        )
        evaluation["markets"][key] = market_eval
        all_skill.append(market_skill)
        all_returns.append(returns)
        if evaluate_trading and not light:
            verdicts[key] = judge(market_eval)
    skill = np.concatenate(all_skill)
    evaluation["log_loss_skill"] = float(skill.mean())
    return PooledResult(
        folds=fold_rows,
        probabilities={
            key: pd.concat(out_of_sample[m]) for m, key in enumerate(pool.keys) if out_of_sample[m]
        },
        summary_score=float(np.mean(fold_skills)),
        feature_names=pool.names,
        evaluation=evaluation,
        verdicts=verdicts,
        row_skill=skill,
        returns=np.concatenate(all_returns) if all_returns else np.zeros(0),
    )


def pooled_verdict(result: PooledResult, extra: dict[str, Any] | None = None) -> Verdict:
    """A pooled model may be champion only when it passes every check on every market.

    `extra` (the search's record, PBO) is added to each market's evaluation before judging.
    """
    reasons: list[str] = []
    for key, market_eval in result.evaluation["markets"].items():
        if extra:
            market_eval.update(extra)
        verdict = judge(market_eval)
        market_eval["eligible"] = verdict.eligible
        market_eval["reasons"] = verdict.reasons
        result.verdicts[key] = verdict
        reasons.extend(f"{key}: {reason}" for reason in verdict.reasons)
    eligible = bool(result.verdicts) and all(v.eligible for v in result.verdicts.values())
    return Verdict(eligible=eligible, reasons=reasons)


def final_pooled(
    pool: Pool,
    *,
    params: TrainParams,
    horizon: int,
    costs: Costs,
    calibration_fraction: float,
) -> xgb.Booster:
    """Fit the registered model on every usable row of the pool; calibrated and pooled."""
    model = fit_pooled(
        pool,
        np.arange(pool.y.size),
        params=params,
        horizon=horizon,
        costs=costs,
        calibration_fraction=calibration_fraction,
    )
    return attach_pooling(attach_calibration(model), pool)
