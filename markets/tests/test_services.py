"""Ingestion, upserts, CSV import and export, on PostgreSQL (COPY) and SQLite (portable)."""

from __future__ import annotations

import io
import itertools
import math

import pytest
from django.db import connection

from markets import services
from markets.core.adapter import OHLCV
from markets.core.demo import DemoAdapter
from markets.models import Candle
from markets.tests.factories import ExchangeFactory, MarketFactory
from markets.upsert import dt_to_ms, upsert_candles

H = 3_600_000
M5 = 300_000
T0 = 1_606_780_800_000  # 2020-12-01T00:00Z
NOW_MS = 1_790_000_000_000  # 2026-09-21, before any test run
# The six outages of the shared Binance files (see ../shared/data/README.md).
GAPS_1H = [
    ("2020-12-21T14:00:00Z", 3),
    ("2020-12-25T01:00:00Z", 1),
    ("2021-02-11T03:00:00Z", 1),
    ("2021-03-06T01:00:00Z", 1),
    ("2021-04-20T01:00:00Z", 2),
    ("2021-04-25T04:00:00Z", 3),
]
MISSING_5M = [46, 12, 15, 18, 30, 56]


def _candles(n, start=T0, step=H, price=100.0):
    return [
        OHLCV(start + i * step, price + i, price + i + 2, price + i - 1, price + i + 1, 10.0 + i)
        for i in range(n)
    ]


def _stored(market, timeframe="1h"):
    return list(
        Candle.objects.filter(market=market, timeframe=timeframe)
        .order_by("open_time")
        .values_list("open_time", "open", "high", "low", "close", "volume")
    )


def _read_csv(path):
    rows = []
    with open(path) as f:
        next(f)
        for line in f:
            t, *values = line.strip().split(",")
            rows.append((int(t), *(float(v) for v in values)))
    return rows


@pytest.fixture
def published(monkeypatch):
    events = []
    monkeypatch.setattr(services.stream, "publish", lambda **kw: events.append(kw))
    return events


@pytest.mark.django_db
@pytest.mark.parametrize("portable", [False, True], ids=["native", "portable"])
def test_upsert_new_changed_and_unchanged_rows_counted_and_unchanged_not_written(portable):
    market = MarketFactory()
    # given 100 stored candles
    assert upsert_candles(
        market_id=market.pk, timeframe="1h", candles=_candles(100), portable=portable
    ) == (100, 0)
    # when an overlapping window is re-pulled with 3 changed values and 20 new candles
    again = _candles(120)
    again[10] = OHLCV(
        again[10].open_time_ms,
        again[10].open,
        again[10].high,
        again[10].low,
        again[10].close,
        999.0,
    )
    again[50] = OHLCV(again[50].open_time_ms, 1.5, again[50].high, 1.0, again[50].close, 1.0)
    again[99] = OHLCV(
        again[99].open_time_ms,
        again[99].open,
        500.0,
        again[99].low,
        again[99].close,
        again[99].volume,
    )
    # then only the new and the changed ones are written
    assert upsert_candles(
        market_id=market.pk, timeframe="1h", candles=again[90:] + again[:90], portable=portable
    ) == (20, 3)
    assert upsert_candles(
        market_id=market.pk, timeframe="1h", candles=again, portable=portable
    ) == (0, 0)
    stored = _stored(market)
    assert len(stored) == 120
    assert stored[10][5] == 999.0
    assert stored[99][2] == 500.0
    assert dt_to_ms(stored[0][0]) == T0


@pytest.mark.django_db
def test_upsert_orm_rows_and_raw_rows_share_one_key():
    # rows written through the ORM conflict with raw upserts (same datetime encoding)
    market = MarketFactory()
    first = _candles(1)[0]
    Candle.objects.create(
        market=market,
        timeframe="1h",
        open_time=services.ms_to_dt(first.open_time_ms),
        open=1,
        high=2,
        low=0.5,
        close=1.5,
        volume=3,
    )
    assert upsert_candles(market_id=market.pk, timeframe="1h", candles=[first], portable=True) == (
        0,
        1,
    )
    assert upsert_candles(market_id=market.pk, timeframe="1h", candles=[first]) == (0, 0)
    assert Candle.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_upsert_on_postgresql_goes_through_binary_copy(monkeypatch):
    import markets.upsert as upsert

    seen = []
    real = upsert.pg_copy_upsert
    monkeypatch.setattr(upsert, "pg_copy_upsert", lambda *a, **kw: seen.append(1) or real(*a, **kw))
    market = MarketFactory()
    assert upsert_candles(market_id=market.pk, timeframe="1h", candles=_candles(5)) == (5, 0)
    assert seen == [1]


@pytest.mark.django_db
def test_ingest_candles_stores_only_closed_candles_and_publishes_latest(published):
    # given the demo exchange, and now in the middle of an hour
    market = MarketFactory(exchange=ExchangeFactory(ccxt_id="demo"), symbol="BTC/USDT")
    now_ms = 1_790_000_000_000 + 1_234_567
    demo = DemoAdapter(clock=lambda: now_ms / 1000)
    since = services.ms_to_dt((now_ms // H - 48) * H)
    # when 48 hours are ingested
    report = services.ingest_candles(
        market=market, timeframe="1h", since=since, adapter=demo, now_ms=now_ms
    )
    # then the 48 closed candles are stored, not the open one
    assert report.inserted == 48
    assert report.not_closed == 1
    last = dt_to_ms(Candle.objects.filter(market=market).latest("open_time").open_time)
    assert last + H <= now_ms < last + 2 * H
    # and the newest three are published in the compact form
    assert [e["id"] for e in published] == [last - 2 * H, last - H, last]
    assert published[-1]["group"] == "market.demo.BTC-USDT.1h"
    assert published[-1]["type"] == "candle"
    assert set(published[-1]["data"]) == {"t", "o", "h", "l", "c", "v"}
    # when an hour passes, an incremental run adds exactly the newly closed candle
    published.clear()
    later = now_ms + H
    again = services.ingest_candles(
        market=market, timeframe="1h", adapter=DemoAdapter(clock=lambda: later / 1000), now_ms=later
    )
    assert (again.inserted, again.updated) == (1, 0)
    assert [e["id"] for e in published] == [last + H]
    market.refresh_from_db()
    assert market.last_ingested_at is not None


@pytest.mark.django_db
def test_import_csv_malformed_rows_rejected_counted_and_good_rows_stored():
    market = MarketFactory()
    text = "\n".join(
        [
            "timestamp_ms,open,high,low,close,volume",
            f"{T0},10,11,9,10.5,1",
            f"{T0 + H},nan,11,9,10.5,1",
            f"{T0 + 2 * H},10,8,9,10.5,1",  # high below low
            f"{T0 + 3 * H},10,11,9,10.5,-2",  # negative volume
            f"{T0 + 4 * H},10,11,9,10.5,1",
            f"{T0 + 4 * H},10,12,9,10.5,1",  # duplicate timestamp
            f"{T0 + 5 * H},ten,11,9,10.5,1",  # not a number
            f"{T0 + 6 * H},10,11,9",  # short row
            f"{T0 + 7 * H + 1000},10,11,9,10.5,1",  # misaligned
            f"{T0 + 9 * H},10,11,9,10.5,0",
            "",
        ]
    )
    report = services.import_candles_csv(
        market=market, timeframe="1h", source=io.StringIO(text), now_ms=NOW_MS
    )
    assert report.inserted == 3
    assert dict(report.rejected) == {
        "not_finite": 1,
        "high_below_low": 1,
        "negative_volume": 1,
        "duplicate_timestamp": 1,
        "malformed_row": 2,
        "misaligned_open_time": 1,
    }
    assert [dt_to_ms(r[0]) for r in _stored(market)] == [T0, T0 + 4 * H, T0 + 9 * H]
    assert [(g.after_ms, g.missing) for g in report.gaps] == [(T0, 3), (T0 + 4 * H, 4)]


@pytest.mark.django_db
def test_import_then_export_csv_round_trips_the_shared_file_exactly(shared_data, tmp_path):
    path = shared_data / "ohlcv" / "binance_ETHUSDT_1h.csv"
    market = MarketFactory(symbol="ETH/USDT")
    report = services.import_candles_csv(market=market, timeframe="1h", source=path, now_ms=NOW_MS)
    assert (report.inserted, report.rejected_total) == (5482, 0)
    assert [(services._iso(g.after_ms), g.missing) for g in report.gaps] == GAPS_1H
    out = tmp_path / "out.csv"
    with open(out, "w") as f:
        assert services.export_candles_csv(market=market, timeframe="1h", out=f) == 5482
    assert _read_csv(out) == _read_csv(path)
    again = services.import_candles_csv(market=market, timeframe="1h", source=path, now_ms=NOW_MS)
    assert (again.inserted, again.updated) == (0, 0)


@pytest.mark.django_db
def test_ingest_from_fake_binance_1h_stores_file_and_reports_gaps(
    fake_binance_1h, make_binance, shared_data, published
):
    market = MarketFactory()
    adapter = make_binance(fake_binance_1h)
    report = services.ingest_candles(
        market=market, timeframe="1h", since=services.ms_to_dt(T0), adapter=adapter
    )
    assert report.inserted == 5482
    assert [(services._iso(g.after_ms), g.missing) for g in report.gaps] == GAPS_1H
    stored = [(dt_to_ms(t), *v) for t, *v in _stored(market)]
    assert stored == _read_csv(shared_data / "ohlcv" / "binance_BTCUSDT_1h.csv")
    assert len(published) == 3


@pytest.mark.slow
@pytest.mark.django_db
def test_backfill_from_fake_binance_5m_stores_all_candles_and_second_run_changes_nothing(
    fake_binance_5m, make_binance, shared_data, published
):
    # given a fake Binance serving the 65,741 real 5m candles, at most 1000 a request
    market = MarketFactory(timeframes=["5m"])
    adapter = make_binance(fake_binance_5m)
    # when the market is backfilled from the first candle to now through the real adapter
    report = services.ingest_candles(
        market=market, timeframe="5m", since=services.ms_to_dt(T0), adapter=adapter
    )
    # then every candle is stored exactly as in the file
    expected = _read_csv(shared_data / "ohlcv" / "binance_BTCUSDT_5m.csv")
    assert len(expected) == 65_741
    assert (report.inserted, report.updated, report.rejected_total) == (65_741, 0, 0)
    stored = [(dt_to_ms(t), *v) for t, *v in _stored(market, "5m")]
    assert stored == expected
    # and the six outages are reported where they are: where the file's own steps jump, with
    # the published sizes, each inside the hour the 1h file is missing from
    gaps = [(g.after_ms, g.missing) for g in report.gaps]
    in_file = [
        (a[0], (b[0] - a[0]) // M5 - 1)
        for a, b in itertools.pairwise(expected)
        if b[0] - a[0] != M5
    ]
    assert gaps == in_file
    assert [missing for _, missing in gaps] == MISSING_5M
    for (after, _), (hour, _) in zip(gaps, GAPS_1H, strict=True):
        assert services.parse_iso_ms(hour) <= after < services.parse_iso_ms(hour) + H
    assert all(int(r.query["limit"]) <= 1000 for r in fake_binance_5m.klines_requests())
    assert len(published) == 3  # only the newest few, not 65k events
    # when the same window is backfilled again, nothing changes
    again = services.ingest_candles(
        market=market, timeframe="5m", since=services.ms_to_dt(T0), adapter=adapter
    )
    assert (again.inserted, again.updated, again.rejected_total) == (0, 0, 0)
    assert again.fetched == 65_741
    assert Candle.objects.filter(market=market, timeframe="5m").count() == 65_741


@pytest.mark.django_db
def test_market_ensure_unknown_exchange_and_symbol_raise_clear_errors():
    with pytest.raises(services.MarketDataError, match="unknown exchange 'nosuch'"):
        services.market_ensure(exchange_id="nosuch", symbol="BTC/USDT")
    with pytest.raises(services.MarketDataError, match="demo lists no market 'XRP/USDT'"):
        services.market_ensure(exchange_id="demo", symbol="XRP/USDT")
    market = services.market_ensure(exchange_id="demo", symbol="SOL/USDT")
    assert (market.base, market.quote, market.exchange.is_demo) == ("SOL", "USDT", True)


@pytest.mark.django_db
def test_seed_demo_markets_is_idempotent():
    symbols = {"BTC/USDT": ["1h"]}
    first = services.seed_demo_markets(symbols=symbols, history={"1h": 100}, now_ms=NOW_MS)
    assert first[0].inserted == 100
    second = services.seed_demo_markets(symbols=symbols, history={"1h": 100}, now_ms=NOW_MS)
    assert (second[0].inserted, second[0].updated) == (0, 0)
    assert Candle.objects.count() == 100
    assert math.isfinite(Candle.objects.first().close)
    assert connection.vendor in {"sqlite", "postgresql"}


class _WindowedStub:
    """Answers like KuCoin: candles only in [since, since + limit * step), none before listing."""

    exchange_id = "kucoin"
    is_demo = False

    def __init__(self, listed_ms, step):
        self.listed_ms, self.step, self.calls = listed_ms, step, []

    def fetch_ohlcv(self, symbol, timeframe, *, since_ms=None, limit=None):
        self.calls.append(since_ms)
        end = since_ms + limit * self.step
        first = max(since_ms, self.listed_ms)
        return [OHLCV(t, 1.0, 2.0, 0.5, 1.5, 1.0) for t in range(first, end, self.step)]


@pytest.mark.django_db
def test_ingest_windowed_exchange_skips_quiet_windows_before_listing(published):
    # given a KuCoin market listed 4,000 hours after the requested start
    market = MarketFactory(exchange=ExchangeFactory(ccxt_id="kucoin"))
    stub = _WindowedStub(listed_ms=T0 + 4000 * H, step=H)
    now_ms = T0 + 5000 * H + 1
    # when it is backfilled from the start
    report = services.ingest_candles(
        market=market, timeframe="1h", since=services.ms_to_dt(T0), adapter=stub, now_ms=now_ms
    )
    # then the empty windows are stepped over and everything since listing is stored
    assert report.inserted == 1000
    assert stub.calls[:3] == [T0, T0 + 1500 * H, T0 + 3000 * H]


class _RacingCursor:
    """A cursor that lets another writer store one row of the window just before the insert."""

    def __init__(self, cursor, market_id, open_ms):
        self.cursor, self.market_id, self.open_ms = cursor, market_id, open_ms

    def execute(self, sql, params=None):
        if sql.startswith("SAVEPOINT"):
            self.cursor.execute(
                "INSERT INTO markets_candle (market_id, timeframe, open_time, open, high, low, "
                "close, volume) VALUES (%s, '1h', %s, 1, 2, 0.5, 1.5, 1)",
                (self.market_id, services.ms_to_dt(self.open_ms)),
            )
        return self.cursor.execute(sql, params)

    def __getattr__(self, name):
        return getattr(self.cursor, name)


@pytest.mark.django_db
@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_pg_upsert_row_stored_by_another_writer_meanwhile_falls_back_to_guarded_upsert():
    from markets.pgcopy import pg_copy_upsert

    market = MarketFactory()
    candles = _candles(10)
    with connection.cursor() as cursor:
        racing = _RacingCursor(cursor.cursor, market.pk, candles[4].open_time_ms)
        result = pg_copy_upsert(
            racing, table="markets_candle", market_id=market.pk, timeframe="1h", candles=candles
        )
    assert result == (9, 1)
    stored = _stored(market)
    assert [r[1:] for r in stored] == [(c.open, c.high, c.low, c.close, c.volume) for c in candles]


class _FailingStub:
    exchange_id = "demo"
    is_demo = True

    def __init__(self):
        self.calls = 0

    def fetch_ohlcv(self, symbol, timeframe, *, since_ms=None, limit=None):
        from markets.core.errors import ExchangeUnavailableError

        self.calls += 1
        if self.calls > 2:
            raise ExchangeUnavailableError("maintenance", exchange="demo")
        return _candles(100, start=since_ms)


@pytest.mark.django_db
def test_ingest_exchange_error_mid_backfill_keeps_the_pages_already_fetched(published):
    from markets.core.errors import ExchangeUnavailableError

    market = MarketFactory(exchange=ExchangeFactory(ccxt_id="demo"))
    with pytest.raises(ExchangeUnavailableError):
        services.ingest_candles(
            market=market,
            timeframe="1h",
            since=services.ms_to_dt(T0),
            adapter=_FailingStub(),
            now_ms=NOW_MS,
        )
    assert len(_stored(market)) == 200
