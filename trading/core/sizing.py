"""Position sizing and exchange precision, shared by the backtest and the live engine.

Exposure functions work on pandas Series (a whole history in a backtest) and their last value
is what the live engine uses on a closed candle: every value at t uses data up to t only.
Order quantities are `Decimal`, rounded down to the market's lot step.
"""

from __future__ import annotations

import math
from decimal import ROUND_DOWN, ROUND_UP, Decimal

import numpy as np
import pandas as pd


def round_quantity(quantity: Decimal, step: Decimal) -> Decimal:
    """Round an order quantity down to a multiple of the market's lot `step`."""
    if step <= 0:
        raise ValueError(f"step must be positive, got {step}")
    if quantity <= 0:
        return Decimal(0).quantize(step)
    multiples = (quantity / step).to_integral_value(rounding=ROUND_DOWN)
    return (multiples * step).quantize(step)


def round_price(price: Decimal, tick: Decimal, *, side: str) -> Decimal:
    """Round a limit price to the market's `tick`, never in the trader's favour.

    A buy rounds up and a sell rounds down, so the rounded order is at least as marketable.
    """
    if tick <= 0:
        raise ValueError(f"tick must be positive, got {tick}")
    if side not in ("buy", "sell"):
        raise ValueError(f"side must be 'buy' or 'sell', got {side!r}")
    rounding = ROUND_UP if side == "buy" else ROUND_DOWN
    return ((price / tick).to_integral_value(rounding=rounding) * tick).quantize(tick)


def floor_to_step(quantity: float, step: float) -> float:
    """Float form of `round_quantity`, through the same Decimal rule (used by the backtest)."""
    return float(round_quantity(Decimal(repr(float(quantity))), Decimal(repr(float(step)))))


def fixed_fraction(signal: pd.Series, fraction: float) -> pd.Series:
    """Scale a long/flat signal to a fixed fraction of equity."""
    if not 0.0 < fraction <= 1.0:
        raise ValueError(f"fraction must be in (0, 1], got {fraction}")
    return signal.astype("float64") * fraction


def realised_volatility(close: pd.Series, *, window: int, periods_per_year: float) -> pd.Series:
    """Annualised standard deviation of log returns over the last `window` candles."""
    returns = np.log(close.astype("float64")).diff()
    return returns.rolling(window, min_periods=window).std() * math.sqrt(periods_per_year)


def volatility_target_fraction(
    close: pd.Series,
    *,
    target_volatility: float,
    window: int,
    periods_per_year: float,
    max_fraction: float = 1.0,
) -> pd.Series:
    """Exposure that would give `target_volatility` (annualised) at the recent volatility."""
    if target_volatility <= 0:
        raise ValueError("target_volatility must be positive")
    volatility = realised_volatility(close, window=window, periods_per_year=periods_per_year)
    fraction = target_volatility / volatility.replace(0.0, np.nan)
    return fraction.clip(upper=max_fraction).fillna(0.0)


def average_true_range(candles: pd.DataFrame, *, window: int = 14) -> pd.Series:
    """Wilder's average true range (`ewm(alpha=1/window, adjust=False)` of the true range)."""
    previous_close = candles["close"].shift(1)
    true_range = pd.concat(
        [
            candles["high"] - candles["low"],
            (candles["high"] - previous_close).abs(),
            (candles["low"] - previous_close).abs(),
        ],
        axis=1,
    ).max(axis=1)
    return true_range.ewm(alpha=1.0 / window, adjust=False, min_periods=window).mean()


def atr_risk_fraction(
    candles: pd.DataFrame,
    *,
    risk_per_trade: float,
    atr_multiple: float = 2.0,
    window: int = 14,
    max_fraction: float = 1.0,
) -> pd.Series:
    """Exposure that loses `risk_per_trade` of equity if price falls `atr_multiple` ATRs."""
    if not 0.0 < risk_per_trade < 1.0:
        raise ValueError("risk_per_trade must be a fraction in (0, 1)")
    distance = atr_multiple * average_true_range(candles, window=window) / candles["close"]
    fraction = risk_per_trade / distance.replace(0.0, np.nan)
    return fraction.clip(upper=max_fraction).fillna(0.0)


def size_at_entry(signal: pd.Series, fraction: pd.Series) -> pd.Series:
    """Size each position once, when the signal changes, and hold that size until it changes.

    Re-sizing at every candle would trade on every wiggle of the volatility estimate.
    """
    if not signal.index.equals(fraction.index):
        raise ValueError("signal and fraction must share one index")
    signal = signal.astype("float64")
    changed = signal.ne(signal.shift(1)).to_numpy()
    sampled = fraction.astype("float64").where(changed).ffill().fillna(0.0)
    return (signal * sampled).clip(lower=0.0, upper=1.0)


def volatility_slippage_bps(
    candles: pd.DataFrame, *, spread_bps: float = 0.0, range_share: float = 0.1, window: int = 24
) -> pd.Series:
    """Slippage per candle: half the spread plus a share of the recent candle range.

    Uses the mean `(high - low) / close` of the `window` candles before each one, so the
    slippage of an order at an open is known before that open.
    """
    if spread_bps < 0 or range_share < 0:
        raise ValueError("spread_bps and range_share must be non-negative")
    relative_range = (candles["high"] - candles["low"]) / candles["close"]
    recent = relative_range.rolling(window, min_periods=1).mean().shift(1).fillna(0.0)
    return spread_bps / 2.0 + range_share * recent * 10_000.0


# Candles of history per window for an exponential average to forget its start.
ATR_WARMUP_WINDOWS = 40


def latest_atr_risk_fraction(
    candles: pd.DataFrame,
    *,
    risk_per_trade: float,
    atr_multiple: float = 2.0,
    window: int = 14,
    max_fraction: float = 1.0,
) -> float:
    """Return `atr_risk_fraction` at the newest candle from a warm-up tail of the history.

    Wilder's average forgets its start geometrically, so the tail gives the full Series' last
    value to within 1e-15 relative.
    """
    tail = candles.iloc[-ATR_WARMUP_WINDOWS * window :]
    fraction = atr_risk_fraction(
        tail,
        risk_per_trade=risk_per_trade,
        atr_multiple=atr_multiple,
        window=window,
        max_fraction=max_fraction,
    )
    return float(fraction.iloc[-1])


def latest_volatility_target_fraction(
    close: pd.Series,
    *,
    target_volatility: float,
    window: int,
    periods_per_year: float,
    max_fraction: float = 1.0,
) -> float:
    """Return `volatility_target_fraction` at the newest candle from its last `window` returns."""
    fraction = volatility_target_fraction(
        close.iloc[-(window + 1) :],
        target_volatility=target_volatility,
        window=window,
        periods_per_year=periods_per_year,
        max_fraction=max_fraction,
    )
    return float(fraction.iloc[-1])
