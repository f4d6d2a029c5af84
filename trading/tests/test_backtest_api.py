"""The backtest API: create -> task -> detail, isolation between users, compare, delete."""

from __future__ import annotations

import pytest

from trading.models import BacktestRun
from trading.tests.factories import config, market_with_candles

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager(settings):
    """Run Celery tasks in-process, through the same delay() call the service makes."""
    from trading.tasks import backtest_run_task

    settings.CELERY_TASK_ALWAYS_EAGER = True
    conf = backtest_run_task.app.conf
    conf.task_always_eager = True
    yield
    conf.task_always_eager = False


@pytest.fixture
def market():
    return market_with_candles()


def create(client, **overrides):
    return client.post("/api/backtests/", config(**overrides), format="json")


def test_backtest_create_runs_task_and_detail_has_results(
    alice_client, market, eager, django_capture_on_commit_callbacks
):
    # When alice creates a run (the task runs eagerly once the transaction commits).
    with django_capture_on_commit_callbacks(execute=True):
        response = create(alice_client)
    # Then
    assert response.status_code == 201, response.data
    run_id = response.data["id"]
    detail = alice_client.get(f"/api/backtests/{run_id}/")
    assert detail.status_code == 200
    assert detail.data["status"] == "done"
    assert detail.data["progress"] == 1.0
    metrics = detail.data["metrics"]
    assert metrics["candles"] == 200
    assert metrics["trades"] == len(detail.data["trades"]) > 0
    curve = detail.data["equity_curve"]
    assert len(curve) == 200
    assert curve[0] == [1704067200000, 10_000.0]  # 2024-01-01T00:00Z in epoch ms
    assert curve[-1][1] == pytest.approx(metrics["final_equity"])
    assert detail.data["trades"][0]["entry_time"].endswith("Z")


def test_backtest_create_publishes_progress_to_owner_group(
    alice_client, alice, market, eager, django_capture_on_commit_callbacks, monkeypatch
):
    from markets.models import StreamEvent

    with django_capture_on_commit_callbacks(execute=True):
        run_id = create(alice_client).data["id"]
    sent = [(e.group, e.message) for e in StreamEvent.objects.order_by("group", "sequence")]
    assert {group for group, _ in sent} == {f"user.{alice.pk}"}
    assert all(message["type"] == "backtest" and message["id"] == run_id for _, message in sent)
    statuses = [message["data"]["status"] for _, message in sent]
    assert statuses[0] == "queued"
    assert statuses[-1] == "done"
    assert "running" in statuses
    assert sent[-1][1]["data"]["progress"] == 1.0


def test_backtest_other_users_run_answers_404(alice_client, bob_client, market):
    run_id = create(alice_client).data["id"]
    assert bob_client.get(f"/api/backtests/{run_id}/").status_code == 404
    assert bob_client.delete(f"/api/backtests/{run_id}/").status_code == 404
    assert bob_client.get(f"/api/backtests/compare/?ids={run_id}").status_code == 404
    assert bob_client.get("/api/backtests/").data["count"] == 0
    assert alice_client.get("/api/backtests/").data["count"] == 1
    assert BacktestRun.objects.filter(pk=run_id).exists()


def test_backtest_list_is_paginated(alice_client, market):
    for _ in range(3):
        create(alice_client)
    page = alice_client.get("/api/backtests/?limit=2")
    assert page.data["count"] == 3
    assert len(page.data["results"]) == 2
    assert page.data["next"] is not None


def test_backtest_compare_returns_metrics_side_by_side(alice_client, alice, market):
    from trading.services import backtest_run_create, backtest_run_execute

    first = backtest_run_create(owner=alice, config=config(), enqueue=False)
    second = backtest_run_create(
        owner=alice, config=config(strategy="rsi_bands", params={}), enqueue=False
    )
    backtest_run_execute(run_id=first.pk)
    backtest_run_execute(run_id=second.pk)
    response = alice_client.get(f"/api/backtests/compare/?ids={second.pk},{first.pk}")
    assert response.status_code == 200
    runs = response.data["runs"]
    assert [run["id"] for run in runs] == [second.pk, first.pk]
    assert all(run["metrics"]["candles"] == 200 for run in runs)
    assert runs[0]["config"]["strategy"] == "rsi_bands"
    assert len(runs[1]["equity_curve"]) == 200


def test_backtest_compare_bad_ids_answer_400(alice_client):
    assert alice_client.get("/api/backtests/compare/?ids=1,x").status_code == 400
    assert alice_client.get("/api/backtests/compare/").status_code == 400


def test_backtest_delete_removes_run(alice_client, market):
    run_id = create(alice_client).data["id"]
    assert alice_client.delete(f"/api/backtests/{run_id}/").status_code == 204
    assert alice_client.get(f"/api/backtests/{run_id}/").status_code == 404


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"symbol": "ETH/USDT"}, "symbol"),
        ({"strategy": "magic"}, "strategy"),
        ({"timeframe": "7m"}, "timeframe"),
        ({"params": {"fast": 5, "slowest": 9}}, "params"),
        ({"start": "2030-01-01T00:00:00Z"}, "start"),
        ({"start": "2024-01-05T00:00:00Z", "end": "2024-01-02T00:00:00Z"}, "end"),
        ({"fee": -1}, "fee"),
        ({"sizing": {"method": "fixed_fraction"}}, "sizing"),
        ({"sizing": {"method": "fixed_fraction", "fraction": 0}}, "sizing"),
        ({"stops": {"stop_loss": 1.0}}, "stops"),
        ({"max_drawdown": 0.9999}, "max_drawdown"),
    ],
)
def test_backtest_create_bad_config_answers_400_with_field_error(
    alice_client, market, overrides, field
):
    response = create(alice_client, **overrides)
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert BacktestRun.objects.count() == 0


def test_backtest_model_strategy_unknown_model_answers_400(alice_client, market):
    response = create(alice_client, strategy="model:999999", params={})
    assert response.status_code == 400
    assert response.json()["fields"]["strategy"] == ["no model version 999999"]


def test_backtest_anonymous_is_refused(api_client, market):
    assert api_client.get("/api/backtests/").status_code in (401, 403)
