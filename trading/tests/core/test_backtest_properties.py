"""Equivalence with an independent computation, the two engine paths, and hypothesis properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trading.core import backtest as engine
from trading.core import sequential as sequential_module
from trading.core.backtest import run_backtest
from trading.core.rules import Costs, Stops
from trading.core.sequential import simulate_sequential
from trading.tests.core.candles import make_candles

FEE = 0.001
SLIP = 0.0005  # 5 bps


def sma_cross(close: pd.Series, fast: int = 10, slow: int = 30) -> pd.Series:
    return (close.rolling(fast).mean() > close.rolling(slow).mean()).astype(float)


def per_candle_equity(candles: pd.DataFrame, target: pd.Series, fee: float, slip: float):
    """Equity as a product of per-candle growth factors (no episodes, no cash ledger)."""
    open_ = candles["open"].to_numpy()
    close = candles["close"].to_numpy()
    held = np.r_[0.0, target.to_numpy()[:-1]]  # exposure during candle t, set at its open
    before = np.r_[0.0, held[:-1]]
    entering = (held == 1) & (before == 0)
    leaving = (held == 0) & (before == 1)
    staying = (held == 1) & (before == 1)
    previous_close = np.r_[close[0], close[:-1]]
    growth = np.ones(len(close))
    growth[entering] = close[entering] / (open_[entering] * (1 + slip) * (1 + fee))
    growth[staying] = close[staying] / previous_close[staying]
    growth[leaving] = open_[leaving] * (1 - slip) * (1 - fee) / previous_close[leaving]
    if held[-1] == 1:  # sold at the last close
        growth[-1] *= (1 - slip) * (1 - fee)
    return 10_000.0 * np.cumprod(growth)


@pytest.mark.shared_data
def test_run_backtest_long_flat_on_btc_matches_independent_computation(btc_1h):
    # Given SMA-cross long/flat targets on the real BTC/USDT 1h candles.
    target = sma_cross(btc_1h["close"]).fillna(0.0)
    # When
    result = run_backtest(btc_1h, target, fee_rate=FEE, slippage_bps=5)
    # Then: final equity and the whole curve agree to 1e-9 relative.
    expected = per_candle_equity(btc_1h, target, FEE, SLIP)
    assert result.metrics["trades"] > 50
    assert result.equity.iloc[-1] == pytest.approx(expected[-1], rel=1e-9)
    np.testing.assert_allclose(result.equity.to_numpy(), expected, rtol=1e-9)


@pytest.mark.shared_data
def test_run_backtest_long_flat_on_btc_paths_agree(btc_1h):
    # Given the same targets with stops, run through both engine paths.
    target = sma_cross(btc_1h["close"], 5, 20).fillna(0.0) * 0.8
    stops = Stops(stop_loss=0.02, take_profit=0.04, trailing_stop=0.03)
    vector, sequential = both_paths(btc_1h, target, stops)
    np.testing.assert_allclose(vector[0], sequential[0], rtol=1e-9)
    assert reasons(vector) == reasons(sequential)
    assert set(reasons(vector)) >= {"stop_loss", "take_profit", "trailing_stop"}


def reasons(outcome) -> list[str]:
    return list(engine._reason_labels(outcome[2]["exit_reason"]))


def both_paths(candles, target, stops, fee=FEE, slip=SLIP):
    prices = {name: candles[name].to_numpy(dtype=float) for name in engine.REQUIRED_COLUMNS}
    costs = Costs(taker_fee=fee, maker_fee=fee / 2, slippage=np.full(len(candles), slip))
    wanted = np.r_[0.0, target.to_numpy(dtype=float)[:-1]]
    previous = np.r_[0.0, wanted[:-1]]
    changes = np.flatnonzero(wanted != previous)
    vector = engine._simulate_episodes(prices, wanted, changes, costs, stops, 10_000.0)
    sequential = simulate_sequential(prices, wanted, changes, costs, stops, 10_000.0, None, None)
    return vector, sequential


@st.composite
def candles_and_target(draw, min_size=2, max_size=60):
    n = draw(st.integers(min_size, max_size))
    steps = draw(st.lists(st.floats(-0.08, 0.08), min_size=n, max_size=n))
    close = 100.0 * np.exp(np.cumsum(steps))
    open_ = np.r_[100.0, close[:-1]] * np.exp(
        np.array(draw(st.lists(st.floats(-0.03, 0.03), min_size=n, max_size=n)))
    )
    wick = np.array(draw(st.lists(st.floats(0.0, 0.05), min_size=n, max_size=n)))
    high = np.maximum(open_, close) * (1 + wick)
    low = np.minimum(open_, close) * (1 - wick)
    candles = make_candles(list(zip(open_, high, low, close, strict=True)))
    levels = draw(st.sampled_from([[0.0, 1.0], [0.0, 0.3, 1.0], [0.0, 0.5, 0.7, 1.0]]))
    values = draw(st.lists(st.sampled_from(levels), min_size=n, max_size=n))
    return candles, pd.Series(values, index=candles.index, dtype=float)


optional_fraction = st.one_of(st.none(), st.floats(0.005, 0.2))
hypothesis_settings = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@hypothesis_settings
@given(
    data=candles_and_target(),
    cut=st.integers(1, 59),
    stop_loss=optional_fraction,
    take_profit=optional_fraction,
    trailing_stop=optional_fraction,
    max_drawdown=st.one_of(st.none(), st.floats(0.02, 0.5)),
)
def test_run_backtest_past_does_not_depend_on_future(
    data, cut, stop_loss, take_profit, trailing_stop, max_drawdown
):
    # Given a run over all candles and one over the first `cut` candles.
    candles, target = data
    cut = min(cut, len(candles) - 1)
    options = {
        "fee_rate": 0.002,
        "slippage_bps": 7,
        "stop_loss": stop_loss,
        "take_profit": take_profit,
        "trailing_stop": trailing_stop,
        "max_drawdown": max_drawdown,
    }
    full = run_backtest(candles, target, **options)
    head = run_backtest(candles.iloc[:cut], target.iloc[:cut], **options)
    # Then: equity before the head's last candle (where the head is forced to sell) agrees.
    np.testing.assert_allclose(
        head.equity.to_numpy()[:-1], full.equity.to_numpy()[: cut - 1], rtol=1e-12
    )


@hypothesis_settings
@given(
    n=st.integers(2, 80),
    price=st.floats(0.01, 1e6),
    values=st.lists(st.sampled_from([0.0, 0.25, 1.0]), min_size=80, max_size=80),
    stop_loss=optional_fraction,
)
def test_run_backtest_flat_prices_without_costs_return_initial_cash(n, price, values, stop_loss):
    candles = make_candles([(price, price, price, price)] * n)
    target = pd.Series(values[:n], index=candles.index)
    result = run_backtest(candles, target, fee_rate=0.0, stop_loss=stop_loss)
    np.testing.assert_allclose(result.equity.to_numpy(), 10_000.0, rtol=1e-12)


@hypothesis_settings
@given(
    data=candles_and_target(),
    fees=st.tuples(st.floats(0.0, 0.01), st.floats(0.0, 0.01)),
    slippage=st.floats(0.0, 50.0),
    stop_loss=optional_fraction,
    take_profit=optional_fraction,
)
def test_run_backtest_higher_fee_never_raises_final_equity(
    data, fees, slippage, stop_loss, take_profit
):
    candles, target = data
    low_fee, high_fee = sorted(fees)
    options = {"slippage_bps": slippage, "stop_loss": stop_loss, "take_profit": take_profit}
    cheap = run_backtest(candles, target, fee_rate=low_fee, **options)
    dear = run_backtest(candles, target, fee_rate=high_fee, **options)
    assert dear.equity.iloc[-1] <= cheap.equity.iloc[-1] * (1 + 1e-12)


@hypothesis_settings
@given(
    data=candles_and_target(),
    stop_loss=optional_fraction,
    take_profit=optional_fraction,
    trailing_stop=optional_fraction,
)
def test_simulate_paths_agree_when_changes_go_through_flat(
    data, stop_loss, take_profit, trailing_stop
):
    candles, target = data
    # Force every change through flat: zero the candle before each non-zero to non-zero change.
    values = target.to_numpy().copy()
    for t in range(1, len(values)):
        if values[t] != values[t - 1] and values[t] > 0 and values[t - 1] > 0:
            values[t - 1] = 0.0
    target = pd.Series(values, index=target.index)
    stops = Stops(stop_loss=stop_loss, take_profit=take_profit, trailing_stop=trailing_stop)
    vector, sequential = both_paths(candles, target, stops)
    np.testing.assert_allclose(vector[0], sequential[0], rtol=1e-10)
    np.testing.assert_allclose(vector[1], sequential[1], rtol=1e-9, atol=1e-12)
    for column in ("entry_bar", "exit_bar"):
        np.testing.assert_array_equal(vector[2][column], sequential[2][column])
    np.testing.assert_allclose(vector[2]["pnl"], sequential[2]["pnl"], rtol=1e-8, atol=1e-8)
    assert reasons(vector) == reasons(sequential)


@st.composite
def candles_and_run_target(draw):
    """Targets made of runs (long stretches without a change), with fractional rebalances."""
    data = draw(candles_and_target(min_size=40, max_size=160))
    candles, _ = data
    values: list[float] = []
    while len(values) < len(candles):
        level = draw(st.sampled_from([0.0, 0.0, 0.4, 1.0]))
        values.extend([level] * draw(st.integers(1, 40)))
    target = pd.Series(values[: len(candles)], index=candles.index, dtype=float)
    return candles, target


@hypothesis_settings
@given(
    data=candles_and_run_target(),
    stop_loss=optional_fraction,
    take_profit=optional_fraction,
    trailing_stop=optional_fraction,
    step=st.sampled_from([None, 0.001]),
)
def test_sequential_fast_forward_matches_candle_by_candle(
    data, stop_loss, take_profit, trailing_stop, step
):
    # Given the sequential path with and without skipping quiet stretches.
    candles, target = data
    prices = {name: candles[name].to_numpy(dtype=float) for name in engine.REQUIRED_COLUMNS}
    costs = Costs(taker_fee=0.001, maker_fee=0.0005, slippage=np.full(len(candles), 3e-4))
    stops = Stops(stop_loss=stop_loss, take_profit=take_profit, trailing_stop=trailing_stop)
    wanted = np.r_[0.0, target.to_numpy()[:-1]]
    changes = np.flatnonzero(np.diff(wanted, prepend=0.0))
    arguments = (prices, wanted, changes, costs, stops, 10_000.0, step, None)
    fast = simulate_sequential(*arguments)
    saved = sequential_module.FAST_FORWARD_MIN
    sequential_module.FAST_FORWARD_MIN = 10**9
    try:
        slow = simulate_sequential(*arguments)
    finally:
        sequential_module.FAST_FORWARD_MIN = saved
    # Then: the same equity, exposure and trades.
    np.testing.assert_allclose(fast[0], slow[0], rtol=1e-12)
    np.testing.assert_allclose(fast[1], slow[1], rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(fast[2]["exit_bar"], slow[2]["exit_bar"])
    assert list(fast[2]["exit_reason"]) == list(slow[2]["exit_reason"])


@hypothesis_settings
@given(
    data=candles_and_run_target(),
    stop_loss=optional_fraction,
    take_profit=optional_fraction,
    trailing_stop=optional_fraction,
)
def test_simulate_paths_agree_on_long_runs(data, stop_loss, take_profit, trailing_stop):
    candles, target = data
    values = target.to_numpy().copy()
    for t in range(1, len(values)):
        if values[t] != values[t - 1] and values[t] > 0 and values[t - 1] > 0:
            values[t - 1] = 0.0
    target = pd.Series(values, index=target.index)
    stops = Stops(stop_loss=stop_loss, take_profit=take_profit, trailing_stop=trailing_stop)
    vector, sequential = both_paths(candles, target, stops)
    np.testing.assert_allclose(vector[0], sequential[0], rtol=1e-10)
    np.testing.assert_array_equal(vector[2]["exit_bar"], sequential[2]["exit_bar"])
    assert reasons(vector) == reasons(sequential)
