"""Probability calibration and how well probabilities mean what they say.

The booster is fitted with class weights (so rare BUY/SELL rows are learnt at all), which pulls
its raw probabilities towards uniform. The calibrator undoes that: a multinomial logistic map
on the log of the raw probabilities (vector scaling: one scale and one bias per class), fitted
on unweighted rows that come after the booster's training rows and before any row it is judged
on. Its intercepts put the mean calibrated probability of each class on that class's frequency.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

EPSILON = 1e-6
RELIABILITY_BINS = 10


@dataclass(frozen=True)
class Calibrator:
    """softmax(log(p) @ coef.T + intercept); the identity when coef is I and intercept 0."""

    coef: tuple[tuple[float, ...], ...]
    intercept: tuple[float, ...]
    rows: int = 0

    @classmethod
    def identity(cls) -> Calibrator:
        return cls(coef=((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0)), intercept=(0.0,) * 3)

    def apply(self, raw: np.ndarray) -> np.ndarray:
        logits = np.log(np.clip(raw, EPSILON, 1.0)) @ np.asarray(self.coef).T
        logits += np.asarray(self.intercept)
        logits -= logits.max(axis=1, keepdims=True)
        out: np.ndarray = np.exp(logits)
        out /= out.sum(axis=1, keepdims=True)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "coef": [list(r) for r in self.coef],
            "intercept": list(self.intercept),
            "rows": self.rows,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Calibrator:
        return cls(
            coef=tuple(tuple(float(v) for v in row) for row in data["coef"]),
            intercept=tuple(float(v) for v in data["intercept"]),
            rows=int(data.get("rows", 0)),
        )


def fit_calibrator(raw: np.ndarray, labels: np.ndarray) -> Calibrator:
    """Fit the calibrator on raw probabilities and their labels (0 SELL, 1 HOLD, 2 BUY).

    With fewer than three classes present the map is left as the identity on the classes'
    scales and only the intercepts are set to the observed frequencies (smoothed), since a
    multinomial fit cannot place a class it never sees.
    """
    y = labels.astype(np.int64)
    counts = np.bincount(y, minlength=3)
    if (counts > 0).sum() < 3:
        freq = (counts + 0.5) / (counts.sum() + 1.5)
        mean_raw = np.clip(raw, EPSILON, 1.0).mean(axis=0)
        shift = np.log(freq) - np.log(mean_raw)
        base = Calibrator.identity()
        return Calibrator(coef=base.coef, intercept=tuple(float(v) for v in shift), rows=y.size)
    model = LogisticRegression(C=10.0, max_iter=500)
    # A 3x3 problem: BLAS threads only contend for the cores.
    with threadpool_limits(limits=1):
        model.fit(np.log(np.clip(raw, EPSILON, 1.0)), y)
    order = np.argsort(model.classes_)
    coef = model.coef_[order]
    intercept = model.intercept_[order]
    return Calibrator(
        coef=tuple(tuple(float(v) for v in row) for row in coef),
        intercept=tuple(float(v) for v in intercept),
        rows=y.size,
    )


# --- scores -----------------------------------------------------------------------------------


def brier_score(probabilities: np.ndarray, labels: np.ndarray) -> float:
    """Mean over rows of the squared distance to the one-hot label (multiclass Brier, 0..2)."""
    onehot = np.eye(3)[labels.astype(np.int64)]
    return float(((probabilities - onehot) ** 2).sum(axis=1).mean())


def expected_calibration_error(
    probabilities: np.ndarray, labels: np.ndarray, *, bins: int = RELIABILITY_BINS
) -> float:
    """Top-label ECE: |confidence - accuracy| averaged over equal-width confidence bins."""
    y = labels.astype(np.int64)
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == y
    which = np.minimum((confidence * bins).astype(np.int64), bins - 1)
    total = 0.0
    for b in range(bins):
        rows = which == b
        if rows.any():
            total += rows.sum() * abs(confidence[rows].mean() - correct[rows].mean())
    return float(total / max(y.size, 1))


def reliability(
    probabilities: np.ndarray, labels: np.ndarray, *, bins: int = RELIABILITY_BINS
) -> dict[str, list[dict[str, float | int]]]:
    """Return per class the reliability-diagram points: mean predicted, observed, rows per bin."""
    from signals.core.labels import CLASS_NAMES

    y = labels.astype(np.int64)
    out: dict[str, list[dict[str, float | int]]] = {}
    for c, name in enumerate(CLASS_NAMES):
        p = probabilities[:, c]
        which = np.minimum((p * bins).astype(np.int64), bins - 1)
        points: list[dict[str, float | int]] = []
        for b in range(bins):
            rows = which == b
            if rows.any():
                points.append(
                    {
                        "bin": b,
                        "predicted": float(p[rows].mean()),
                        "observed": float((y[rows] == c).mean()),
                        "rows": int(rows.sum()),
                    }
                )
        out[name] = points
    return out
