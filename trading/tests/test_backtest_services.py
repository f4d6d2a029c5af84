"""Backtest services and the task: claiming, failure, model strategies, stored limits."""

from __future__ import annotations

import re
import types
from decimal import Decimal

import pandas as pd
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from trading.models import BacktestRun
from trading.services import backtest_compute, backtest_prepare, backtest_run_create
from trading.tasks import backtest_run_task
from trading.tests.factories import config, market_with_candles

pytestmark = pytest.mark.django_db


def test_backtest_run_task_claims_once(alice):
    market_with_candles()
    run = backtest_run_create(owner=alice, config=config(), enqueue=False)
    backtest_run_task(run.pk)
    run.refresh_from_db()
    finished = run.finished_at
    assert run.status == BacktestRun.Status.DONE
    # A second delivery of the same task finds the run already claimed and changes nothing.
    backtest_run_task(run.pk)
    run.refresh_from_db()
    assert run.finished_at == finished


def test_backtest_run_task_records_failure(alice, monkeypatch):
    market_with_candles()
    run = backtest_run_create(owner=alice, config=config(), enqueue=False)

    def broken(prepared):
        raise RuntimeError("engine exploded")

    monkeypatch.setattr("trading.services.backtest_compute", broken)
    backtest_run_task(run.pk)
    run.refresh_from_db()
    assert run.status == BacktestRun.Status.FAILED
    assert run.error == "engine exploded"
    assert run.finished_at is not None


def test_backtest_run_create_enqueues_on_ml_queue_after_commit(
    alice, monkeypatch, django_capture_on_commit_callbacks
):
    market_with_candles()
    calls = []
    monkeypatch.setattr(
        "trading.tasks.backtest_run_task.apply_async",
        lambda args=None, kwargs=None, **options: calls.append((args, options)),
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = backtest_run_create(owner=alice, config=config())
    assert calls == []  # nothing is sent before the commit
    for callback in callbacks:
        callback()
    assert calls[0][0] == (run.pk,)


def test_backtest_model_strategy_uses_signals_probabilities(alice, monkeypatch):
    from trading import services

    market_with_candles()
    seen = {}

    def model_probabilities(*, model_version_id, candles):
        seen["id"] = model_version_id
        # Always confident BUY: long from the first close to the end.
        return pd.DataFrame({"BUY": 0.9, "HOLD": 0.05, "SELL": 0.05}, index=candles.index)

    monkeypatch.setattr(services, "model_probabilities", model_probabilities)
    monkeypatch.setattr(
        services,
        "model_version_find",
        lambda *, model_version_id: types.SimpleNamespace(timeframe="1h"),
    )
    prepared = backtest_prepare(
        config(strategy="model:7", params={"buy_threshold": 0.6, "sell_threshold": 0.6})
    )
    result = backtest_compute(prepared)
    assert seen["id"] == 7
    assert result.metrics["trades"] == 1
    assert result.trades["exit_reason"].tolist() == ["end"]


def test_backtest_model_strategy_refuses_a_model_of_another_timeframe(alice, monkeypatch):
    from trading import services

    market_with_candles()
    monkeypatch.setattr(
        services,
        "model_version_find",
        lambda *, model_version_id: types.SimpleNamespace(timeframe="5m"),
    )

    with pytest.raises(services.BacktestConfigError, match="trained on 5m candles, not 1h"):
        backtest_prepare(config(strategy="model:7", params={}))


def test_backtest_walk_forward_trades_only_out_of_sample_predictions(alice, monkeypatch):
    from trading import services

    market_with_candles()
    calls = {}

    def walk_forward_fit_predict(*, candles, timeframe, horizon, folds, fee_rate):
        calls.update(timeframe=timeframe, horizon=horizon, folds=folds, fee_rate=fee_rate)
        # No prediction (NaN) for the first half: the first training window.
        half = len(candles) // 2
        probabilities = pd.DataFrame(
            {"BUY": 0.9, "HOLD": 0.05, "SELL": 0.05}, index=candles.index, dtype="float64"
        )
        probabilities.iloc[:half] = float("nan")
        return probabilities

    monkeypatch.setattr(services, "walk_forward_fit_predict", walk_forward_fit_predict)
    prepared = backtest_prepare(
        config(strategy="walk_forward", params={"horizon": "6", "folds": 3, "buy_threshold": 0.6})
    )
    result = backtest_compute(prepared)

    assert calls == {"timeframe": "1h", "horizon": 6, "folds": 3, "fee_rate": 0.001}
    first_entry = result.trades["entry_time"].min()
    assert first_entry > prepared.candles.index[len(prepared.candles) // 2 - 1]
    assert result.metrics["trades"] == 1


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"folds": 1}, "folds must be between 2 and 12"),
        ({"horizon": 500}, "horizon must be between 1 and 96"),
        ({"window": 3}, "unknown parameters ['window']"),
    ],
)
def test_backtest_walk_forward_bad_parameters_are_refused(alice, params, message):
    from trading.services import BacktestConfigError

    market_with_candles()

    with pytest.raises(BacktestConfigError) as caught:
        backtest_prepare(config(strategy="walk_forward", params=params))

    assert message in caught.value.errors["params"]


def test_backtest_market_limits_round_quantities(alice):
    market_with_candles(amount_precision=Decimal("0.5"), min_notional=Decimal("10"))
    result = backtest_compute(backtest_prepare(config()))
    assert result.metrics["trades"] > 0
    # Every size is a whole number of 0.5 lots.
    assert ((result.trades["size"] * 2) % 1 == 0).all()
    free = backtest_compute(backtest_prepare(config(market_limits=False)))
    assert not ((free.trades["size"] * 2) % 1 == 0).all()


def test_backtest_sizing_and_stops_from_config(alice):
    market_with_candles()
    prepared = backtest_prepare(
        config(
            stops={"stop_loss": 0.01, "trailing_stop": 0.02},
            sizing={"method": "fixed_fraction", "fraction": 0.5, "max_position": 0.4},
        )
    )
    result = backtest_compute(prepared)
    assert result.trades["exposure"].max() == pytest.approx(0.4)
    assert result.exposure.max() < 0.45


def test_backtest_command_prints_metrics(capsys):
    market_with_candles()
    call_command(
        "backtest",
        "--exchange=binance",
        "--symbol=BTC/USDT",
        "--timeframe=1h",
        "--strategy=sma_cross",
        '--params={"fast": 5, "slow": 20}',
        "--start=2024-01-01T00:00:00Z",
        "--end=2024-01-05T00:00:00Z",
        "--fee=0.001",
        "--slippage-bps=5",
    )
    out = capsys.readouterr().out
    assert "Sharpe ratio" in out
    # 4 days of hourly candles, the end exclusive: 96.
    assert re.search(r"^Candles\s+96$", out, re.MULTILINE)


def test_backtest_command_with_user_stores_run(alice, capsys):
    market_with_candles()
    call_command(
        "backtest",
        "--exchange=binance",
        "--symbol=BTC/USDT",
        "--timeframe=1h",
        "--strategy=rsi_bands",
        "--user=alice",
    )
    assert "Stored backtest #" in capsys.readouterr().out
    assert BacktestRun.objects.get(owner=alice).status == BacktestRun.Status.DONE


def test_backtest_command_bad_strategy_fails_clearly():
    market_with_candles()
    with pytest.raises(CommandError, match="unknown strategy"):
        call_command(
            "backtest",
            "--exchange=binance",
            "--symbol=BTC/USDT",
            "--timeframe=1h",
            "--strategy=nope",
        )


def test_seed_embedded_trading_runs_once_for_demo_user(capsys):
    from accounts.services import user_create

    call_command("seed_embedded_4_trading")
    assert "no demo user" in capsys.readouterr().out
    demo = user_create(username="demo", password="a-long-demo-password")
    market_with_candles(exchange="demo", count=80)
    call_command("seed_embedded_4_trading")
    call_command("seed_embedded_4_trading")
    runs = BacktestRun.objects.filter(owner=demo)
    assert runs.count() == 1
    assert runs.get().status == BacktestRun.Status.DONE
    assert runs.get().config["exchange"] == "demo"


def test_backtest_run_task_reclaims_run_of_dead_worker(alice, settings):
    from datetime import timedelta

    from django.utils import timezone

    market_with_candles()
    run = backtest_run_create(owner=alice, config=config(), enqueue=False)
    long_ago = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    BacktestRun.objects.filter(pk=run.pk).update(status="running", started_at=long_ago)
    backtest_run_task(run.pk)
    run.refresh_from_db()
    assert run.status == BacktestRun.Status.DONE
    # A run started just now by another worker is left alone.
    other = backtest_run_create(owner=alice, config=config(), enqueue=False)
    BacktestRun.objects.filter(pk=other.pk).update(status="running", started_at=timezone.now())
    backtest_run_task(other.pk)
    other.refresh_from_db()
    assert other.status == BacktestRun.Status.RUNNING
