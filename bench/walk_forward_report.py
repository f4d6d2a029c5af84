"""Print the README's table of walk-forward results on the shared BTC/ETH candles.

For each market and timeframe: a seeded walk-forward search (REPORT_TRIALS_1H / _5M trials,
in memory), then the best configuration walk-forward with calibration, in-fold thresholds, the
backtester's default fees and slippage, the random-entry percentile, the Deflated Sharpe over
the trials, the search's PBO, and the champion verdict. Needs ../shared/data (QT_SHARED_DATA).
REPORT_TIMEFRAMES (default "1h,5m") picks the timeframes. After the two markets of a timeframe, one
model pooled over both (per-market normalised features, the market as a feature, folds aligned
on time) is searched and judged the same way, and printed as one row per market. Not part of
`make bench` (it takes long on two cores); run it by hand.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

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
    from signals.core.pooled import MarketData
    from signals.core.tuning import search, search_pooled, validate_best, validate_best_pooled

    higher = {"1h": "4h", "5m": "1h"}
    print(
        "| market | tf | candles | trials | log loss (prior) | ECE | net | buy & hold "
        "| random pct | DSR | PBO | champion |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for timeframe in TIMEFRAMES:
        config = FeatureConfig(timeframe=timeframe, higher_timeframe=higher[timeframe])
        loaded: list[MarketData] = []
        for symbol in ("BTC", "ETH"):
            path = DATA / f"binance_{symbol}USDT_{timeframe}.csv"
            if not path.is_file():
                print(f"| {symbol}/USDT | {timeframe} | missing | | | | | | | | | |")
                continue
            started = time.perf_counter()
            candles = load(path)
            features = build_features(candles, config=config)
            labels = make_labels(candles, LabelParams(horizon=HORIZON, slippage_bps=5.0))
            loaded.append(MarketData(f"binance:{symbol}/USDT", candles, features, labels))
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
            row(f"{symbol}/USDT", timeframe, len(candles), found, result.evaluation, verdict)
            folds_comment(symbol, timeframe, result.folds, started)
        if len(loaded) < 2:
            continue
        started = time.perf_counter()
        found = search_pooled(
            loaded,
            trials=TRIALS[timeframe],
            horizon=HORIZON,
            folds=FOLDS,
            base=TrainParams(),
            seed=0,
            study_name=f"pooled-{timeframe}",
        )
        pooled, overall = validate_best_pooled(loaded, found, horizon=HORIZON, folds=FOLDS)
        for data in loaded:
            symbol = data.key.split(":")[1]
            row(
                f"{symbol} (pooled BTC+ETH)",
                timeframe,
                len(data.candles),
                found,
                pooled.evaluation["markets"][data.key],
                pooled.verdicts[data.key],
            )
            folds_comment(
                f"pooled {symbol}",
                timeframe,
                [f for f in pooled.folds if f["market"] == data.key],
                started,
            )
        print(f"<!-- pooled {timeframe}: champion of both markets: {overall.eligible} -->")


def row(
    name: str, timeframe: str, candles: int, found: Any, e: dict[str, Any], verdict: Any
) -> None:
    pbo = "n/a" if found.pbo is None else f"{found.pbo:.2f}"
    print(
        f"| {name} | {timeframe} | {candles} | {found.trials} "
        f"| {e['log_loss']:.4f} ({e['prior_log_loss']:.4f}) | {e['ece']:.3f} "
        f"| {e['net_return']:+.1%} | {e['buy_hold_return']:+.1%} "
        f"| {e['random_percentile']:.0f} | {e['deflated_sharpe']:.2f} | {pbo} "
        f"| {'yes' if verdict.eligible else 'no'} |",
        flush=True,
    )


def folds_comment(name: str, timeframe: str, folds: list[dict[str, Any]], started: float) -> None:
    for fold in folds:
        gaps = {
            k: round(fold["mean_predicted"][k] - fold["class_mix"][k], 3)
            for k in ("SELL", "HOLD", "BUY")
        }
        print(
            f"<!-- {name} {timeframe} fold {fold['fold']}: ECE {fold['ece']:.3f}, "
            f"mean minus observed {gaps}, log loss {fold['log_loss']:.4f} vs prior "
            f"{fold['prior_log_loss']:.4f}, {time.perf_counter() - started:.0f} s -->",
            flush=True,
        )


if __name__ == "__main__":
    main()
