"""Features: leak-free by construction, checked by truncation; bad candles are refused."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from signals.core.features import (
    SENTIMENT_COLUMNS,
    CandleDataError,
    FeatureConfig,
    build_features,
    feature_names,
    feature_set_version,
    warmup_rows,
)
from signals.core.labels import LabelParams, make_labels
from signals.core.model import TrainParams, fit_model, predict_proba
from signals.tests.conftest import synthetic_candles

CONFIG = FeatureConfig(timeframe="1h", higher_timeframe="4h", use_sentiment=True)


def sentiment_frame(candles: pd.DataFrame, *, seed: int = 3) -> pd.DataFrame:
    """Sentiment buckets ending every 2 hours (plus odd offsets), indexed by availability."""
    rng = np.random.default_rng(seed)
    ends = pd.date_range(candles.index[0], candles.index[-1], freq="2h", tz="UTC")
    ends = ends + pd.to_timedelta(rng.integers(0, 90, ends.size), unit="min")
    data = {name: rng.normal(size=ends.size) for name in SENTIMENT_COLUMNS}
    return pd.DataFrame(data, index=ends.rename("available_at"))


def _build(candles, sentiment, config=CONFIG):
    return build_features(candles, sentiment=sentiment, config=config)


def _peeking_build(candles, sentiment, config=CONFIG):
    frame = _build(candles, sentiment, config)
    # A planted leak: tomorrow's close, one candle ahead.
    frame["peek"] = candles["close"].shift(-1) / candles["close"] - 1.0
    return frame


def truncation_mismatches(builder, candles, sentiment, times) -> list[pd.Timestamp]:
    """Return the times t where features from data up to t differ from the full series."""
    full = builder(candles, sentiment)
    step = pd.Timedelta(hours=1)
    mismatched = []
    for position in times:
        t = candles.index[position]
        known = sentiment[sentiment.index <= t + step]
        part = builder(candles.iloc[: position + 1], known)
        if not np.allclose(
            part.iloc[-1].to_numpy(), full.loc[t].to_numpy(), rtol=1e-9, atol=1e-12, equal_nan=True
        ):
            mismatched.append(t)
    return mismatched


def _sample_times(candles, count=12, seed=5):
    rng = np.random.default_rng(seed)
    return sorted(rng.choice(np.arange(100, len(candles) - 1), size=count, replace=False))


def test_build_features_truncated_history_equals_full_history(btc_1h):
    candles = btc_1h.iloc[:1500]
    sentiment = sentiment_frame(candles)
    assert truncation_mismatches(_build, candles, sentiment, _sample_times(candles)) == []


def test_truncation_check_planted_peek_feature_is_caught(btc_1h):
    candles = btc_1h.iloc[:1500]
    sentiment = sentiment_frame(candles)
    times = _sample_times(candles)
    assert len(truncation_mismatches(_peeking_build, candles, sentiment, times)) == len(times)


def test_predictions_truncated_history_equal_full_history(btc_1h):
    candles = btc_1h.iloc[:2000]
    sentiment = sentiment_frame(candles)
    full = _build(candles, sentiment)
    labels = make_labels(candles, LabelParams(horizon=4))
    rows = full.index[warmup_rows(CONFIG) : 1200]
    booster = fit_model(
        full.loc[rows].to_numpy(),
        labels.loc[rows].to_numpy().astype(int),
        TrainParams(num_boost_round=40),
        embargo=4,
        feature_names=feature_names(CONFIG),
    )
    full_proba = predict_proba(booster, full.to_numpy())
    for position in _sample_times(candles, count=8):
        t = candles.index[position]
        known = sentiment[sentiment.index <= t + pd.Timedelta(hours=1)]
        part = _build(candles.iloc[: position + 1], known)
        np.testing.assert_allclose(
            predict_proba(booster, part.to_numpy()[-1:])[0], full_proba[position], rtol=1e-9
        )


def test_join_sentiment_uses_buckets_available_by_candle_close_only(candles):
    close_of_first = candles.index[200] + pd.Timedelta(hours=1)
    sentiment = pd.DataFrame(
        {name: [1.0, 2.0] for name in SENTIMENT_COLUMNS},
        index=pd.DatetimeIndex([close_of_first, close_of_first + pd.Timedelta(seconds=1)]),
    )
    frame = _build(candles, sentiment)
    assert np.isnan(frame["sent_mean"].iloc[199])
    assert frame["sent_mean"].iloc[200] == 1.0  # available exactly at the close: allowed
    assert frame["sent_mean"].iloc[201] == 2.0  # one second later: only from the next candle


def test_higher_timeframe_uses_closed_bars_only(candles):
    config = FeatureConfig(higher_timeframe="4h")
    frame = build_features(candles, config=config)
    bars = candles["close"].resample("4h", label="right", closed="left").last()
    bar_return = np.log(bars / bars.shift(1))
    for position in range(200, 212):
        close_time = candles.index[position] + pd.Timedelta(hours=1)
        expected = bar_return[bar_return.index <= close_time].iloc[-1]
        assert frame["htf_ret_1"].iloc[position] == pytest.approx(expected, rel=1e-12)


def test_build_features_without_sentiment_frame_when_required_raises(candles):
    with pytest.raises(ValueError, match="sentiment"):
        build_features(candles, config=CONFIG)


def test_feature_set_version_changes_with_any_parameter():
    versions = {
        feature_set_version(FeatureConfig()),
        feature_set_version(FeatureConfig(use_sentiment=True)),
        feature_set_version(FeatureConfig(zscore_window=96)),
        feature_set_version(FeatureConfig(higher_timeframe=None)),
    }
    assert len(versions) == 4
    assert feature_set_version(FeatureConfig()) == feature_set_version(FeatureConfig())


def test_build_features_warm_up_rows_nan_then_complete(candles):
    config = FeatureConfig()
    frame = build_features(candles, config=config)
    assert frame.iloc[warmup_rows(config) :].notna().all().all()
    assert frame["macd_norm"].iloc[:33].isna().all()


def test_build_features_nan_candle_raises(candles):
    candles.iloc[500, candles.columns.get_loc("close")] = np.nan
    with pytest.raises(CandleDataError, match="NaN"):
        build_features(candles, config=FeatureConfig())


def test_build_features_constant_prices_raise():
    candles = synthetic_candles(300)
    candles[["open", "high", "low", "close"]] = 50.0
    with pytest.raises(CandleDataError, match="constant"):
        build_features(candles, config=FeatureConfig())


def test_build_features_long_gap_raises_short_gap_passes(candles):
    short_gap = candles.drop(candles.index[500:503])
    assert len(build_features(short_gap, config=FeatureConfig())) == len(short_gap)
    long_gap = candles.drop(candles.index[500:700])
    with pytest.raises(CandleDataError, match="gap of 200"):
        build_features(long_gap, config=FeatureConfig())


def test_build_features_misaligned_or_unsorted_times_raise(candles):
    shifted = candles.copy()
    shifted.index = shifted.index + pd.Timedelta(minutes=7)
    with pytest.raises(CandleDataError, match="aligned"):
        build_features(shifted, config=FeatureConfig())
    with pytest.raises(CandleDataError, match="increase"):
        build_features(candles.iloc[::-1], config=FeatureConfig())


def test_labels_last_horizon_rows_nan_and_threshold_clears_fees(candles):
    params = LabelParams(horizon=6, fee_rate=0.001, margin=0.001)
    labels = make_labels(candles, params)
    assert labels.iloc[-6:].isna().all()
    assert labels.iloc[:-6].notna().all()
    forward = candles["close"].shift(-6) / candles["close"] - 1
    assert params.threshold == pytest.approx(0.003)
    assert (forward[labels == 2] > 0.003).all()
    assert (forward[labels == 0] < -0.003).all()
    assert (forward[labels == 1].abs() <= 0.003).all()


def test_labels_triple_barrier_first_touch_wins():
    index = pd.date_range("2024-01-01", periods=6, freq="1h", tz="UTC")
    candles = pd.DataFrame(
        {
            "open": [100.0] * 6,
            "high": [100, 100.1, 101, 100, 100, 100.0],
            "low": [100, 99.9, 100, 98, 100, 100.0],
            "close": [100.0] * 6,
            "volume": [1.0] * 6,
        },
        index=index,
    )
    labels = make_labels(candles, LabelParams(horizon=3, margin=0.004, method="triple_barrier"))
    assert labels.iloc[0] == 2  # the high touches +0.6% at step 2 before the low's -2% at step 3
    assert labels.iloc[2] == 0
    assert labels.iloc[-3:].isna().all()
