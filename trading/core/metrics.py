"""Performance metrics of an equity curve and its trades, annualised from the candle timeframe.

Conventions: per-candle simple returns of the equity curve (the first against the initial
cash), a zero risk-free rate, `ddof=1` volatility, Sortino's downside deviation as the root mean
square of the negative returns, drawdowns as positive fractions below the running peak (the
initial cash counts as the first peak). Values that do not exist (a Sharpe ratio without
variance, a profit factor without losing trades) are None so the dict is JSON-safe.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

FloatArray = npt.NDArray[np.float64]
SECONDS_PER_YEAR = 365.25 * 24 * 3600
METRIC_LABELS = {
    "start": "Start",
    "end": "End",
    "candles": "Candles",
    "initial_cash": "Initial cash",
    "final_equity": "Final equity",
    "total_return": "Total return",
    "cagr": "CAGR",
    "annual_volatility": "Annualised volatility",
    "sharpe": "Sharpe ratio",
    "sortino": "Sortino ratio",
    "calmar": "Calmar ratio",
    "max_drawdown": "Max drawdown",
    "max_drawdown_duration_candles": "Max drawdown duration (candles)",
    "max_drawdown_duration_days": "Max drawdown duration (days)",
    "trades": "Trades",
    "win_rate": "Win rate",
    "profit_factor": "Profit factor",
    "expectancy": "Expectancy (per trade)",
    "expectancy_return": "Expectancy (mean trade return)",
    "exposure": "Exposure (mean)",
    "time_in_market": "Time in market",
    "fees_paid": "Fees paid",
    "buy_and_hold_return": "Buy and hold return",
}
PERCENT_METRICS = frozenset(
    {
        "total_return",
        "cagr",
        "annual_volatility",
        "max_drawdown",
        "win_rate",
        "expectancy_return",
        "exposure",
        "time_in_market",
        "buy_and_hold_return",
    }
)


def periods_per_year_of(index: pd.DatetimeIndex) -> float | None:
    """Infer candles per year from the median spacing of `index`; None for fewer than 2."""
    if len(index) < 2:
        return None
    steps = np.diff(index.asi8)
    median = float(np.median(steps))
    if median <= 0:
        return None
    unit_seconds = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[index.unit]
    return SECONDS_PER_YEAR / (median * unit_seconds)


def _annualised_growth(ratio: float, years: float) -> float:
    if not years > 0 or ratio <= 0:
        return math.nan
    try:
        return math.exp(math.log(ratio) / years) - 1.0
    except OverflowError:  # spans of a few candles annualise to absurd numbers
        return math.inf


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def drawdown_stats(equity: FloatArray, initial: float) -> tuple[float, int]:
    """Return the maximum drawdown (a positive fraction) and the longest run below a peak."""
    peak = np.maximum.accumulate(np.maximum(equity, initial))
    drawdown = 1.0 - equity / peak
    under = drawdown > 0.0
    longest = 0
    if under.any():
        edges = np.diff(np.concatenate(([0], under.view(np.int8), [0])))
        starts = np.flatnonzero(edges == 1)
        ends = np.flatnonzero(edges == -1)
        longest = int((ends - starts).max())
    return float(drawdown.max()), longest


def compute_metrics(
    *,
    equity: FloatArray,
    close: FloatArray,
    exposure: FloatArray,
    trade_returns: FloatArray,
    trade_pnl: FloatArray,
    fees: float,
    initial_cash: float,
    periods_per_year: float | None,
    start: pd.Timestamp | None = None,
    end: pd.Timestamp | None = None,
) -> dict[str, Any]:
    """Compute the metrics dict of one backtest."""
    n = len(equity)
    final = float(equity[-1])
    total_return = final / initial_cash - 1.0
    returns = np.empty(n)
    returns[0] = equity[0] / initial_cash - 1.0
    returns[1:] = equity[1:] / equity[:-1] - 1.0
    ppy = periods_per_year if periods_per_year is not None else math.nan
    years = n / ppy
    cagr = _annualised_growth(final / initial_cash, years)
    mean = float(returns.mean())
    std = float(returns.std(ddof=1)) if n > 1 else math.nan
    downside = float(np.sqrt(np.mean(np.minimum(returns, 0.0) ** 2)))
    sharpe = mean / std * math.sqrt(ppy) if std > 0 else math.nan
    sortino = mean / downside * math.sqrt(ppy) if downside > 0 else math.nan
    max_dd, dd_candles = drawdown_stats(equity, initial_cash)
    calmar = cagr / max_dd if max_dd > 0 else math.nan
    trade_count = len(trade_pnl)
    wins = trade_pnl[trade_pnl > 0]
    losses = trade_pnl[trade_pnl < 0]
    gross_loss = float(-losses.sum())
    return {
        "start": None if start is None else _iso(start),
        "end": None if end is None else _iso(end),
        "candles": n,
        "initial_cash": float(initial_cash),
        "final_equity": final,
        "total_return": total_return,
        "cagr": _finite(cagr),
        "annual_volatility": _finite(std * math.sqrt(ppy)),
        "sharpe": _finite(sharpe),
        "sortino": _finite(sortino),
        "calmar": _finite(calmar),
        "max_drawdown": max_dd,
        "max_drawdown_duration_candles": dd_candles,
        "max_drawdown_duration_days": _finite(dd_candles / ppy * 365.25),
        "trades": trade_count,
        "win_rate": len(wins) / trade_count if trade_count else None,
        "profit_factor": float(wins.sum()) / gross_loss if gross_loss > 0 else None,
        "expectancy": float(trade_pnl.mean()) if trade_count else None,
        "expectancy_return": float(trade_returns.mean()) if trade_count else None,
        "exposure": float(exposure.mean()),
        "time_in_market": float((exposure > 0).mean()),
        "fees_paid": float(fees),
        "buy_and_hold_return": float(close[-1] / close[0] - 1.0),
    }


def _iso(stamp: pd.Timestamp) -> str:
    stamp = pd.Timestamp(stamp)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize("UTC")
    return str(stamp.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ"))


def format_metrics(metrics: dict[str, Any]) -> str:
    """Render metrics as a two-column text table."""
    width = max(len(label) for label in METRIC_LABELS.values())
    lines = []
    for key, label in METRIC_LABELS.items():
        value = metrics.get(key)
        if value is None:
            text = "-"
        elif key in PERCENT_METRICS:
            text = f"{value * 100:.2f} %"
        elif isinstance(value, float):
            text = f"{value:,.4f}"
        else:
            text = str(value)
        lines.append(f"{label:<{width}}  {text}")
    return "\n".join(lines)
