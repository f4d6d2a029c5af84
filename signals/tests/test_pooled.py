"""One model over several markets: per-market normalisation, time-aligned folds, no leaks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from signals.core.features import FeatureConfig, build_features
from signals.core.labels import LabelParams, make_labels
from signals.core.model import Costs, TrainParams, predict_proba, walk_forward
from signals.core.pooled import (
    MarketData,
    build_pool,
    fit_pooled,
    model_input,
    normalise_features,
    pooled_features,
    pooled_verdict,
    pooled_walk_forward,
)
from signals.tests.conftest import synthetic_candles
from signals.tests.fake_backtest import fake_backtest
from signals.tests.test_skill import edge_candles

HORIZON = 4
WINDOW = 100
TINY = TrainParams(num_boost_round=30, early_stopping_rounds=10, nthread=1)


def _market(key: str, candles: pd.DataFrame) -> MarketData:
    return MarketData(
        key=key,
        candles=candles,
        features=build_features(candles, config=FeatureConfig()),
        labels=make_labels(candles, LabelParams(horizon=HORIZON, slippage_bps=5.0)),
    )


def _pair(rows: int = 1400) -> list[MarketData]:
    return [
        _market("binance:AAA/USDT", synthetic_candles(rows, seed=31)),
        _market("binance:BBB/USDT", synthetic_candles(rows, seed=32)),
    ]


# --- per-market normalisation -------------------------------------------------------------------


def test_normalisation_reads_no_later_row():
    # given a market's features, and the same features with every row after `cut` changed
    features = _pair()[0].features
    cut = 700
    changed = features.copy()
    rng = np.random.default_rng(4)
    changed.iloc[cut:] = rng.normal(5.0, 3.0, changed.iloc[cut:].shape)
    # when each is normalised on its own
    base = normalise_features(features, window=WINDOW)
    other = normalise_features(changed, window=WINDOW)
    # then nothing up to the cut moves, and truncating the history changes nothing either
    pd.testing.assert_frame_equal(base.iloc[:cut], other.iloc[:cut])
    pd.testing.assert_frame_equal(
        normalise_features(features.iloc[:cut], window=WINDOW), base.iloc[:cut]
    )
    # and it is a z-score over the window ending at the row itself
    row, column = 500, "ret_1"
    past = features[column].iloc[row - WINDOW + 1 : row + 1]
    expected = (features[column].iloc[row] - past.mean()) / past.std(ddof=0)
    assert base[column].iloc[row] == pytest.approx(expected, rel=1e-9)
    assert base.iloc[: WINDOW - 1]["ret_1"].isna().all()
    # cyclical time is left as it is
    pd.testing.assert_series_equal(base["hour_sin"], features["hour_sin"])


def test_market_columns_mark_each_market():
    frame = pooled_features(_pair()[1].features, market=1, markets=3, window=WINDOW)
    assert (frame["market_1"] == 1.0).all()
    assert (frame["market_0"] == 0.0).all()
    assert (frame["market_2"] == 0.0).all()


def test_pool_stacks_rows_in_time_order_and_needs_one_timeframe():
    pool = build_pool(_pair(), window=WINDOW)
    assert np.all(np.diff(pool.times) >= 0)
    assert set(np.unique(pool.market)) == {0, 1}
    hourly = _pair()[0]
    candles = synthetic_candles(1400, seed=3, freq="5min")
    five = MarketData(
        "binance:CCC/USDT",
        candles,
        build_features(candles, config=FeatureConfig(timeframe="5m", higher_timeframe="1h")),
        make_labels(candles, LabelParams(horizon=HORIZON)),
    )
    with pytest.raises(ValueError, match="timeframe"):
        build_pool([hourly, five], window=WINDOW)
    with pytest.raises(ValueError, match="two markets"):
        build_pool([hourly], window=WINDOW)


# --- folds aligned on time: no fold sees any market's test window --------------------------------


def test_folds_are_aligned_on_time_and_train_before_every_markets_test_window():
    markets = _pair()
    result = pooled_walk_forward(
        markets, params=TINY, horizon=HORIZON, folds=3, window=WINDOW, backtest=fake_backtest
    )
    assert len(result.folds) == 6  # a row per fold and market
    for fold in range(1, 4):
        rows = [f for f in result.folds if f["fold"] == fold]
        assert {r["market"] for r in rows} == {m.key for m in markets}
        assert len({r["test_start"] for r in rows}) == 1  # the same window for both markets
        start = pd.Timestamp(rows[0]["test_start"])
        assert pd.Timestamp(rows[0]["train_end"]) < start - pd.Timedelta(hours=HORIZON)
    assert set(result.evaluation["markets"]) == {m.key for m in markets}
    for market_eval in result.evaluation["markets"].values():
        assert {"log_loss", "prior_log_loss", "net_return", "deflated_sharpe"} <= set(market_eval)


def test_scrambling_one_markets_later_candles_changes_nothing_fitted_before_them():
    # given two markets, and the same two with market B scrambled from fold 2's test window on
    markets = _pair()
    base = pooled_walk_forward(
        markets, params=TINY, horizon=HORIZON, folds=3, window=WINDOW, backtest=fake_backtest
    )
    cut = pd.Timestamp(next(f for f in base.folds if f["fold"] == 2)["test_start"])
    b = markets[1]
    # (labelled rows only: where the unlabelled tail lies sets the folds' bounds)
    later = (b.features.index >= cut) & b.labels.notna().to_numpy()
    rng = np.random.default_rng(0)
    features = b.features.copy()
    features.loc[later] = rng.permutation(b.features.loc[later].to_numpy())
    labels = b.labels.copy()
    labels[later] = rng.permutation(b.labels[later].to_numpy())
    scrambled = pooled_walk_forward(
        [markets[0], MarketData(b.key, b.candles, features, labels)],
        params=TINY,
        horizon=HORIZON,
        folds=3,
        window=WINDOW,
        backtest=fake_backtest,
    )
    # then folds 1 and 2 fitted the same booster, calibrator and thresholds
    for mine, theirs in zip(base.folds, scrambled.folds, strict=True):
        if mine["fold"] > 2:
            continue
        for key in ("calibration", "buy_threshold", "sell_threshold", "best_iteration"):
            assert mine[key] == theirs[key]
        # and market A's out-of-sample results there are untouched by B's test window
        if mine["market"] == markets[0].key:
            assert mine["log_loss"] == theirs["log_loss"]
    # while B's scrambled test window does change B's fold 2 and everything's fold 3
    b2 = [(m, t) for m, t in zip(base.folds, scrambled.folds, strict=True) if m["fold"] == 2]
    assert any(m["log_loss"] != t["log_loss"] for m, t in b2 if m["market"] == b.key)
    assert [f["calibration"] for f in base.folds if f["fold"] == 3] != [
        f["calibration"] for f in scrambled.folds if f["fold"] == 3
    ]


def test_truncating_every_market_after_a_fold_changes_nothing_before_it():
    markets = _pair()
    base = pooled_walk_forward(
        markets, params=TINY, horizon=HORIZON, folds=3, window=WINDOW, evaluate_trading=False
    )
    # cut every market just after fold 1's test window (plus the labels' horizon)
    end = pd.Timestamp(next(f for f in base.folds if f["fold"] == 1)["test_end"])
    cut = [
        MarketData(
            m.key,
            m.candles.loc[: end + pd.Timedelta(hours=HORIZON)],
            m.features.loc[: end + pd.Timedelta(hours=HORIZON)],
            m.labels.loc[: end + pd.Timedelta(hours=HORIZON)],
        )
        for m in markets
    ]
    # fold 1 of the full run predicted its window from rows before it only: refit on the
    # truncated data with the same training rows gives the same probabilities
    first = [f for f in base.folds if f["fold"] == 1]
    proba = {m.key: base.probabilities[m.key].loc[first[0]["test_start"] : end] for m in markets}
    pool = build_pool(cut, window=WINDOW)
    lo = pd.Timestamp(first[0]["test_start"]).as_unit("ns").value
    train = np.flatnonzero(pool.times < lo - HORIZON * pool.step)
    model = fit_pooled(
        pool, train, params=TINY, horizon=HORIZON, costs=Costs(), calibration_fraction=0.5
    )
    assert model.calibrator.to_dict() == first[0]["calibration"]
    for number, m in enumerate(cut):
        rows = (
            (pool.times >= lo) & (pool.times <= end.as_unit("ns").value) & (pool.market == number)
        )
        mine = model.calibrator.apply(
            predict_proba(model.booster, pool.matrix[rows], calibrated=False)
        )
        np.testing.assert_allclose(mine, proba[m.key].to_numpy(), rtol=1e-12)


# --- a shared edge: pooling helps, or at least does not hurt --------------------------------------


def _edge_market(key: str, rows: int, seed: int) -> MarketData:
    candles, lead = edge_candles(rows, seed=seed)
    market = _market(key, candles)
    market.features["lead"] = lead
    return market


@pytest.mark.slow
def test_pooled_model_on_a_shared_edge_beats_or_equals_single_market_models():
    # given two short markets with the same planted edge (a feature that leads returns)
    markets = [_edge_market("x:A/USDT", 1100, 5), _edge_market("x:B/USDT", 1100, 6)]
    params = TrainParams(num_boost_round=60, early_stopping_rounds=15, nthread=1)
    pooled = pooled_walk_forward(
        markets, params=params, horizon=HORIZON, folds=3, window=WINDOW, backtest=fake_backtest
    )
    verdict = pooled_verdict(pooled)
    singles = {}
    for m in markets:
        # the single-market model reads the same normalised features over the same rows
        features = normalise_features(m.features, window=WINDOW)
        single = walk_forward(
            m.candles,
            features,
            m.labels,
            params=params,
            horizon=HORIZON,
            folds=3,
            backtest=fake_backtest,
        )
        assert single.folds[0]["test_start"] == next(
            f["test_start"] for f in pooled.folds if f["market"] == m.key
        )
        singles[m.key] = single.evaluation["log_loss"]
    # then the pooled model finds the edge in both markets, and its out-of-sample log loss is
    # no worse than each market's own model's
    for m in markets:
        pooled_eval = pooled.evaluation["markets"][m.key]
        assert pooled_eval["log_loss"] < pooled_eval["prior_log_loss"] - 0.02
        assert pooled_eval["log_loss"] <= singles[m.key] + 0.002
    mean_pooled = np.mean([pooled.evaluation["markets"][k]["log_loss"] for k in singles])
    assert mean_pooled < np.mean(list(singles.values()))
    assert set(pooled.verdicts) == {m.key for m in markets}
    assert verdict.eligible == all(v.eligible for v in pooled.verdicts.values())


def test_model_input_refuses_a_market_the_pooled_model_was_not_trained_on():
    import xgboost as xgb

    booster = xgb.Booster()
    booster.set_attr(pooled='{"markets": ["x:A/USDT", "x:B/USDT"], "window": 100, "keep": []}')
    features = _pair()[0].features
    frame = model_input(booster, features, "x:B/USDT")
    assert (frame["market_1"] == 1.0).all()
    with pytest.raises(ValueError, match="not trained on"):
        model_input(booster, features, "x:C/USDT")
    plain = xgb.Booster()
    assert model_input(plain, features, "x:C/USDT") is features
