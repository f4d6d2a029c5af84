"""Benchmark the walk-forward hyperparameter search.

Prints, in one run: a 50-trial Optuna search (seeded TPE, median pruner, in-memory study) on a
year of hourly candles (8,760 seeded random-walk candles: the shared real data holds only
about 7.5 months), its wall time and trials per minute; then, for the completed trials, the
time one trial of those parameters takes in the search beside one plain walk-forward fit of
the same parameters, run in turn, best of three each (target: the search adds at most 20% per
trial). BENCH_TUNE_TRIALS and BENCH_TUNE_ROWS shrink the run.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
TRIALS = int(os.environ.get("BENCH_TUNE_TRIALS", "50"))
ROWS = int(os.environ.get("BENCH_TUNE_ROWS", str(365 * 24)))
HORIZON = 4
FOLDS = 5
OVERHEAD_TARGET = 0.20
REPEATS = 3


def candles(rows: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    close = 30_000.0 * np.exp(np.cumsum(rng.normal(0, 0.008, rows)))
    open_ = np.r_[close[0], close[:-1]]
    spread = np.abs(rng.normal(0, 0.003, rows)) * close
    index = pd.date_range("2024-01-01", periods=rows, freq="1h", tz="UTC", name="open_time")
    return pd.DataFrame(
        {
            "open": open_,
            "high": np.maximum(open_, close) + spread,
            "low": np.minimum(open_, close) - spread,
            "close": close,
            "volume": rng.lognormal(3.0, 0.5, rows),
        },
        index=index,
    )


def main() -> None:
    sys.path.insert(0, str(ROOT))
    import optuna

    from signals.core.features import FeatureConfig, build_features
    from signals.core.labels import LabelParams, make_labels
    from signals.core.model import TrainParams, walk_forward
    from signals.core.tuning import search, suggest

    frame = candles(ROWS)
    features = build_features(frame, config=FeatureConfig())
    labels = make_labels(frame, LabelParams(horizon=HORIZON, slippage_bps=5.0))
    base = TrainParams()
    storage = optuna.storages.InMemoryStorage()
    started = time.perf_counter()
    found = search(
        frame,
        features,
        labels,
        trials=TRIALS,
        horizon=HORIZON,
        folds=FOLDS,
        base=base,
        seed=0,
        storage=storage,
        study_name="bench",
    )
    wall = time.perf_counter() - started
    print(
        f"search: {TRIALS} trials on {ROWS} hourly candles, {FOLDS} folds: {wall:.1f} s wall, "
        f"{TRIALS / wall * 60:.2f} trials/min ({found.complete} complete, {found.pruned} pruned); "
        f"PBO {found.pbo}"
    )
    study = optuna.load_study(study_name="bench", storage=storage)
    complete = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    sample = complete[:: max(len(complete) // 5, 1)][:5]
    # One trial in the search against one plain walk-forward fit of the same parameters, run
    # in turn (best of REPEATS each, the machine being shared): the trial is the study's
    # objective run by search() on a fresh study with those parameters enqueued (so not pruned).
    ratios = []
    for trial in sample:
        params = suggest(optuna.trial.FixedTrial(trial.params), base)
        in_search_times, plain_times = [], []
        for repeat in range(REPEATS):
            name = f"bench-{trial.number}-{repeat}"
            fresh = optuna.create_study(study_name=name, storage=storage, direction="maximize")
            fresh.enqueue_trial(trial.params)
            t0 = time.perf_counter()
            search(
                frame,
                features,
                labels,
                trials=1,
                horizon=HORIZON,
                folds=FOLDS,
                base=base,
                storage=storage,
                study_name=name,
            )
            in_search_times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            walk_forward(
                frame, features, labels, params=params, horizon=HORIZON, folds=FOLDS, light=True
            )
            plain_times.append(time.perf_counter() - t0)
        in_search, plain = min(in_search_times), min(plain_times)
        ratios.append(in_search / plain - 1.0)
        print(
            f"  trial {trial.number}: {in_search:.2f} s as a search trial vs {plain:.2f} s plain "
            f"walk-forward fit ({in_search / plain - 1.0:+.1%}, best of {REPEATS})"
        )
    overhead = statistics.median(ratios)
    print(
        f"search overhead per trial (median of {len(ratios)}): {overhead:+.1%} "
        f"(target: at most +{OVERHEAD_TARGET:.0%})"
    )


if __name__ == "__main__":
    main()
