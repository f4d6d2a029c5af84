from __future__ import annotations

import logging
import time

from sentiment.core.x import XClient, parse_tweet
from sentiment.tests.fakes import tweet, x_page

TOKEN = "bearer-token-abcdef"


def _pages():
    return {
        None: x_page(
            [
                tweet("101", "BTC to the moon 🚀", "2024-03-01T12:00:00.000Z", "11"),
                tweet("102", "ETH looking weak", "2024-03-01T12:01:00.000Z", "12"),
            ],
            "tok2",
        ),
        "tok2": x_page(
            [
                tweet("102", "ETH looking weak", "2024-03-01T12:01:00.000Z", "12"),
                tweet("103", "🐻🐻🐻", "2024-03-01T12:02:00.000Z", "11", lang="zxx"),
            ],
            None,
        ),
    }


def test_search_paginates_via_next_token_against_fake(fake_server):
    pages = _pages()

    def route(path, query, headers):
        if headers.get("authorization") != f"Bearer {TOKEN}":
            return 401, {}, {"title": "Unauthorized", "status": 401, "detail": "Unauthorized"}
        return 200, {}, pages[query.get("next_token", [None])[0]]

    fake_server.route = route
    client = XClient(bearer_token=TOKEN, base_url=fake_server.base)
    result = client.search(query="bitcoin -is:retweet", max_results=10, max_pages=5)
    assert result.ok
    assert result.pages == 2
    assert [r.external_id for r in result.items] == ["101", "102", "102", "103"]
    first = fake_server.requests[0]
    assert first["path"] == "/2/tweets/search/recent"
    assert first["query"]["query"] == ["bitcoin -is:retweet"]
    assert set(first["query"]["tweet.fields"][0].split(",")) == {
        "created_at",
        "public_metrics",
        "lang",
        "author_id",
    }
    assert first["query"]["expansions"] == ["author_id"]
    assert fake_server.requests[1]["query"]["next_token"] == ["tok2"]
    record = result.items[0]
    assert record.author == "user11"
    assert record.public_metrics["like_count"] == 10
    assert record.created_at.isoformat() == "2024-03-01T12:00:00+00:00"
    assert result.items[-1].language == "zxx"


def test_search_page_limit_respected(fake_server):
    pages = _pages()
    fake_server.route = lambda path, query, headers: (
        200,
        {},
        pages[query.get("next_token", [None])[0]],
    )
    result = XClient(bearer_token=TOKEN, base_url=fake_server.base).search(
        query="q", max_results=10, max_pages=1
    )
    assert result.pages == 1
    assert len(fake_server.requests) == 1


def test_search_unauthorized_reported_without_token(fake_server, caplog):
    fake_server.route = lambda path, query, headers: (
        401,
        {},
        {"title": "Unauthorized", "status": 401, "detail": "Unauthorized"},
    )
    with caplog.at_level(logging.WARNING):
        result = XClient(bearer_token=TOKEN, base_url=fake_server.base).search(
            query="q", max_results=10, max_pages=2
        )
    assert result.error == "unauthorized"
    assert "401" in caplog.text
    assert TOKEN not in caplog.text


def test_search_rate_limited_keeps_first_page(fake_server):
    pages = _pages()

    def route(path, query, headers):
        if "next_token" in query:
            reset = str(int(time.time()) + 60)
            return 429, {"x-rate-limit-reset": reset}, {"title": "Too Many Requests"}
        return 200, {}, pages[None]

    fake_server.route = route
    result = XClient(bearer_token=TOKEN, base_url=fake_server.base).search(
        query="q", max_results=10, max_pages=3
    )
    assert result.error == "rate_limited"
    assert len(result.items) == 2
    assert 0 < result.retry_after <= 61


def test_parse_tweet_missing_fields_skipped():
    assert parse_tweet({"text": "no id", "created_at": "2024-03-01T12:00:00Z"}, {}) is None
    assert parse_tweet({"id": "1", "created_at": "2024-03-01T12:00:00Z"}, {}) is None
    assert parse_tweet({"id": "1", "text": "no time"}, {}) is None
    record = parse_tweet({"id": "1", "text": "hi", "created_at": "2024-03-01T12:00:00Z"}, {})
    assert record is not None
    assert record.author == ""
    assert record.public_metrics == {}
