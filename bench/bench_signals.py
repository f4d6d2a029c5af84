"""Benchmark the signals pipeline on 1M synthetic candles.

Prints, in one run: compute_indicators against TA-Lib (target: at most 2x TA-Lib's time), the
whole feature build, and fitting on 1M rows against XGBoost's own fit on the same matrix
(target: overhead at most 1.5x). Times are the best of several runs (the machine is shared).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import xgboost as xgb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from signals.core.features import FeatureConfig, build_features
from signals.core.indicators import compute_indicators
from signals.core.labels import LabelParams, make_labels
from signals.core.model import TrainParams, class_weights, fit_model

ROWS = 1_000_000


def candles(rows: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    close = 30_000.0 * np.exp(np.cumsum(rng.normal(0, 0.001, rows)))
    open_ = np.r_[close[0], close[:-1]]
    spread = np.abs(rng.normal(0, 0.0005, rows)) * close
    index = pd.date_range("2020-01-01", periods=rows, freq="1min", tz="UTC", name="open_time")
    return pd.DataFrame(
        {
            "open": open_,
            "high": np.maximum(open_, close) + spread,
            "low": np.minimum(open_, close) - spread,
            "close": close,
            "volume": rng.lognormal(2, 1, rows),
        },
        index=index,
    )


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def talib_set(frame: pd.DataFrame) -> None:
    import talib

    close, high, low = (frame[c].to_numpy() for c in ("close", "high", "low"))
    talib.SMA(close, 20)
    talib.EMA(close, 20)
    talib.RSI(close, 14)
    talib.MACD(close, 12, 26, 9)
    talib.BBANDS(close, 20, 2.0, 2.0)
    talib.ATR(high, low, close, 14)


def main() -> None:
    frame = candles(ROWS)
    print(f"signals bench: {ROWS:,} candles")
    ours = best_of(lambda: compute_indicators(frame), 7)
    try:
        theirs = best_of(lambda: talib_set(frame), 7)
        print(
            f"compute_indicators  {ours * 1000:8.1f} ms   TA-Lib {theirs * 1000:6.1f} ms   "
            f"ratio {ours / theirs:4.2f}x (target <= 2x)"
        )
    except ImportError:
        print(f"compute_indicators  {ours * 1000:8.1f} ms   (TA-Lib not installed)")
    config = FeatureConfig(timeframe="1m", higher_timeframe="15m")
    build = best_of(lambda: build_features(frame, config=config), 3)
    features = build_features(frame, config=config)
    print(f"build_features      {build * 1000:8.1f} ms   ({features.shape[1]} features)")

    labels = make_labels(frame, LabelParams(horizon=4))
    mask = features.notna().all(axis=1).to_numpy() & labels.notna().to_numpy()
    matrix = features.to_numpy()[mask]
    y = labels.to_numpy()[mask].astype(np.int64)
    rounds = 30
    # No early stop inside the measured rounds, so both fits build the same number of trees.
    params = TrainParams(num_boost_round=rounds, early_stopping_rounds=rounds + 1)
    names = list(features.columns)
    start = time.perf_counter()
    fit_model(matrix, y, params, embargo=4, feature_names=names)
    ours_fit = time.perf_counter() - start
    start = time.perf_counter()
    plain = xgb.DMatrix(matrix, label=y, weight=class_weights(y), feature_names=names)
    xgb.train(params.booster_params(), plain, num_boost_round=rounds)
    plain_fit = time.perf_counter() - start
    print(
        f"fit_model ({matrix.shape[0]:,} rows, {rounds} rounds)  {ours_fit:6.2f} s   "
        f"xgb.train {plain_fit:6.2f} s   ratio {ours_fit / plain_fit:4.2f}x (target <= 1.5x)"
    )


if __name__ == "__main__":
    main()
