"""Management commands and Celery tasks of the markets app."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command

from markets import tasks
from markets.locks import lease_acquire
from markets.models import Candle, Exchange, Market
from markets.tests.factories import ExchangeFactory, MarketFactory


def _run(*args, **kwargs):
    out = io.StringIO()
    call_command(*args, stdout=out, **kwargs)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--exchange", "nosuch", "--symbol", "BTC/USDT", "--timeframe", "1h"], "unknown exchange"),
        (["--exchange", "demo", "--symbol", "XRP/USDT", "--timeframe", "1h"], "no market"),
        (["--exchange", "demo", "--symbol", "BTC/USDT", "--timeframe", "2h"], "unknown timeframe"),
        (
            ["--exchange", "demo", "--symbol", "BTC/USDT", "--timeframe", "1h", "--since", "soon"],
            "--since",
        ),
    ],
)
def test_ingest_candles_command_bad_input_gives_one_clear_error(args, message):
    with pytest.raises(CommandError, match=message):
        _run("ingest_candles", *args)
    assert Candle.objects.count() == 0


@pytest.mark.django_db
def test_ingest_candles_command_through_fake_binance_prints_report(fake_binance_1h):
    # given the binance exchange pointed at the local fake
    ExchangeFactory(ccxt_id="binance", api_base_url=fake_binance_1h.url)
    out = _run(
        "ingest_candles",
        "--exchange",
        "binance",
        "--symbol",
        "BTC/USDT",
        "--timeframe",
        "1h",
        "--since",
        "2020-12-01",
    )
    assert "stored 5482, updated 0, unchanged 0, rejected 0, gaps 6" in out
    assert "gap after 2020-12-21T14:00:00Z: 3 missing" in out
    again = _run(
        "ingest_candles",
        "--exchange",
        "binance",
        "--symbol",
        "BTC/USDT",
        "--timeframe",
        "1h",
        "--since",
        "2020-12-01",
    )
    assert "stored 0, updated 0, unchanged 5482" in again


@pytest.mark.django_db
def test_import_and_export_commands_round_trip(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(
        "timestamp_ms,open,high,low,close,volume\n"
        "1606780800000,1.5,2.25,1.0,2.0,10.125\n"
        "1606784400000,2.0,1.0,3.0,2.0,1\n"
        "1606791600000,2.0,2.5,1.75,2.25,0.0\n"
    )
    out = _run(
        "import_candles",
        str(source),
        "--exchange",
        "demo",
        "--symbol",
        "BTC/USDT",
        "--timeframe",
        "1h",
    )
    assert "stored 2, updated 0, unchanged 0, rejected 1, gaps 1" in out
    assert "rejected high_below_low: 1" in out
    target = tmp_path / "out.csv"
    _run(
        "export_candles",
        "--exchange",
        "demo",
        "--symbol",
        "BTC/USDT",
        "--timeframe",
        "1h",
        "--output",
        str(target),
    )
    assert target.read_text() == (
        "timestamp_ms,open,high,low,close,volume\n"
        "1606780800000,1.5,2.25,1.0,2.0,10.125\n"
        "1606791600000,2.0,2.5,1.75,2.25,0.0\n"
    )


@pytest.mark.django_db
def test_import_candles_command_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        _run(
            "import_candles",
            str(tmp_path / "nope.csv"),
            "--exchange",
            "demo",
            "--symbol",
            "BTC/USDT",
            "--timeframe",
            "1h",
        )


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_embedded_markets_creates_enabled_demo_markets_idempotently():
    _run("seed_embedded_1_markets")
    exchange = Exchange.objects.get(ccxt_id="demo")
    assert exchange.is_demo
    btc = Market.objects.get(exchange=exchange, symbol="BTC/USDT")
    assert btc.enabled
    assert set(btc.timeframes) == {"1h", "5m"}
    hours = Candle.objects.filter(market=btc, timeframe="1h").count()
    assert hours == 60 * 24
    count = Candle.objects.count()
    again = _run("seed_embedded_1_markets")
    # a second run stores only candles that closed in between (at most one per series) and
    # changes none
    stored = [int(n) for n in re.findall(r"stored (\d+)", again)]
    assert len(stored) == 5
    assert all(n <= 1 for n in stored)
    assert again.count("updated 0,") == 5
    assert Candle.objects.count() == count + sum(stored)
    assert not Exchange.objects.filter(is_demo=False, enabled=True).exists()


@pytest.mark.django_db
def test_ingest_market_task_skips_while_locked_and_releases_the_lock():
    market = MarketFactory(exchange=ExchangeFactory(ccxt_id="demo"), timeframes=["1h"])
    name = tasks._lock_name(market.pk, "1h")
    held = lease_acquire(name, ttl=60)
    assert held is not None
    assert tasks.ingest_market_task(market.pk, "1h") is None
    assert Candle.objects.count() == 0
    assert held.release()
    report = tasks.ingest_market_task(market.pk, "1h")
    assert report["inserted"] > 0
    # released after the run: the next one takes it at once
    again = lease_acquire(name, ttl=60)
    assert again is not None
    again.release()


@pytest.mark.django_db
def test_ingest_market_task_releases_lock_on_failure(monkeypatch):
    market = MarketFactory(exchange=ExchangeFactory(ccxt_id="demo"), timeframes=["1h"])

    def boom(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(tasks.services, "ingest_candles", boom)
    with pytest.raises(RuntimeError):
        tasks.ingest_market_task(market.pk, "1h")
    lease = lease_acquire(tasks._lock_name(market.pk, "1h"), ttl=60)
    assert lease is not None
    lease.release()


@pytest.mark.django_db
def test_ingest_enabled_markets_task_fans_out_per_enabled_market_and_timeframe(monkeypatch):
    demo = ExchangeFactory(ccxt_id="demo")
    a = MarketFactory(exchange=demo, symbol="BTC/USDT", timeframes=["1h", "5m"])
    MarketFactory(exchange=demo, symbol="ETH/USDT", timeframes=["1h"], enabled=False)
    off = ExchangeFactory(ccxt_id="binance", enabled=False)
    MarketFactory(exchange=off, symbol="BTC/USDT", timeframes=["1h"])
    queued = []
    monkeypatch.setattr(tasks.ingest_market_task, "delay", lambda *args: queued.append(args))
    assert tasks.ingest_enabled_markets_task() == 2
    assert sorted(queued) == [(a.pk, "1h"), (a.pk, "5m")]


def test_beat_schedule_runs_the_fan_out_every_minute():
    from markets.schedules import BEAT_SCHEDULE

    entry = BEAT_SCHEDULE["markets-ingest-enabled"]
    assert entry["task"] == tasks.ingest_enabled_markets_task.name
    assert entry["schedule"] == 60.0
