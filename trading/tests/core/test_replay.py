"""Replaying history through the live engine gives the backtester's trades and equity."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trading.core.backtest import BacktestResult, run_backtest
from trading.core.profile import MarketLimits, RiskProfile
from trading.core.replay import ReplayResult, replay
from trading.core.sizing import atr_risk_fraction, size_at_entry, volatility_slippage_bps
from trading.core.strategies import model_target, sma_cross
from trading.tests.core.candles import flat_rows, load_ohlcv, make_candles

FEE = 0.001
MAKER = 0.0005
RELATIVE = 1e-9


@pytest.fixture(params=["BTCUSDT", "ETHUSDT"])
def hourly(request, shared_data) -> pd.DataFrame:
    return load_ohlcv(shared_data / "ohlcv" / f"binance_{request.param}_1h.csv")


def backtest_of(candles, target, profile: RiskProfile, **options) -> BacktestResult:
    return run_backtest(
        candles,
        target,
        stop_loss=profile.stop_loss,
        take_profit=profile.take_profit,
        trailing_stop=profile.trailing_stop,
        max_drawdown=profile.max_drawdown,
        **options,
    )


def assert_same_trading(replayed: ReplayResult, backtest: BacktestResult) -> None:
    ours, theirs = replayed.trades, backtest.trades
    assert len(ours) == len(theirs)
    assert ours["entry_time"].tolist() == theirs["entry_time"].tolist()
    assert ours["exit_time"].tolist() == theirs["exit_time"].tolist()
    assert ours["exit_reason"].tolist() == theirs["exit_reason"].tolist()
    for column in ("size", "entry_price", "exit_price", "fees", "pnl"):
        np.testing.assert_allclose(
            ours[column].to_numpy(dtype=float),
            theirs[column].to_numpy(dtype=float),
            rtol=RELATIVE,
            err_msg=column,
        )
    final, expected = replayed.equity.iloc[-1], backtest.metrics["final_equity"]
    assert abs(final / expected - 1.0) <= RELATIVE
    np.testing.assert_allclose(replayed.equity, backtest.equity, rtol=RELATIVE)


@pytest.mark.shared_data
def test_replay_sma_cross_with_fees_and_slippage_matches_backtest(hourly):
    # Given SMA 20/50 long/flat targets, a 0.1 % fee and 5 bps of slippage.
    signal = sma_cross(hourly, fast=20, slow=50)
    profile = RiskProfile()
    # When the history is replayed candle by candle through the live engine.
    replayed = replay(candles=hourly, signals=signal, profile=profile, fee_rate=FEE, slippage_bps=5)
    backtest = backtest_of(hourly, signal, profile, fee_rate=FEE, slippage_bps=5)
    # Then: the same trades (times, sides, amounts) and equity to 1e-9 relative.
    assert len(backtest.trades) > 50
    assert_same_trading(replayed, backtest)
    sides = replayed.fills["side"].tolist()
    assert sides == ["buy", "sell"] * len(backtest.trades)
    np.testing.assert_allclose(
        replayed.fills["amount"].to_numpy()[0::2], backtest.trades["size"], rtol=RELATIVE
    )


@pytest.mark.shared_data
def test_replay_atr_sizing_and_stops_matches_backtest(hourly):
    # Given SMA 10/30 signals sized at entry to risk 1 % of equity at 2 ATRs, a stop-loss,
    # a take-profit (maker fee) and a trailing stop, with volatility-based slippage.
    signal = sma_cross(hourly, fast=10, slow=30)
    fraction = atr_risk_fraction(hourly, risk_per_trade=0.01, atr_multiple=2.0, window=14)
    profile = RiskProfile(risk_per_trade=0.01, stop_loss=0.03, take_profit=0.06, trailing_stop=0.04)
    slippage = volatility_slippage_bps(hourly, spread_bps=2.0)
    options = {"fee_rate": FEE, "maker_fee_rate": MAKER, "slippage_bps": slippage}
    replayed = replay(candles=hourly, signals=signal, profile=profile, sizing=fraction, **options)
    backtest = backtest_of(hourly, size_at_entry(signal, fraction), profile, **options)
    assert set(backtest.trades["exit_reason"]) >= {"stop_loss", "take_profit", "trailing_stop"}
    assert backtest.trades["exposure"].nunique() > 20  # really sized per trade
    assert_same_trading(replayed, backtest)


@pytest.mark.shared_data
def test_replay_max_drawdown_halt_matches_backtest_kill_switch(hourly):
    signal = sma_cross(hourly, fast=5, slow=20)
    profile = RiskProfile(max_drawdown=0.08, stop_loss=0.02)
    replayed = replay(candles=hourly, signals=signal, profile=profile, fee_rate=FEE, slippage_bps=5)
    backtest = backtest_of(hourly, signal, profile, fee_rate=FEE, slippage_bps=5)
    halted = [d for d in replayed.decisions if d.halted]
    assert halted, "the drawdown limit is reached on this data"
    assert halted[0].halted.startswith("max drawdown")
    assert_same_trading(replayed, backtest)


@pytest.mark.shared_data
def test_replay_lot_step_and_min_notional_matches_sequential_backtest(hourly):
    # Given a lot step and a minimum notional (the backtester's candle-by-candle path) and
    # fractional targets that rebalance between two non-zero exposures.
    signal = sma_cross(hourly, fast=10, slow=30)
    tilt = pd.Series(np.where(np.arange(len(hourly)) % 50 < 20, 0.6, 1.0), index=hourly.index)
    target = signal * tilt
    limits = MarketLimits(lot_step=Decimal("0.0001"), min_notional=Decimal("10"))
    profile = RiskProfile(stop_loss=0.05)
    replayed = replay(
        candles=hourly,
        signals=target,
        profile=profile,
        limits=limits,
        fee_rate=FEE,
        slippage_bps=5,
    )
    backtest = backtest_of(
        hourly, target, profile, fee_rate=FEE, slippage_bps=5, quantity_step=1e-4, min_notional=10
    )
    assert_same_trading(replayed, backtest)
    # Every order the engine asked for is on the lot step (the last candle's is never filled).
    orders = [d.order for d in replayed.decisions[:-1] if d.order is not None]
    assert len(orders) == (replayed.fills["reason"] == "signal").sum()
    assert all(order.amount % Decimal("0.0001") == 0 for order in orders)


def test_replay_model_probabilities_match_backtest_of_model_target():
    # Given model probabilities on synthetic candles and thresholds of 0.55.
    rng = np.random.default_rng(3)
    n = 400
    close = 100 * np.exp(np.cumsum(rng.normal(0, 0.01, n)))
    rows = [(c, c * 1.004, c * 0.996, c) for c in close]
    candles = make_candles(rows)
    raw = rng.dirichlet([1, 1, 1], size=n)
    probabilities = pd.DataFrame(raw, columns=["BUY", "HOLD", "SELL"], index=candles.index)
    target = model_target(probabilities, buy_threshold=0.55, sell_threshold=0.55)
    profile = RiskProfile(take_profit=0.01)
    replayed = replay(
        candles=candles,
        signals=probabilities,
        profile=profile,
        fee_rate=FEE,
        slippage_bps=3,
        buy_threshold=0.55,
        sell_threshold=0.55,
    )
    backtest = backtest_of(candles, target, profile, fee_rate=FEE, slippage_bps=3)
    assert len(backtest.trades) > 10
    assert_same_trading(replayed, backtest)


def test_replay_rejects_misaligned_signals():
    candles = make_candles(flat_rows(100, 101, 102))
    with pytest.raises(ValueError, match="signals"):
        replay(
            candles=candles,
            signals=pd.Series([1.0, 1.0]),
            profile=RiskProfile(),
            fee_rate=0.0,
        )


@st.composite
def candles_and_targets(draw):
    n = draw(st.integers(5, 120))
    steps = draw(st.lists(st.floats(-0.06, 0.06), min_size=n, max_size=n))
    close = 100.0 * np.exp(np.cumsum(steps))
    gaps = draw(st.lists(st.floats(-0.03, 0.03), min_size=n, max_size=n))
    open_ = np.r_[100.0, close[:-1]] * np.exp(np.array(gaps))
    wick = np.array(draw(st.lists(st.floats(0.0, 0.04), min_size=n, max_size=n)))
    high = np.maximum(open_, close) * (1 + wick)
    low = np.minimum(open_, close) * (1 - wick)
    candles = make_candles(list(zip(open_, high, low, close, strict=True)))
    values: list[float] = []
    while len(values) < n:
        values.extend([draw(st.sampled_from([0.0, 0.0, 0.35, 1.0]))] * draw(st.integers(1, 12)))
    return candles, pd.Series(values[:n], index=candles.index, dtype=float)


fraction = st.one_of(st.none(), st.floats(0.005, 0.15))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=candles_and_targets(),
    stop_loss=fraction,
    take_profit=fraction,
    trailing_stop=fraction,
    max_drawdown=st.one_of(st.none(), st.floats(0.03, 0.4)),
    step=st.sampled_from([None, "0.001"]),
)
def test_replay_matches_backtest_on_random_histories(
    data, stop_loss, take_profit, trailing_stop, max_drawdown, step
):
    # Given random candles, targets with direct rebalances, any exits and a drawdown halt.
    candles, target = data
    profile = RiskProfile(
        stop_loss=stop_loss,
        take_profit=take_profit,
        trailing_stop=trailing_stop,
        max_drawdown=max_drawdown,
    )
    limits = MarketLimits(lot_step=Decimal(step) if step else None)
    replayed = replay(
        candles=candles,
        signals=target,
        profile=profile,
        limits=limits,
        fee_rate=0.002,
        maker_fee_rate=0.001,
        slippage_bps=4,
    )
    backtest = backtest_of(
        candles,
        target,
        profile,
        fee_rate=0.002,
        maker_fee_rate=0.001,
        slippage_bps=4,
        quantity_step=float(step) if step else None,
    )
    assert_same_trading(replayed, backtest)
