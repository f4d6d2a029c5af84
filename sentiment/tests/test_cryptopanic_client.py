from __future__ import annotations

import logging

import pytest

from sentiment.core.cryptopanic import CryptoPanicClient, mask_url, parse_post
from sentiment.tests.fakes import cryptopanic_route

TOKEN = "good-token-123"

pytestmark = pytest.mark.shared_data


@pytest.fixture
def cryptopanic(fake_server, shared_data):
    fake_server.route = cryptopanic_route(fake_server, shared_data)
    return fake_server


def test_fetch_recorded_pages_follows_next_to_page_limit(cryptopanic):
    client = CryptoPanicClient(base_url=cryptopanic.base + "/api", token=TOKEN)
    result = client.fetch(currencies=["BTC", "ETH"], max_pages=2)
    assert result.ok
    assert result.pages == 2
    assert len(result.items) == 60
    first = cryptopanic.requests[0]
    assert first["path"] == "/api/posts/"
    assert first["query"]["currencies"] == ["BTC,ETH"]
    assert first["query"]["public"] == ["true"]
    second = cryptopanic.requests[1]
    assert second["query"]["page"] == ["2"]
    assert second["query"]["auth_token"] == [TOKEN]  # our token, not the page's REDACTED
    assert len(cryptopanic.requests) == 2


def test_fetch_recorded_pages_parsed_tolerantly(cryptopanic):
    client = CryptoPanicClient(base_url=cryptopanic.base + "/api", token=TOKEN)
    records = client.fetch(currencies=[], max_pages=1).items
    neo = next(r for r in records if r.external_id == "841770")
    assert neo.title == "NEO ($NEO) price is up 20.99%"
    assert neo.currencies == ("NEO",)
    assert neo.votes == {"negative": 0, "positive": 4, "important": 2}
    assert neo.domain == "coinmarketcap.com"
    assert neo.published_at.isoformat() == "2018-01-18T09:45:28.965353+00:00"
    assert neo.raw["slug"] == "NEO-NEO-price-is-up-2099-in-the-last-24h"
    assert sum(1 for r in records if r.currencies == ()) == 9


def test_fetch_last_page_without_next_stops(cryptopanic):
    client = CryptoPanicClient(base_url=cryptopanic.base + "/api", token=TOKEN)
    result = client.fetch(currencies=["NEO"], max_pages=10)
    assert result.ok
    assert result.pages == 3  # hot, NEO, then an empty page with no `next`


def test_fetch_bad_token_reports_unauthorized_without_leaking(fake_server, shared_data, caplog):
    fake_server.route = cryptopanic_route(fake_server, shared_data)
    secret = "wrong-token-987654"
    client = CryptoPanicClient(base_url=fake_server.base + "/api", token=secret)
    with caplog.at_level(logging.WARNING):
        result = client.fetch(currencies=["BTC"], max_pages=3)
    assert result.error == "unauthorized"
    assert result.items == []
    assert "401" in caplog.text
    assert secret not in caplog.text
    assert "auth_token=***" in caplog.text
    assert secret not in result.detail


def test_fetch_rate_limited_keeps_earlier_pages(fake_server, shared_data):
    recorded = cryptopanic_route(fake_server, shared_data)

    def route(path, query, headers):
        if query.get("page") == ["2"]:
            return 429, {"Retry-After": "60"}, {"detail": "slow down"}
        return recorded(path, query, headers)

    fake_server.route = route
    client = CryptoPanicClient(base_url=fake_server.base + "/api", token=TOKEN)
    result = client.fetch(currencies=["BTC"], max_pages=3)
    assert result.error == "rate_limited"
    assert result.retry_after == 60.0
    assert len(result.items) == 40


def test_fetch_server_error_and_garbage_reported(fake_server):
    fake_server.route = lambda path, query, headers: (200, {}, b"<html>oops</html>")
    client = CryptoPanicClient(base_url=fake_server.base, token=TOKEN)
    assert client.fetch(currencies=[], max_pages=1).error == "bad_response"
    fake_server.route = lambda path, query, headers: (502, {}, {"detail": "bad gateway"})
    assert client.fetch(currencies=[], max_pages=1).error == "http_error"


def test_fetch_unreachable_host_reports_network_error():
    client = CryptoPanicClient(base_url="http://127.0.0.1:9", token=TOKEN, timeout=1)
    result = client.fetch(currencies=[], max_pages=1)
    assert result.error == "network_error"
    assert TOKEN not in result.detail


def test_follow_next_stays_on_configured_host(fake_server):
    client = CryptoPanicClient(base_url="http://127.0.0.1:1/api", token=TOKEN)
    followed = client._follow("https://elsewhere.example/api/posts/?auth_token=X&page=2")
    assert followed.startswith("http://127.0.0.1:1/api/posts/?")
    assert f"auth_token={TOKEN}" in followed
    assert "auth_token=X" not in followed


def test_parse_post_missing_fields_skipped():
    assert parse_post({"title": "no id", "published_at": "2018-01-18T09:45:28Z"}) is None
    assert parse_post({"id": 1, "published_at": "2018-01-18T09:45:28Z"}) is None
    assert parse_post({"id": 1, "title": "no time"}) is None
    assert parse_post({"id": 1, "title": "<b></b>", "published_at": "2018-01-18T09:45:28Z"}) is None
    assert parse_post("not a dict") is None
    record = parse_post(
        {
            "id": 2,
            "title": "x",
            "created_at": "2018-01-18T09:45:28Z",
            "kind": "news",
            "panic_score": 3,
        }
    )
    assert record is not None
    assert record.currencies == ()
    assert record.votes == {}


def test_mask_url_hides_token():
    assert mask_url("https://h/api/posts/?auth_token=abc123&page=2") == (
        "https://h/api/posts/?auth_token=***&page=2"
    )


def test_fetch_next_pointing_back_stops_loop(fake_server, shared_data):
    def route(path, query, headers):
        return 200, {}, {"results": [], "next": fake_server.base + "/api/posts/?page=2"}

    fake_server.route = route
    client = CryptoPanicClient(base_url=fake_server.base + "/api", token=TOKEN)
    result = client.fetch(currencies=[], max_pages=10)
    assert result.pages == 2
    assert len(fake_server.requests) == 2


def test_fetch_registers_token_with_log_mask(cryptopanic):
    from markets.core.redaction import redact_text

    client = CryptoPanicClient(base_url=cryptopanic.base + "/api", token=TOKEN)
    client.fetch(currencies=["BTC"], max_pages=1)
    # urllib3 logs request lines at DEBUG; the project's log filter masks them.
    line = f'"GET /api/posts/?auth_token={TOKEN}&public=true HTTP/1.1" 200'
    assert TOKEN not in redact_text(line)
    assert TOKEN not in redact_text(f"token was {TOKEN}")
