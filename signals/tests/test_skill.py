"""Calibration, the skill checks, the Deflated Sharpe, PBO and the walk-forward search."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from signals.core.calibration import (
    Calibrator,
    expected_calibration_error,
    fit_calibrator,
    reliability,
)
from signals.core.features import FeatureConfig, build_features
from signals.core.labels import LabelParams, make_labels, volatility_barrier
from signals.core.model import TrainParams, walk_forward
from signals.core.skill import (
    deflated_sharpe,
    judge,
    probability_of_overfitting,
)
from signals.core.tuning import search, validate_best
from signals.tests.conftest import synthetic_candles
from signals.tests.fake_backtest import fake_backtest

HORIZON = 4
TINY = TrainParams(num_boost_round=30, early_stopping_rounds=10, nthread=1)


def _market(candles: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    features = build_features(candles, config=FeatureConfig())
    labels = make_labels(candles, LabelParams(horizon=HORIZON, slippage_bps=5.0))
    return features, labels


def edge_candles(rows: int, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    """A market whose next four returns drift with a known `lead` value (the planted edge)."""
    rng = np.random.default_rng(seed)
    lead = rng.normal(0.0, 1.0, rows)
    drift = np.convolve(np.r_[0.0, 0.003 * lead[:-1]], np.ones(HORIZON))[:rows]
    close = 100.0 * np.exp(np.cumsum(drift + rng.normal(0.0, 0.006, rows)))
    open_ = np.r_[close[0], close[:-1]]
    spread = np.abs(rng.normal(0.0, 0.002, rows)) * close
    index = pd.date_range("2024-01-01", periods=rows, freq="1h", tz="UTC", name="open_time")
    candles = pd.DataFrame(
        {
            "open": open_,
            "high": np.maximum(open_, close) + spread,
            "low": np.minimum(open_, close) - spread,
            "close": close,
            "volume": rng.lognormal(3.0, 0.5, rows),
        },
        index=index,
    )
    return candles, lead


# --- pieces ---------------------------------------------------------------------------------------


def test_calibrator_undoes_the_pull_towards_uniform():
    # given probabilities squashed towards uniform, as class weights do, of a 10% HOLD market
    rng = np.random.default_rng(3)
    truth = rng.dirichlet([3.0, 0.35, 3.0], size=6000)
    labels = np.array([rng.choice(3, p=p) for p in truth])
    squashed = 0.4 * truth + 0.6 / 3
    assert abs(squashed[:, 1].mean() - (labels == 1).mean()) > 0.15
    # when a calibrator is fitted on the first half and applied to the second
    calibrator = fit_calibrator(squashed[:3000], labels[:3000])
    calibrated = calibrator.apply(squashed[3000:])
    held = labels[3000:]
    # then each class's mean probability is its frequency, and the ECE is small
    for c in range(3):
        assert calibrated[:, c].mean() == pytest.approx((held == c).mean(), abs=0.02)
    assert expected_calibration_error(calibrated, held) < 0.03
    assert expected_calibration_error(squashed[3000:], held) > 0.1
    restored = Calibrator.from_dict(calibrator.to_dict())
    np.testing.assert_allclose(restored.apply(squashed[:5]), calibrator.apply(squashed[:5]))
    points = reliability(calibrated, held)
    assert set(points) == {"SELL", "HOLD", "BUY"}
    assert sum(p["rows"] for p in points["HOLD"]) == held.size


def test_deflated_sharpe_is_stricter_the_more_configurations_were_tried():
    rng = np.random.default_rng(5)
    returns = rng.normal(0.0008, 0.01, 2000)  # a per-period Sharpe near 0.08
    one = deflated_sharpe(returns, trials=1, trial_variance=0.0)
    many = deflated_sharpe(returns, trials=100, trial_variance=0.002)
    assert one["benchmark"] == 0.0
    assert one["dsr"] > 0.95
    assert many["benchmark"] > 0.05
    assert many["dsr"] < one["dsr"]
    assert deflated_sharpe(np.zeros(500), trials=1, trial_variance=0.0)["dsr"] == 0.0


def test_pbo_is_high_for_noise_and_low_for_one_real_edge():
    rng = np.random.default_rng(8)
    noise = rng.normal(0.0, 0.01, (1200, 20))
    assert probability_of_overfitting(noise)["pbo"] > 0.3
    edge = noise.copy()
    edge[:, 7] += 0.004
    assert probability_of_overfitting(edge)["pbo"] < 0.1


def test_judge_names_every_failed_check():
    verdict = judge(
        {
            "log_loss": 1.05,
            "prior_log_loss": 1.04,
            "log_loss_t": -1.0,
            "net_return": -0.1,
            "buy_hold_return": 0.2,
            "random_percentile": 40.0,
            "random_draws": 500,
            "deflated_sharpe": 0.2,
            "trials": 10,
        }
    )
    assert not verdict.eligible
    assert len(verdict.reasons) == 4
    assert any("buy-and-hold" in r for r in verdict.reasons)
    assert any("40.0th percentile" in r for r in verdict.reasons)


# --- no fold sees its test window -----------------------------------------------------------------


def test_fold_calibration_and_thresholds_ignore_the_test_window():
    # given a market, and the same market with everything from fold 2 on scrambled
    candles = synthetic_candles(1400, seed=9)
    features, labels = _market(candles)
    base = walk_forward(
        candles, features, labels, params=TINY, horizon=HORIZON, folds=3, backtest=fake_backtest
    )
    cut = pd.Timestamp(base.folds[1]["test_start"])
    later = features.index >= cut
    rng = np.random.default_rng(0)
    scrambled_features = features.copy()
    scrambled_features.loc[later] = rng.permutation(features.loc[later].to_numpy())
    scrambled_labels = labels.copy()
    scrambled_labels[later] = rng.permutation(labels[later].to_numpy())
    scrambled = walk_forward(
        candles,
        scrambled_features,
        scrambled_labels,
        params=TINY,
        horizon=HORIZON,
        folds=3,
        backtest=fake_backtest,
    )
    # then fold 2's calibrator and thresholds, fitted before its test window, are unchanged
    for key in ("calibration", "buy_threshold", "sell_threshold", "calibration_start"):
        assert scrambled.folds[1][key] == base.folds[1][key]
        assert scrambled.folds[0][key] == base.folds[0][key]
    assert pd.Timestamp(base.folds[1]["train_end"]) < cut - pd.Timedelta(hours=HORIZON)
    # and the scrambled test window does change what fold 2 predicts
    assert scrambled.folds[1]["log_loss"] != base.folds[1]["log_loss"]


# --- the whole pipeline, search included --------------------------------------------------------


@pytest.mark.slow
def test_random_walks_earn_no_champion_and_their_searches_look_overfit():
    # 20 seeded random walks: no edge by construction
    eligible, overfit = 0, 0
    for seed in range(20):
        candles = synthetic_candles(1200, seed=100 + seed)
        features, labels = _market(candles)
        found = search(
            candles, features, labels, trials=6, horizon=HORIZON, folds=3, base=TINY, seed=seed
        )
        result, verdict = validate_best(
            candles, features, labels, found, horizon=HORIZON, folds=3, seed=seed
        )
        assert result.evaluation["trials"] == 6
        eligible += verdict.eligible
        overfit += found.pbo is not None and found.pbo > 0.5
    assert eligible <= 1
    assert overfit >= 11


@pytest.mark.slow
def test_planted_edge_earns_a_champion_with_a_significant_deflated_sharpe():
    candles, lead = edge_candles(2000, seed=5)
    features, labels = _market(candles)
    features["lead"] = lead
    found = search(candles, features, labels, trials=6, horizon=HORIZON, folds=3, base=TINY)
    result, verdict = validate_best(candles, features, labels, found, horizon=HORIZON, folds=3)
    assert verdict.eligible, verdict.reasons
    assert result.evaluation["deflated_sharpe"] > 0.95
    assert result.evaluation["benchmark"] > 0.0  # deflated for the six configurations
    assert result.evaluation["log_loss"] < result.evaluation["prior_log_loss"]


# --- calibration on real candles ------------------------------------------------------------------


def _calibrated_walk_forward(candles: pd.DataFrame, labels: pd.Series | None = None):
    features, fixed = _market(candles)
    return walk_forward(
        candles,
        features,
        fixed if labels is None else labels,
        params=TrainParams(nthread=1),
        horizon=HORIZON,
        folds=5,
        evaluate_trading=False,
    )


@pytest.mark.slow
@pytest.mark.parametrize("fixture", ["btc_1h", "eth_1h"])
def test_calibration_out_of_sample_on_shared_candles(fixture, request):
    result = _calibrated_walk_forward(request.getfixturevalue(fixture))
    evaluation = result.evaluation
    # Pooled over the folds the calibrated probabilities mean what they say, where the
    # class-weighted raw probabilities put P(HOLD) near 1/3 whatever HOLD's frequency.
    assert evaluation["ece"] < 0.05
    rows = sum(f["test_rows"] for f in result.folds)
    for name in ("SELL", "HOLD", "BUY"):
        predicted = sum(f["mean_predicted"][name] * f["test_rows"] for f in result.folds) / rows
        observed = sum(f["class_mix"][name] * f["test_rows"] for f in result.folds) / rows
        assert predicted == pytest.approx(observed, abs=0.04)
    raw = sum(f["raw_log_loss"] * f["test_rows"] for f in result.folds) / rows
    assert evaluation["log_loss"] < raw
    assert evaluation["log_loss"] < evaluation["prior_log_loss"]


def test_volatility_labels_read_no_candle_after_the_barriers_they_set():
    # given a market, and the same market with every close after row 600 changed
    candles = synthetic_candles(900, seed=12)
    params = LabelParams(horizon=HORIZON, slippage_bps=5.0, method="volatility")
    changed = candles.copy()
    changed.iloc[600:, changed.columns.get_loc("close")] *= 1.3
    # then the barriers up to row 600 are the same, and no label before row 600 - H moves
    close, other = candles["close"].to_numpy(), changed["close"].to_numpy()
    np.testing.assert_array_equal(
        volatility_barrier(close, params)[:600], volatility_barrier(other, params)[:600]
    )
    a, b = make_labels(candles, params), make_labels(changed, params)
    pd.testing.assert_series_equal(a.iloc[: 600 - HORIZON], b.iloc[: 600 - HORIZON])
    # and the barrier scales with the recent volatility, never below the cost threshold
    barrier = volatility_barrier(close, params)
    assert np.isnan(barrier[: params.vol_window]).all()
    assert a.iloc[: params.vol_window].isna().all()
    calm = candles.copy()
    calm[["open", "high", "low", "close"]] = (
        100.0 + (candles[["open", "high", "low", "close"]] - 100.0) * 0.01
    )
    floor = make_labels(calm, params)
    fixed = make_labels(calm, LabelParams(horizon=HORIZON, slippage_bps=5.0))
    pd.testing.assert_series_equal(floor.iloc[params.vol_window :], fixed.iloc[params.vol_window :])


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason=(
        "per fold (about 550 hourly candles) the BUY/SELL mix moves with the trend more than a "
        "calibrator fitted before the fold can know. With volatility-scaled labels (1x the "
        "48-candle volatility) every fold's ECE is below 0.05 (BTC 0.025-0.045, ETH "
        "0.011-0.036) but the largest class gap is 0.012-0.045 (BTC) and 0.027-0.054 (ETH): "
        "3 of 5 BTC folds and 4 of 5 ETH folds miss 0.03. The class mix itself moves that "
        "much between folds (ETH SELL 0.09-0.18). Figures in the README."
    ),
)
@pytest.mark.parametrize("fixture", ["btc_1h", "eth_1h"])
def test_calibration_per_fold_on_shared_candles(fixture, request):
    candles = request.getfixturevalue(fixture)
    labels = make_labels(
        candles, LabelParams(horizon=HORIZON, slippage_bps=5.0, method="volatility")
    )
    result = _calibrated_walk_forward(candles, labels)
    for fold in result.folds:
        assert fold["ece"] < 0.05
        for name in ("SELL", "HOLD", "BUY"):
            assert fold["mean_predicted"][name] == pytest.approx(fold["class_mix"][name], abs=0.03)
