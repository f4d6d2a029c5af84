"""Model core: permutation test, walk-forward embargo, explanations and artifact checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from signals.core.features import FeatureConfig, build_features
from signals.core.labels import LabelParams, make_labels
from signals.core.model import (
    ArtifactError,
    TrainingError,
    TrainParams,
    explain,
    fit_model,
    load_booster,
    predict_proba,
    save_booster,
    walk_forward,
)
from signals.core.skill import count_entries, random_entries_target
from signals.tests.fake_backtest import fake_backtest

FAST = TrainParams(num_boost_round=60, early_stopping_rounds=15)
HORIZON = 4


def _pooled_chance(result) -> tuple[float, float, float]:
    """Return pooled accuracy, the accuracy expected by chance and the majority share."""
    rows = sum(f["test_rows"] for f in result.folds)
    accuracy = sum(f["accuracy"] * f["test_rows"] for f in result.folds) / rows
    chance = (
        sum(
            f["test_rows"] * sum(f["predicted_mix"][c] * f["class_mix"][c] for c in f["class_mix"])
            for f in result.folds
        )
        / rows
    )
    majority = max(
        sum(f["class_mix"][c] * f["test_rows"] for f in result.folds) / rows
        for c in ("SELL", "HOLD", "BUY")
    )
    return accuracy, chance, majority


@pytest.fixture
def btc_setup(btc_1h):
    features = build_features(btc_1h, config=FeatureConfig())
    labels = make_labels(btc_1h, LabelParams(horizon=HORIZON))
    return btc_1h, features, labels


@pytest.mark.slow
def test_walk_forward_shuffled_labels_accuracy_falls_to_chance(btc_setup):
    # Tolerance: 0.03 absolute on about 2,700 pooled test rows (about 3 standard errors).
    candles, features, labels = btc_setup
    rng = np.random.default_rng(11)
    labelled = labels.notna().to_numpy()
    shuffled = labels.copy()
    shuffled[labelled] = rng.permutation(labels[labelled].to_numpy())
    result = walk_forward(
        candles, features, shuffled, params=FAST, horizon=HORIZON, folds=4, backtest=fake_backtest
    )
    accuracy, chance, majority = _pooled_chance(result)
    assert abs(accuracy - chance) < 0.03
    assert accuracy < majority + 0.03
    assert result.summary_score < 0.01  # no log-loss skill over the class prior


@pytest.mark.slow
def test_walk_forward_planted_informative_feature_beats_chance(btc_setup):
    # The control for the permutation test: the same pipeline does detect a real signal.
    candles, features, labels = btc_setup
    rng = np.random.default_rng(2)
    planted = features.copy()
    planted["oracle"] = labels.fillna(1).to_numpy() + rng.normal(0, 0.6, len(labels))
    params = TrainParams(num_boost_round=25, early_stopping_rounds=10)
    result = walk_forward(
        candles, planted, labels, params=params, horizon=HORIZON, folds=4, backtest=fake_backtest
    )
    accuracy, chance, _ = _pooled_chance(result)
    assert accuracy > chance + 0.2
    assert result.summary_score > 0.1


def test_walk_forward_embargo_separates_train_and_test(btc_setup):
    candles, features, labels = btc_setup
    result = walk_forward(
        candles, features, labels, params=FAST, horizon=HORIZON, folds=3, backtest=fake_backtest
    )
    for fold in result.folds:
        gap = pd.Timestamp(fold["test_start"]) - pd.Timestamp(fold["train_end"])
        assert gap > pd.Timedelta(hours=HORIZON)
        assert fold["trades"] >= 0
        assert set(fold["precision"]) == {"SELL", "HOLD", "BUY"}
    assert list(result.probabilities.columns) == ["SELL", "HOLD", "BUY"]
    np.testing.assert_allclose(result.probabilities.sum(axis=1), 1.0, rtol=1e-6)


def test_walk_forward_too_little_history_raises(btc_setup):
    candles, features, labels = btc_setup
    with pytest.raises(TrainingError, match="labelled rows"):
        walk_forward(
            candles.iloc[:300],
            features.iloc[:300],
            labels.iloc[:300],
            params=FAST,
            horizon=HORIZON,
            backtest=fake_backtest,
        )


def test_fit_model_single_class_raises():
    features = np.random.default_rng(0).normal(size=(600, 3))
    with pytest.raises(TrainingError, match="single class"):
        fit_model(features, np.ones(600, dtype=int), FAST, embargo=4, feature_names=["a", "b", "c"])


def test_explain_returns_top_contributions_for_predicted_class(btc_setup):
    _, features, labels = btc_setup
    rows = slice(100, 3000)
    booster = fit_model(
        features.iloc[rows].to_numpy(),
        labels.iloc[rows].to_numpy().astype(int),
        FAST,
        embargo=HORIZON,
        feature_names=list(features.columns),
    )
    explanation = explain(booster, features.iloc[3100:3103].to_numpy(), top=4)
    assert len(explanation) == 3
    assert all(len(row) == 4 for row in explanation)
    assert {item["feature"] for row in explanation for item in row} <= set(features.columns)
    magnitudes = [abs(item["contribution"]) for item in explanation[0]]
    assert magnitudes == sorted(magnitudes, reverse=True)


def test_load_booster_missing_or_tampered_artifact_raises(tmp_path, btc_setup):
    _, features, labels = btc_setup
    booster = fit_model(
        features.iloc[100:1500].to_numpy(),
        labels.iloc[100:1500].to_numpy().astype(int),
        FAST,
        embargo=HORIZON,
        feature_names=list(features.columns),
    )
    path = tmp_path / "model.ubj"
    checksum = save_booster(booster, path)
    loaded = load_booster(path, checksum)
    sample = features.iloc[2000:2010].to_numpy()
    np.testing.assert_array_equal(predict_proba(loaded, sample), predict_proba(booster, sample))
    with pytest.raises(ArtifactError, match="checksum"):
        load_booster(path, "0" * 64)
    with pytest.raises(ArtifactError, match="missing"):
        load_booster(tmp_path / "gone.ubj", checksum)


def test_random_target_has_requested_entries():
    rng = np.random.default_rng(0)
    target = random_entries_target(500, 17, rng)
    assert count_entries(target) == 17
