"""The registry and signals API: listing, filters, pagination, errors and authentication."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from markets.tests.factories import MarketFactory
from signals.models import ModelVersion, Signal

pytestmark = pytest.mark.django_db

T0 = datetime(2024, 1, 1, tzinfo=UTC)


def _version(market, **kw):
    version = ModelVersion.objects.create(
        scope=f"{market.exchange.ccxt_id}:{market.symbol}",
        timeframe="1h",
        feature_set_version="abc",
        feature_config={"timeframe": "1h"},
        label_params={"horizon": 4},
        hyperparameters={"max_depth": 4},
        train_start=T0,
        train_end=T0 + timedelta(days=30),
        fold_metrics=[{"fold": 1, "log_loss": 1.05}],
        summary_score=0.01,
        feature_importance={"rsi": 1.0},
        artifact_path="models/x.ubj",
        artifact_sha256="0" * 64,
        **kw,
    )
    version.markets.add(market)
    return version


def _signal(market, version, hours, action="BUY"):
    return Signal.objects.create(
        market=market,
        timeframe="1h",
        open_time=T0 + timedelta(hours=hours),
        model_version=version,
        action=action,
        prob_buy=0.5,
        prob_hold=0.3,
        prob_sell=0.2,
        confidence=0.5,
        explanation={"top_features": []},
    )


@pytest.fixture
def data():
    btc = MarketFactory()
    eth = MarketFactory(symbol="ETH/USDT")
    v1 = _version(btc, status="champion")
    v2 = _version(eth)
    for hour in range(5):
        _signal(btc, v1, hour, "BUY" if hour % 2 else "SELL")
    _signal(eth, v2, 2, "HOLD")
    return {"btc": btc, "eth": eth, "v1": v1, "v2": v2}


def test_models_list_and_detail_show_metrics(alice_client, data):
    listing = alice_client.get("/api/models/").json()
    assert listing["count"] == 2
    assert listing["results"][0]["markets"][0]["exchange"] == "binance"
    detail = alice_client.get(f"/api/models/{data['v1'].pk}/").json()
    assert detail["fold_metrics"][0]["log_loss"] == 1.05
    assert detail["feature_importance"] == {"rsi": 1.0}
    assert detail["status"] == "champion"


def test_signals_list_says_whether_the_market_is_demo(alice_client, data):
    rows = alice_client.get("/api/signals/").json()["results"]

    assert rows
    assert {row["is_demo"] for row in rows} == {False}


def test_models_detail_unknown_id_is_404(alice_client, data):
    assert alice_client.get("/api/models/999999/").status_code == 404


def test_signals_list_filters_newest_first_and_paginates(alice_client, data):
    body = alice_client.get(
        "/api/signals/", {"exchange": "binance", "symbol": "BTC/USDT", "timeframe": "1h"}
    ).json()
    assert body["count"] == 5
    times = [row["open_time"] for row in body["results"]]
    assert times == sorted(times, reverse=True)
    assert body["results"][0]["probabilities"] == {"BUY": 0.5, "HOLD": 0.3, "SELL": 0.2}
    page = alice_client.get("/api/signals/", {"limit": 2}).json()
    assert len(page["results"]) == 2
    assert page["next"] is not None
    window = alice_client.get(
        "/api/signals/", {"start": "2024-01-01T01:00:00Z", "end": "2024-01-01T03:00:00Z"}
    ).json()
    assert window["count"] == 3  # BTC hours 1, 2 and ETH hour 2
    buys = alice_client.get("/api/signals/", {"action": "BUY"}).json()
    assert {row["action"] for row in buys["results"]} == {"BUY"}
    by_model = alice_client.get("/api/signals/", {"model": data["v2"].pk}).json()
    assert by_model["count"] == 1


def test_signals_list_bad_filters_are_field_errors(alice_client, data):
    response = alice_client.get("/api/signals/", {"action": "MAYBE", "start": "yesterday"})
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"action", "start"}
    reversed_window = alice_client.get(
        "/api/signals/", {"start": "2024-01-02T00:00:00Z", "end": "2024-01-01T00:00:00Z"}
    )
    assert reversed_window.status_code == 400
    assert "end" in reversed_window.json()["fields"]


def test_signals_and_models_need_authentication(api_client, data):
    assert api_client.get("/api/signals/").status_code in (401, 403)
    assert api_client.get("/api/models/").status_code in (401, 403)


def test_tune_queues_a_search_on_the_ml_queue(
    alice, alice_client, django_capture_on_commit_callbacks, monkeypatch
):
    from signals import tasks

    market = MarketFactory(symbol="BTC/USDT")
    queued = []
    monkeypatch.setattr(tasks.tune_model_task, "delay", lambda **kw: queued.append(kw))
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            "/api/models/tune/",
            {
                "exchange": market.exchange.ccxt_id,
                "symbol": "BTC/USDT",
                "timeframe": "1h",
                "trials": 20,
            },
            format="json",
        )
    assert response.status_code == 202
    body = response.json()
    assert body["queue"] == "ml"
    assert body["study"].endswith("BTC/USDT:1h:h4:f5")
    assert queued == [
        {
            "user_id": alice.pk,
            "exchange": market.exchange.ccxt_id,
            "symbol": "BTC/USDT",
            "timeframe": "1h",
            "trials": 20,
            "horizon": 4,
            "folds": 5,
            "pooled_with": [],
        }
    ]
    assert tasks.tune_model_task.name == "signals.tune_model_task"  # routed to the ml queue


def test_tune_pooled_over_several_markets_queues_one_search(
    alice, alice_client, django_capture_on_commit_callbacks, monkeypatch
):
    from signals import tasks

    btc = MarketFactory(symbol="BTC/USDT")
    MarketFactory(exchange=btc.exchange, symbol="ETH/USDT")
    queued = []
    monkeypatch.setattr(tasks.tune_model_task, "delay", lambda **kw: queued.append(kw))
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            "/api/models/tune/",
            {
                "exchange": btc.exchange.ccxt_id,
                "symbol": "BTC/USDT",
                "pooled_with": ["ETH/USDT", "BTC/USDT"],
                "timeframe": "1h",
            },
            format="json",
        )
    assert response.status_code == 202
    body = response.json()
    assert body["pooled_with"] == ["ETH/USDT"]
    assert body["study"].endswith("BTC/USDT+ETH/USDT:1h:h4:f5")
    assert queued[0]["pooled_with"] == ["ETH/USDT"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"symbol": "BTC/USDT", "pooled_with": ["NOPE/USDT"], "timeframe": "1h"}, "pooled_with"),
        ({"symbol": "NOPE/USDT", "timeframe": "1h"}, "symbol"),
        ({"symbol": "BTC/USDT", "timeframe": "4h"}, "timeframe"),
        ({"symbol": "BTC/USDT", "timeframe": "1h", "trials": 0}, "trials"),
    ],
)
def test_tune_bad_input_names_the_field(alice_client, payload, field):
    market = MarketFactory(symbol="BTC/USDT")
    response = alice_client.post(
        "/api/models/tune/", {"exchange": market.exchange.ccxt_id, **payload}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == field


def test_tune_needs_a_login(api_client):
    response = api_client.post("/api/models/tune/", {}, format="json")
    assert response.status_code in (401, 403)
