"""`/metrics`: a scripted ingest, prediction, backtest and paper trade, then a scrape.

Each step runs through its Celery task (`apply`, in this process, with Celery's signals), so
the counters are the ones a worker would report; the state metrics come from the database.
Process counters are global to the test process, so they are compared before and after.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from markets.core.factory import create_order_adapter
from markets.core.paper import MemoryPriceSource
from markets.metrics import DB_COLLECTOR
from markets.models import Exchange, Market
from markets.testing.fake_exchange import FakeExchange, Fault
from quantum_trader.celery import app as celery_app
from signals.tests.conftest import synthetic_candles

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)
ROWS = 1200
UNAVAILABLE = "ExchangeUnavailableError"  # what a 503 from the exchange becomes
Sample = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(client, **headers) -> Sample:
    DB_COLLECTOR.reset()
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/plain")
    samples: Sample = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples


def value(samples: Sample, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def fake_binance(tmp_path: Path):
    """The fake exchange serving ROWS hourly candles that end with the last closed hour."""
    frame = synthetic_candles(ROWS)
    last_open = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - HOUR
    first_open = last_open - (ROWS - 1) * HOUR
    path = tmp_path / "candles.csv"
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["timestamp_ms", "open", "high", "low", "close", "volume"])
        for i, row in enumerate(frame.itertuples(index=False)):
            at = int((first_open + i * HOUR).timestamp() * 1000)
            writer.writerow([at, row.open, row.high, row.low, row.close, row.volume])
    with FakeExchange(candles_csv=path) as fake:
        yield fake


@pytest.fixture
def market(fake_binance) -> Market:
    exchange = Exchange.objects.create(
        ccxt_id="binance", name="Binance", enabled=True, api_base_url=fake_binance.url
    )
    return Market.objects.create(
        exchange=exchange,
        symbol="BTC/USDT",
        base="BTC",
        quote="USDT",
        enabled=True,
        timeframes=["1h"],
        listing_verified=True,
    )


@pytest.fixture
def no_sentiment(settings):
    from signals.core.sentiment import sentiment_source_install, sentiment_source_installed

    settings.SIGNALS_USE_SENTIMENT = False
    installed = sentiment_source_installed()
    sentiment_source_install(None)
    yield
    sentiment_source_install(installed)


def test_scripted_pipeline_shows_in_the_scrape(
    api_client, market, fake_binance, alice, settings, tmp_path, no_sentiment, monkeypatch
):
    from markets.tasks import ingest_market_task
    from signals.core.model import TrainParams
    from signals.services import model_train
    from signals.tasks import predict_signals_task
    from trading.orders import paper_store
    from trading.orders.paper_store import paper_account_create
    from trading.orders.services import order_place
    from trading.services import backtest_run_create
    from trading.tasks import backtest_run_task, order_submit_task, orders_reconcile_task

    settings.ARTIFACTS_DIR = tmp_path / "artifacts"
    before = scrape(api_client)

    # Ingest: one refused klines request first (retried), then every candle stored.
    fake_binance.script("GET /api/v3/klines", Fault("error_before", status=503))
    report = ingest_market_task.apply(args=[market.pk, "1h"]).get()
    assert report["inserted"] == 1000  # the default backfill

    # Prediction: a quick model, made champion by hand (1,000 synthetic candles rarely pass
    # the skill checks, and promotion is not what is measured here), then one signal.
    outcome = model_train(
        exchange="binance",
        symbol="BTC/USDT",
        timeframe="1h",
        folds=2,
        train_params=TrainParams(num_boost_round=30, early_stopping_rounds=10),
    )
    champion = outcome.model_version
    if not outcome.promoted:
        from signals.services.training import model_promote

        model_promote(model_version=champion)
    predicted = predict_signals_task.apply().get()
    assert predicted["created"] == 1, predicted

    # Backtest through its task.
    run = backtest_run_create(
        owner=alice,
        config={
            "exchange": "binance",
            "symbol": "BTC/USDT",
            "timeframe": "1h",
            "strategy": "sma_cross",
            "params": {"fast": 5, "slow": 20},
        },
        enqueue=False,
    )
    backtest_run_task.apply(args=[run.pk])

    # A paper trade: a market order submitted by its task, then one reconciler pass.
    prices = MemoryPriceSource({"BTC/USDT": "100"})
    monkeypatch.setattr(
        paper_store,
        "create_order_adapter",
        lambda exchange_id, **kw: create_order_adapter(exchange_id, **kw, price_source=prices),
    )
    demo = Exchange.objects.create(ccxt_id="demo", name="Demo", is_demo=True, enabled=True)
    Market.objects.create(
        exchange=demo,
        symbol="BTC/USDT",
        base="BTC",
        quote="USDT",
        listing_verified=True,
        price_precision=Decimal("0.01"),
        amount_precision=Decimal("0.0001"),
        min_amount=Decimal("0.0001"),
        min_notional=Decimal("1"),
    )
    paper = paper_account_create(owner=alice, label="Paper")
    order = order_place(
        owner=alice,
        paper_account_id=paper.pk,
        symbol="BTC/USDT",
        side="buy",
        type="market",
        amount=Decimal("1"),
        enqueue=False,
    ).order
    submitted = order_submit_task.apply(args=[order.pk]).get()
    orders_reconcile_task.apply()

    after = scrape(api_client)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    candles = {"exchange": "binance", "market": "BTC/USDT", "timeframe": "1h"}
    assert delta("qt_candles_ingested_total", **candles) == 1000
    # The newest stored candle closed at the top of this hour: the lag is under an hour.
    lag = value(after, "qt_ingestion_lag_seconds", **candles)
    assert 0 <= lag < 3600
    assert delta("qt_exchange_errors_total", exchange="binance", error=UNAVAILABLE) == 1
    assert delta("qt_exchange_requests_total", exchange="binance", result="ok") >= 2
    assert delta("qt_signals_predicted_total", result="created") == 1
    assert (
        value(after, "qt_signals_total", model=str(champion.pk), action=predicted_action(champion))
        == 1
    )
    assert value(after, "qt_champion_model_score", model=str(champion.pk), timeframe="1h") == (
        pytest.approx(champion.summary_score)
    )
    assert (
        0
        <= value(after, "qt_champion_model_age_seconds", model=str(champion.pk), timeframe="1h")
        < 600
    )
    assert value(after, "qt_backtest_runs_total", status="done") == 1
    assert value(after, "qt_backtest_run_seconds_count", status="done") == 1
    assert value(after, "qt_backtest_run_seconds_sum", status="done") > 0
    assert value(after, "qt_orders", status="filled", venue="paper") == 1
    assert value(after, "qt_orders_unknown") == 0
    assert value(after, "qt_fills_total", exchange="demo") == 1
    assert delta("qt_order_submit_seconds_count", outcome=submitted) == 1
    assert delta("qt_reconciler_cycles_total", result="ok") == 1
    task = {"task": "trading.backtest_run", "queue": "ml", "state": "SUCCESS"}
    assert delta("qt_celery_task_seconds_count", **task) == 1
    assert (
        delta(
            "qt_celery_task_seconds_count",
            task="signals.predict_signals_task",
            queue="ml",
            state="SUCCESS",
        )
        == 1
    )
    for collector in ("markets", "sentiment", "signals", "trading"):
        assert value(after, "qt_metrics_collector_up", collector=collector) == 1, collector
    # django-prometheus's own metrics are still there.
    assert any(name.startswith("django_http_requests") for name, _ in after)


def predicted_action(champion) -> str:
    from signals.models import Signal

    return Signal.objects.get(model_version=champion).action


# --- who may scrape ------------------------------------------------------------------------


def test_anonymous_scrape_refused_when_a_token_is_set(api_client, settings):
    settings.METRICS_TOKEN = "scrape-token-123"

    anonymous = api_client.get("/metrics")
    wrong = api_client.get("/metrics", HTTP_AUTHORIZATION="Bearer not-it")
    right = api_client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-token-123")

    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"].startswith("Bearer")
    assert anonymous.json()["code"] == "not_authenticated"
    assert "scrape-token-123" not in anonymous.content.decode()
    assert wrong.status_code == 401
    assert right.status_code == 200
    assert b"qt_metrics_collector_up" in right.content


def test_allowed_networks_refuse_other_addresses(api_client, settings):
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]

    assert api_client.get("/metrics").status_code == 403  # 127.0.0.1 is not in 10/8
    assert api_client.get("/metrics", REMOTE_ADDR="10.2.3.4").status_code == 200


def test_token_and_networks_both_apply(api_client, settings):
    settings.METRICS_TOKEN = "t0ken"
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]

    assert api_client.get("/metrics", REMOTE_ADDR="10.2.3.4").status_code == 401
    ok = api_client.get("/metrics", REMOTE_ADDR="10.2.3.4", HTTP_AUTHORIZATION="Bearer t0ken")
    assert ok.status_code == 200
    outside = api_client.get("/metrics", REMOTE_ADDR="192.0.2.9", HTTP_AUTHORIZATION="Bearer t0ken")
    assert outside.status_code == 403


def test_without_token_or_networks_only_this_machine_may_scrape(api_client, settings):
    settings.METRICS_TOKEN = None
    settings.METRICS_ALLOWED_NETWORKS = []

    assert api_client.get("/metrics").status_code == 200
    assert api_client.get("/metrics", REMOTE_ADDR="192.0.2.9").status_code == 403


# --- celery and the exporters ---------------------------------------------------------------


@celery_app.task(name="quantum_trader.tests.fails")
def failing_task() -> None:
    raise RuntimeError("this task always fails")


def test_a_failing_task_counts_as_a_failure_with_its_run_time(api_client):
    name = "quantum_trader.tests.fails"
    before = scrape(api_client)
    result = failing_task.apply()
    after = scrape(api_client)

    assert result.state == "FAILURE"
    failures = ("qt_celery_task_failures_total", (("queue", "default"), ("task", name)))
    assert after.get(failures, 0) - before.get(failures, 0) == 1
    labels = {"task": name, "queue": "default", "state": "FAILURE"}
    assert (
        value(after, "qt_celery_task_seconds_count", **labels)
        - value(before, "qt_celery_task_seconds_count", **labels)
        == 1
    )


def test_worker_exporter_serves_process_metrics_with_the_same_rules(settings):
    import socket
    import urllib.error
    import urllib.request

    from quantum_trader.metrics import start_exporter

    settings.METRICS_TOKEN = "worker-token"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = start_exporter(port, "127.0.0.1")
    try:
        url = f"http://127.0.0.1:{port}/metrics"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url, timeout=5)
        assert refused.value.code == 401
        request = urllib.request.Request(url, headers={"Authorization": "Bearer worker-token"})
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback
            body = response.read().decode()
        assert "qt_celery_task_seconds" in body
        assert "qt_metrics_collector_up" not in body  # no database reads in a worker
    finally:
        server.shutdown()
        server.server_close()


def test_multiprocess_mode_adds_up_every_process_of_the_host(tmp_path):
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "PYTHONPATH": str(root)}
    bump = (
        "from markets import metrics as m\n"
        "m.CANDLES_INGESTED.labels(exchange='binance', market='BTC/USDT', timeframe='1h')"
        ".inc({n})\n"
        "m.WEBSOCKET_CONNECTIONS.inc({n})\n"
    )
    for n in (3, 4):
        subprocess.run(  # noqa: S603 - this interpreter, fixed code
            [sys.executable, "-c", bump.format(n=n)], env=env, check=True, timeout=60
        )
    read = (
        "import os\n"
        "from prometheus_client import generate_latest\n"
        "from quantum_trader.metrics import process_registry\n"
        "print(generate_latest(process_registry()).decode())\n"
    )
    out = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", read],
        env={**env, "DJANGO_SETTINGS_MODULE": "quantum_trader.settings"},
        check=True,
        timeout=60,
        capture_output=True,
        text=True,
    ).stdout
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(out)
        for s in family.samples
    }
    labels = (("exchange", "binance"), ("market", "BTC/USDT"), ("timeframe", "1h"))
    assert samples[("qt_candles_ingested_total", labels)] == 7
    # livesum: the two processes have exited, but nothing marked them dead, so both count.
    assert samples[("qt_websocket_connections", ())] == 7


def test_sentiment_and_bots_show_in_the_scrape(api_client, alice):
    from django.utils import timezone

    from quantum_trader.metrics import RESULT_HANDLERS
    from sentiment.models import Source
    from sentiment.services import news_ingest, posts_ingest
    from sentiment.tests.factories import SourceFactory, news_record, post_record
    from trading.bots.models import BotTick
    from trading.bots.services import bot_create, bot_halt

    before = scrape(api_client)
    # Sentiment: two headlines and one post, each scored on the way in.
    news = SourceFactory(kind=Source.Kind.CRYPTOPANIC)
    news_ingest(source=news, records=[news_record("n1"), news_record("n2", "ETH slumps")])
    x = SourceFactory(kind=Source.Kind.X, name="x-btc")
    posts_ingest(source=x, records=[post_record("p1")], asset="BTC")
    # Bots: one halted by its risk limits, with two recorded ticks.
    demo = Exchange.objects.create(ccxt_id="demo", name="Demo", is_demo=True, enabled=True)
    market = Market.objects.create(
        exchange=demo, symbol="BTC/USDT", base="BTC", quote="USDT", listing_verified=True,
        timeframes=["1h"], enabled=True,
    )  # fmt: skip
    bot = bot_create(
        owner=alice,
        name="halts",
        market_id=market.pk,
        timeframe="1h",
        strategy="rule",
        rule_name="sma_cross",
        rule_params={"fast": 5, "slow": 20},
    )
    bot_halt(bot=bot, reason="daily loss limit")
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    for i, outcome in enumerate(("no_order", "halted")):
        BotTick.objects.create(bot=bot, candle_time=hour - i * HOUR, outcome=outcome)
    RESULT_HANDLERS["trading.bots_tick_due"]({"outcomes": {"no_order": 2}, "predictions": 0}, 0.1)
    after = scrape(api_client)

    assert value(after, "qt_news_ingested_total", source_kind="cryptopanic") == 2
    assert value(after, "qt_posts_ingested_total", source_kind="x") == 1
    assert value(after, "qt_sentiment_scored_total", item="news") == 2
    assert value(after, "qt_sentiment_scored_total", item="post") == 1
    assert 0 <= value(after, "qt_sentiment_lag_seconds") < 600
    assert value(after, "qt_bots", state="halted", mode="paper") == 1
    assert value(after, "qt_bot_ticks_total", outcome="no_order") == 1
    assert value(after, "qt_bot_ticks_total", outcome="halted") == 1
    assert (
        value(after, "qt_bot_ticks_processed_total", outcome="no_order")
        - value(before, "qt_bot_ticks_processed_total", outcome="no_order")
        == 2
    )
    # Labels never carry a user: alice's id and name appear nowhere in the scrape.
    names = {label for _, labels in after for label in labels}
    assert not names & {"user", "user_id", "owner"}
    assert "alice" not in str(after)
