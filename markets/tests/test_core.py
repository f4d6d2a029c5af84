"""Pure core pieces: retry policy, budget, validation, gaps, factory, permissions, demo."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from markets.core import errors
from markets.core.adapter import OHLCV, Credentials, ExchangeAdapter
from markets.core.candles import find_gaps, last_closed_open_ms, validate
from markets.core.ccxt_adapter import QUIRKS, CcxtAdapter, normalize_ohlcv, parse_retry_after
from markets.core.demo import DEMO_EPOCH_MS, DemoAdapter
from markets.core.factory import create_adapter
from markets.core.retry import MemoryRateBudget, Retrier, RetryPolicy

H = 3_600_000


class FakeClock:
    def __init__(self, t: float = 1000.0) -> None:
        self.t = t
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds


def test_retry_policy_backoff_grows_exponentially_within_jitter_and_cap():
    policy = RetryPolicy(base_delay=1.0, max_delay=8.0, jitter=0.5)
    rng = random.Random(1)
    for attempt, full in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (6, 8.0)]:
        for _ in range(50):
            assert full * 0.5 <= policy.backoff(attempt, rng) <= full


def test_retrier_fatal_error_is_raised_after_one_call():
    clock = FakeClock()
    retrier = Retrier("x", clock=clock, sleep=clock.sleep, budget=MemoryRateBudget(clock=clock))
    calls = []

    def fail():
        calls.append(1)
        raise errors.AuthenticationError("bad key")

    with pytest.raises(errors.AuthenticationError):
        retrier.call(fail)
    assert len(calls) == 1
    assert clock.sleeps == []


def test_retrier_writes_are_not_retried_even_when_retryable():
    clock = FakeClock()
    retrier = Retrier("x", clock=clock, sleep=clock.sleep, budget=MemoryRateBudget(clock=clock))
    calls = []

    def fail():
        calls.append(1)
        raise errors.NetworkError("reset")

    with pytest.raises(errors.NetworkError):
        retrier.call(fail, retry=False)
    assert len(calls) == 1


def test_retrier_retry_after_sleeps_at_least_the_window():
    clock = FakeClock()
    retrier = Retrier(
        "x",
        policy=RetryPolicy(base_delay=0.1),
        clock=clock,
        sleep=clock.sleep,
        budget=MemoryRateBudget(clock=clock),
    )
    stamps = []

    def flaky():
        stamps.append(clock.t)
        if len(stamps) == 1:
            raise errors.RateLimitedError("slow down", retry_after=7.0)
        return "ok"

    assert retrier.call(flaky) == "ok"
    assert stamps[1] - stamps[0] >= 7.0


def test_memory_budget_paces_requests_to_the_rate():
    clock = FakeClock()
    budget = MemoryRateBudget({"x": 5.0}, burst=1.0, clock=clock)
    retrier = Retrier("x", budget=budget, clock=clock, sleep=clock.sleep)
    start = clock.t
    for _ in range(11):
        retrier.call(lambda: None)
    assert clock.t - start == pytest.approx(2.0, abs=0.01)


def test_parse_retry_after_accepts_seconds_and_ignores_nonsense():
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(" 1.5 ") == 1.5
    assert parse_retry_after(None) is None
    assert parse_retry_after("-1") is None
    assert parse_retry_after("soon") is None
    assert parse_retry_after("Wed, 99 Oct 2015 07:28:00 GMT") is None


def test_parse_retry_after_http_date_measured_from_the_clock():
    # 2015-10-21T07:28:00Z is epoch 1445412480
    date = "Wed, 21 Oct 2015 07:28:00 GMT"
    assert parse_retry_after(date, clock=lambda: 1445412480.0 - 90) == pytest.approx(90.0)
    assert parse_retry_after(date, clock=lambda: 1445412480.0 - 0.5) == pytest.approx(0.5)
    # a date already past means "retry now", never a negative wait
    assert parse_retry_after(date, clock=lambda: 1445412480.0 + 30) == 0.0
    # RFC 850 and asctime forms are HTTP dates too
    assert parse_retry_after(
        "Wednesday, 21-Oct-15 07:28:00 GMT", clock=lambda: 1445412480.0 - 2
    ) == pytest.approx(2.0)
    assert parse_retry_after(
        "Wed Oct 21 07:28:00 2015", clock=lambda: 1445412480.0 - 3
    ) == pytest.approx(3.0)


def _c(t, o=10.0, h=11.0, lo=9.0, c=10.5, v=1.0):
    return OHLCV(t, o, h, lo, c, v)


def test_validate_malformed_rows_rejected_and_counted_good_rows_kept():
    rows = [
        _c(0),
        _c(H, o=math.nan),
        _c(2 * H, h=8.0),  # high below low
        _c(3 * H, h=10.2),  # high below close
        _c(4 * H, lo=10.2),  # low above open
        _c(5 * H, v=-1.0),
        _c(6 * H),
        _c(6 * H, c=10.9),  # duplicate open time
        _c(7 * H + 5),  # misaligned
        _c(8 * H, v=math.inf),
    ]
    good, rejected = validate(rows, H)
    assert [c.open_time_ms for c in good] == [0, 6 * H]
    assert good[1].close == 10.5  # the first of a duplicate wins
    assert dict(rejected) == {
        "not_finite": 2,
        "high_below_low": 1,
        "high_below_body": 1,
        "low_above_body": 1,
        "negative_volume": 1,
        "duplicate_timestamp": 1,
        "misaligned_open_time": 1,
    }


def test_find_gaps_reports_missing_counts_after_each_hole():
    times = [0, H, 2 * H, 6 * H, 7 * H, 9 * H]
    gaps = find_gaps(times, H)
    assert [(g.after_ms, g.missing) for g in gaps] == [(2 * H, 3), (7 * H, 1)]


def test_last_closed_open_is_closed_only_once_its_period_ended():
    assert last_closed_open_ms(10 * H, H) == 9 * H  # the 9h candle closed exactly at 10h
    assert last_closed_open_ms(10 * H - 1, H) == 8 * H


def test_normalize_ohlcv_newest_first_seconds_become_oldest_first_ms():
    raw = [[1706637600, "3", "4", "2", "3.5", "1"], [1706634000, 1, 2, 0.5, 1.5, 2]]
    out = normalize_ohlcv(raw)
    assert [c.open_time_ms for c in out] == [1706634000000, 1706637600000]
    assert out[1].close == 3.5


def test_create_adapter_unknown_exchange_raises():
    with pytest.raises(errors.UnknownExchangeError, match="nosuch"):
        create_adapter("nosuch")


@pytest.mark.parametrize("exchange_id", ["binance", "coinbase", "kucoin", "demo"])
def test_create_adapter_known_exchanges_satisfy_the_protocol(exchange_id):
    adapter = create_adapter(exchange_id)
    assert isinstance(adapter, ExchangeAdapter)
    assert adapter.exchange_id == exchange_id
    assert adapter.is_demo is (exchange_id == "demo")


def test_create_adapter_base_url_rewrites_every_api_host_keeping_paths():
    adapter = create_adapter("binance", base_url="http://127.0.0.1:9")
    assert isinstance(adapter, CcxtAdapter)
    urls = adapter.client.urls["api"]
    assert urls["public"] == "http://127.0.0.1:9/api/v3"
    assert all(v.startswith("http://127.0.0.1:9/") for v in urls.values() if isinstance(v, str))


def test_create_adapter_sandbox_uses_testnet_urls():
    adapter = create_adapter("binance", sandbox=True)
    assert isinstance(adapter, CcxtAdapter)
    assert "testnet.binance.vision" in adapter.client.urls["api"]["public"]


def test_create_adapter_credentials_are_set_and_options_limit_calls():
    adapter = create_adapter("binance", credentials=Credentials("key-123456", "secret-123456"))
    assert isinstance(adapter, CcxtAdapter)
    assert adapter.client.apiKey == "key-123456"
    assert adapter.client.verbose is False
    assert adapter.client.options["fetchMarkets"]["types"] == ["spot"]
    assert adapter.client.options["fetchCurrencies"] is False
    assert "secret-123456" not in repr(Credentials("key-123456", "secret-123456"))


def test_quirks_record_limits_and_client_order_id_params():
    assert QUIRKS["binance"].ohlcv_limit == 1000
    assert QUIRKS["coinbase"].ohlcv_limit == 300
    assert QUIRKS["kucoin"].ohlcv_limit == 1500
    assert QUIRKS["binance"].client_order_id_param == "newClientOrderId"
    assert QUIRKS["kucoin"].client_order_id_param == "clientOid"
    assert QUIRKS["coinbase"].client_order_id_param == "client_order_id"
    assert QUIRKS["kucoin"].newest_first
    assert QUIRKS["kucoin"].timestamps_in_seconds


def test_fetch_key_permissions_binance_maps_api_restrictions():
    adapter = CcxtAdapter("binance", credentials=Credentials("key-abcdef", "secret-abcdef"))
    seen = []

    def fetch(url, method="GET", headers=None, body=None):
        seen.append(url)
        return {
            "ipRestrict": False,
            "createTime": 1698645219000,
            "enableReading": True,
            "enableWithdrawals": False,
            "enableInternalTransfer": False,
            "permitsUniversalTransfer": True,
            "enableSpotAndMarginTrading": True,
            "enableMargin": False,
            "enableFutures": False,
        }

    adapter.client.fetch = fetch
    perms = adapter.fetch_key_permissions()
    assert "/sapi/v1/account/apiRestrictions" in seen[0]
    assert perms.known
    assert perms.can_read
    assert perms.can_trade
    assert not perms.can_withdraw
    assert perms.can_transfer
    assert perms.ip_restricted is False


def test_fetch_key_permissions_binance_testnet_is_unknown_without_a_request():
    adapter = CcxtAdapter(
        "binance", credentials=Credentials("key-abcdef", "secret-abcdef"), sandbox=True
    )
    seen = []
    adapter.client.fetch = lambda url, *a, **kw: seen.append(url) or {}

    perms = adapter.fetch_key_permissions()

    assert perms.known is False
    assert "testnet" in perms.detail
    assert seen == []


def test_fetch_key_permissions_kucoin_is_unknown():
    perms = CcxtAdapter("kucoin").fetch_key_permissions()
    assert perms.known is False


# --- demo --------------------------------------------------------------------------------


def test_demo_same_window_returns_the_same_candles():
    clock = lambda: (DEMO_EPOCH_MS + 400 * 86_400_000) / 1000  # noqa: E731
    since = DEMO_EPOCH_MS + 300 * 86_400_000
    a = DemoAdapter(clock=clock).fetch_ohlcv("ETH/USDT", "1h", since_ms=since, limit=500)
    b = DemoAdapter(clock=clock).fetch_ohlcv("ETH/USDT", "1h", since_ms=since, limit=500)
    assert a == b
    assert len(a) == 500
    assert [c.open_time_ms for c in a] == [since + i * H for i in range(500)]


def test_demo_new_candles_appear_as_time_passes_and_old_ones_stay():
    t0 = (DEMO_EPOCH_MS + 100 * 86_400_000) / 1000
    before = DemoAdapter(clock=lambda: t0).fetch_ohlcv("BTC/USDT", "5m", limit=10)
    after = DemoAdapter(clock=lambda: t0 + 600).fetch_ohlcv("BTC/USDT", "5m", limit=12)
    assert after[-1].open_time_ms == before[-1].open_time_ms + 600_000
    assert after[:10] == before


def test_demo_candles_are_valid_and_show_volatility_clusters_and_volume_link():
    now = (DEMO_EPOCH_MS + 330 * 86_400_000) / 1000
    demo = DemoAdapter(clock=lambda: now)
    candles = []
    since = DEMO_EPOCH_MS
    while len(candles) < 7000:
        page = demo.fetch_ohlcv("SOL/USDT", "1h", since_ms=since, limit=1000)
        candles += page
        since = page[-1].open_time_ms + H
    good, rejected = validate(candles, H)
    assert len(good) == len(candles)
    assert not rejected
    close = np.array([c.close for c in candles])
    r = np.diff(np.log(close))
    absr = np.abs(r)
    # volatility clusters: |r| autocorrelated; volume rises with range
    lag1 = np.corrcoef(absr[:-1], absr[1:])[0, 1]
    assert lag1 > 0.1
    rng = np.array([math.log(c.high / c.low) for c in candles])
    vol = np.array([c.volume for c in candles])
    assert np.corrcoef(rng, vol)[0, 1] > 0.3
    # trends carry the price over a wide range within the year
    assert close.max() / close.min() > 1.3


def test_demo_unknown_symbol_and_timeframe_raise():
    with pytest.raises(errors.BadSymbolError):
        DemoAdapter().fetch_ohlcv("XRP/USDT", "1h")
    with pytest.raises(errors.BadRequestError):
        DemoAdapter().fetch_ohlcv("BTC/USDT", "2h")


@pytest.mark.django_db
def test_cache_budget_is_shared_between_instances_and_honours_blocks():
    import time as _time

    from markets.budget import CacheRateBudget

    # given two processes' budgets over the same cache, 3 requests a second for binance
    first, second = CacheRateBudget({"binance": 3}), CacheRateBudget({"binance": 3})
    waits = []
    # wait until the start of a second so the window does not roll over mid-test
    _time.sleep(1 - _time.time() % 1 + 0.01)
    for budget in (first, second, first, second):
        waits.append(budget.reserve("binance"))
    assert waits[:3] == [0.0, 0.0, 0.0]
    assert 0 < waits[3] <= 1.0
    # and a Retry-After block set by one is seen by the other
    second.block("kucoin", _time.time() + 30)
    assert 29 < first.reserve("kucoin") <= 30


def test_socket_guard_refuses_connections_outside_loopback():
    import socket

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        with pytest.raises(ConnectionRefusedError, match="may not connect"):
            sock.connect(("192.0.2.1", 443))  # TEST-NET-1: refused before any packet leaves
    finally:
        sock.close()
