"""Importing candles with every exchange unreachable, then verifying the listing later."""

from __future__ import annotations

import io
import socket
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from markets import services, tasks
from markets.core.ccxt_adapter import CcxtAdapter
from markets.core.errors import QuantumTraderError
from markets.core.retry import MemoryRateBudget
from markets.models import Candle, Market
from markets.tests.conftest import FAST_POLICY
from markets.tests.factories import ExchangeFactory, MarketFactory


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def closed_port() -> int:
    """A local port nothing listens on: connecting is refused at once."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    sock.close()
    return port


@pytest.fixture
def unreachable(settings, closed_port, monkeypatch):
    """Every exchange's base URL is a closed local port; count adapters that get built."""
    url = f"http://127.0.0.1:{closed_port}"
    settings.EXCHANGE_BASE_URLS = {"binance": url, "coinbase": url, "kucoin": url}
    built: list[str] = []
    real = services.adapter_for

    def spy(exchange):
        built.append(exchange.ccxt_id)
        return real(exchange)

    monkeypatch.setattr(services, "adapter_for", spy)
    return url, built


def _fast_binance(url: str) -> CcxtAdapter:
    return CcxtAdapter(
        "binance",
        base_url=url,
        policy=FAST_POLICY,
        budget=MemoryRateBudget(default_rate=1000, burst=1000),
        sleep=lambda _s: None,
    )


@pytest.mark.django_db
def test_import_candles_exchange_unreachable_stores_all_rows_market_unverified_then_refresh(
    shared_data, unreachable, settings
):
    url, built = unreachable
    source = shared_data / "ohlcv" / "binance_BTCUSDT_1h.csv"
    # given a fresh database and no exchange reachable
    assert not Market.objects.exists()
    # when the shared BTC/USDT 1h file is imported
    out = _run(
        "import_candles",
        str(source),
        "--exchange",
        "binance",
        "--symbol",
        "BTC/USDT",
        "--timeframe",
        "1h",
    )
    # then every row is stored, the gaps are reported, and no adapter was even built
    assert "stored 5482, updated 0, unchanged 0, rejected 0, gaps 6" in out
    assert "gap after 2020-12-21T14:00:00Z: 3 missing" in out
    assert "listing not verified" in out
    assert built == []
    market = Market.objects.get(exchange__ccxt_id="binance", symbol="BTC/USDT")
    assert Candle.objects.filter(market=market, timeframe="1h").count() == 5482
    assert (market.base, market.quote) == ("BTC", "USDT")
    assert market.listing_verified is False
    assert market.listing_checked_at is None
    assert market.min_amount is None
    assert market.amount_precision is None
    # and the market refuses to trade
    with pytest.raises(services.MarketNotTradableError) as refused:
        services.market_check_tradable(market=market)
    assert refused.value.code == "market_not_verified"
    assert isinstance(refused.value, QuantumTraderError)
    assert refused.value.status == 409

    # when a refresh runs while the exchange is still down, then it says so and changes nothing
    report = services.markets_refresh(
        exchange_id="binance", adapters={"binance": _fast_binance(url)}
    )
    assert list(report.failed) == ["binance"]
    assert report.failed["binance"].startswith("binance: ")
    assert not report.failed["binance"].startswith("binance: binance")
    market.refresh_from_db()
    assert market.listing_verified is False

    # when the exchange is reachable again (the local fake Binance) and refresh_markets runs
    from markets.tests.fake_binance import FakeBinance

    server = FakeBinance(source).start()
    try:
        settings.EXCHANGE_BASE_URLS = {**settings.EXCHANGE_BASE_URLS, "binance": server.url}
        out = _run("refresh_markets", "--exchange", "binance")
    finally:
        server.stop()
    # then the limits are filled in and the listing is verified
    assert "verified 1, unlisted 0" in out
    market.refresh_from_db()
    assert market.listing_verified is True
    assert market.listing_checked_at is not None
    assert market.price_precision == Decimal("0.01")
    assert market.amount_precision == Decimal("0.00001")
    assert market.min_amount == Decimal("0.00001")
    assert market.min_notional == Decimal("5")
    services.market_check_tradable(market=market)
    # and the candles are untouched
    assert Candle.objects.filter(market=market, timeframe="1h").count() == 5482


@pytest.mark.django_db
def test_ingest_task_verifies_an_offline_market_when_the_exchange_answers(fake_binance_1h):
    # given a market created offline on an exchange that now answers
    ExchangeFactory(ccxt_id="binance", api_base_url=fake_binance_1h.url)
    market = services.market_ensure_offline(exchange_id="binance", symbol="BTC/USDT")
    Market.objects.filter(pk=market.pk).update(enabled=True, timeframes=["1h"])
    assert not market.listing_verified
    # when the scheduled ingestion runs, then the listing is read first
    tasks.ingest_market_task(market.pk, "1h")
    market.refresh_from_db()
    assert market.listing_verified is True
    assert market.min_notional == Decimal("5")


@pytest.mark.django_db
def test_refresh_markets_unlisted_market_becomes_unverified_and_inactive(fake_binance_1h):
    exchange = ExchangeFactory(ccxt_id="binance", api_base_url=fake_binance_1h.url)
    gone = MarketFactory(exchange=exchange, symbol="DOGE/USDT", listing_verified=True)
    out = _run("refresh_markets")
    assert "verified 0, unlisted 1" in out
    assert "not listed: binance:DOGE/USDT" in out
    gone.refresh_from_db()
    assert (gone.listing_verified, gone.active) == (False, False)
    with pytest.raises(services.MarketNotTradableError, match="not been verified"):
        services.market_check_tradable(market=gone)


@pytest.mark.django_db
def test_refresh_markets_command_unreachable_exchange_fails_with_one_prefix(
    unreachable, monkeypatch
):
    url, _ = unreachable
    services.market_ensure_offline(exchange_id="binance", symbol="ETH/USDT")
    monkeypatch.setattr(services, "adapter_for", lambda exchange: _fast_binance(url))
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 exchange"):
        call_command("refresh_markets", stdout=out)
    assert "unreachable: binance: " in out.getvalue()
    assert "binance: binance" not in out.getvalue()


@pytest.mark.django_db
def test_ingest_candles_command_unreachable_exchange_names_it_once(unreachable, monkeypatch):
    url, _ = unreachable
    monkeypatch.setattr(services, "adapter_for", lambda exchange: _fast_binance(url))
    with pytest.raises(CommandError) as caught:
        _run("ingest_candles", "--exchange", "binance", "--symbol", "SOL/USDT", "--timeframe", "1h")
    text = str(caught.value)
    assert text.startswith("binance: NetworkError")
    assert "binance: binance" not in text


@pytest.mark.django_db
def test_market_check_tradable_inactive_market_refused():
    market = MarketFactory(
        listing_verified=True,
        active=False,
        price_precision=Decimal("0.01"),
        amount_precision=Decimal("0.001"),
    )
    with pytest.raises(services.MarketNotTradableError) as refused:
        services.market_check_tradable(market=market)
    assert refused.value.code == "market_inactive"


@pytest.mark.django_db
@pytest.mark.parametrize("symbol", ["btc/usdt", "BTCUSDT", "BTC/USDT/X", "", "BTC-USDT"])
def test_market_ensure_offline_rejects_symbols_not_in_unified_form(symbol):
    with pytest.raises(services.MarketDataError) as caught:
        services.market_ensure_offline(exchange_id="binance", symbol=symbol)
    assert caught.value.field == "symbol"
    assert not Market.objects.exists()


@pytest.mark.django_db
def test_import_csv_byte_order_mark_before_header_is_read_as_the_header(tmp_path):
    market = MarketFactory(exchange=ExchangeFactory(ccxt_id="demo"))
    body = (
        "timestamp_ms,open,high,low,close,volume\n"
        "1606780800000,1.5,2.25,1.0,2.0,10.125\n"
        "1606784400000,2.0,2.5,1.75,2.25,1\n"
    )
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + body.encode())
    report = services.import_candles_csv(market=market, timeframe="1h", source=path)
    assert (report.inserted, report.rejected_total) == (2, 0)
    # the same through an already open text stream (the BOM arrives as U+FEFF)
    stream = io.StringIO("\ufeff" + body)
    report = services.import_candles_csv(market=market, timeframe="1h", source=stream)
    assert (report.inserted, report.updated, report.rejected_total) == (0, 0, 0)
    # and before a first data row when there is no header
    headless = io.StringIO("\ufeff1606788000000,2.0,2.5,1.75,2.25,1\n")
    report = services.import_candles_csv(market=market, timeframe="1h", source=headless)
    assert (report.inserted, report.rejected_total) == (1, 0)
