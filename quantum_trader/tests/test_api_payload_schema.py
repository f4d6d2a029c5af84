"""Real API responses match their OpenAPI schema exactly, nested JSON payloads included.

The backtest config, metrics and trades, fold metrics, promotion contests, feature sets, signal
explanations and health checks are stored or built as JSON; their schema is spelled out by
serializers so the generated TypeScript types every field. Here real responses are validated
against that schema, with undocumented keys refused, so the documentation cannot drift.
"""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from drf_spectacular.generators import SchemaGenerator

from markets.tests.factories import ExchangeFactory, MarketFactory, candles_store
from signals.core.model import TrainParams
from signals.services import model_train, signals_backfill
from signals.tests.conftest import synthetic_candles
from trading.services import backtest_run_create, backtest_run_execute
from trading.tests.factories import config, market_with_candles

Json = dict[str, Any]


def _strict(node: Any) -> Any:
    """Turn OpenAPI 3.0 schema nodes into JSON Schema: `nullable`, and no undocumented keys."""
    if isinstance(node, list):
        return [_strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _strict(value) for key, value in node.items()}
    if "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    if out.pop("nullable", False):
        return {"anyOf": [out, {"type": "null"}]}
    return out


@pytest.fixture(scope="module")
def openapi() -> Json:
    schema: Json = SchemaGenerator().get_schema(request=None, public=True)
    return _strict(schema)


def _response_schema(openapi: Json, path: str, method: str = "get", status: int = 200) -> Json:
    content = openapi["paths"][path][method]["responses"][str(status)]["content"]
    return {**content["application/json"]["schema"], "components": openapi["components"]}


def _check(openapi: Json, path: str, body: Any, status: int = 200) -> None:
    schema = _response_schema(openapi, path, status=status)
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    assert errors == [], "\n".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:10]
    )


@pytest.fixture
def artifacts(tmp_path, settings) -> None:
    settings.ARTIFACTS_DIR = tmp_path / "artifacts"
    settings.SIGNALS_USE_SENTIMENT = False


@pytest.mark.django_db(transaction=False)
def test_backtest_responses_match_their_schema(openapi, alice, alice_client):
    # Given a finished run with stops and sizing, and a queued one (metrics still empty)
    market_with_candles()
    done = backtest_run_create(
        owner=alice,
        config=config(
            stops={"stop_loss": 0.05},
            sizing={"method": "fixed_fraction", "fraction": 0.5},
            max_drawdown=0.5,
        ),
        enqueue=False,
    )
    assert backtest_run_execute(run_id=done.pk)
    queued = backtest_run_create(owner=alice, config=config(), enqueue=False)

    detail = alice_client.get(f"/api/backtests/{done.pk}/").json()
    assert detail["status"] == "done"
    assert detail["trades"], "the run should have traded"
    _check(openapi, "/api/backtests/{run_id}/", detail)
    _check(
        openapi, "/api/backtests/{run_id}/", alice_client.get(f"/api/backtests/{queued.pk}/").json()
    )
    _check(openapi, "/api/backtests/", alice_client.get("/api/backtests/").json())
    compare = alice_client.get(f"/api/backtests/compare/?ids={done.pk},{queued.pk}").json()
    _check(openapi, "/api/backtests/compare/", compare)
    # And the check can fail: an undocumented metric or a wrong status is refused
    with pytest.raises(AssertionError, match="sharpe_2"):
        _check(openapi, "/api/backtests/{run_id}/", {**detail, "metrics": {"sharpe_2": 1.0}})
    with pytest.raises(AssertionError, match="pending"):
        _check(openapi, "/api/backtests/{run_id}/", {**detail, "status": "pending"})


@pytest.mark.django_db
def test_model_and_signal_responses_match_their_schema(openapi, artifacts, alice_client):
    # Given a trained model (a random walk: it stays a candidate) and the signals it wrote
    market = MarketFactory(exchange=ExchangeFactory(ccxt_id="demo"))
    candles = synthetic_candles(800, seed=5)
    candles_store(market, "1h", candles)
    outcome = model_train(
        exchange="demo",
        symbol="BTC/USDT",
        timeframe="1h",
        folds=2,
        train_params=TrainParams(num_boost_round=20, early_stopping_rounds=5),
    )
    version = outcome.model_version
    written = signals_backfill(
        market=market,
        model_version=version,
        start=candles.index[-3].to_pydatetime(),
        end=candles.index[-1].to_pydatetime(),
    )
    assert written == 2

    detail = alice_client.get(f"/api/models/{version.pk}/").json()
    assert len(detail["fold_metrics"]) == 2
    assert detail["promotion"]["winner"] == "none"
    assert detail["evaluation"]["reasons"] == detail["promotion"]["reasons"]
    assert set(detail["evaluation"]["reliability"]) == {"BUY", "HOLD", "SELL"}
    _check(openapi, "/api/models/{id}/", detail)
    _check(openapi, "/api/models/", alice_client.get("/api/models/").json())
    signals = alice_client.get("/api/signals/").json()
    assert len(signals["results"]) == 2
    _check(openapi, "/api/signals/", signals)
    broken = {**signals["results"][0], "explanation": {"headlines": []}}
    with pytest.raises(AssertionError, match="top_features"):
        _check(openapi, "/api/signals/", {**signals, "results": [broken]})


@pytest.mark.django_db
def test_health_response_matches_its_schema(openapi, api_client):
    response = api_client.get("/api/health/")
    body = response.json()
    assert "worker" in body["checks"]
    # No worker beats in the test, so this is the 503 form (health plus the error keys).
    _check(openapi, "/api/health/", body, status=response.status_code)
