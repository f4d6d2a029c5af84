"""Print the README's table of walk-forward results on the shared BTC/ETH candles.

For each market and timeframe: a seeded walk-forward search (REPORT_TRIALS_1H / _5M trials,
in memory), then the best configuration walk-forward with calibration, in-fold thresholds, the
backtester's default fees and slippage, the random-entry percentile, the Deflated Sharpe over
the trials, the search's PBO, and the champion verdict. Needs ../shared/data (QT_SHARED_DATA).
REPORT_TIMEFRAMES (default "1h,5m") picks the timeframes. Not part of `make bench` (it takes long
on two cores); run it by hand.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("QT_SHARED_DATA") or ROOT.parent / "shared" / "data") / "ohlcv"
TRIALS = {
    "1h": int(os.environ.get("REPORT_TRIALS_1H", "10")),
    "5m": int(os.environ.get("REPORT_TRIALS_5M", "3")),
}
TIMEFRAMES = tuple(os.environ.get("REPORT_TIMEFRAMES", "1h,5m").split(","))
HORIZON = 4
FOLDS = 5


def load(path: Path) -> pd.DataFrame:
    raw = pd.read_csv(path)
    frame = raw[["open", "high", "low", "close", "volume"]].astype("float64")
    frame.index = pd.to_datetime(raw["timestamp_ms"], unit="ms", utc=True).rename("open_time")
    return frame


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from signals.core.features import FeatureConfig, build_features
    from signals.core.labels import LabelParams, make_labels
    from signals.core.model import TrainParams
    from signals.core.tuning import search, validate_best

    higher = {"1h": "4h", "5m": "1h"}
    print(
        "| market | tf | candles | trials | log loss (prior) | ECE | net | buy & hold "
        "| random pct | DSR | PBO | champion |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for timeframe in TIMEFRAMES:
        for symbol in ("BTC", "ETH"):
            path = DATA / f"binance_{symbol}USDT_{timeframe}.csv"
            if not path.is_file():
                print(f"| {symbol}/USDT | {timeframe} | missing | | | | | | | | | |")
                continue
            started = time.perf_counter()
            candles = load(path)
            config = FeatureConfig(timeframe=timeframe, higher_timeframe=higher[timeframe])
            features = build_features(candles, config=config)
            labels = make_labels(candles, LabelParams(horizon=HORIZON, slippage_bps=5.0))
            found = search(
                candles,
                features,
                labels,
                trials=TRIALS[timeframe],
                horizon=HORIZON,
                folds=FOLDS,
                base=TrainParams(),
                seed=0,
                study_name=f"{symbol}-{timeframe}",
            )
            result, verdict = validate_best(
                candles, features, labels, found, horizon=HORIZON, folds=FOLDS
            )
            e = result.evaluation
            pbo = "n/a" if found.pbo is None else f"{found.pbo:.2f}"
            print(
                f"| {symbol}/USDT | {timeframe} | {len(candles)} | {found.trials} "
                f"| {e['log_loss']:.4f} ({e['prior_log_loss']:.4f}) | {e['ece']:.3f} "
                f"| {e['net_return']:+.1%} | {e['buy_hold_return']:+.1%} "
                f"| {e['random_percentile']:.0f} | {e['deflated_sharpe']:.2f} | {pbo} "
                f"| {'yes' if verdict.eligible else 'no'} |",
                flush=True,
            )
            for fold in result.folds:
                gaps = {
                    k: round(fold["mean_predicted"][k] - fold["class_mix"][k], 3)
                    for k in ("SELL", "HOLD", "BUY")
                }
                print(
                    f"<!-- {symbol} {timeframe} fold {fold['fold']}: ECE {fold['ece']:.3f}, "
                    f"mean minus observed {gaps}, log loss {fold['log_loss']:.4f} vs prior "
                    f"{fold['prior_log_loss']:.4f}, {time.perf_counter() - started:.0f} s -->",
                    flush=True,
                )


if __name__ == "__main__":
    main()
