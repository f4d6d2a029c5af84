"""Rule strategies, the model strategy and walk-forward targets."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from trading.core.backtest import run_backtest
from trading.core.strategies import (
    model_target,
    rsi,
    rsi_bands,
    rule_target,
    sma_cross,
    walk_forward_folds,
    walk_forward_targets,
)
from trading.tests.core.candles import flat_rows, make_candles


def test_sma_cross_small_series_is_long_when_fast_above_slow():
    # Closes 1, 2, 3, 2, 1 with fast 1 and slow 2:
    # slow means (t>=1): 1.5, 2.5, 2.5, 1.5; fast = close: 2 > 1.5, 3 > 2.5, 2 < 2.5, 1 < 1.5.
    candles = make_candles(flat_rows(1, 2, 3, 2, 1))
    target = sma_cross(candles, fast=1, slow=2)
    assert target.tolist() == [0.0, 1.0, 1.0, 0.0, 0.0]


def test_sma_cross_bad_windows_raise():
    candles = make_candles(flat_rows(1, 2, 3))
    with pytest.raises(ValueError, match="fast < slow"):
        sma_cross(candles, fast=5, slow=3)


@pytest.mark.shared_data
def test_rsi_matches_reference_values(shared_data):
    reference = pd.read_csv(shared_data / "indicators-reference" / "ta_cs-rsi.csv")
    value = rsi(reference["Close"], window=14)
    expected = reference["RSI"]
    assert value.iloc[:14].isna().all()
    np.testing.assert_allclose(value.iloc[14:], expected.iloc[14:], atol=5e-6)


def test_rsi_bands_buy_below_lower_and_sell_above_upper():
    # A fall (RSI -> 0) then a rise (RSI -> 100) with window 2.
    candles = make_candles(flat_rows(10, 9, 8, 7, 8, 9, 10, 11))
    target = rsi_bands(candles, window=2, lower=30, upper=70)
    value = rsi(candles["close"], window=2)
    # Changes 0, -1, -1, -1, +1, +1, ...; alpha 1/2:
    # average gain 0, 0, 0, 0, 0.5, 0.75; average loss 0, 0.5, 0.75, 0.875, 0.4375, 0.21875.
    # RSI (from t=2): 0, 0, 100 * 0.5 / 0.9375 = 53.33, 100 * 0.75 / 0.96875 = 77.42.
    assert value.iloc[2] == 0.0
    assert value.iloc[3] == 0.0
    assert value.iloc[4] == pytest.approx(53.333333333)
    assert value.iloc[5] == pytest.approx(77.419354839)
    # Long from RSI < 30 at t=2, held at 53.33, flat from 77.42 > 70 at t=5.
    assert target.tolist() == [0, 0, 1, 1, 1, 0, 0, 0]


def test_model_target_thresholds_and_hold_between():
    index = pd.date_range("2024-01-01", periods=6, freq="1h", tz="UTC")
    probabilities = pd.DataFrame(
        {
            "BUY": [0.2, 0.7, 0.4, 0.1, 0.55, 0.5],
            "HOLD": [0.6, 0.2, 0.4, 0.2, 0.0, 0.0],
            "SELL": [0.2, 0.1, 0.2, 0.7, 0.45, 0.5],
        },
        index=index,
    )
    target = model_target(probabilities, buy_threshold=0.55, sell_threshold=0.6)
    # row 0: no signal -> flat; 1: BUY 0.7 >= 0.55 -> long; 2: neither -> hold long;
    # 3: SELL 0.7 >= 0.6 -> flat; 4: BUY 0.55 >= 0.55 and > SELL -> long; 5: tie -> hold.
    assert target.tolist() == [0, 1, 1, 0, 1, 1]


def test_model_target_missing_column_raises():
    frame = pd.DataFrame({"BUY": [0.5], "SELL": [0.5]})
    with pytest.raises(ValueError, match="HOLD"):
        model_target(frame)


def test_model_target_probability_outside_unit_interval_raises():
    frame = pd.DataFrame({"BUY": [1.5], "HOLD": [0.0], "SELL": [0.0]})
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        model_target(frame)


def test_model_target_feeds_the_engine():
    candles = make_candles(flat_rows(100, 100, 110, 120))
    probabilities = pd.DataFrame(
        {"BUY": [0.9, 0.9, 0.1, 0.1], "HOLD": [0.0] * 4, "SELL": [0.1, 0.1, 0.9, 0.9]},
        index=candles.index,
    )
    result = run_backtest(candles, model_target(probabilities), fee_rate=0.0)
    # Long at closes 0, 1; bought at open 1 (100), sold at open 3 (120): 10000 * 1.2.
    assert result.equity.iloc[-1] == pytest.approx(12_000)


def test_walk_forward_folds_rolling_with_embargo():
    folds = walk_forward_folds(20, train_size=8, test_size=5, embargo=2)
    assert [(f.train_start, f.train_end, f.test_start, f.test_end) for f in folds] == [
        (0, 8, 10, 15),
        (5, 13, 15, 20),
    ]


def test_walk_forward_folds_expanding_start_at_zero():
    folds = walk_forward_folds(12, train_size=4, test_size=4, expanding=True)
    assert [(f.train_start, f.train_end, f.test_start, f.test_end) for f in folds] == [
        (0, 4, 4, 8),
        (0, 8, 8, 12),
    ]


def test_walk_forward_targets_train_only_on_the_past_and_trade_out_of_sample():
    candles = make_candles(flat_rows(*range(100, 130)))
    seen: list[tuple[pd.Timestamp, pd.Timestamp, pd.Timestamp]] = []

    def fit_predict(train: pd.DataFrame, test: pd.DataFrame) -> pd.Series:
        seen.append((train.index[0], train.index[-1], test.index[0]))
        # "Model": long when the test close is above the training mean.
        return (test["close"] > train["close"].mean()).astype(float)

    target = walk_forward_targets(candles, fit_predict, train_size=10, test_size=7, embargo=3)
    for _, train_last, test_first in seen:
        assert train_last + pd.Timedelta(hours=3) < test_first
    # Nothing before the first test window (10 + 3 = 13) is traded.
    assert (target.iloc[:13] == 0).all()
    assert (target.iloc[13:] == 1).all()
    assert len(seen) == 3  # tests 13..20, 20..27, 27..30


def test_walk_forward_targets_bad_prediction_index_raises():
    candles = make_candles(flat_rows(*range(100, 120)))
    with pytest.raises(ValueError, match="test frame's index"):
        walk_forward_targets(
            candles,
            lambda train, test: pd.Series(1.0, index=train.index),
            train_size=5,
            test_size=5,
        )


def test_walk_forward_targets_too_few_candles_raise():
    candles = make_candles(flat_rows(1, 2, 3))
    with pytest.raises(ValueError, match="too few"):
        walk_forward_targets(
            candles, lambda train, test: test["close"] * 0, train_size=5, test_size=5
        )


def test_rule_target_unknown_strategy_and_parameter_raise():
    candles = make_candles(flat_rows(1, 2, 3))
    with pytest.raises(ValueError, match="unknown strategy"):
        rule_target("nope", candles, {})
    with pytest.raises(ValueError, match="unknown parameters"):
        rule_target("sma_cross", candles, {"fast": 1, "slowest": 2})


@pytest.mark.shared_data
def test_walk_forward_on_btc_trades_only_out_of_sample(btc_1h):
    # Given a "model" that learns the training window's mean hourly return and goes long in
    # the test window while the close is above the training mean price and that return is up.
    def fit_predict(train: pd.DataFrame, test: pd.DataFrame) -> pd.Series:
        drift = train["close"].pct_change().mean()
        level = train["close"].mean()
        return ((test["close"] > level) & (drift > 0)).astype(float)

    target = walk_forward_targets(btc_1h, fit_predict, train_size=1_000, test_size=500, embargo=24)
    result = run_backtest(btc_1h, target, fee_rate=0.001, slippage_bps=5)
    # Then: nothing is traded before the first out-of-sample candle (1000 + 24).
    first_test = btc_1h.index[1_024]
    assert (result.equity.loc[:first_test] == 10_000).all()
    assert (result.trades["entry_time"] > first_test).all()
    assert result.metrics["trades"] > 0
