"""Fixtures of the markets tests: no socket leaves 127.0.0.1, a fake Binance, adapters."""

from __future__ import annotations

import ipaddress
import socket

import pytest

from markets.core.ccxt_adapter import CcxtAdapter
from markets.core.retry import MemoryRateBudget, RetryPolicy
from markets.tests.fake_binance import FakeBinance

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _check(sock: socket.socket, address: object) -> None:
    if sock.family not in (socket.AF_INET, socket.AF_INET6):
        return
    host = address[0] if isinstance(address, tuple) else address
    try:
        loopback = ipaddress.ip_address(str(host)).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        raise ConnectionRefusedError(f"tests may not connect to {host!r}")


def _guarded_connect(self: socket.socket, address) -> None:
    _check(self, address)
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address) -> int:
    _check(self, address)
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch):
    """Refuse every connection outside 127.0.0.1 (and ::1) for the whole markets suite."""
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)


@pytest.fixture
def fake_binance_5m(shared_data):
    server = FakeBinance(shared_data / "ohlcv" / "binance_BTCUSDT_5m.csv").start()
    yield server
    server.stop()


@pytest.fixture
def fake_binance_1h(shared_data):
    server = FakeBinance(shared_data / "ohlcv" / "binance_BTCUSDT_1h.csv").start()
    yield server
    server.stop()


class Sleeps:
    """Records requested sleeps and really sleeps them (they are short in tests)."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        import time

        self.calls.append(seconds)
        time.sleep(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


FAST_POLICY = RetryPolicy(
    max_attempts=4, base_delay=0.01, max_delay=0.05, jitter=0.5, max_retry_after=5.0
)


@pytest.fixture
def make_binance(sleeps):
    """Build a real ccxt Binance adapter pointed at a fake, with a fast policy and own budget."""
    made = []

    def make(server, *, policy=FAST_POLICY, timeout_ms=10_000, rate=1000.0):
        adapter = CcxtAdapter(
            "binance",
            base_url=server.url,
            policy=policy,
            budget=MemoryRateBudget(default_rate=rate, burst=rate),
            timeout_ms=timeout_ms,
            sleep=sleeps,
        )
        made.append(adapter)
        return adapter

    yield make
    for adapter in made:
        adapter.close()
