"""The real ccxt adapter against a local fake Binance that misbehaves on purpose."""

from __future__ import annotations

import itertools

import pytest

from markets.core import errors
from markets.core.ccxt_adapter import CcxtAdapter
from markets.core.retry import MemoryRateBudget, RetryPolicy
from markets.tests.conftest import FAST_POLICY

SINCE = 1606780800000  # 2020-12-01T00:00Z, the first candle of the file


def _gaps(server):
    times = [r.at for r in server.klines_requests()]
    return [b - a for a, b in itertools.pairwise(times)]


@pytest.mark.parametrize("status", [429, 418])
def test_fetch_ohlcv_rate_limited_with_retry_after_waits_then_succeeds(
    fake_binance_1h, make_binance, status
):
    # given the exchange answers the first klines call with a Retry-After of 1 s
    adapter = make_binance(fake_binance_1h)
    fake_binance_1h.faults = [{"status": status, "retry_after": 1}]
    # when candles are fetched
    candles = adapter.fetch_ohlcv("BTC/USDT", "1h", since_ms=SINCE, limit=10)
    # then it was asked exactly twice, the second time only after the window
    assert len(fake_binance_1h.klines_requests()) == 2
    assert _gaps(fake_binance_1h)[0] >= 1.0
    assert [c.open_time_ms for c in candles][:2] == [SINCE, SINCE + 3_600_000]


def test_fetch_ohlcv_retry_after_http_date_is_honoured(fake_binance_1h, sleeps):
    # given a ban answered with an HTTP date 40 s after the adapter's clock
    now = 1445412480.0 - 40  # Wed, 21 Oct 2015 07:27:20 GMT
    adapter = CcxtAdapter(
        "binance",
        base_url=fake_binance_1h.url,
        policy=RetryPolicy(max_attempts=1),
        budget=MemoryRateBudget(default_rate=1000, burst=1000),
        sleep=sleeps,
        clock=lambda: now,
    )
    adapter._ensure_markets()
    fake_binance_1h.faults = [{"status": 429, "retry_after": "Wed, 21 Oct 2015 07:28:00 GMT"}]
    # when the call is refused, then the error carries the 40 s window
    with pytest.raises(errors.RateLimitedError) as caught:
        adapter.fetch_ohlcv("BTC/USDT", "1h", since_ms=SINCE, limit=5)
    assert caught.value.retry_after == pytest.approx(40.0)


def test_fetch_ohlcv_retry_after_window_blocks_other_callers_sharing_the_budget(
    fake_binance_1h, sleeps
):
    # given two adapters (two users) sharing one exchange budget, and a ban of 1 s
    budget = MemoryRateBudget(default_rate=1000, burst=1000)
    once = RetryPolicy(max_attempts=1)
    a = CcxtAdapter(
        "binance", base_url=fake_binance_1h.url, policy=once, budget=budget, sleep=sleeps
    )
    b = CcxtAdapter(
        "binance", base_url=fake_binance_1h.url, policy=once, budget=budget, sleep=sleeps
    )
    a._ensure_markets()
    b._ensure_markets()
    fake_binance_1h.faults = [{"status": 418, "retry_after": 1}]
    # when the first caller is banned and gives up
    with pytest.raises(errors.RateLimitedError) as caught:
        a.fetch_ohlcv("BTC/USDT", "1h", since_ms=SINCE, limit=5)
    assert caught.value.retry_after == 1.0
    # then the second caller's request waits out the window instead of going out
    b.fetch_ohlcv("BTC/USDT", "1h", since_ms=SINCE, limit=5)
    assert len(fake_binance_1h.klines_requests()) == 2
    assert _gaps(fake_binance_1h)[0] >= 1.0


def test_fetch_ohlcv_retry_after_beyond_policy_raises_without_retrying(
    fake_binance_1h, make_binance
):
    adapter = make_binance(fake_binance_1h)
    fake_binance_1h.faults = [{"status": 429, "retry_after": 3600}]
    with pytest.raises(errors.RateLimitedError):
        adapter.fetch_ohlcv("BTC/USDT", "1h", since_ms=SINCE, limit=5)
    assert len(fake_binance_1h.klines_requests()) == 1
    assert adapter.retrier.budget.blocked_until("binance") > 0


def test_fetch_ohlcv_server_errors_retried_with_backoff_then_succeeds(
    fake_binance_1h, make_binance, sleeps
):
    adapter = make_binance(fake_binance_1h)
    adapter.fetch_ohlcv("BTC/USDT", "1h", since_ms=SINCE, limit=1)  # load markets first
    sleeps.calls.clear()
    fake_binance_1h.faults = [{"status": 503, "body": "Service Unavailable"}] * 2
    candles = adapter.fetch_ohlcv("BTC/USDT", "1h", since_ms=SINCE, limit=3)
    assert len(candles) == 3
    assert len(fake_binance_1h.klines_requests()) == 1 + 3
    # two backoffs, exponential within the jitter band
    assert len(sleeps.calls) == 2
    assert 0.005 <= sleeps.calls[0] <= 0.01
    assert 0.01 <= sleeps.calls[1] <= 0.02


def test_fetch_ohlcv_server_errors_persisting_stop_after_max_attempts(
    fake_binance_1h, make_binance
):
    adapter = make_binance(fake_binance_1h)
    fake_binance_1h.faults = [{"status": 502, "body": "Bad Gateway"}] * 10
    with pytest.raises(errors.ExchangeUnavailableError):
        adapter.fetch_ohlcv("BTC/USDT", "1h", since_ms=SINCE, limit=3)
    assert len(fake_binance_1h.klines_requests()) == FAST_POLICY.max_attempts


def test_fetch_ohlcv_timeout_is_retried(fake_binance_1h, make_binance):
    adapter = make_binance(fake_binance_1h, timeout_ms=300)
    fake_binance_1h.faults = [{"sleep": 1.0}]
    candles = adapter.fetch_ohlcv("BTC/USDT", "1h", since_ms=SINCE, limit=3)
    assert len(candles) == 3
    assert len(fake_binance_1h.klines_requests()) == 2


def test_fetch_ohlcv_timeouts_persisting_raise_network_error(fake_binance_1h, make_binance):
    adapter = make_binance(
        fake_binance_1h,
        timeout_ms=200,
        policy=RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.01),
    )
    fake_binance_1h.faults = [{"sleep": 0.5}] * 2
    with pytest.raises(errors.NetworkError):
        adapter.fetch_ohlcv("BTC/USDT", "1h", since_ms=SINCE, limit=3)
    assert len(fake_binance_1h.klines_requests()) == 2


def test_fetch_ohlcv_truncated_body_is_retried(fake_binance_1h, make_binance):
    adapter = make_binance(fake_binance_1h)
    fake_binance_1h.faults = [{"truncate": True}]
    candles = adapter.fetch_ohlcv("BTC/USDT", "1h", since_ms=SINCE, limit=50)
    assert len(candles) == 50
    assert len(fake_binance_1h.klines_requests()) == 2


def test_fetch_ohlcv_fatal_error_is_never_retried(fake_binance_1h, make_binance):
    # given a market the exchange lists but refuses candles for (-1121 Invalid symbol)
    adapter = make_binance(fake_binance_1h)
    with pytest.raises(errors.BadSymbolError):
        adapter.fetch_ohlcv("ETH/USDT", "1h", since_ms=SINCE, limit=5)
    assert len(fake_binance_1h.klines_requests()) == 1


def test_fetch_ohlcv_unlisted_symbol_raises_bad_symbol_without_candle_request(
    fake_binance_1h, make_binance
):
    adapter = make_binance(fake_binance_1h)
    with pytest.raises(errors.BadSymbolError, match="DOGE/USDT"):
        adapter.fetch_ohlcv("DOGE/USDT", "1h")
    assert fake_binance_1h.klines_requests() == []


def test_fetch_ohlcv_unknown_timeframe_raises_bad_request(fake_binance_1h, make_binance):
    adapter = make_binance(fake_binance_1h)
    with pytest.raises(errors.BadRequestError, match="timeframe"):
        adapter.fetch_ohlcv("BTC/USDT", "7m")
    assert fake_binance_1h.requests == []


def test_load_markets_calls_exchange_info_only(fake_binance_1h, make_binance):
    adapter = make_binance(fake_binance_1h)
    markets = adapter.load_markets()
    assert [m.symbol for m in markets] == ["BTC/USDT", "ETH/USDT"]
    assert {r.path for r in fake_binance_1h.requests} == {"/api/v3/exchangeInfo"}
