"""Retries with backoff and a request budget shared per exchange.

Reads are retried on `RetryableError` with exponential backoff and jitter, up to a fixed
number of attempts; fatal errors are raised at once. A `Retry-After` from the exchange (HTTP
429/418) blocks the whole exchange in the shared budget until it has passed, so no request
goes out during the window, from this caller or any other sharing the store.

The budget is a `RateBudget`: `MemoryRateBudget` here (one process), and a cache-backed one
in the Django shell (`markets/budget.py`) shared across processes and users.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from markets.core.errors import ExchangeError, RateLimitedError

log = logging.getLogger(__name__)

T = TypeVar("T")

CallObserver = Callable[[str, "str | None"], None]
"""Told of every request attempt: the budget key (the exchange) and the error class name, or
None when it succeeded. The Django shell registers one that counts them for /metrics."""
_observers: list[CallObserver] = []


def observe_calls(observer: CallObserver) -> None:
    """Register an observer of request attempts (once per observer)."""
    if observer not in _observers:
        _observers.append(observer)


def _notify(key: str, error: str | None) -> None:
    for observer in _observers:
        try:
            observer(key, error)
        except Exception:  # an observer must never change the outcome of a request
            log.exception("request observer failed")


@dataclass(frozen=True)
class RetryPolicy:
    """How reads are retried. `max_attempts` counts the first try."""

    max_attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    jitter: float = 0.5
    max_retry_after: float = 120.0

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """Delay before attempt `attempt + 1` (attempt counts from 1): exponential, jittered.

        The delay lies in `[d * (1 - jitter), d]` with `d = min(max_delay, base * 2**(n-1))`.
        """
        delay = min(self.max_delay, self.base_delay * (2.0 ** (attempt - 1)))
        return float(delay * (1.0 - self.jitter * rng.random()))


class RateBudget(Protocol):
    """A request budget per exchange, possibly shared between processes."""

    def reserve(self, key: str) -> float:
        """Take one request slot; return 0, or the seconds to wait before trying again."""
        ...

    def block(self, key: str, until: float) -> None:
        """Allow no request for `key` before the epoch time `until`."""
        ...

    def blocked_until(self, key: str) -> float:
        """The epoch time before which no request may go out (0 when not blocked)."""
        ...


class MemoryRateBudget:
    """A token bucket per key in this process; `rates` maps a key to requests per second."""

    def __init__(
        self,
        rates: dict[str, float] | None = None,
        *,
        default_rate: float = 10.0,
        burst: float | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._rates = dict(rates or {})
        self._default = default_rate
        self._burst = burst
        self._clock = clock
        self._lock = threading.Lock()
        self._tokens: dict[str, tuple[float, float]] = {}
        self._blocked: dict[str, float] = {}

    def _rate(self, key: str) -> float:
        return self._rates.get(key, self._default)

    def reserve(self, key: str) -> float:
        now = self._clock()
        with self._lock:
            wait = self._blocked.get(key, 0.0) - now
            if wait > 0:
                return wait
            rate = self._rate(key)
            capacity = self._burst if self._burst is not None else max(1.0, rate)
            tokens, stamp = self._tokens.get(key, (capacity, now))
            tokens = min(capacity, tokens + (now - stamp) * rate)
            if tokens >= 1.0:
                self._tokens[key] = (tokens - 1.0, now)
                return 0.0
            self._tokens[key] = (tokens, now)
            return (1.0 - tokens) / rate

    def block(self, key: str, until: float) -> None:
        with self._lock:
            self._blocked[key] = max(self._blocked.get(key, 0.0), until)

    def blocked_until(self, key: str) -> float:
        with self._lock:
            return self._blocked.get(key, 0.0)


class Retrier:
    """Run calls under a budget and a retry policy. Clock, sleep and randomness are injectable."""

    def __init__(
        self,
        key: str,
        *,
        policy: RetryPolicy | None = None,
        budget: RateBudget | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.key = key
        self.policy = policy or RetryPolicy()
        self.budget = budget if budget is not None else MemoryRateBudget()
        self._clock = clock
        self._sleep = sleep
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not security

    def wait_for_budget(self) -> None:
        """Block until the shared budget allows one more request, then take it."""
        for _ in range(10_000):
            wait = self.budget.reserve(self.key)
            if wait <= 0:
                return
            self._sleep(min(wait, self.policy.max_retry_after))
        raise RateLimitedError(f"{self.key}: request budget exhausted", exchange=self.key)

    def call(self, fn: Callable[[], T], *, retry: bool = True) -> T:
        """Call `fn` once per attempt; retry retryable errors when `retry` (reads only)."""
        attempt = 0
        while True:
            attempt += 1
            self.wait_for_budget()
            try:
                result = fn()
            except ExchangeError as e:
                _notify(self.key, type(e).__name__)
                if e.retry_after is not None and e.retry_after > 0:
                    self.budget.block(self.key, self._clock() + e.retry_after)
                if not retry or not e.retryable or attempt >= self.policy.max_attempts:
                    raise
                if e.retry_after is not None and e.retry_after > self.policy.max_retry_after:
                    raise
                delay = self.policy.backoff(attempt, self._rng)
                if e.retry_after is not None:
                    delay = max(delay, e.retry_after)
                log.info(
                    "exchange call failed, retrying: %s attempt=%d delay=%.2fs error=%s",
                    self.key,
                    attempt,
                    delay,
                    type(e).__name__,
                )
                self._sleep(delay)
                continue
            _notify(self.key, None)
            return result
