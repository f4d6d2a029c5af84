"""The markets API: exchanges, markets, candles."""

from __future__ import annotations

import pytest

from markets.core.adapter import OHLCV
from markets.tests.factories import ExchangeFactory, MarketFactory
from markets.upsert import upsert_candles

H = 3_600_000
T0 = 1_606_780_800_000  # 2020-12-01T00:00Z


@pytest.fixture
def btc(db):
    market = MarketFactory(timeframes=["1h"])
    upsert_candles(
        market_id=market.pk,
        timeframe="1h",
        candles=[
            OHLCV(T0 + i * H, 100.0 + i, 102.0 + i, 99.0 + i, 101.0 + i, 5.5) for i in range(25)
        ],
    )
    return market


def test_candles_anonymous_request_is_refused(api_client, btc):
    response = api_client.get(
        "/api/candles/", {"exchange": "binance", "symbol": "BTC/USDT", "timeframe": "1h"}
    )
    assert response.status_code in (401, 403)


def test_candles_returns_compact_arrays_oldest_first_with_paging(alice_client, btc):
    # when the first page of 10 is asked for by ISO start
    response = alice_client.get(
        "/api/candles/",
        {
            "exchange": "binance",
            "symbol": "BTC/USDT",
            "timeframe": "1h",
            "start": "2020-12-01T00:00:00Z",
            "limit": 10,
        },
    )
    assert response.status_code == 200
    body = response.json()
    # then the rows are [t_ms, o, h, l, c, v] from the start
    assert body["columns"] == ["t", "o", "h", "l", "c", "v"]
    assert body["candles"][0] == [T0, 100.0, 102.0, 99.0, 101.0, 5.5]
    assert [row[0] for row in body["candles"]] == [T0 + i * H for i in range(10)]
    assert body["is_demo"] is False
    # and the next page starts where this one ended
    assert body["next_start"] == T0 + 10 * H
    following = alice_client.get(body["next"]).json()
    assert following["candles"][0][0] == T0 + 10 * H
    last = alice_client.get(
        "/api/candles/",
        {"exchange": "binance", "symbol": "BTC/USDT", "timeframe": "1h", "start": str(T0 + 20 * H)},
    ).json()
    assert len(last["candles"]) == 5
    assert last["next"] is None


def test_candles_end_is_exclusive_and_accepts_epoch_ms(alice_client, btc):
    body = alice_client.get(
        "/api/candles/",
        {
            "exchange": "binance",
            "symbol": "BTC/USDT",
            "timeframe": "1h",
            "start": str(T0 + H),
            "end": str(T0 + 4 * H),
        },
    ).json()
    assert [row[0] for row in body["candles"]] == [T0 + H, T0 + 2 * H, T0 + 3 * H]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"exchange": "nosuch", "symbol": "BTC/USDT", "timeframe": "1h"}, "exchange"),
        ({"exchange": "binance", "symbol": "XRP/USDT", "timeframe": "1h"}, "symbol"),
        ({"exchange": "binance", "symbol": "BTC/USDT", "timeframe": "7m"}, "timeframe"),
        (
            {"exchange": "binance", "symbol": "BTC/USDT", "timeframe": "1h", "start": "yesterday"},
            "start",
        ),
        (
            {"exchange": "binance", "symbol": "BTC/USDT", "timeframe": "1h", "limit": "10001"},
            "limit",
        ),
        ({"exchange": "binance", "symbol": "BTC/USDT", "timeframe": "1h", "limit": "0"}, "limit"),
        (
            {
                "exchange": "binance",
                "symbol": "BTC/USDT",
                "timeframe": "1h",
                "start": "2021-01-02",
                "end": "2021-01-01",
            },
            "end",
        ),
        ({"exchange": "binance", "symbol": "BTC/USDT"}, "timeframe"),
    ],
)
def test_candles_bad_params_answer_400_with_field_errors(alice_client, btc, params, field):
    response = alice_client.get("/api/candles/", params)
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_markets_list_shows_demo_flag_timeframes_and_last_candle(alice_client, btc):
    MarketFactory(exchange=ExchangeFactory(ccxt_id="demo"), symbol="ETH/USDT", timeframes=["5m"])
    body = alice_client.get("/api/markets/").json()
    rows = {(r["exchange"], r["symbol"]): r for r in body["results"]}
    assert rows[("binance", "BTC/USDT")]["last_candle_at"] == "2020-12-02T00:00:00Z"
    assert rows[("binance", "BTC/USDT")]["timeframes"] == ["1h"]
    assert rows[("demo", "ETH/USDT")]["is_demo"] is True
    assert rows[("demo", "ETH/USDT")]["last_candle_at"] is None
    only_demo = alice_client.get("/api/markets/", {"exchange": "demo"}).json()
    assert [r["symbol"] for r in only_demo["results"]] == ["ETH/USDT"]


def test_exchanges_list_counts_markets(alice_client, btc):
    body = alice_client.get("/api/exchanges/").json()
    assert body["results"] == [
        {
            "ccxt_id": "binance",
            "name": "Binance",
            "enabled": True,
            "sandbox": False,
            "is_demo": False,
            "market_count": 1,
        }
    ]


def test_admin_market_pages_show_candle_stats(client, btc, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw-123456789")
    client.force_login(admin)
    assert client.get("/admin/markets/market/").status_code == 200
    page = client.get(f"/admin/markets/market/{btc.pk}/change/")
    assert page.status_code == 200
    assert b"1h: 25 candles" in page.content
    assert b"0 missing" in page.content


def test_candles_without_exchange_use_the_default_exchange(alice_client, btc, settings):
    settings.DEFAULT_EXCHANGE = "demo"
    demo_btc = MarketFactory(exchange=ExchangeFactory(ccxt_id="demo"), symbol="BTC/USDT")
    upsert_candles(
        market_id=demo_btc.pk, timeframe="1h", candles=[OHLCV(T0, 1.0, 2.0, 0.5, 1.5, 3.0)]
    )
    body = alice_client.get("/api/candles/", {"symbol": "BTC/USDT", "timeframe": "1h"}).json()
    assert body["exchange"] == "demo"
    assert body["is_demo"] is True
    assert body["candles"] == [[T0, 1.0, 2.0, 0.5, 1.5, 3.0]]


def test_markets_api_and_admin_show_an_unverified_listing(alice_client, client, django_user_model):
    # given one market read from its listing and one created offline
    MarketFactory(symbol="BTC/USDT", listing_verified=True)
    MarketFactory(symbol="SOL/USDT", listing_verified=False)
    # then the API marks which listing is verified
    rows = alice_client.get("/api/markets/").json()["results"]
    assert {r["symbol"]: r["listing_verified"] for r in rows} == {
        "BTC/USDT": True,
        "SOL/USDT": False,
    }
    # and the admin list says "listing not verified" and filters on it
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw-123456789")
    client.force_login(admin)
    page = client.get("/admin/markets/market/")
    assert page.content.count(b"listing not verified") == 1
    unverified = client.get("/admin/markets/market/", {"listing_verified__exact": "0"})
    assert b"SOL/USDT" in unverified.content
    assert b"BTC/USDT" not in unverified.content
