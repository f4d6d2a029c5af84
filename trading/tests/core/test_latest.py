"""The newest candle's target and size equal the last value of the Series the backtest uses."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trading.core.sizing import (
    atr_risk_fraction,
    latest_atr_risk_fraction,
    latest_volatility_target_fraction,
    volatility_target_fraction,
)
from trading.core.strategies import (
    latest_target,
    model_target,
    model_target_value,
    rule_target,
)
from trading.tests.core.candles import flat_rows, load_ohlcv, make_candles


@pytest.fixture
def eth_1h(shared_data) -> pd.DataFrame:
    return load_ohlcv(shared_data / "ohlcv" / "binance_ETHUSDT_1h.csv")


def assert_latest_matches_series(candles: pd.DataFrame, name: str, params: dict) -> int:
    """Check every candle where the target changes, its neighbours, and every 25th candle."""
    series = rule_target(name, candles, params).to_numpy()
    changes = np.flatnonzero(np.diff(series)) + 1
    checked = np.union1d(np.r_[changes - 1, changes, changes + 1], np.arange(0, len(series), 25))
    for t in checked[(checked >= 0) & (checked < len(series))]:
        previous = series[t - 1] if t > 0 else 0.0
        value = latest_target(name, candles.iloc[: t + 1], params, previous=previous)
        assert value == series[t], f"{name} differs at candle {t}"
    return len(changes)


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("sma_cross", {"fast": 20, "slow": 50}),
        ("sma_cross", {"fast": 5, "slow": 20}),
        ("rsi_bands", {"window": 14, "lower": 30, "upper": 70}),
    ],
)
def test_latest_target_equals_series_on_btc_candles(btc_1h, name, params):
    # Given the BTC/USDT 1h history, when the target is computed candle by candle from the
    # history so far (the live engine's view), then it equals the full Series everywhere.
    changes = assert_latest_matches_series(btc_1h, name, params)
    assert changes > 30  # the strategy does trade on this data


@pytest.mark.shared_data
def test_latest_target_equals_series_on_eth(eth_1h):
    assert assert_latest_matches_series(eth_1h, "sma_cross", {"fast": 10, "slow": 30}) > 50


def test_latest_target_too_little_history_is_flat_and_unknown_names_fail():
    candles = make_candles(flat_rows(100, 101, 102))
    assert latest_target("sma_cross", candles, {"fast": 2, "slow": 5}) == 0.0
    with pytest.raises(ValueError, match="unknown strategy"):
        latest_target("moon", candles, {})
    with pytest.raises(ValueError, match="unknown parameters"):
        latest_target("sma_cross", candles, {"speed": 3})


def test_latest_target_rsi_between_bands_keeps_previous():
    # A gentle zig-zag keeps the RSI near 50: between the bands the previous target stays.
    closes = [100 + (i % 2) * 0.5 for i in range(60)]
    candles = make_candles(flat_rows(*closes))
    assert latest_target("rsi_bands", candles, {}, previous=1.0) == 1.0
    assert latest_target("rsi_bands", candles, {}, previous=0.0) == 0.0


probability = st.floats(0.0, 1.0)


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(st.tuples(probability, probability, probability), min_size=1, max_size=40),
    buy_threshold=st.floats(0.0, 1.0),
    sell_threshold=st.floats(0.0, 1.0),
)
def test_model_target_value_follows_model_target(rows, buy_threshold, sell_threshold):
    frame = pd.DataFrame(rows, columns=["BUY", "HOLD", "SELL"])
    series = model_target(frame, buy_threshold=buy_threshold, sell_threshold=sell_threshold)
    previous = 0.0
    for t, (buy, hold, sell) in enumerate(rows):
        previous = model_target_value(
            buy=buy,
            hold=hold,
            sell=sell,
            previous=previous,
            buy_threshold=buy_threshold,
            sell_threshold=sell_threshold,
        )
        assert previous == series.iloc[t]


def test_model_target_value_missing_probabilities_keep_previous():
    assert model_target_value(buy=np.nan, hold=0.1, sell=0.1, previous=1.0) == 1.0
    with pytest.raises(ValueError, match="probabilities"):
        model_target_value(buy=1.2, hold=0.0, sell=0.0, previous=0.0)
    with pytest.raises(ValueError, match="buy_threshold"):
        model_target_value(buy=0.5, hold=0.0, sell=0.5, previous=0.0, buy_threshold=2.0)


@pytest.mark.shared_data
def test_latest_sizing_fractions_match_series(btc_1h):
    # Given the sizing Series over the whole history and the live values from the history up
    # to each candle: Wilder's average forgets its start, so they agree to rounding.
    atr = atr_risk_fraction(btc_1h, risk_per_trade=0.01, window=14).to_numpy()
    volatility = volatility_target_fraction(
        btc_1h["close"], target_volatility=0.5, window=48, periods_per_year=8766
    ).to_numpy()
    for t in range(100, len(btc_1h), 37):
        head = btc_1h.iloc[: t + 1]
        live_atr = latest_atr_risk_fraction(head, risk_per_trade=0.01, window=14)
        assert live_atr == pytest.approx(atr[t], rel=1e-12)
        live_volatility = latest_volatility_target_fraction(
            head["close"], target_volatility=0.5, window=48, periods_per_year=8766
        )
        assert live_volatility == pytest.approx(volatility[t], rel=1e-9)
