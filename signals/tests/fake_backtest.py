"""A minimal long/flat backtester with the platform's interface, for core tests."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass
class FakeResult:
    equity: pd.Series
    trades: list[dict] = field(default_factory=list)
    metrics: dict = field(default_factory=dict)


def fake_backtest(candles, target, *, fee_rate, slippage_bps=0.0, initial_cash=10_000.0):
    """Target decided at close t, traded at open t+1; fees on the traded notional."""
    opens = candles["open"].to_numpy()
    closes = candles["close"].to_numpy()
    wanted = np.r_[0.0, target.to_numpy()[:-1]]
    cash, units, equity = initial_cash, 0.0, []
    for i in range(len(opens)):
        value = cash + units * opens[i]
        desired_units = wanted[i] * value / opens[i]
        traded = desired_units - units
        cash -= traded * opens[i] + abs(traded) * opens[i] * fee_rate
        units = desired_units
        equity.append(cash + units * closes[i])
    return FakeResult(equity=pd.Series(equity, index=candles.index))
