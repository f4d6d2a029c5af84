from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from markets.models import StreamEvent
from sentiment import services
from sentiment.core import demo
from sentiment.core.types import FetchResult
from sentiment.models import NewsItem, Post, SentimentAggregate, SentimentScore, Source
from sentiment.tests.factories import SourceFactory, news_record, post_record
from sentiment.tests.fakes import cryptopanic_route, tweet, x_page

pytestmark = pytest.mark.django_db

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
TOKEN = "good-token-123"


def _events(message_type: str) -> list[dict]:
    return [e.message for e in StreamEvent.objects.all() if e.message["type"] == message_type]


@pytest.mark.shared_data
def test_cryptopanic_poll_recorded_pages_stored_once(
    fake_server, shared_data, settings, django_capture_on_commit_callbacks
):
    fake_server.route = cryptopanic_route(fake_server, shared_data)
    settings.CRYPTOPANIC_TOKEN = TOKEN
    settings.CRYPTOPANIC_BASE_URL = fake_server.base + "/api"
    settings.STREAM_VIA_OUTBOX = True
    source = SourceFactory(kind=Source.Kind.CRYPTOPANIC, max_pages=2)

    with django_capture_on_commit_callbacks(execute=True):
        report = services.cryptopanic_poll(source_id=source.pk, now=T0)

    assert report.status == "ok"
    assert report.fetched == 60
    assert report.ingest.created == 59  # one headline is on both recorded pages
    assert report.ingest.duplicates == 1
    assert NewsItem.objects.count() == 59
    neo = NewsItem.objects.get(external_id="841770")
    assert neo.title == "NEO ($NEO) price is up 20.99%"
    assert neo.raw["title"].startswith("NEO ($NEO) price is up <span")
    assert neo.available_at == neo.ingested_at == T0
    assert neo.score.scorer_version == "vader-3.3.2+crypto-1"
    assert neo.score.votes_score == pytest.approx(4 / 6)
    assert SentimentScore.objects.count() == 59
    assert SentimentAggregate.objects.filter(asset="NEO", interval="1h", bucket_start=T0).exists()
    assert any(e["topic"] == "asset.NEO" for e in _events("news"))
    assert any(e["topic"] == "asset.NEO" for e in _events("sentiment"))

    source.refresh_from_db()
    assert source.last_status == "ok"
    again = services.cryptopanic_poll(source_id=source.pk, now=T0 + timedelta(minutes=5))
    assert again.ingest.created == 0
    assert again.ingest.duplicates == 60
    assert NewsItem.objects.count() == 59


def test_x_poll_fake_server_paginates_and_dedupes(fake_server, settings):
    pages = {
        None: x_page(
            [
                tweet("201", "Bitcoin mooning 🚀", "2024-03-01T11:50:00.000Z"),
                tweet("202", "BTC dump incoming, bearish", "2024-03-01T11:51:00.000Z", "12"),
            ],
            "p2",
        ),
        "p2": x_page(
            [
                tweet("202", "BTC dump incoming, bearish", "2024-03-01T11:51:00.000Z", "12"),
                tweet("203", "🐻🐻", "2024-03-01T11:52:00.000Z", lang="zxx"),
            ],
            None,
        ),
    }
    fake_server.route = lambda path, query, headers: (
        200,
        {},
        pages[query.get("next_token", [None])[0]],
    )
    settings.X_BEARER_TOKEN = "bearer-abcdef-123"
    settings.X_API_BASE_URL = fake_server.base
    source = SourceFactory(kind=Source.Kind.X, assets=["BTC"], max_pages=3, page_size=10)

    report = services.x_poll(source_id=source.pk, now=T0)

    assert report.status == "ok"
    assert report.ingest.created == 3
    assert report.ingest.duplicates == 1
    post = Post.objects.get(external_id="202")
    assert post.author == "user12"
    assert post.assets == ["BTC"]
    assert post.query == services.DEFAULT_QUERIES["BTC"]
    assert post.raw["edit_history_tweet_ids"] == ["202"]
    assert post.score.compound < 0
    assert Post.objects.get(external_id="203").score.compound < 0
    assert fake_server.requests[0]["path"] == "/2/tweets/search/recent"

    services.x_poll(source_id=source.pk, now=T0 + timedelta(minutes=15))
    assert fake_server.requests[-2]["query"]["since_id"] == ["203"]
    assert Post.objects.count() == 3


def test_poll_without_token_skips_cleanly(settings):
    settings.CRYPTOPANIC_TOKEN = ""
    settings.X_BEARER_TOKEN = ""
    news = SourceFactory(kind=Source.Kind.CRYPTOPANIC)
    x = SourceFactory(kind=Source.Kind.X)
    assert services.cryptopanic_poll(source_id=news.pk).status == "skipped"
    assert services.x_poll(source_id=x.pk).status == "skipped"
    assert NewsItem.objects.count() == 0


def test_cryptopanic_poll_unauthorized_logged_without_token(fake_server, settings, caplog):
    fake_server.route = lambda path, query, headers: (401, {}, {"status": "Incomplete"})
    settings.CRYPTOPANIC_TOKEN = "refused-token-456789"
    settings.CRYPTOPANIC_BASE_URL = fake_server.base
    source = SourceFactory(kind=Source.Kind.CRYPTOPANIC)

    with caplog.at_level(logging.INFO):
        report = services.cryptopanic_poll(source_id=source.pk)

    assert report.status == "unauthorized"
    source.refresh_from_db()
    assert source.last_status == "unauthorized"
    assert "refused" in source.last_error
    assert "sentiment.poll_failed" in caplog.text
    assert "refused-token-456789" not in caplog.text


@pytest.mark.shared_data
def test_cryptopanic_poll_rate_limited_stores_first_page_and_pauses(
    fake_server, shared_data, settings
):
    recorded = cryptopanic_route(fake_server, shared_data)

    def route(path, query, headers):
        if query.get("page") == ["2"]:
            return 429, {"Retry-After": "120"}, {"detail": "slow down"}
        return recorded(path, query, headers)

    fake_server.route = route
    settings.CRYPTOPANIC_TOKEN = TOKEN
    settings.CRYPTOPANIC_BASE_URL = fake_server.base + "/api"
    source = SourceFactory(kind=Source.Kind.CRYPTOPANIC, max_pages=3)

    report = services.cryptopanic_poll(source_id=source.pk, now=T0)

    assert report.status == "rate_limited"
    assert NewsItem.objects.count() == 40
    source.refresh_from_db()
    assert source.paused_until == T0 + timedelta(seconds=120)
    assert (
        services.cryptopanic_poll(source_id=source.pk, now=T0 + timedelta(seconds=60)).detail
        == "paused"
    )


def test_news_ingest_bad_records_skipped_rest_stored(caplog):
    source = SourceFactory()
    records = [
        news_record("1", "<b>Bitcoin</b> &amp; Ether rally"),
        news_record("x" * 80, "id far too long"),
        news_record("3", "   "),
        news_record("4", "Le marché reste calme aujourd'hui", currencies=()),
        news_record("5", "word " * 20_000),
        news_record("6", "🚀🚀🚀"),
        news_record("1", "duplicate in the same batch"),
    ]
    with caplog.at_level(logging.WARNING):
        report = services.news_ingest(source=source, records=records, now=T0)
    assert report.created == 4
    assert report.skipped == 2
    assert report.duplicates == 1
    assert "sentiment.news_skipped" in caplog.text
    long_item = NewsItem.objects.get(external_id="5")
    assert -1 <= long_item.score.compound <= 1
    assert NewsItem.objects.get(external_id="6").score.compound > 0.5
    assert NewsItem.objects.get(external_id="4").score.compound == 0.0


def test_posts_ingest_known_post_gains_second_asset():
    source = SourceFactory(kind=Source.Kind.X)
    services.posts_ingest(source=source, records=[post_record("9")], asset="BTC", now=T0)
    report = services.posts_ingest(source=source, records=[post_record("9")], asset="ETH", now=T0)
    assert report.duplicates == 1
    post = Post.objects.get()
    assert post.assets == ["BTC", "ETH"]
    assert SentimentAggregate.objects.filter(asset="ETH", interval="5m").count() == 1


def test_live_item_ingested_after_bucket_end_leaves_bucket_unchanged():
    source = SourceFactory()
    bucket_end = T0 + timedelta(hours=1)
    services.news_ingest(
        source=source,
        records=[news_record("a", "Bitcoin rallies to a record high", published_at=T0)],
        now=T0 + timedelta(minutes=10),
    )
    before = SentimentAggregate.objects.get(asset="BTC", interval="1h", bucket_start=T0)
    # Published inside the bucket, but collected only after it closed.
    services.news_ingest(
        source=source,
        records=[
            news_record(
                "b",
                "Bitcoin crashes as exchange is hacked",
                published_at=T0 + timedelta(minutes=50),
            )
        ],
        mode="live",
        now=bucket_end + timedelta(minutes=3),
    )
    after = SentimentAggregate.objects.get(asset="BTC", interval="1h", bucket_start=T0)
    assert (after.item_count, after.mean_compound) == (before.item_count, before.mean_compound)
    late = SentimentAggregate.objects.get(asset="BTC", interval="1h", bucket_start=bucket_end)
    assert late.item_count == 1
    assert late.mean_compound < 0


def test_historical_import_uses_published_at():
    source = SourceFactory()
    services.news_ingest(
        source=source,
        records=[news_record("h", "Bitcoin crashes", published_at=T0 + timedelta(minutes=50))],
        mode="historical",
        now=T0 + timedelta(days=30),
    )
    item = NewsItem.objects.get()
    assert item.available_at == T0 + timedelta(minutes=50)
    assert SentimentAggregate.objects.get(asset="BTC", interval="1h").bucket_start == T0


def test_items_rescore_updates_version_and_aggregates():
    source = SourceFactory()
    services.news_ingest(source=source, records=[news_record("r", "HODL 💎🙌")], now=T0)
    item = NewsItem.objects.get()

    class Flat:
        version = "flat-0"

        def score(self, text):
            from sentiment.core.scoring import Score

            return Score(0.0, 0.0, 0.0, 1.0)

    assert services.items_rescore(news_ids=[item.pk], scorer=Flat()) == 1
    item.refresh_from_db()
    assert item.score.scorer_version == "flat-0"
    assert SentimentAggregate.objects.get(asset="BTC", interval="1h").mean_compound == 0.0


def test_aggregates_recompute_empty_bucket_row_removed():
    source = SourceFactory()
    services.news_ingest(source=source, records=[news_record("d")], now=T0)
    NewsItem.objects.all().delete()
    written = services.aggregates_recompute(
        asset="BTC", interval="1h", start=T0, end=T0 + timedelta(hours=1)
    )
    assert written == 0
    assert not SentimentAggregate.objects.filter(interval="1h").exists()


def test_x_poll_fetcher_error_keeps_partial_batch(settings):
    source = SourceFactory(kind=Source.Kind.X, assets=["BTC", "ETH"])

    class HalfBroken:
        def search(self, *, query, max_results, max_pages, since_id=None):
            return FetchResult(
                items=[post_record("p1")], pages=1, error="rate_limited", retry_after=30.0
            )

    report = services.x_poll(source_id=source.pk, fetcher=HalfBroken(), now=T0)
    assert report.status == "rate_limited"
    assert Post.objects.count() == 1  # ETH not polled after the 429
    source.refresh_from_db()
    assert source.paused_until == T0 + timedelta(seconds=30)


def test_demo_poll_emits_recent_headlines_once(settings):
    settings.CRYPTOPANIC_TOKEN = ""
    settings.X_BEARER_TOKEN = ""
    demo_source = services.sources_ensure()[2]
    now = datetime.now(UTC)
    first = services.demo_poll(source_id=demo_source.pk, now=now)
    assert first.ingest.created > 0
    assert NewsItem.objects.filter(source__is_demo=True).count() == first.ingest.created
    item = NewsItem.objects.first()
    assert item.available_at == now
    assert item.published_at <= now
    later = now + timedelta(minutes=1)
    second = services.demo_poll(source_id=demo_source.pk, now=later)
    published_meanwhile = sum(len(demo.headlines(a, now, later)) for a in ("BTC", "ETH"))
    lookback = services.DEMO_LOOKBACK
    aged_out = sum(len(demo.headlines(a, now - lookback, later - lookback)) for a in ("BTC", "ETH"))
    # What the first poll stored is seen again and dropped; only newer headlines are added.
    assert second.ingest.duplicates == first.ingest.created - aged_out
    assert second.ingest.created == published_meanwhile
    assert NewsItem.objects.count() == first.ingest.created + published_meanwhile


def test_ingest_nul_characters_stored_without_them():
    source = SourceFactory(kind=Source.Kind.X)
    records = [
        post_record("n1", "BTC\x00 up", raw={"id": "n1", "text": "BTC\x00 up", "x": ["a\x00"]}),
        post_record("n2", "ETH steady"),
    ]
    report = services.posts_ingest(source=source, records=records, asset="BTC", now=T0)
    assert report.created == 2
    post = Post.objects.get(external_id="n1")
    assert post.text == "BTC up"
    assert post.raw == {"id": "n1", "text": "BTC up", "x": ["a"]}
