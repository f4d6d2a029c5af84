"""Training, the champion contest, prediction and the registry, through the Django shell."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from markets.tests.factories import MarketFactory, candles_store
from signals import selectors, services
from signals.core.features import SENTIMENT_COLUMNS, CandleDataError, FeatureConfig
from signals.core.model import ArtifactError, TrainParams
from signals.core.sentiment import Headline, SentimentNotInstalledError, sentiment_source_install
from signals.models import ModelVersion, Signal
from signals.services import predict
from signals.tests.conftest import synthetic_candles

pytestmark = pytest.mark.django_db

T = pd.Timestamp("2024-01-01", tz="UTC")
QUICK = TrainParams(num_boost_round=40, early_stopping_rounds=10)


@pytest.fixture(autouse=True)
def artifacts(tmp_path, settings):
    settings.ARTIFACTS_DIR = tmp_path / "artifacts"
    return settings.ARTIFACTS_DIR


@pytest.fixture
def published(monkeypatch):
    events = []
    monkeypatch.setattr(predict, "publish", lambda **kw: events.append(kw))
    return events


@pytest.fixture
def btc_market(btc_1h):
    market = MarketFactory()
    candles_store(market, "1h", btc_1h.iloc[:1500])
    return market


def _train(**kw):
    options = {"exchange": "binance", "symbol": "BTC/USDT", "timeframe": "1h", "folds": 2}
    options.update(kw)
    return services.model_train(train_params=QUICK, **options)


def _champion(**kw):
    """Train and seat the model as champion by hand, as an operator could."""
    outcome = _train(**kw)
    services.model_promote(model_version=outcome.model_version)
    return outcome


def _after_close(frame_end: pd.Timestamp, minutes: int = 5):
    return (pd.Timestamp(frame_end) + pd.Timedelta(hours=1, minutes=minutes)).to_pydatetime()


def test_model_train_registers_model_with_evaluation_and_verified_artifact(btc_market):
    outcome = _train()
    version = outcome.model_version
    assert outcome.promoted is outcome.verdict.eligible
    assert version.status == (
        ModelVersion.Status.CHAMPION if outcome.promoted else ModelVersion.Status.CANDIDATE
    )
    assert version.evaluation["eligible"] is outcome.verdict.eligible
    assert version.evaluation["reasons"] == outcome.verdict.reasons
    assert list(version.markets.all()) == [btc_market]
    assert len(version.fold_metrics) == 2
    assert {
        "log_loss",
        "prior_log_loss",
        "brier",
        "ece",
        "accuracy",
        "macro_f1",
        "net_return",
        "buy_hold_return",
        "buy_threshold",
        "slippage_bps",
    } <= set(version.fold_metrics[0])
    assert version.fold_metrics[0]["slippage_bps"] == 5.0  # the backtester's default
    assert version.label_params["slippage_bps"] == 5.0
    assert {"random_percentile", "deflated_sharpe", "reliability", "thresholds"} <= set(
        version.evaluation
    )
    assert Path(settings.ARTIFACTS_DIR, version.artifact_path).is_file()
    assert selectors.load_model(version) is not None
    assert version.feature_config["use_sentiment"] is False  # no sentiment app functions here
    assert abs(sum(version.feature_importance.values()) - 1.0) < 1e-9


def test_model_train_without_skill_stays_candidate_and_says_why():
    # given a random walk: no edge by construction
    market = MarketFactory(symbol="RW/USDT")
    candles_store(market, "1h", synthetic_candles(1500, seed=3))
    # when a model is trained on it
    outcome = services.model_train(
        exchange=market.exchange.ccxt_id,
        symbol="RW/USDT",
        timeframe="1h",
        folds=2,
        train_params=QUICK,
    )
    # then it is not champion, the market has none, and the model says why
    version = outcome.model_version
    assert not outcome.promoted
    assert version.status == ModelVersion.Status.CANDIDATE
    assert version.evaluation["eligible"] is False
    assert version.evaluation["reasons"]
    assert version.promotion == {"winner": "none", "reasons": version.evaluation["reasons"]}
    assert (
        selectors.champion_get(exchange=market.exchange.ccxt_id, symbol="RW/USDT", timeframe="1h")
        is None
    )


def test_model_contest_candidate_replaces_champion_only_when_better(btc_market, monkeypatch):
    from signals.core.skill import Verdict
    from signals.services import training

    first = _champion().model_version
    # both models pass the skill checks here, so the contest alone decides
    monkeypatch.setattr(training, "judge", lambda evaluation: Verdict(eligible=True))
    second = _train(horizon=6)
    contest = second.contest
    assert contest["champion"] == first.pk
    assert contest["rows"] > 100
    better = contest["candidate_skill"] > contest["champion_skill"]
    assert second.promoted is better
    first.refresh_from_db()
    assert first.status == (ModelVersion.Status.RETIRED if better else ModelVersion.Status.CHAMPION)
    assert ModelVersion.objects.filter(status="champion").count() == 1


def test_signal_predict_latest_closed_candle_is_idempotent_and_published(btc_market, published):
    version = _champion().model_version
    last = btc_market.candles.order_by("-open_time").first().open_time
    now = _after_close(pd.Timestamp(last))
    signal, created = services.signal_predict(
        market=btc_market, timeframe="1h", model_version=version, now=now
    )
    assert created
    assert signal.open_time == last
    assert signal.action in {"BUY", "SELL", "HOLD"}
    assert abs(signal.prob_buy + signal.prob_hold + signal.prob_sell - 1) < 1e-5
    assert len(signal.explanation["top_features"]) == 5
    again, created_again = services.signal_predict(
        market=btc_market, timeframe="1h", model_version=version, now=now
    )
    assert (again.pk, created_again) == (signal.pk, False)
    assert len(published) == 1
    assert published[0]["group"] == "market.binance.BTC-USDT.1h"
    assert published[0]["type"] == "signal"
    assert published[0]["id"] == signal.pk
    assert published[0]["data"]["is_demo"] is False
    assert published[0]["data"]["explanation"] == signal.explanation
    # The selector the backtester uses gives the same probabilities for that candle.
    frame = selectors.model_probabilities(
        model_version_id=version.pk,
        candles=selectors_candles(btc_market),
    )
    assert list(frame.columns) == ["BUY", "HOLD", "SELL"]
    assert frame.iloc[:30].isna().all().all()
    assert frame.loc[pd.Timestamp(last), "BUY"] == pytest.approx(signal.prob_buy, rel=1e-6)


def selectors_candles(market):
    from markets.selectors import candles_frame

    return candles_frame(market_id=market.pk, timeframe="1h")


def test_signal_predict_missing_artifact_raises_and_writes_nothing(btc_market, published):
    version = _champion().model_version
    Path(settings.ARTIFACTS_DIR, version.artifact_path).unlink()
    last = btc_market.candles.order_by("-open_time").first().open_time
    with pytest.raises(ArtifactError, match="missing"):
        services.signal_predict(
            market=btc_market, timeframe="1h", model_version=version, now=_after_close(last)
        )
    assert Signal.objects.count() == 0
    assert published == []


def test_signal_predict_checksum_mismatch_raises_and_writes_nothing(btc_market, published):
    version = _champion().model_version
    path = Path(settings.ARTIFACTS_DIR, version.artifact_path)
    path.write_bytes(path.read_bytes() + b" ")
    last = btc_market.candles.order_by("-open_time").first().open_time
    with pytest.raises(ArtifactError, match="checksum"):
        services.signal_predict(
            market=btc_market, timeframe="1h", model_version=version, now=_after_close(last)
        )
    assert Signal.objects.count() == 0
    assert published == []


def test_signal_predict_stale_candles_raise_and_write_nothing(btc_market, published):
    version = _champion().model_version
    last = btc_market.candles.order_by("-open_time").first().open_time
    with pytest.raises(services.SignalError, match="not stored yet"):
        services.signal_predict(
            market=btc_market,
            timeframe="1h",
            model_version=version,
            now=_after_close(last) + timedelta(hours=3),
        )
    assert Signal.objects.count() == 0


def test_signal_predict_long_gap_in_history_raises_and_writes_nothing(btc_market, published):
    version = _champion().model_version
    last = btc_market.candles.order_by("-open_time").first().open_time
    btc_market.candles.filter(
        open_time__gte=last - timedelta(hours=200), open_time__lt=last - timedelta(hours=100)
    ).delete()
    with pytest.raises(CandleDataError, match="gap"):
        services.signal_predict(
            market=btc_market, timeframe="1h", model_version=version, now=_after_close(last)
        )
    assert Signal.objects.count() == 0


def test_signals_predict_all_reports_errors_per_market(btc_market, published):
    version = _champion().model_version
    Path(settings.ARTIFACTS_DIR, version.artifact_path).unlink()
    report = services.signals_predict_all()
    assert report.created == []
    assert len(report.errors) == 1
    assert Signal.objects.count() == 0


def test_signals_predict_all_error_names_the_market_once(btc_market, published):
    # given a champion whose market's newest candle is hours old
    _champion()
    last = btc_market.candles.order_by("-open_time").first().open_time
    # when every market is predicted
    report = services.signals_predict_all(now=_after_close(last) + timedelta(hours=3))
    # then the one error names its market and timeframe exactly once, up front
    assert len(report.errors) == 1
    prefix = f"{btc_market} 1h: "
    assert report.errors[0].startswith(prefix + "the latest closed candle")
    assert report.errors[0].count(str(btc_market)) == 1


def test_train_model_command_too_little_history_is_a_clear_error(btc_1h):
    market = MarketFactory()
    candles_store(market, "1h", btc_1h.iloc[:300])
    with pytest.raises(CommandError, match="at least 600"):
        call_command(
            "train_model", "--exchange", "binance", "--symbol", "BTC/USDT", "--timeframe", "1h"
        )
    assert ModelVersion.objects.count() == 0


def test_train_model_command_unknown_market_is_a_clear_error():
    with pytest.raises(CommandError, match="no market"):
        call_command("train_model", "--exchange", "binance", "--symbol", "X/Y", "--timeframe", "1h")


def test_train_model_command_constant_prices_is_a_clear_error():
    market = MarketFactory()
    index = pd.date_range("2024-01-01", periods=800, freq="1h", tz="UTC")
    flat = pd.DataFrame(
        {"open": 10.0, "high": 10.0, "low": 10.0, "close": 10.0, "volume": 1.0}, index=index
    )
    candles_store(market, "1h", flat)
    with pytest.raises(CommandError, match="constant"):
        call_command(
            "train_model", "--exchange", "binance", "--symbol", "BTC/USDT", "--timeframe", "1h"
        )


def test_walk_forward_fit_predict_out_of_sample_only(btc_1h):
    candles = btc_1h.iloc[:1500]
    frame = services.walk_forward_fit_predict(
        candles=candles, timeframe="1h", folds=2, train_params=QUICK
    )
    assert list(frame.columns) == ["BUY", "HOLD", "SELL"]
    assert frame.iloc[:700].isna().all().all()  # the first training half is never predicted
    predicted = frame.dropna()
    assert len(predicted) > 600
    np.testing.assert_allclose(predicted.sum(axis=1), 1.0, rtol=1e-5)


@pytest.mark.slow
@pytest.mark.parametrize(("fixture", "symbol"), [("btc_1h", "BTC/USDT"), ("eth_1h", "ETH/USDT")])
def test_train_model_command_shared_binance_1h_end_to_end(fixture, symbol, request):
    market = MarketFactory(symbol=symbol)
    candles_store(market, "1h", request.getfixturevalue(fixture))
    out = StringIO()
    call_command(
        "train_model",
        "--exchange",
        "binance",
        "--symbol",
        symbol,
        "--timeframe",
        "1h",
        "--folds",
        "3",
        "--rounds",
        "60",
        stdout=out,
    )
    text = out.getvalue()
    assert "logloss" in text
    assert "b&h" in text
    version = ModelVersion.objects.get()
    assert text.count("\n") >= 5
    assert len(version.fold_metrics) == 3
    assert "slippage 5 bps" in text
    assert "random entries" in text
    assert f"status {version.status}" in text
    if version.status == ModelVersion.Status.CANDIDATE:
        assert "not champion: " in text


def test_model_train_triple_barrier_labels_are_recorded(btc_market):
    version = _train(label_method="triple_barrier", promote=False).model_version
    assert version.label_params["method"] == "triple_barrier"
    assert version.status == ModelVersion.Status.CANDIDATE


class FakeSentiment:
    """A SentimentSource with aggregates at 5m and 1h and one headline per window."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def supports(self, interval: str) -> bool:
        return interval in ("5m", "1h")

    def frame(self, *, asset, interval, start, end) -> pd.DataFrame:
        self.calls.append((asset, interval))
        ends = pd.date_range(start, end, freq="1h", tz="UTC") + pd.Timedelta(hours=1)
        rng = np.random.default_rng(0)
        return pd.DataFrame({c: rng.normal(size=ends.size) for c in SENTIMENT_COLUMNS}, index=ends)

    def headlines(self, *, asset, start, end, limit) -> list[Headline]:
        return [Headline("BTC up", "https://example.test/a", 0.6, end, False)]


@pytest.fixture
def fake_sentiment(settings) -> FakeSentiment:
    settings.SIGNALS_USE_SENTIMENT = True
    fake = FakeSentiment()
    sentiment_source_install(fake)
    return fake


def test_sentiment_source_when_installed_feeds_features_and_headlines(
    btc_market, fake_sentiment, published
):
    version = _train().model_version
    assert version.feature_config["use_sentiment"] is True
    assert "sent_mean" in version.feature_importance
    assert fake_sentiment.calls[0] == ("BTC", "1h")
    last = btc_market.candles.order_by("-open_time").first().open_time
    signal, _ = services.signal_predict(
        market=btc_market, timeframe="1h", model_version=version, now=_after_close(last)
    )
    headline = signal.explanation["headlines"][0]
    assert headline["title"] == "BTC up"
    assert headline["available_at"].endswith("Z")
    assert set(headline) == {"title", "url", "compound", "available_at", "is_demo"}


def test_feature_config_uses_sentiment_only_for_supported_intervals(fake_sentiment, settings):
    assert selectors.feature_config_for("1h").use_sentiment is True
    assert selectors.feature_config_for("1m").use_sentiment is False
    settings.SIGNALS_USE_SENTIMENT = False
    assert selectors.feature_config_for("1h").use_sentiment is False


def test_sentiment_on_without_installed_source_fails_naming_the_setting(settings):
    # Given sentiment switched on but no source installed (the wiring app is missing)
    settings.SIGNALS_USE_SENTIMENT = True
    # When a feature set is chosen, then the error says what to fix instead of dropping it
    with pytest.raises(SentimentNotInstalledError, match="SIGNALS_USE_SENTIMENT"):
        selectors.feature_config_for("1h")
    with pytest.raises(SentimentNotInstalledError, match="INSTALLED_APPS"):
        selectors.sentiment_for(
            MarketFactory.build(),
            FeatureConfig(use_sentiment=True),
            _after_close(T),
            _after_close(T),
        )


def test_sentiment_source_install_refuses_an_object_that_is_not_a_source():
    with pytest.raises(TypeError, match="not a SentimentSource"):
        sentiment_source_install(object())


# --- one model over several markets ---------------------------------------------------------------


@pytest.fixture
def two_markets(btc_1h, eth_1h):
    btc = MarketFactory(symbol="BTC/USDT")
    eth = MarketFactory(exchange=btc.exchange, symbol="ETH/USDT")
    candles_store(btc, "1h", btc_1h.iloc[:1500])
    candles_store(eth, "1h", eth_1h.iloc[:1500])
    return btc, eth


def test_pooled_model_is_registered_for_its_markets_and_writes_a_signal_for_each(
    two_markets, published
):
    btc, eth = two_markets
    # when one model is trained over both markets
    outcome = services.model_train_pooled(
        exchange="binance",
        symbols=["ETH/USDT", "BTC/USDT"],
        timeframe="1h",
        folds=2,
        train_params=QUICK,
    )
    version = outcome.model_version
    # then it serves both, its fold table has a row per fold and market, each market is judged
    assert set(version.markets.all()) == {btc, eth}
    assert version.scope == "binance:BTC/USDT,binance:ETH/USDT"
    assert sorted((f["fold"], f["market"]) for f in version.fold_metrics) == [
        (1, "binance:BTC/USDT"),
        (1, "binance:ETH/USDT"),
        (2, "binance:BTC/USDT"),
        (2, "binance:ETH/USDT"),
    ]
    markets_eval = version.evaluation["markets"]
    assert set(markets_eval) == {"binance:BTC/USDT", "binance:ETH/USDT"}
    for market_eval in markets_eval.values():
        assert {"log_loss", "prior_log_loss", "random_percentile", "deflated_sharpe"} <= set(
            market_eval
        )
        assert isinstance(market_eval["eligible"], bool)
    assert version.evaluation["eligible"] == all(m["eligible"] for m in markets_eval.values())
    assert version.status == (
        ModelVersion.Status.CHAMPION if outcome.promoted else ModelVersion.Status.CANDIDATE
    )
    # and once champion, predict_signals writes a signal for each of its markets
    services.model_promote(model_version=version)
    last = btc.candles.order_by("-open_time").first().open_time
    report = services.signals_predict_all(now=_after_close(pd.Timestamp(last)))
    assert report.errors == []
    assert {s.market for s in report.created} == {btc, eth}
    assert {s.model_version_id for s in report.created} == {version.pk}
    assert {e["group"] for e in published} == {
        "market.binance.BTC-USDT.1h",
        "market.binance.ETH-USDT.1h",
    }
    # the backtester's selector gives the same probability for that candle, market by market
    eth_signal = next(s for s in report.created if s.market == eth)
    frame = selectors.model_probabilities(
        model_version_id=version.pk, candles=selectors_candles(eth), market=eth
    )
    assert frame.loc[pd.Timestamp(last), "BUY"] == pytest.approx(eth_signal.prob_buy, rel=1e-6)
    with pytest.raises(ValueError, match="say which one"):
        selectors.model_probabilities(model_version_id=version.pk, candles=selectors_candles(eth))
    # and a backfill writes the pooled model's signals too
    written = services.signals_backfill(
        market=btc,
        model_version=version,
        start=pd.Timestamp(last).to_pydatetime() - timedelta(hours=5),
        end=pd.Timestamp(last).to_pydatetime() + timedelta(hours=1),
    )
    assert written == 5  # the last candle's signal exists already


def test_train_model_command_with_several_symbols_trains_one_pooled_model(two_markets):
    out = StringIO()
    call_command(
        "train_model",
        "--exchange",
        "binance",
        "--symbol",
        "BTC/USDT",
        "ETH/USDT",
        "--timeframe",
        "1h",
        "--folds",
        "2",
        "--rounds",
        "30",
        "--no-promote",
        stdout=out,
    )
    text = out.getvalue()
    assert "binance:BTC/USDT" in text
    assert "binance:ETH/USDT" in text
    version = ModelVersion.objects.get()
    assert version.markets.count() == 2
    assert "market" in text.splitlines()[0]
