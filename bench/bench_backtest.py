"""Backtest speed on 1M candles: `run_backtest` beside vectorbt's `Portfolio.from_signals`.

Run: `.venv/bin/python bench/bench_backtest.py` (or `make bench`). vectorbt is a benchmark-only
dependency (`requirements/bench.txt`); without it the vectorbt lines are skipped.

One process, one synthetic random walk of 1,000,000 one-minute candles, SMA(60/240) cross
long/flat targets, 0.1 % fee, no slippage. vectorbt gets a timezone-naive index (a tz-aware
one makes it about 60x slower) and the same fills: signals shifted one candle and executed at
the open. The targets end flat, so neither engine has a position to close at the end and the
final equities must agree. Times are the best of several runs after a warm-up (vectorbt
compiles its numba kernels on the first call).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from trading.core.backtest import run_backtest
from trading.core.metrics import periods_per_year_of
from trading.core.risk import cap_exposure
from trading.core.sizing import (
    size_at_entry,
    volatility_slippage_bps,
    volatility_target_fraction,
)

CANDLES = 1_000_000
FEE = 0.001
CASH = 10_000.0
REPEATS = 5


def synthetic_candles(n: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    close = 20_000.0 * np.exp(np.cumsum(rng.normal(0.0, 0.0015, n)))
    open_ = np.r_[20_000.0, close[:-1]] * np.exp(rng.normal(0.0, 0.0003, n))
    high = np.maximum(open_, close) * (1.0 + rng.uniform(0.0, 0.002, n))
    low = np.minimum(open_, close) * (1.0 - rng.uniform(0.0, 0.002, n))
    index = pd.date_range("2020-01-01", periods=n, freq="1min", tz="UTC")
    volume = rng.uniform(1.0, 10.0, n)
    return pd.DataFrame(
        {"open": open_, "high": high, "low": low, "close": close, "volume": volume}, index=index
    )


def sma_cross_target(close: pd.Series, fast: int = 60, slow: int = 240) -> pd.Series:
    target = (close.rolling(fast).mean() > close.rolling(slow).mean()).astype("float64")
    target.iloc[-2:] = 0.0  # end flat: both engines then hold only cash at the last close
    return target


def best_time(function: Callable[[], Any], repeats: int = REPEATS) -> tuple[float, Any]:
    result = function()  # warm-up
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def plain_numpy_final(candles: pd.DataFrame, target: pd.Series) -> float:
    """A bare long/flat backtest (final equity only), as a floor for the times."""
    held = np.r_[0.0, target.to_numpy()[:-1]]
    change = np.diff(held, prepend=0.0)
    open_ = candles["open"].to_numpy()
    buys = open_[change > 0]
    sells = open_[change < 0]
    return float(CASH * np.prod(sells * (1 - FEE) / (buys[: len(sells)] * (1 + FEE))))


def main() -> None:
    candles = synthetic_candles(CANDLES)
    target = sma_cross_target(candles["close"])
    print(f"{CANDLES:,} one-minute candles, SMA 60/240 cross, fee {FEE:.1%}, initial {CASH:,.0f}")
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, pandas {pd.__version__}")

    plain_time, plain_final = best_time(lambda: plain_numpy_final(candles, target))
    engine_time, result = best_time(lambda: run_backtest(candles, target, fee_rate=FEE))
    trades = result.metrics["trades"]
    final = result.metrics["final_equity"]
    label = "plain numpy long/flat (final only)"
    print(f"{label}  {plain_time * 1e3:8.1f} ms  final {plain_final:.6f}")
    print(
        f"run_backtest long/flat             {engine_time * 1e3:8.1f} ms  final {final:.6f}"
        f"  ({trades} trades, with metrics and trades)"
    )

    vbt_time = vectorbt_long_flat(candles, target, final)

    periods = periods_per_year_of(candles.index) or 525_960.0

    def sized_target() -> pd.Series:
        fraction = volatility_target_fraction(
            candles["close"], target_volatility=0.5, window=1_440, periods_per_year=periods
        )
        return cap_exposure(size_at_entry(target, fraction), 0.9)

    sizing_time, sized = best_time(sized_target)
    slippage = volatility_slippage_bps(candles, spread_bps=2.0, range_share=0.05, window=60)
    stops = {"stop_loss": 0.01, "take_profit": 0.02, "trailing_stop": 0.008}

    def full() -> Any:
        return run_backtest(
            candles,
            sized,
            fee_rate=FEE,
            maker_fee_rate=FEE / 2,
            slippage_bps=slippage,
            max_drawdown=0.99,
            **stops,
        )

    full_time, full_result = best_time(full)
    reasons = full_result.trades["exit_reason"].value_counts().to_dict()
    killed = full_result.metrics["max_drawdown"] >= 0.99
    print(
        f"run_backtest full engine           {full_time * 1e3:8.1f} ms  final "
        f"{full_result.metrics['final_equity']:.6f}  (vol-target sizing held from entry, max "
        f"0.9, SL 1 %, TP 2 % maker, trailing 0.8 %, volatility slippage, 99 % drawdown kill "
        f"switch {'hit' if killed else 'armed, not hit'}; exits {reasons})"
    )
    print(f"  sizing (vol target + size at entry + cap), computed once: {sizing_time * 1e3:.1f} ms")

    def with_lot_size() -> Any:
        return run_backtest(candles, target, fee_rate=FEE, quantity_step=1e-5, min_notional=10.0)

    lot_time, lot_result = best_time(with_lot_size, repeats=1)
    print(
        f"run_backtest with lot step + min notional (sequential path) {lot_time * 1e3:8.1f} ms"
        f"  final {lot_result.metrics['final_equity']:.6f}"
    )
    if vbt_time is not None:
        print(f"long/flat: run_backtest / vectorbt = {engine_time / vbt_time:.2f}")
        print(f"full engine / vectorbt long/flat   = {full_time / vbt_time:.2f} (target <= 3)")
        print(f"full engine + sizing / vectorbt   = {(full_time + sizing_time) / vbt_time:.2f}")


def vectorbt_long_flat(candles: pd.DataFrame, target: pd.Series, expected: float) -> float | None:
    try:
        import vectorbt as vbt
    except ImportError:
        print("vectorbt not installed (pip install -r requirements/bench.txt): skipped")
        return None
    naive = candles.index.tz_localize(None)
    close = pd.Series(candles["close"].to_numpy(), index=naive)
    price = pd.Series(candles["open"].to_numpy(), index=naive)
    held = np.r_[0.0, target.to_numpy()[:-1]]  # decided at close t-1, filled at open t
    change = np.diff(held, prepend=0.0)
    entries = pd.Series(change > 0, index=naive)
    exits = pd.Series(change < 0, index=naive)

    def run() -> Any:
        return vbt.Portfolio.from_signals(
            close, entries, exits, price=price, fees=FEE, init_cash=CASH, freq="1min"
        )

    elapsed, portfolio = best_time(run)

    final = float(portfolio.final_value())
    agree = abs(final / expected - 1.0)
    print(
        f"vectorbt {vbt.__version__} from_signals           {elapsed * 1e3:8.1f} ms  final "
        f"{final:.6f}  (relative difference {agree:.1e})"
    )

    def run_stops() -> Any:
        return vbt.Portfolio.from_signals(
            close,
            entries,
            exits,
            price=price,
            open=price,
            high=pd.Series(candles["high"].to_numpy(), index=naive),
            low=pd.Series(candles["low"].to_numpy(), index=naive),
            fees=FEE,
            init_cash=CASH,
            freq="1min",
            sl_stop=0.01,
            sl_trail=False,
            tp_stop=0.02,
        )

    stops_elapsed, _ = best_time(run_stops)
    print(f"vectorbt from_signals with SL 1 % + TP 2 % (reference)   {stops_elapsed * 1e3:8.1f} ms")
    return elapsed


if __name__ == "__main__":
    main()
