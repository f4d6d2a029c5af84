"""Strategies: functions from candles (or model probabilities) to target exposures in [0, 1].

Every target at t uses data up to the close of t only; the engine trades it at the next open.
Indicators are computed here with pandas so the trading core depends on no other app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

PROBABILITY_COLUMNS = ("BUY", "HOLD", "SELL")


def sma_cross(candles: pd.DataFrame, *, fast: int = 20, slow: int = 50) -> pd.Series:
    """Be long while the fast simple moving average of the close is above the slow one."""
    if not 0 < fast < slow:
        raise ValueError(f"need 0 < fast < slow, got fast={fast}, slow={slow}")
    close = candles["close"].astype("float64")
    above = (
        close.rolling(fast, min_periods=fast).mean() > close.rolling(slow, min_periods=slow).mean()
    )
    return above.astype("float64").rename("target")


def rsi(close: pd.Series, *, window: int = 14) -> pd.Series:
    """Wilder's RSI: `ewm(alpha=1/window, adjust=False)` of gains and losses, first diff 0."""
    change = close.astype("float64").diff().fillna(0.0)
    gain = change.clip(lower=0.0).ewm(alpha=1.0 / window, adjust=False).mean()
    loss = (-change.clip(upper=0.0)).ewm(alpha=1.0 / window, adjust=False).mean()
    with np.errstate(divide="ignore", invalid="ignore"):
        value = 100.0 - 100.0 / (1.0 + gain / loss)
    value = value.where(loss > 0, 100.0).where((gain > 0) | (loss > 0), 50.0)
    value.iloc[:window] = np.nan
    return value.rename("rsi")


def rsi_bands(
    candles: pd.DataFrame, *, window: int = 14, lower: float = 30.0, upper: float = 70.0
) -> pd.Series:
    """Buy when RSI falls below `lower`, sell when it rises above `upper`, hold in between."""
    if not 0.0 < lower < upper < 100.0:
        raise ValueError(f"need 0 < lower < upper < 100, got {lower}, {upper}")
    value = rsi(candles["close"], window=window)
    state = pd.Series(np.nan, index=candles.index)
    state[value < lower] = 1.0
    state[value > upper] = 0.0
    return state.ffill().fillna(0.0).rename("target")


def model_target(
    probabilities: pd.DataFrame, *, buy_threshold: float = 0.5, sell_threshold: float = 0.5
) -> pd.Series:
    """Turn class probabilities (columns BUY, HOLD, SELL) into a long/flat target.

    Go long when P(BUY) >= `buy_threshold` and P(BUY) > P(SELL); go flat when
    P(SELL) >= `sell_threshold` and P(SELL) > P(BUY); otherwise keep the previous exposure
    (flat before the first signal). Rows with missing probabilities keep it too.
    """
    missing = [name for name in PROBABILITY_COLUMNS if name not in probabilities.columns]
    if missing:
        raise ValueError(f"probabilities lack the columns {missing}")
    for name, value in (("buy_threshold", buy_threshold), ("sell_threshold", sell_threshold)):
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{name} must be in [0, 1], got {value}")
    buy = probabilities["BUY"].astype("float64")
    sell = probabilities["SELL"].astype("float64")
    known = probabilities[list(PROBABILITY_COLUMNS)].notna().all(axis=1)
    bad = known & (
        (probabilities[list(PROBABILITY_COLUMNS)] < 0).any(axis=1)
        | (probabilities[list(PROBABILITY_COLUMNS)] > 1).any(axis=1)
    )
    if bad.any():
        raise ValueError(f"probabilities must lie in [0, 1], first bad row at {bad.idxmax()}")
    state = pd.Series(np.nan, index=probabilities.index)
    state[known & (buy >= buy_threshold) & (buy > sell)] = 1.0
    state[known & (sell >= sell_threshold) & (sell > buy)] = 0.0
    return state.ffill().fillna(0.0).rename("target")


FitPredict = Callable[[pd.DataFrame, pd.DataFrame], pd.Series]


@dataclass(frozen=True)
class Fold:
    """One walk-forward step: train on [train_start, train_end), trade [test_start, test_end)."""

    train_start: int
    train_end: int
    test_start: int
    test_end: int


def walk_forward_folds(
    length: int, *, train_size: int, test_size: int, embargo: int = 0, expanding: bool = False
) -> list[Fold]:
    """Split `length` candles into consecutive walk-forward folds (positions, end exclusive).

    The test windows tile the data after the first `train_size + embargo` candles; `embargo`
    candles between a training window and its test window are used by neither (labels that look
    ahead would otherwise leak into the training set).
    """
    if train_size <= 0 or test_size <= 0 or embargo < 0:
        raise ValueError("train_size and test_size must be positive and embargo non-negative")
    folds = []
    test_start = train_size + embargo
    while test_start < length:
        train_end = test_start - embargo
        train_start = 0 if expanding else train_end - train_size
        test_end = min(test_start + test_size, length)
        folds.append(Fold(train_start, train_end, test_start, test_end))
        test_start = test_end
    return folds


def walk_forward_targets(
    candles: pd.DataFrame,
    fit_predict: FitPredict,
    *,
    train_size: int,
    test_size: int,
    embargo: int = 0,
    expanding: bool = False,
) -> pd.Series:
    """Retrain on rolling (or expanding) windows and keep only out-of-sample targets.

    `fit_predict(train_frame, test_frame)` trains on `train_frame` and returns targets in
    [0, 1] on `test_frame.index`. Candles before the first test window get exposure 0, so a
    backtest of the result trades only out-of-sample predictions.
    """
    target = pd.Series(0.0, index=candles.index, name="target")
    folds = walk_forward_folds(
        len(candles),
        train_size=train_size,
        test_size=test_size,
        embargo=embargo,
        expanding=expanding,
    )
    if not folds:
        raise ValueError(
            f"{len(candles)} candles are too few for train_size={train_size} and embargo={embargo}"
        )
    for fold in folds:
        train = candles.iloc[fold.train_start : fold.train_end]
        test = candles.iloc[fold.test_start : fold.test_end]
        predicted = fit_predict(train, test)
        if not isinstance(predicted, pd.Series) or not predicted.index.equals(test.index):
            raise ValueError("fit_predict must return a Series on the test frame's index")
        target.iloc[fold.test_start : fold.test_end] = predicted.astype("float64").to_numpy()
    return target


RULE_STRATEGIES: dict[str, Callable[..., pd.Series]] = {
    "sma_cross": sma_cross,
    "rsi_bands": rsi_bands,
}
RULE_PARAMETERS: dict[str, dict[str, type]] = {
    "sma_cross": {"fast": int, "slow": int},
    "rsi_bands": {"window": int, "lower": float, "upper": float},
}


def rule_target(name: str, candles: pd.DataFrame, params: dict[str, Any]) -> pd.Series:
    """Compute the target of the rule strategy `name` with `params`; ValueError if unknown."""
    if name not in RULE_STRATEGIES:
        raise ValueError(f"unknown strategy {name!r}; known: {sorted(RULE_STRATEGIES)}")
    allowed = RULE_PARAMETERS[name]
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        raise ValueError(f"unknown parameters for {name}: {unknown}; allowed: {sorted(allowed)}")
    converted = {key: allowed[key](value) for key, value in params.items()}
    return RULE_STRATEGIES[name](candles, **converted)


# ---------------------------------------------------------------------------------------------
# the newest closed candle only (the live engine)

# Candles of history per RSI window for its exponential averages to forget their start
# ((1 - 1/window) ** (40 * window) < 1e-17 of the first value remains).
RSI_WARMUP_WINDOWS = 40


def model_target_value(
    *,
    buy: float,
    hold: float,
    sell: float,
    previous: float,
    buy_threshold: float = 0.5,
    sell_threshold: float = 0.5,
) -> float:
    """Return `model_target` for one candle's probabilities, given the previous target.

    Go long (1.0) when P(BUY) >= `buy_threshold` and P(BUY) > P(SELL), flat (0.0) when
    P(SELL) >= `sell_threshold` and P(SELL) > P(BUY), otherwise keep `previous`; missing
    (NaN) probabilities keep it too.
    """
    for name, value in (("buy_threshold", buy_threshold), ("sell_threshold", sell_threshold)):
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{name} must be in [0, 1], got {value}")
    probabilities = (buy, hold, sell)
    if any(np.isnan(value) for value in probabilities):
        return previous
    if any(not 0.0 <= value <= 1.0 for value in probabilities):
        raise ValueError(f"probabilities must lie in [0, 1], got {probabilities}")
    if buy >= buy_threshold and buy > sell:
        return 1.0
    if sell >= sell_threshold and sell > buy:
        return 0.0
    return previous


def latest_target(
    name: str, candles: pd.DataFrame, params: dict[str, Any], *, previous: float = 0.0
) -> float:
    """Return the target of rule strategy `name` at the newest candle of `candles`.

    Computes only what that candle needs: the moving averages of its last `slow` candles for
    `sma_cross`; for `rsi_bands`, the RSI over a warm-up tail and `previous` (the target at the
    candle before) when the RSI lies between the bands. It equals the last value of
    `rule_target(name, candles, params)` except when two rolling sums tie to the last bit
    (the full Series accumulates its sums from the first candle, the tail from its own start).
    """
    if name not in RULE_STRATEGIES:
        raise ValueError(f"unknown strategy {name!r}; known: {sorted(RULE_STRATEGIES)}")
    allowed = RULE_PARAMETERS[name]
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        raise ValueError(f"unknown parameters for {name}: {unknown}; allowed: {sorted(allowed)}")
    converted = {key: allowed[key](value) for key, value in params.items()}
    if len(candles) == 0:
        raise ValueError("candles are empty")
    if name == "sma_cross":
        slow = int(converted.get("slow", 50))
        return float(sma_cross(candles.iloc[-slow:], **converted).iloc[-1])
    window = int(converted.get("window", 14))
    lower = float(converted.get("lower", 30.0))
    upper = float(converted.get("upper", 70.0))
    if not 0.0 < lower < upper < 100.0:
        raise ValueError(f"need 0 < lower < upper < 100, got {lower}, {upper}")
    tail = candles["close"].iloc[-RSI_WARMUP_WINDOWS * window :]
    value = float(rsi(tail, window=window).iloc[-1])
    if value < lower:
        return 1.0
    if value > upper:
        return 0.0
    return previous
