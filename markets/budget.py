"""The request budget per exchange, shared by every process through Django's cache."""

from __future__ import annotations

import time

from django.core.cache import cache

from markets.core.ccxt_adapter import QUIRKS

_PREFIX = "qt:markets:budget"


class CacheRateBudget:
    """A fixed one-second window counter per exchange (atomic `incr` on Redis).

    `rates` maps an exchange id to requests per second; a `Retry-After` block is stored
    with its end time so every process honours it.
    """

    def __init__(self, rates: dict[str, float] | None = None, *, default_rate: float = 5.0):
        self.rates = (
            rates if rates is not None else {k: q.requests_per_second for k, q in QUIRKS.items()}
        )
        self.default_rate = default_rate

    def reserve(self, key: str) -> float:
        now = time.time()
        wait = self.blocked_until(key) - now
        if wait > 0:
            return wait
        second = int(now)
        window = f"{_PREFIX}:{key}:{second}"
        cache.add(window, 0, timeout=5)
        try:
            used = cache.incr(window)
        except ValueError:  # expired between add and incr
            cache.add(window, 1, timeout=5)
            used = 1
        limit = max(1, int(self.rates.get(key, self.default_rate)))
        if used <= limit:
            return 0.0
        return (second + 1) - now

    def block(self, key: str, until: float) -> None:
        if until > self.blocked_until(key):
            cache.set(
                f"{_PREFIX}:{key}:blocked", until, timeout=max(1, int(until - time.time()) + 1)
            )

    def blocked_until(self, key: str) -> float:
        value = cache.get(f"{_PREFIX}:{key}:blocked")
        return float(value) if value is not None else 0.0
