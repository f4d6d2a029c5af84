from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sentiment import services
from sentiment.models import Source
from sentiment.tests.factories import SourceFactory, news_record, post_record

pytestmark = pytest.mark.django_db

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def items():
    news = SourceFactory(name="demo", kind=Source.Kind.DEMO, is_demo=True)
    services.news_ingest(source=news, records=[news_record("1", "Bitcoin soars")], now=T0)
    services.news_ingest(
        source=news,
        records=[news_record("2", "Ether slumps", currencies=("ETH",))],
        now=T0 + timedelta(hours=1),
    )
    x = SourceFactory(name="x", kind=Source.Kind.X)
    services.posts_ingest(source=x, records=[post_record("p")], asset="BTC", now=T0)


def test_news_list_asset_filter_with_scores(alice_client, items):
    response = alice_client.get("/api/news/", {"asset": "btc"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["title"] == "Bitcoin soars"
    assert row["is_demo"] is True
    assert row["score"]["compound"] > 0
    assert row["score"]["scorer_version"] == "vader-3.3.2+crypto-1"
    assert row["available_at"] == "2024-03-01T12:00:00Z"


def test_news_list_window_filters_available_at(alice_client, items):
    response = alice_client.get(
        "/api/news/", {"start": "2024-03-01T12:30:00Z", "end": "2024-03-01T14:00:00Z"}
    )
    assert [r["title"] for r in response.json()["results"]] == ["Ether slumps"]


def test_news_list_bad_window_field_errors(alice_client):
    response = alice_client.get(
        "/api/news/", {"start": "2024-03-02T00:00:00Z", "end": "2024-03-01T00:00:00Z"}
    )
    assert response.status_code == 400
    assert "end" in response.json()["fields"]
    response = alice_client.get("/api/news/", {"start": "yesterday", "asset": "B$C"})
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"start", "asset"}


def test_news_list_anonymous_refused(api_client):
    assert api_client.get("/api/news/").status_code in (401, 403)


def test_posts_list_with_scores(alice_client, items):
    response = alice_client.get("/api/posts/", {"asset": "BTC"})
    row = response.json()["results"][0]
    assert row["text"] == "BTC to the moon 🚀"
    assert row["assets"] == ["BTC"]
    assert row["score"]["compound"] > 0


def test_sentiment_list_closed_buckets(alice_client, items):
    response = alice_client.get(
        "/api/sentiment/",
        {
            "asset": "BTC",
            "interval": "1h",
            "start": "2024-03-01T00:00:00Z",
            "end": "2024-03-02T00:00:00Z",
        },
    )
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == 1
    assert rows[0]["bucket_start"] == "2024-03-01T12:00:00Z"
    assert rows[0]["bucket_end"] == "2024-03-01T13:00:00Z"
    assert rows[0]["item_count"] == 2


def test_sentiment_list_requires_asset_and_known_interval(alice_client):
    response = alice_client.get("/api/sentiment/", {"interval": "7h"})
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"asset", "interval"}
