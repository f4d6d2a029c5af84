"""The whole pipeline, offline, as the embedded default runs it.

Demo candles -> demo news scored into point-in-time aggregates -> features (with sentiment)
-> an XGBoost model -> explained signals -> a backtest trading that model's probabilities.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def seeded(settings, tmp_path, alice):
    settings.ARTIFACTS_DIR = tmp_path / "artifacts"
    out = StringIO()
    for command in (
        "seed_embedded_1_markets",
        "seed_embedded_2_sentiment",
        "seed_embedded_3_signals",
    ):
        call_command(command, stdout=out)
    return out.getvalue()


def test_demo_pipeline_signals_use_sentiment_and_explain_themselves(seeded):
    from signals.models import ModelVersion, Signal

    # The demo's model: champion only if it passed the skill checks, else a candidate that
    # says why (the demo still shows its signals)
    champion = ModelVersion.objects.get(scope="demo:BTC/USDT", timeframe="1h")
    assert champion.evaluation["eligible"] is (champion.status == ModelVersion.Status.CHAMPION)
    signals = Signal.objects.filter(model_version=champion).order_by("-open_time")

    assert champion.feature_config["use_sentiment"] is True
    assert any(name.startswith("sent_") for name in champion.feature_importance)
    assert signals.count() > 0
    latest = signals.first()
    assert abs(latest.prob_buy + latest.prob_hold + latest.prob_sell - 1.0) < 1e-6
    assert latest.explanation["top_features"], latest.explanation
    assert latest.explanation["headlines"], "signals should cite the news behind them"
    assert all(h["is_demo"] for h in latest.explanation["headlines"])


def test_demo_pipeline_model_strategy_backtests_through_the_same_engine(seeded, alice):
    from signals.models import ModelVersion
    from trading.models import BacktestRun
    from trading.services import backtest_run_create, backtest_run_execute

    # The demo's model: champion only if it passed the skill checks, else a candidate that
    # says why (the demo still shows its signals)
    champion = ModelVersion.objects.get(scope="demo:BTC/USDT", timeframe="1h")
    assert champion.evaluation["eligible"] is (champion.status == ModelVersion.Status.CHAMPION)
    run = backtest_run_create(
        owner=alice,
        config={
            "exchange": "demo",
            "symbol": "BTC/USDT",
            "timeframe": "1h",
            "strategy": f"model:{champion.pk}",
            "params": {},
            "fee": 0.001,
            "slippage_bps": 5,
        },
        enqueue=False,
    )

    assert backtest_run_execute(run_id=run.pk) is True
    run.refresh_from_db()
    assert run.status == BacktestRun.Status.DONE, run.error
    assert {"total_return", "sharpe", "max_drawdown", "trades"} <= set(run.metrics)
    assert len(run.equity_curve) > 100


def test_demo_pipeline_walk_forward_backtest_trades_after_the_first_training_window(seeded, alice):
    from trading.models import BacktestRun
    from trading.services import backtest_run_create, backtest_run_execute

    run = backtest_run_create(
        owner=alice,
        config={
            "exchange": "demo",
            "symbol": "BTC/USDT",
            "timeframe": "1h",
            "strategy": "walk_forward",
            "params": {"horizon": 4, "folds": 3},
            "fee": 0.001,
        },
        enqueue=False,
    )

    backtest_run_execute(run_id=run.pk)
    run.refresh_from_db()

    assert run.status == BacktestRun.Status.DONE, run.error
    first_ms, last_ms = run.equity_curve[0][0], run.equity_curve[-1][0]
    # The first third of the history only trains the first fold: no position, no change.
    cutoff = first_ms + (last_ms - first_ms) / 3
    first_third = [equity for t, equity in run.equity_curve if t < cutoff]
    assert first_third
    assert set(first_third) == {10_000.0}
