"""Benchmark the signals pipeline on 1M synthetic candles.

Prints, in one run: compute_indicators against TA-Lib (target: at most 2x TA-Lib's time, in the
steady state; the ratio is to TA-Lib at its fastest: its time depends on whether its 8 MB outputs
reuse freed heap pages or fault in fresh ones, so it is timed in this process, in a fresh process
of its own, and in one whose malloc keeps freed pages (MALLOC_TOP_PAD_)), its first call in
a fresh process (numba compiling its kernels into an empty cache, then loading them from that
cache), the whole feature build, and fitting on 1M rows against XGBoost's own fit on the same
matrix (target: overhead at most 1.5x). Times are the best of several runs (the machine is
shared), with the median beside the indicator figures.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

# The project (and numba, xgboost) is imported in main(), so that `--talib-alone` times TA-Lib
# in a process that has loaded nothing else.
ROOT = Path(__file__).resolve().parent.parent
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


def timings(fn: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def best_of(fn: Callable[[], object], repeat: int) -> float:
    return min(timings(fn, repeat))


# Run in a fresh interpreter: numpy and pandas are imported first, so the import figure is the
# indicators module itself (numba included); the first call is on a small frame, so it is
# almost all compiling (or loading) the kernels.
FIRST_CALL = """
import sys, time
sys.path.insert(0, {root!r})
import numpy as np, pandas as pd
close = 30_000.0 * np.exp(np.cumsum(np.random.default_rng(0).normal(0, 0.001, 1_000)))
index = pd.date_range("2020-01-01", periods=close.size, freq="1min", tz="UTC")
frame = pd.DataFrame(
    {{"open": close, "high": close * 1.001, "low": close * 0.999, "close": close,
      "volume": np.ones(close.size)}},
    index=index,
)
start = time.perf_counter()
from signals.core.indicators import compute_indicators
imported = time.perf_counter()
compute_indicators(frame)
print(imported - start, time.perf_counter() - imported)
"""


def first_call(cache_dir: str) -> tuple[float, float]:
    """Return (import, first call) seconds in a fresh process using `cache_dir` for numba."""
    env = {**os.environ, "NUMBA_CACHE_DIR": cache_dir}
    result = subprocess.run(  # noqa: S603 (this interpreter, running the script above)
        [sys.executable, "-c", FIRST_CALL.format(root=str(ROOT))],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    imported, called = result.stdout.split()
    return float(imported), float(called)


def talib_set(frame: pd.DataFrame) -> None:
    import talib

    close, high, low = (frame[c].to_numpy() for c in ("close", "high", "low"))
    talib.SMA(close, 20)
    talib.EMA(close, 20)
    talib.RSI(close, 14)
    talib.MACD(close, 12, 26, 9)
    talib.BBANDS(close, 20, 2.0, 2.0)
    talib.ATR(high, low, close, 14)


def talib_alone(**env: str) -> list[float]:
    """Return TA-Lib's times on the bench candles, measured in a fresh process of its own."""
    result = subprocess.run(  # noqa: S603 (this interpreter, running this script)
        [sys.executable, __file__, "--talib-alone"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return [float(value) for value in result.stdout.split()]


def main() -> None:
    sys.path.insert(0, str(ROOT))
    import xgboost as xgb

    from signals.core.features import FeatureConfig, build_features
    from signals.core.indicators import compute_indicators
    from signals.core.labels import LabelParams, make_labels
    from signals.core.model import TrainParams, class_weights, fit_model

    frame = candles(ROWS)
    print(f"signals bench: {ROWS:,} candles")
    with tempfile.TemporaryDirectory() as cache_dir:
        compile_import, compile_call = first_call(cache_dir)
        cached_import, cached_call = first_call(cache_dir)
    print(
        f"compute_indicators first call in a fresh process: {compile_call * 1000:.0f} ms "
        f"compiling (import {compile_import * 1000:.0f} ms), {cached_call * 1000:.0f} ms "
        f"from numba's cache (import {cached_import * 1000:.0f} ms)"
    )
    compute_indicators(frame)
    ours_all = timings(lambda: compute_indicators(frame), 9)
    ours, ours_median = min(ours_all), statistics.median(ours_all)
    try:
        runs = {
            "this process": timings(lambda: talib_set(frame), 9),
            "own process": talib_alone(),
            "own process, pages kept": talib_alone(MALLOC_TOP_PAD_=str(1 << 30)),
        }
    except (ImportError, subprocess.CalledProcessError):
        print(f"compute_indicators  {ours * 1000:8.1f} ms   (TA-Lib not installed)")
    else:
        theirs_all = min(runs.values(), key=min)
        theirs, theirs_median = min(theirs_all), statistics.median(theirs_all)
        print(
            f"compute_indicators  {ours * 1000:8.1f} ms   TA-Lib {theirs * 1000:6.1f} ms   "
            f"ratio {ours / theirs:4.2f}x (target <= 2x)\n"
            f"  medians {ours_median * 1000:.1f} / {theirs_median * 1000:.1f} ms "
            f"({ours_median / theirs_median:4.2f}x); TA-Lib best in "
            + ", ".join(f"{where} {min(times) * 1000:.1f} ms" for where, times in runs.items())
        )
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
    if sys.argv[1:] == ["--talib-alone"]:
        bench_frame = candles(ROWS)
        talib_set(bench_frame)
        print(*timings(lambda: talib_set(bench_frame), 9))
    else:
        main()
