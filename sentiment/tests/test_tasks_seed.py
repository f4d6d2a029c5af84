from __future__ import annotations

import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from markets.locks import task_lock
from sentiment import services, tasks
from sentiment.models import NewsItem, SentimentAggregate, Source
from sentiment.schedules import BEAT_SCHEDULE

pytestmark = pytest.mark.django_db


def test_seed_command_backfills_demo_and_is_idempotent(settings):
    settings.CRYPTOPANIC_TOKEN = ""
    settings.X_BEARER_TOKEN = ""
    started = time.perf_counter()
    call_command("seed_embedded_2_sentiment", "--days", "3", stdout=StringIO())
    assert time.perf_counter() - started < 30
    assert set(Source.objects.values_list("kind", flat=True)) == {"cryptopanic", "x", "demo"}
    demo_items = NewsItem.objects.filter(source__is_demo=True)
    count = demo_items.count()
    assert count > 100
    for item in demo_items[:50]:
        assert item.published_at < item.available_at <= item.published_at + timedelta(seconds=240)
        assert item.ingested_at == item.available_at
    assert SentimentAggregate.objects.filter(asset="BTC", interval="1h").count() > 24
    assert SentimentAggregate.objects.filter(asset="ETH", interval="1h").count() > 24
    before = list(SentimentAggregate.objects.values_list("asset", "bucket_start", "item_count"))

    call_command("seed_embedded_2_sentiment", "--days", "3", stdout=StringIO())

    assert NewsItem.objects.filter(source__is_demo=True).count() == count
    assert (
        list(SentimentAggregate.objects.values_list("asset", "bucket_start", "item_count"))
        == before
    )


def test_poll_tasks_skip_without_tokens_and_demo_emits(settings):
    settings.CRYPTOPANIC_TOKEN = ""
    settings.X_BEARER_TOKEN = ""
    services.sources_ensure()
    assert set(tasks.poll_cryptopanic_task().values()) == {"skipped"}
    assert set(tasks.poll_x_task().values()) == {"skipped"}
    assert set(tasks.poll_demo_task().values()) == {"ok"}
    assert NewsItem.objects.exists()
    # Polled a moment ago: the next run within its interval is skipped.
    assert set(tasks.poll_demo_task().values()) == {"skipped"}


def test_poll_task_locked_source_not_polled_twice(settings):
    settings.CRYPTOPANIC_TOKEN = ""
    settings.X_BEARER_TOKEN = ""
    demo_source = services.sources_ensure()[2]
    with task_lock(f"sentiment:source:{demo_source.pk}", ttl=60) as lease:
        assert lease is not None
        assert tasks.poll_demo_task() == {str(demo_source.pk): "locked"}
    assert not NewsItem.objects.exists()


def test_beat_schedule_polls_each_source_on_its_interval():
    schedule = BEAT_SCHEDULE
    assert schedule["sentiment-poll-cryptopanic"]["schedule"] == 300.0
    assert schedule["sentiment-poll-x"]["schedule"] == 900.0
    assert schedule["sentiment-poll-demo"]["schedule"] == 60.0
    assert {entry["task"] for entry in schedule.values()} <= {
        task.name
        for task in (
            tasks.poll_cryptopanic_task,
            tasks.poll_x_task,
            tasks.poll_demo_task,
            tasks.aggregates_refresh_task,
        )
    }


def test_tasks_soft_time_limit_below_hard_limit():
    # Celery beat refuses to send a task whose soft limit (defaulted from settings) is higher.
    for task in (
        tasks.poll_cryptopanic_task,
        tasks.poll_x_task,
        tasks.poll_demo_task,
        tasks.aggregates_recompute_task,
        tasks.aggregates_refresh_task,
    ):
        assert task.soft_time_limit < task.time_limit


def test_aggregates_refresh_task_runs_over_recent_window(settings):
    settings.CRYPTOPANIC_TOKEN = ""
    settings.X_BEARER_TOKEN = ""
    call_command("seed_embedded_2_sentiment", "--days", "1", stdout=StringIO())
    SentimentAggregate.objects.all().delete()
    assert tasks.aggregates_refresh_task(hours=6) > 0
    assert SentimentAggregate.objects.filter(asset="BTC", interval="5m").exists()


@pytest.mark.shared_data
def test_import_cryptopanic_command_historical_available_at(shared_data):
    path = shared_data / "news" / "cryptopanic_posts_filter-hot_2018-01-18.json"
    out = StringIO()
    call_command("sentiment_import_cryptopanic", str(path), stdout=out)
    assert "40 added" in out.getvalue()
    item = NewsItem.objects.get(external_id="841770")
    assert item.available_at == item.published_at
    assert SentimentAggregate.objects.filter(asset="NEO", interval="1h").exists()
    call_command("sentiment_import_cryptopanic", str(path), stdout=out)
    assert "0 added, 40 already there" in out.getvalue()


def test_demo_stops_when_real_token_configured(settings):
    settings.CRYPTOPANIC_TOKEN = "real-token-123456"
    settings.X_BEARER_TOKEN = ""
    out = StringIO()
    call_command("seed_embedded_2_sentiment", "--days", "1", stdout=out)
    assert "no demo headlines" in out.getvalue()
    demo_source = Source.objects.get(kind=Source.Kind.DEMO)
    report = services.demo_poll(source_id=demo_source.pk)
    assert (report.status, report.detail) == ("skipped", "real source configured")
    assert not NewsItem.objects.exists()
