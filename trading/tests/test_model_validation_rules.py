"""Model validation trades and costs exactly as the backtester and the bots' model rule do."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from signals.core.model import threshold_target
from signals.core.skill import random_entries_target, strategy_returns, total_return
from signals.tests.conftest import synthetic_candles
from trading.core.backtest import run_backtest
from trading.core.strategies import model_target


def test_strategy_returns_match_the_platform_backtester():
    candles = synthetic_candles(600, seed=4)
    target = random_entries_target(600, 12, np.random.default_rng(1))
    fee, slippage_bps = 0.001, 5.0
    result = run_backtest(
        candles, pd.Series(target, index=candles.index), fee_rate=fee, slippage_bps=slippage_bps
    )
    platform = float(result.equity.iloc[-1] / 10_000.0 - 1.0)
    mine = total_return(
        strategy_returns(
            candles["open"].to_numpy(),
            candles["close"].to_numpy(),
            target,
            cost=fee + slippage_bps / 10_000,
        )
    )
    # Same fills and costs; the vectorised form charges costs on returns, not on units.
    assert mine == pytest.approx(platform, abs=2e-3)


def test_threshold_target_is_the_bots_model_rule():
    rng = np.random.default_rng(0)
    proba = rng.dirichlet([1, 1, 1], size=300)
    frame = pd.DataFrame({"SELL": proba[:, 0], "HOLD": proba[:, 1], "BUY": proba[:, 2]})
    expected = model_target(frame, buy_threshold=0.45, sell_threshold=0.4).to_numpy()
    np.testing.assert_array_equal(threshold_target(proba, 0.45, 0.4), expected)
