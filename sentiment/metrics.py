"""Sentiment's state for /metrics, read from the database at scrape time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from django.db.models import Count, Max
from prometheus_client.core import CounterMetricFamily, Metric

from markets.metrics import gauge, label_values, register_db_collector
from sentiment.models import NewsItem, Post, SentimentScore, Source


def _counts(model: type[NewsItem] | type[Post]) -> dict[str, int]:
    rows = model.objects.values("source__kind").annotate(n=Count("pk"))
    return {label_values(row["source__kind"]): row["n"] for row in rows}


def sentiment_state(at: datetime) -> Iterator[Metric]:
    news = CounterMetricFamily("qt_news_ingested", "News items stored.", labels=["source_kind"])
    for kind, n in sorted(_counts(NewsItem).items()):
        news.add_metric([kind], n)
    yield news
    posts = CounterMetricFamily("qt_posts_ingested", "Social posts stored.", labels=["source_kind"])
    for kind, n in sorted(_counts(Post).items()):
        posts.add_metric([kind], n)
    yield posts
    scored = CounterMetricFamily(
        "qt_sentiment_scored", "News items and posts with a score.", labels=["item"]
    )
    scored.add_metric(["news"], SentimentScore.objects.filter(news__isnull=False).count())
    scored.add_metric(["post"], SentimentScore.objects.filter(post__isnull=False).count())
    yield scored
    newest = SentimentScore.objects.aggregate(m=Max("scored_at"))["m"]
    lag = gauge("sentiment_lag_seconds", "Now minus the newest sentiment score.")
    if newest is not None:
        lag.add_metric([], (at - newest).total_seconds())
    yield lag
    polled = gauge(
        "sentiment_source_poll_age_seconds",
        "Now minus the last poll of each enabled source.",
        ["source", "status"],
    )
    for name, last, status in Source.objects.filter(enabled=True).values_list(
        "name", "last_polled_at", "last_status"
    ):
        if last is not None:
            polled.add_metric([name, label_values(status)], (at - last).total_seconds())
    yield polled


register_db_collector("sentiment", sentiment_state)
