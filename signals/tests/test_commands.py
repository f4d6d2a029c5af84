"""The embedded demo seed, predict_signals and the Celery tasks."""

from __future__ import annotations

from io import StringIO

import numpy as np
import pandas as pd
import pytest
from django.core.management import call_command

from markets.tests.factories import ExchangeFactory, MarketFactory, candles_store
from signals import tasks
from signals.models import ModelVersion, Signal
from signals.services import model_promote
from signals.tests.conftest import synthetic_candles

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def artifacts(tmp_path, settings):
    settings.ARTIFACTS_DIR = tmp_path / "artifacts"


@pytest.fixture
def demo_markets():
    markets = []
    for seed, symbol in enumerate(("BTC/USDT", "ETH/USDT")):
        market = MarketFactory(exchange=ExchangeFactory(ccxt_id="demo"), symbol=symbol)
        candles = synthetic_candles(60 * 24, seed=seed)
        candles_store(market, "1h", candles)
        markets.append(market)
    return markets


@pytest.mark.slow
def test_seed_embedded_signals_trains_demo_models_and_is_idempotent(demo_markets):
    out = StringIO()
    call_command("seed_embedded_3_signals", stdout=out)
    # the demo candles are random walks: no model earns the champion's seat, and it says why
    assert ModelVersion.objects.filter(is_demo=True).count() == 2
    assert ModelVersion.objects.filter(status="champion").count() == 0
    assert "stays a candidate" in out.getvalue()
    first = Signal.objects.count()
    assert first == 2 * 168
    call_command("seed_embedded_3_signals", stdout=StringIO())
    assert ModelVersion.objects.count() == 2
    assert Signal.objects.count() == first


def test_seed_embedded_signals_without_demo_candles_skips_cleanly():
    out = StringIO()
    call_command("seed_embedded_3_signals", stdout=out)
    assert "nothing to seed" in out.getvalue()
    assert ModelVersion.objects.count() == 0


@pytest.mark.slow
def test_predict_signals_task_writes_latest_closed_candle_once(demo_markets, monkeypatch):
    from signals.services import predict

    call_command("seed_embedded_3_signals", stdout=StringIO())
    for version in ModelVersion.objects.all():
        model_promote(model_version=version)
    events = []
    monkeypatch.setattr(predict, "publish", lambda **kw: events.append(kw))
    last = pd.Timestamp(demo_markets[0].candles.order_by("-open_time").first().open_time)
    now = (last + pd.Timedelta(minutes=61)).to_pydatetime()
    monkeypatch.setattr(predict.timezone, "now", lambda: now)
    Signal.objects.filter(open_time=last.to_pydatetime()).delete()
    result = tasks.predict_signals_task()
    assert result == {"created": 2, "existing": 0, "errors": 0}
    assert tasks.predict_signals_task() == {"created": 0, "existing": 2, "errors": 0}
    assert len(events) == 2
    assert {e["group"] for e in events} == {"market.demo.BTC-USDT.1h", "market.demo.ETH-USDT.1h"}
    assert np.isclose(sum(events[0]["data"]["probabilities"].values()), 1.0)


@pytest.mark.slow
def test_predict_signals_command_reports_skips(demo_markets):
    call_command("seed_embedded_3_signals", stdout=StringIO())
    for version in ModelVersion.objects.all():
        model_promote(model_version=version)
    out, err = StringIO(), StringIO()
    call_command("predict_signals", stdout=out, stderr=err)  # now is years after the candles
    assert "0 new signals" in out.getvalue()
    assert "not stored yet" in err.getvalue()


def test_predict_signals_without_an_enabled_market_says_so():
    out = StringIO()
    call_command("predict_signals", stdout=out, stderr=StringIO())
    assert "nothing to write: no enabled market" in out.getvalue()
    assert "0 new signals" in out.getvalue()


@pytest.mark.slow
def test_predict_signals_names_markets_without_a_champion_and_why(demo_markets):
    call_command("seed_embedded_3_signals", stdout=StringIO())
    out = StringIO()
    call_command("predict_signals", stdout=out, stderr=StringIO())
    text = out.getvalue()
    for market in demo_markets:
        assert f"nothing to write: {market} 1h: no champion; the latest model #" in text
    assert "is candidate: " in text
    assert "log loss" in text or "Deflated Sharpe" in text


@pytest.mark.slow
def test_tune_model_keeps_its_study_in_the_database_and_resumes_it(settings, tmp_path):
    market = MarketFactory(symbol="RW/USDT")
    candles_store(market, "1h", synthetic_candles(1500, seed=21))
    args = ["--exchange", market.exchange.ccxt_id, "--symbol", "RW/USDT", "--timeframe", "1h"]
    args += ["--trials", "2", "--folds", "2", "--seed", "1"]
    first = StringIO()
    call_command("tune_model", *args, stdout=first)
    assert "trial 2/2" in first.getvalue()
    assert "2 trials" in first.getvalue()
    second = StringIO()
    call_command("tune_model", *args, stdout=second)
    # the study was found in the database and two more trials were added to it
    assert "4 trials" in second.getvalue()
    version = ModelVersion.objects.order_by("-pk").first()
    assert version.evaluation["trials"] == 4
    assert version.evaluation["search"]["study"].endswith("RW/USDT:1h:h4:f2")
    assert "probability of backtest overfitting" in second.getvalue()
    assert version.status == "candidate"  # a random walk
    assert "not champion: " in second.getvalue()


def test_tune_model_refuses_zero_trials():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="trials"):
        call_command(
            "tune_model", "--exchange", "x", "--symbol", "A/B", "--timeframe", "1h", "--trials", "0"
        )


def test_tune_model_task_reports_progress_and_the_result_on_the_users_stream(monkeypatch):
    from types import SimpleNamespace

    market = MarketFactory(symbol="BTC/USDT")
    events = []
    monkeypatch.setattr(tasks, "publish", lambda **kw: events.append(kw))

    def fake_tune(**kw):
        kw["progress"](1, 2, None)
        kw["progress"](2, 2, -0.01)
        summary = {"model_version": 5, "status": "candidate", "eligible": False, "reasons": ["x"]}
        return SimpleNamespace(summary=lambda: summary)

    monkeypatch.setattr(tasks.services, "model_tune", fake_tune)
    result = tasks.tune_model_task(
        user_id=42, exchange=market.exchange.ccxt_id, symbol="BTC/USDT", timeframe="1h", trials=2
    )
    assert result["status"] == "candidate"
    assert {e["group"] for e in events} == {"user.42"}
    assert {e["type"] for e in events} == {"model_tuning"}
    states = [(e["data"]["state"], e["data"].get("done")) for e in events]
    assert states == [("running", 0), ("running", 1), ("running", 2), ("done", None)]
    assert events[-1]["data"]["reasons"] == ["x"]


def test_tune_model_with_several_symbols_searches_one_pooled_model():
    first = MarketFactory(symbol="RWA/USDT")
    second = MarketFactory(exchange=first.exchange, symbol="RWB/USDT")
    candles_store(first, "1h", synthetic_candles(1500, seed=41))
    candles_store(second, "1h", synthetic_candles(1500, seed=42))
    out = StringIO()
    call_command(
        "tune_model",
        "--exchange",
        first.exchange.ccxt_id,
        "--symbol",
        "RWB/USDT",
        "RWA/USDT",
        "--timeframe",
        "1h",
        "--trials",
        "2",
        "--folds",
        "2",
        stdout=out,
    )
    version = ModelVersion.objects.get()
    assert set(version.markets.all()) == {first, second}
    assert version.evaluation["trials"] == 2
    assert version.evaluation["search"]["study"].endswith("RWA/USDT+RWB/USDT:1h:h4:f2")
    for market_eval in version.evaluation["markets"].values():
        assert market_eval["trials"] == 2
    assert version.status == "candidate"  # random walks
    text = out.getvalue()
    assert f"{first.exchange.ccxt_id}:RWA/USDT:" in text
    assert "not champion: " in text
