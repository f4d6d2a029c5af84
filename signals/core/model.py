"""XGBoost BUY/SELL/HOLD classifier: fit, predict, explain, walk-forward validation, artifacts.

Walk-forward: the last `test_fraction` of labelled rows is cut into `folds` consecutive test
blocks. Each block is predicted by a model fitted only on rows that end `horizon` candles
before the block starts (the embargo: a training label reads `horizon` candles ahead, so it
must not reach into the test block). Early stopping uses the tail of each training window as
an inner validation split, itself embargoed from the rows it is fitted on.

Calibration: the last part of each training window is held out of the booster's fit (again
embargoed) and used to fit the probability calibrator and to choose the probability thresholds
the model strategy trades at. Nothing of a fold's fitting, calibration or threshold choice sees
its test window. Trading results use the backtester's default fees and slippage.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.metrics import accuracy_score, f1_score, log_loss, precision_recall_fscore_support

from markets.core.errors import QuantumTraderError
from signals.core.calibration import (
    Calibrator,
    brier_score,
    expected_calibration_error,
    fit_calibrator,
    reliability,
)
from signals.core.labels import CLASS_NAMES
from signals.core.skill import (
    block_t_stat,
    count_entries,
    deflated_sharpe,
    random_percentile,
    strategy_returns,
    total_return,
)
from trading.core.backtest import DEFAULT_FEE_RATE as DEFAULT_FEE_RATE
from trading.core.backtest import DEFAULT_SLIPPAGE_BPS as DEFAULT_SLIPPAGE_BPS

logger = logging.getLogger(__name__)

CLASSES = (0, 1, 2)
MIN_TRAIN_ROWS = 200


class TrainingError(QuantumTraderError, ValueError):
    """Too little or unusable data to fit or validate a model."""

    code = "training_data_insufficient"
    status = 400


class ArtifactError(QuantumTraderError, RuntimeError):
    """A model artifact is missing or does not match its recorded checksum."""

    code = "model_artifact_invalid"
    status = 503


@dataclass(frozen=True)
class TrainParams:
    """XGBoost hyperparameters and the inner validation split used for early stopping."""

    max_depth: int = 4
    learning_rate: float = 0.05
    num_boost_round: int = 300
    early_stopping_rounds: int = 30
    subsample: float = 0.8
    colsample_bytree: float = 0.8
    min_child_weight: float = 5.0
    reg_lambda: float = 1.0
    valid_fraction: float = 0.2
    nthread: int = 2
    seed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainParams:
        return cls(**data)

    def booster_params(self) -> dict[str, Any]:
        return {
            "objective": "multi:softprob",
            "num_class": 3,
            "eval_metric": "mlogloss",
            "tree_method": "hist",
            "max_depth": self.max_depth,
            "eta": self.learning_rate,
            "subsample": self.subsample,
            "colsample_bytree": self.colsample_bytree,
            "min_child_weight": self.min_child_weight,
            "lambda": self.reg_lambda,
            "nthread": self.nthread,
            "seed": self.seed,
        }


def class_weights(labels: np.ndarray) -> np.ndarray:
    """Return per-row weights that give each present class the same total weight."""
    counts = np.bincount(labels.astype(np.int64), minlength=3).astype(np.float64)
    present = counts > 0
    per_class = np.zeros(3)
    per_class[present] = labels.size / (present.sum() * counts[present])
    return per_class[labels.astype(np.int64)]


def fit_model(
    features: np.ndarray,
    labels: np.ndarray,
    params: TrainParams,
    *,
    embargo: int,
    feature_names: Sequence[str],
) -> xgb.Booster:
    """Fit on the head of the rows and early-stop on the embargoed tail; return the booster."""
    size = labels.size
    valid_rows = max(int(size * params.valid_fraction), 1)
    valid_start = size - valid_rows
    train_end = valid_start - embargo
    if train_end < MIN_TRAIN_ROWS:
        raise TrainingError(
            f"{size} labelled rows leave {max(train_end, 0)} for fitting after the validation "
            f"split and a {embargo}-candle embargo; at least {MIN_TRAIN_ROWS} are needed"
        )
    train_labels = labels[:train_end]
    if np.unique(train_labels).size < 2:
        raise TrainingError("the training labels hold a single class: nothing to learn")
    names = list(feature_names)
    dtrain = xgb.DMatrix(
        features[:train_end],
        nthread=params.nthread,
        label=train_labels,
        weight=class_weights(train_labels),
        feature_names=names,
    )
    dvalid = xgb.DMatrix(
        features[valid_start:],
        nthread=params.nthread,
        label=labels[valid_start:],
        weight=class_weights(labels[valid_start:]),
        feature_names=names,
    )
    return xgb.train(
        params.booster_params(),
        dtrain,
        num_boost_round=params.num_boost_round,
        evals=[(dvalid, "valid")],
        early_stopping_rounds=params.early_stopping_rounds,
        verbose_eval=False,
    )


def _iterations(booster: xgb.Booster) -> tuple[int, int]:
    best = int(booster.attr("best_iteration") or booster.num_boosted_rounds() - 1)
    return (0, best + 1)


def predict_proba(
    booster: xgb.Booster, features: np.ndarray, *, calibrated: bool = True
) -> np.ndarray:
    """Return class probabilities (columns SELL, HOLD, BUY) for each row.

    A booster that carries a calibrator (see `attach_calibration`) returns calibrated
    probabilities unless `calibrated` is False.
    """
    matrix = xgb.DMatrix(features, feature_names=booster.feature_names)
    raw = booster.predict(matrix, iteration_range=_iterations(booster))
    result: np.ndarray = raw.reshape(-1, 3).astype(np.float64)
    # XGBoost computes in float32; renormalise so each row sums to 1 in float64.
    result /= result.sum(axis=1, keepdims=True)
    stored = booster.attr("calibration") if calibrated else None
    if stored:
        result = Calibrator.from_dict(json.loads(stored)).apply(result)
    return result


def explain(
    booster: xgb.Booster, features: np.ndarray, *, top: int = 5
) -> list[list[dict[str, float | str]]]:
    """Return per row the top feature contributions (SHAP, margin units) to its predicted class."""
    names = booster.feature_names or []
    matrix = xgb.DMatrix(features, feature_names=names)
    contribs = booster.predict(matrix, pred_contribs=True, iteration_range=_iterations(booster))
    probabilities = predict_proba(booster, features)
    chosen = probabilities.argmax(axis=1)
    rows: list[list[dict[str, float | str]]] = []
    for row, label in enumerate(chosen):
        values = contribs[row, label, :-1]
        order = np.argsort(-np.abs(values))[:top]
        rows.append(
            [
                {
                    "feature": names[i],
                    "value": _finite(features[row, i]),
                    "contribution": float(values[i]),
                }
                for i in order
            ]
        )
    return rows


def _finite(value: float) -> float | str:
    return float(value) if math.isfinite(float(value)) else "NaN"


def feature_importance(booster: xgb.Booster) -> dict[str, float]:
    """Return total gain per feature, normalised to sum to 1."""
    raw = booster.get_score(importance_type="total_gain")
    gains = {name: float(value) for name, value in raw.items() if isinstance(value, float | int)}
    total = sum(gains.values()) or 1.0
    return {name: gains.get(name, 0.0) / total for name in booster.feature_names or []}


def save_booster(booster: xgb.Booster, path: Path) -> str:
    """Write the booster to `path` (UBJSON) and return the file's SHA-256."""
    data = bytes(booster.save_raw("ubj"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def load_booster(path: Path, sha256: str) -> xgb.Booster:
    """Load a booster, refusing a missing file or one whose checksum differs from `sha256`."""
    if not path.is_file():
        raise ArtifactError(f"model artifact {path} is missing")
    data = path.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha256:
        raise ArtifactError(
            f"model artifact {path} fails its checksum (expected {sha256[:12]}…, got "
            f"{actual[:12]}…); refusing to load it"
        )
    booster = xgb.Booster()
    booster.load_model(bytearray(data))
    return booster


# --- Trading evaluation ------------------------------------------------------------------------


class BacktestFn(Protocol):
    def __call__(
        self,
        candles: pd.DataFrame,
        target: pd.Series,
        *,
        fee_rate: float,
        slippage_bps: float = ...,
        initial_cash: float = ...,
    ) -> Any: ...


def default_backtest() -> BacktestFn:
    """Return the platform backtester (trading/core/backtest.py)."""
    from trading.core.backtest import run_backtest

    return run_backtest


def threshold_target(probabilities: np.ndarray, buy: float, sell: float) -> np.ndarray:
    """Long/flat target of the model strategy (columns SELL, HOLD, BUY), flat at the start.

    Long when P(BUY) >= `buy` and P(BUY) > P(SELL); flat when P(SELL) >= `sell` and
    P(SELL) > P(BUY); otherwise the previous exposure: the rule trading.core.strategies'
    model_target and the bots apply.
    """
    p_sell, p_buy = probabilities[:, 0], probabilities[:, 2]
    state = np.full(p_buy.size, np.nan)
    state[(p_buy >= buy) & (p_buy > p_sell)] = 1.0
    state[(p_sell >= sell) & (p_sell > p_buy)] = 0.0
    result: np.ndarray = pd.Series(state).ffill().fillna(0.0).to_numpy()
    return result


THRESHOLD_QUANTILES = (0.5, 0.7, 0.8, 0.9, 0.95)
NO_TRADE = 1.0


def choose_thresholds(
    probabilities: np.ndarray, opens: np.ndarray, closes: np.ndarray, *, cost: float
) -> tuple[float, float]:
    """Pick the (buy, sell) thresholds with the best net return on a window before the test.

    Candidates are quantiles of the window's own P(BUY) and P(SELL). When no pair makes money
    after costs the model is told not to trade (buy threshold 1.0).
    """
    return choose_thresholds_joint([(probabilities, opens, closes)], cost=cost)


def choose_thresholds_joint(
    windows: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]], *, cost: float
) -> tuple[float, float]:
    """Pick one (buy, sell) pair for several markets' windows: the best summed log growth.

    Each window is (probabilities, opens, closes) of one market before the test; candidates
    are quantiles of all windows' P(BUY) and P(SELL) together.
    """
    p_buy = np.concatenate([w[0][:, 2] for w in windows])
    p_sell = np.concatenate([w[0][:, 0] for w in windows])
    buys = sorted({round(float(np.quantile(p_buy, q)), 4) for q in THRESHOLD_QUANTILES})
    sells = sorted({round(float(np.quantile(p_sell, q)), 4) for q in THRESHOLD_QUANTILES})
    best, best_pair = 0.0, (NO_TRADE, NO_TRADE)
    for buy, sell in itertools.product(buys, sells):
        growth = 0.0
        for probabilities, opens, closes in windows:
            target = threshold_target(probabilities, buy, sell)
            growth += float(np.log1p(strategy_returns(opens, closes, target, cost=cost)).sum())
        if growth > best:
            best, best_pair = growth, (buy, sell)
    return best_pair


def _net_return(result: Any, initial_cash: float) -> float:
    metrics = getattr(result, "metrics", None) or {}
    for key in ("net_return", "total_return"):
        if key in metrics:
            return float(metrics[key])
    equity = np.asarray(result.equity, dtype=np.float64).reshape(-1)
    return float(equity[-1] / initial_cash - 1.0)


def _backtest_return(
    backtest: BacktestFn, candles: pd.DataFrame, target: np.ndarray, costs: Costs
) -> float:
    initial_cash = 10_000.0
    result = backtest(
        candles,
        pd.Series(target, index=candles.index),
        fee_rate=costs.fee_rate,
        slippage_bps=costs.slippage_bps,
        initial_cash=initial_cash,
    )
    return _net_return(result, initial_cash)


# --- Walk-forward --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Costs:
    """Taker fee and slippage per fill, the backtester's defaults unless told otherwise."""

    fee_rate: float = DEFAULT_FEE_RATE
    slippage_bps: float = DEFAULT_SLIPPAGE_BPS

    @property
    def per_side(self) -> float:
        return self.fee_rate + self.slippage_bps / 10_000.0


@dataclass
class WalkForwardResult:
    """Per-fold metrics, out-of-sample probabilities, pooled evaluation and the summary score.

    `row_skill` is the prior's log loss minus the model's on each test row, `returns` the model
    strategy's net return on each test candle: the series the search's overfitting estimate and
    the Deflated Sharpe are computed from.
    """

    folds: list[dict[str, Any]]
    probabilities: pd.DataFrame
    summary_score: float
    feature_names: list[str] = field(default_factory=list)
    evaluation: dict[str, Any] = field(default_factory=dict)
    row_skill: np.ndarray = field(default_factory=lambda: np.zeros(0))
    returns: np.ndarray = field(default_factory=lambda: np.zeros(0))


def usable_rows(features: pd.DataFrame, optional: Sequence[str] = ()) -> np.ndarray:
    """Return a mask of rows whose required features are all present (past warm-up)."""
    required = [c for c in features.columns if c not in set(optional)]
    mask: np.ndarray = features[required].notna().all(axis=1).to_numpy()
    return mask


MIN_CALIBRATION_ROWS = 60


def calibration_split(
    train_pos: np.ndarray, *, fraction: float, embargo: int, valid_fraction: float = 0.2
) -> tuple[np.ndarray, np.ndarray]:
    """Split training positions into rows the booster fits and the later rows it is calibrated on.

    The calibration rows are the last `fraction` of the window (fewer when the booster would
    otherwise be left too few rows to fit); the booster's rows end `embargo` candles before
    them, so no fitted label reads into the calibration rows.
    """
    needed = math.ceil((MIN_TRAIN_ROWS + embargo) / (1.0 - valid_fraction)) + embargo + 1
    calib_rows = min(int(train_pos.size * fraction), train_pos.size - needed)
    if calib_rows < MIN_CALIBRATION_ROWS:
        raise TrainingError(
            f"{train_pos.size} training rows cannot hold {needed} rows to fit and "
            f"{MIN_CALIBRATION_ROWS} later rows to calibrate on; use more candles or fewer folds"
        )
    calib = train_pos[-calib_rows:]
    fit = train_pos[train_pos < calib[0] - embargo]
    return fit, calib


@dataclass
class CalibratedModel:
    booster: xgb.Booster
    calibrator: Calibrator
    thresholds: tuple[float, float]


def fit_calibrated(
    candles: pd.DataFrame,
    matrix: np.ndarray,
    y: np.ndarray,
    train_pos: np.ndarray,
    *,
    params: TrainParams,
    horizon: int,
    names: Sequence[str],
    costs: Costs,
    calibration_fraction: float,
) -> CalibratedModel:
    """Fit the booster, its calibrator and its trading thresholds, all on `train_pos` only."""
    fit_pos, calib_pos = calibration_split(
        train_pos,
        fraction=calibration_fraction,
        embargo=horizon,
        valid_fraction=params.valid_fraction,
    )
    booster = fit_model(
        matrix[fit_pos], y[fit_pos].astype(np.int64), params, embargo=horizon, feature_names=names
    )
    raw = predict_proba(booster, matrix[calib_pos], calibrated=False)
    calibrator = fit_calibrator(raw, y[calib_pos])
    window = candles.iloc[calib_pos[0] : calib_pos[-1] + 1]
    proba = np.full((len(window), 3), np.nan)
    proba[calib_pos - calib_pos[0]] = calibrator.apply(raw)
    proba = pd.DataFrame(proba).ffill().fillna(1.0 / 3).to_numpy()
    thresholds = choose_thresholds(
        proba,
        window["open"].to_numpy(dtype=np.float64),
        window["close"].to_numpy(dtype=np.float64),
        cost=costs.per_side,
    )
    return CalibratedModel(booster=booster, calibrator=calibrator, thresholds=thresholds)


def attach_calibration(model: CalibratedModel) -> xgb.Booster:
    """Store the calibrator and thresholds in the booster, so its artifact carries them."""
    model.booster.set_attr(
        calibration=json.dumps(model.calibrator.to_dict()),
        thresholds=json.dumps(list(model.thresholds)),
    )
    return model.booster


def booster_thresholds(booster: xgb.Booster) -> tuple[float, float] | None:
    raw = booster.attr("thresholds")
    if not raw:
        return None
    buy, sell = json.loads(raw)
    return float(buy), float(sell)


def _prior_metrics(prior: np.ndarray, y_test: np.ndarray) -> dict[str, float]:
    tiled = np.tile(prior, (y_test.size, 1))
    return {
        "prior_log_loss": float(log_loss(y_test, tiled, labels=list(CLASSES))),
        "prior_brier": brier_score(tiled, y_test),
        "prior_ece": expected_calibration_error(tiled, y_test),
    }


def _row_log_loss(probabilities: np.ndarray, y: np.ndarray) -> np.ndarray:
    picked = np.clip(probabilities[np.arange(y.size), y], 1e-15, 1.0)
    result: np.ndarray = -np.log(picked)
    return result


def walk_forward(
    candles: pd.DataFrame,
    features: pd.DataFrame,
    labels: pd.Series,
    *,
    params: TrainParams,
    horizon: int,
    folds: int = 5,
    test_fraction: float = 0.5,
    scheme: str = "expanding",
    train_window: int | None = None,
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
) -> WalkForwardResult:
    """Validate walk-forward with an embargo of `horizon` candles; score and evaluate each fold.

    Each fold's booster, calibrator and trading thresholds are fitted on rows that end before
    the fold's test window (minus the embargo). `on_fold(fold, running_score)` is called after
    each fold (the search's pruner raises from it). With `evaluate_trading` the model strategy
    is traded on each test window at its thresholds, with fees and slippage, through the
    platform backtester (or `backtest`), beside buy-and-hold and random strategies. `light`
    (for search trials) keeps only the vectorised per-candle returns: no backtester run and no
    random draws.
    """
    if scheme not in ("expanding", "rolling"):
        raise ValueError("scheme must be 'expanding' or 'rolling'")
    if folds < 1:
        raise ValueError("folds must be at least 1")
    mask = usable_rows(features, optional_features) & labels.notna().to_numpy()
    positions = np.flatnonzero(mask)
    if positions.size < MIN_TRAIN_ROWS * 2:
        raise TrainingError(
            f"only {positions.size} labelled rows past the warm-up; "
            f"walk-forward needs at least {MIN_TRAIN_ROWS * 2}"
        )
    costs = Costs(fee_rate=fee_rate, slippage_bps=slippage_bps)
    matrix = features.to_numpy(dtype=np.float64)
    y = labels.to_numpy()
    names = list(features.columns)
    test_rows = int(positions.size * test_fraction)
    first_test = positions.size - test_rows
    bounds = np.linspace(first_test, positions.size, folds + 1).astype(int)
    if evaluate_trading and backtest is None and not light:
        backtest = default_backtest()
    fold_rows: list[dict[str, Any]] = []
    out_of_sample: list[pd.DataFrame] = []
    skills: list[np.ndarray] = []
    pooled: dict[str, list[np.ndarray]] = {"proba": [], "y": [], "prior": []}
    trading = _TradingLog()
    for number, (lo, hi) in enumerate(itertools.pairwise(bounds), start=1):
        test_pos = positions[lo:hi]
        if test_pos.size == 0:
            continue
        start = test_pos[0]
        train_pos = positions[positions < start - horizon]
        if scheme == "rolling" and train_window is not None:
            train_pos = train_pos[-train_window:]
        model = fit_calibrated(
            candles,
            matrix,
            y,
            train_pos,
            params=params,
            horizon=horizon,
            names=names,
            costs=costs,
            calibration_fraction=calibration_fraction,
        )
        raw = predict_proba(model.booster, matrix[test_pos], calibrated=False)
        proba = model.calibrator.apply(raw)
        y_test = y[test_pos].astype(np.int64)
        prior = np.bincount(y[train_pos].astype(np.int64), minlength=3) + 1.0
        prior = prior / prior.sum()
        scores = fold_scores(proba, raw, y_test, prior)
        skills.append(
            _row_log_loss(np.tile(prior, (y_test.size, 1)), y_test) - _row_log_loss(proba, y_test)
        )
        pooled["proba"].append(proba)
        pooled["y"].append(y_test)
        pooled["prior"].append(np.tile(prior, (y_test.size, 1)))
        fold_trading = (
            trading.add(candles, test_pos, proba, model.thresholds, costs, backtest)
            if evaluate_trading
            else {}
        )
        fold_rows.append(
            {
                "fold": number,
                "train_start": candles.index[train_pos[0]].isoformat(),
                "train_end": candles.index[train_pos[-1]].isoformat(),
                "calibration_start": candles.index[train_pos[-model.calibrator.rows]].isoformat(),
                "test_start": candles.index[test_pos[0]].isoformat(),
                "test_end": candles.index[test_pos[-1]].isoformat(),
                "train_rows": int(train_pos.size),
                "calibration_rows": model.calibrator.rows,
                "test_rows": int(test_pos.size),
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
        out_of_sample.append(
            pd.DataFrame(proba, index=candles.index[test_pos], columns=list(CLASS_NAMES))
        )
        logger.info("walk-forward fold %s done: log loss %.4f", number, scores["log_loss"])
        if on_fold is not None:
            on_fold(number, float(np.mean([row["log_loss_skill"] for row in fold_rows])))
    if not fold_rows:
        raise TrainingError("no walk-forward fold has test rows")
    score = float(np.mean([row["log_loss_skill"] for row in fold_rows]))
    all_skill = np.concatenate(skills)
    evaluation, returns = pooled_evaluation(
        pooled,
        all_skill,
        trading,
        horizon=horizon,
        costs=costs,
        seed=seed,
        trials=trials,
        trial_sharpe_variance=trial_sharpe_variance,
        light=light,
    )
    return WalkForwardResult(
        folds=fold_rows,
        probabilities=pd.concat(out_of_sample),
        summary_score=score,
        feature_names=names,
        evaluation=evaluation,
        row_skill=all_skill,
        returns=returns,
    )


def fold_scores(
    proba: np.ndarray, raw: np.ndarray, y_test: np.ndarray, prior: np.ndarray
) -> dict[str, Any]:
    """Score one fold's calibrated (and raw) probabilities beside the training prior's."""
    predicted = proba.argmax(axis=1)
    model_loss = log_loss(y_test, proba, labels=list(CLASSES))
    prior_scores = _prior_metrics(prior, y_test)
    precision, recall, _, support = precision_recall_fscore_support(
        y_test, predicted, labels=list(CLASSES), zero_division=0
    )
    return {
        "log_loss": float(model_loss),
        "raw_log_loss": float(log_loss(y_test, raw, labels=list(CLASSES))),
        **prior_scores,
        "log_loss_skill": float(prior_scores["prior_log_loss"] - model_loss),
        "brier": brier_score(proba, y_test),
        "ece": expected_calibration_error(proba, y_test),
        "accuracy": float(accuracy_score(y_test, predicted)),
        "macro_f1": float(
            f1_score(y_test, predicted, labels=list(CLASSES), average="macro", zero_division=0)
        ),
        "precision": {CLASS_NAMES[c]: float(precision[c]) for c in CLASSES},
        "recall": {CLASS_NAMES[c]: float(recall[c]) for c in CLASSES},
        "class_mix": {CLASS_NAMES[c]: float(support[c] / y_test.size) for c in CLASSES},
        "prior": {CLASS_NAMES[c]: float(prior[c]) for c in CLASSES},
        "mean_predicted": {CLASS_NAMES[c]: float(proba[:, c].mean()) for c in CLASSES},
        "predicted_mix": {CLASS_NAMES[c]: float((predicted == c).mean()) for c in CLASSES},
    }


def pooled_evaluation(
    pooled: dict[str, list[np.ndarray]],
    all_skill: np.ndarray,
    trading: _TradingLog,
    *,
    horizon: int,
    costs: Costs,
    seed: int,
    trials: int,
    trial_sharpe_variance: float,
    light: bool,
) -> tuple[dict[str, Any], np.ndarray]:
    """Out-of-sample evaluation over every fold of one market; and its per-candle returns."""
    proba_all, y_all = np.concatenate(pooled["proba"]), np.concatenate(pooled["y"])
    evaluation: dict[str, Any] = {
        "log_loss": float(_row_log_loss(proba_all, y_all).mean()),
        "prior_log_loss": float(_row_log_loss(np.concatenate(pooled["prior"]), y_all).mean()),
        "log_loss_t": block_t_stat(all_skill, max(24, 4 * horizon)),
        "brier": brier_score(proba_all, y_all),
        "ece": expected_calibration_error(proba_all, y_all),
        "reliability": reliability(proba_all, y_all),
        "fee_rate": costs.fee_rate,
        "slippage_bps": costs.slippage_bps,
        "trials": trials,
    }
    returns = np.zeros(0)
    if trading.segments:
        returns = np.concatenate(trading.returns)
    if trading.segments and not light:
        evaluation.update(trading.summary(costs, seed=seed))
        evaluation.update(
            {
                f"{key}": value
                for key, value in deflated_sharpe(
                    returns, trials=trials, trial_variance=trial_sharpe_variance
                ).items()
                if key != "trials"
            }
        )
        evaluation["deflated_sharpe"] = evaluation.pop("dsr")
    return evaluation, returns


class _TradingLog:
    """Collects each fold's test-window trading, then ranks it against random strategies."""

    def __init__(self) -> None:
        self.opens: list[np.ndarray] = []
        self.closes: list[np.ndarray] = []
        self.returns: list[np.ndarray] = []
        self.segments: list[tuple[int, int, int]] = []
        self.net: list[float] = []
        self.hold: list[float] = []
        self.offset = 0

    def add(
        self,
        candles: pd.DataFrame,
        test_pos: np.ndarray,
        proba: np.ndarray,
        thresholds: tuple[float, float],
        costs: Costs,
        backtest: BacktestFn | None,
    ) -> dict[str, float | int]:
        window = candles.iloc[test_pos[0] : test_pos[-1] + 1]
        full = np.full((len(window), 3), np.nan)
        full[test_pos - test_pos[0]] = proba
        filled = pd.DataFrame(full).ffill().fillna(1.0 / 3).to_numpy()
        target = threshold_target(filled, *thresholds)
        opens = window["open"].to_numpy(dtype=np.float64)
        closes = window["close"].to_numpy(dtype=np.float64)
        entries = count_entries(target)
        returns = strategy_returns(opens, closes, target, cost=costs.per_side)
        if backtest is None:
            net = total_return(returns)
            hold = total_return(
                strategy_returns(opens, closes, np.ones(opens.size), cost=costs.per_side)
            )
        else:
            net = _backtest_return(backtest, window, target, costs)
            hold = _backtest_return(backtest, window, np.ones(len(window)), costs)
        self.opens.append(opens)
        self.closes.append(closes)
        self.returns.append(returns)
        self.segments.append((self.offset, self.offset + len(window), entries))
        self.offset += len(window)
        self.net.append(net)
        self.hold.append(hold)
        return {"trades": entries, "net_return": net, "buy_hold_return": hold}

    def summary(self, costs: Costs, *, seed: int) -> dict[str, Any]:
        opens, closes = np.concatenate(self.opens), np.concatenate(self.closes)
        model_total = total_return(np.concatenate(self.returns))
        ranked = random_percentile(
            opens, closes, self.segments, model_total, cost=costs.per_side, seed=seed
        )
        return {
            "net_return": float(np.prod(1.0 + np.asarray(self.net)) - 1.0),
            "buy_hold_return": float(np.prod(1.0 + np.asarray(self.hold)) - 1.0),
            "trades": int(sum(s[2] for s in self.segments)),
            "random_percentile": ranked["percentile"],
            "random_median_return": ranked["random_median"],
            "random_p95_return": ranked["random_p95"],
            "random_draws": ranked["draws"],
        }


def window_score(probabilities: np.ndarray, labels: np.ndarray, prior: np.ndarray) -> float:
    """Return log-loss skill (prior's log loss minus the model's) on one window; higher wins."""
    y = labels.astype(np.int64)
    prior_loss = log_loss(y, np.tile(prior, (y.size, 1)), labels=list(CLASSES))
    return float(prior_loss - log_loss(y, probabilities, labels=list(CLASSES)))


def probability_frame(
    booster: xgb.Booster, features: pd.DataFrame, *, optional: Sequence[str] = ()
) -> pd.DataFrame:
    """Return BUY, HOLD, SELL probabilities on the features' index; NaN during warm-up."""
    out = pd.DataFrame(np.nan, index=features.index, columns=["BUY", "HOLD", "SELL"])
    mask = usable_rows(features, optional)
    if mask.any():
        proba = predict_proba(booster, features.to_numpy(dtype=np.float64)[mask])
        out.loc[mask, "SELL"] = proba[:, 0]
        out.loc[mask, "HOLD"] = proba[:, 1]
        out.loc[mask, "BUY"] = proba[:, 2]
    return out
