"""XGBoost BUY/SELL/HOLD classifier: fit, predict, explain, walk-forward validation, artifacts.

Walk-forward: the last `test_fraction` of labelled rows is cut into `folds` consecutive test
blocks. Each block is predicted by a model fitted only on rows that end `horizon` candles
before the block starts (the embargo: a training label reads `horizon` candles ahead, so it
must not reach into the test block). Early stopping uses the tail of each training window as
an inner validation split, itself embargoed from the rows it is fitted on.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.metrics import accuracy_score, f1_score, log_loss, precision_recall_fscore_support

from markets.core.errors import QuantumTraderError
from signals.core.labels import CLASS_NAMES

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
        label=train_labels,
        weight=class_weights(train_labels),
        feature_names=names,
    )
    dvalid = xgb.DMatrix(
        features[valid_start:],
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


def predict_proba(booster: xgb.Booster, features: np.ndarray) -> np.ndarray:
    """Return class probabilities (columns SELL, HOLD, BUY) for each row."""
    matrix = xgb.DMatrix(features, feature_names=booster.feature_names)
    raw = booster.predict(matrix, iteration_range=_iterations(booster))
    result: np.ndarray = raw.reshape(-1, 3).astype(np.float64)
    # XGBoost computes in float32; renormalise so each row sums to 1 in float64.
    result /= result.sum(axis=1, keepdims=True)
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


def target_from_classes(classes: np.ndarray) -> np.ndarray:
    """Map predicted classes to a long/flat target: BUY -> 1, SELL -> 0, HOLD keeps the last."""
    target = np.empty(classes.size)
    position = 0.0
    for i, label in enumerate(classes):
        if label == 2:
            position = 1.0
        elif label == 0:
            position = 0.0
        target[i] = position
    return target


def random_target(size: int, entries: int, rng: np.random.Generator) -> np.ndarray:
    """Return a long/flat target with exactly `entries` entries at random times."""
    target = np.zeros(size)
    entries = min(entries, size // 2)
    if entries == 0:
        return target
    switches = np.sort(rng.choice(np.arange(1, size), size=2 * entries, replace=False))
    for start, stop in zip(switches[0::2], switches[1::2], strict=True):
        target[start:stop] = 1.0
    return target


def count_entries(target: np.ndarray) -> int:
    previous = np.r_[0.0, target[:-1]]
    return int(((target > 0) & (previous <= 0)).sum())


def _net_return(result: Any, initial_cash: float) -> float:
    metrics = getattr(result, "metrics", None) or {}
    for key in ("net_return", "total_return"):
        if key in metrics:
            return float(metrics[key])
    equity = np.asarray(result.equity, dtype=np.float64).reshape(-1)
    return float(equity[-1] / initial_cash - 1.0)


def _trading_metrics(
    fold_candles: pd.DataFrame,
    test_index: pd.DatetimeIndex,
    predicted: np.ndarray,
    *,
    backtest: BacktestFn,
    fee_rate: float,
    slippage_bps: float,
    rng: np.random.Generator,
) -> dict[str, float | int]:
    """Trade the fold's predictions, buy-and-hold and a random strategy with as many entries."""
    initial_cash = 10_000.0
    target_full = pd.Series(np.nan, index=fold_candles.index)
    target_full.loc[test_index] = target_from_classes(predicted)
    target = target_full.ffill().fillna(0.0)
    entries = count_entries(target.to_numpy())
    targets = {
        "net_return": target,
        "buy_hold_return": pd.Series(1.0, index=fold_candles.index),
        "random_return": pd.Series(
            random_target(len(fold_candles), entries, rng), index=fold_candles.index
        ),
    }
    out: dict[str, float | int] = {"trades": entries}
    for name, series in targets.items():
        result = backtest(
            fold_candles,
            series,
            fee_rate=fee_rate,
            slippage_bps=slippage_bps,
            initial_cash=initial_cash,
        )
        out[name] = _net_return(result, initial_cash)
    return out


# --- Walk-forward --------------------------------------------------------------------------------


@dataclass
class WalkForwardResult:
    """Per-fold metrics, out-of-sample probabilities and the summary score."""

    folds: list[dict[str, Any]]
    probabilities: pd.DataFrame
    summary_score: float
    feature_names: list[str] = field(default_factory=list)


def usable_rows(features: pd.DataFrame, optional: Sequence[str] = ()) -> np.ndarray:
    """Return a mask of rows whose required features are all present (past warm-up)."""
    required = [c for c in features.columns if c not in set(optional)]
    mask: np.ndarray = features[required].notna().all(axis=1).to_numpy()
    return mask


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
    fee_rate: float = 0.001,
    slippage_bps: float = 0.0,
    optional_features: Sequence[str] = (),
    backtest: BacktestFn | None = None,
    evaluate_trading: bool = True,
    seed: int = 0,
) -> WalkForwardResult:
    """Validate walk-forward with an embargo of `horizon` candles; score each fold."""
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
    matrix = features.to_numpy(dtype=np.float64)
    y = labels.to_numpy()
    names = list(features.columns)
    test_rows = int(positions.size * test_fraction)
    first_test = positions.size - test_rows
    bounds = np.linspace(first_test, positions.size, folds + 1).astype(int)
    if evaluate_trading and backtest is None:
        backtest = default_backtest()
    rng = np.random.default_rng(seed)
    fold_rows: list[dict[str, Any]] = []
    out_of_sample: list[pd.DataFrame] = []
    for number, (lo, hi) in enumerate(itertools.pairwise(bounds), start=1):
        test_pos = positions[lo:hi]
        if test_pos.size == 0:
            continue
        start = test_pos[0]
        train_pos = positions[positions < start - horizon]
        if scheme == "rolling" and train_window is not None:
            train_pos = train_pos[-train_window:]
        booster = fit_model(
            matrix[train_pos],
            y[train_pos].astype(np.int64),
            params,
            embargo=horizon,
            feature_names=names,
        )
        proba = predict_proba(booster, matrix[test_pos])
        y_test = y[test_pos].astype(np.int64)
        predicted = proba.argmax(axis=1)
        prior = np.bincount(y[train_pos].astype(np.int64), minlength=3) + 1.0
        prior = prior / prior.sum()
        prior_loss = log_loss(y_test, np.tile(prior, (y_test.size, 1)), labels=list(CLASSES))
        model_loss = log_loss(y_test, proba, labels=list(CLASSES))
        precision, recall, _, support = precision_recall_fscore_support(
            y_test, predicted, labels=list(CLASSES), zero_division=0
        )
        trading = (
            _trading_metrics(
                candles.iloc[test_pos[0] : test_pos[-1] + 1],
                candles.index[test_pos],
                predicted,
                backtest=backtest,
                fee_rate=fee_rate,
                slippage_bps=slippage_bps,
                rng=rng,
            )
            if backtest is not None
            else {}
        )
        fold_rows.append(
            {
                "fold": number,
                "train_start": candles.index[train_pos[0]].isoformat(),
                "train_end": candles.index[train_pos[-1]].isoformat(),
                "test_start": candles.index[test_pos[0]].isoformat(),
                "test_end": candles.index[test_pos[-1]].isoformat(),
                "train_rows": int(train_pos.size),
                "test_rows": int(test_pos.size),
                "best_iteration": _iterations(booster)[1],
                "log_loss": float(model_loss),
                "prior_log_loss": float(prior_loss),
                "log_loss_skill": float(prior_loss - model_loss),
                "accuracy": float(accuracy_score(y_test, predicted)),
                "macro_f1": float(
                    f1_score(
                        y_test, predicted, labels=list(CLASSES), average="macro", zero_division=0
                    )
                ),
                "precision": {CLASS_NAMES[c]: float(precision[c]) for c in CLASSES},
                "recall": {CLASS_NAMES[c]: float(recall[c]) for c in CLASSES},
                "class_mix": {CLASS_NAMES[c]: float(support[c] / y_test.size) for c in CLASSES},
                "predicted_mix": {CLASS_NAMES[c]: float((predicted == c).mean()) for c in CLASSES},
                **trading,
            }
        )
        out_of_sample.append(
            pd.DataFrame(proba, index=candles.index[test_pos], columns=list(CLASS_NAMES))
        )
        logger.info("walk-forward fold %s done: log loss %.4f", number, model_loss)
    if not fold_rows:
        raise TrainingError("no walk-forward fold has test rows")
    score = float(np.mean([row["log_loss_skill"] for row in fold_rows]))
    return WalkForwardResult(
        folds=fold_rows,
        probabilities=pd.concat(out_of_sample),
        summary_score=score,
        feature_names=names,
    )


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
