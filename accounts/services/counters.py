"""Atomic counters and rate windows on the shared cache.

On Redis (production) every operation is one atomic server-side step: a counter is `INCR`
with its expiry set in the same transaction, a rate window is a Lua script over a sorted
set. On the embedded default (one web process, a file or memory cache) the same operations
run under a process-wide lock, which makes them atomic there too.
"""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache

_local_lock = threading.Lock()

# Sliding-window log: drop entries older than the window; admit when below the limit.
# Returns {admitted (0/1), count after the call, milliseconds until a slot frees up}.
_WINDOW_SCRIPT = """
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], window)
  return {1, count + 1, 0}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local wait = window
if oldest[2] then wait = tonumber(oldest[2]) + window - now end
return {0, count, wait}
"""


def _redis() -> tuple[Any, RedisCache] | None:
    """The raw Redis client behind the default cache, or None on another backend."""
    if isinstance(cache, RedisCache):
        client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
        return client, cache
    return None


def _full_key(backend: RedisCache, key: str) -> str:
    return str(backend.make_and_validate_key(key))


def counter_hit(key: str, *, window: int) -> int:
    """Add one to `key` and return the new value; a new counter expires after `window` s."""
    redis = _redis()
    if redis is not None:
        client, backend = redis
        full = _full_key(backend, key)
        with client.pipeline(transaction=True) as pipe:
            pipe.incr(full)
            pipe.expire(full, window, nx=True)
            value, _ = pipe.execute()
        return int(value)
    with _local_lock:
        entry = cache.get(key)
        now = time.time()
        if entry is None or entry[1] <= now:
            entry = (0, now + window)
        entry = (entry[0] + 1, entry[1])
        cache.set(key, entry, timeout=max(1, round(entry[1] - now)))
        return int(entry[0])


def counter_get(key: str) -> int:
    """The current value of a counter (0 when absent or expired)."""
    redis = _redis()
    if redis is not None:
        client, backend = redis
        value = client.get(_full_key(backend, key))
        return int(value) if value is not None else 0
    entry = cache.get(key)
    return int(entry[0]) if entry is not None and entry[1] > time.time() else 0


def counter_ttl(key: str) -> int:
    """Seconds until the counter expires (0 when absent)."""
    redis = _redis()
    if redis is not None:
        client, backend = redis
        ttl = int(client.ttl(_full_key(backend, key)))
        return max(ttl, 0)
    entry = cache.get(key)
    return max(0, round(entry[1] - time.time())) if entry is not None else 0


def counter_extend(key: str, *, window: int) -> None:
    """Restart the counter's expiry: it now lasts `window` seconds from now."""
    redis = _redis()
    if redis is not None:
        client, backend = redis
        client.expire(_full_key(backend, key), window)
        return
    with _local_lock:
        entry = cache.get(key)
        if entry is not None:
            cache.set(key, (entry[0], time.time() + window), timeout=window)


def counter_reset(key: str) -> None:
    """Forget a counter."""
    cache.delete(key)


def window_hit(key: str, *, limit: int, window: float) -> tuple[bool, float]:
    """Count one request in a sliding window; return (admitted, seconds to wait if not)."""
    window_ms = max(1, int(window * 1000))
    now_ms = int(time.time() * 1000)
    redis = _redis()
    if redis is not None:
        client, backend = redis
        admitted, _count, wait_ms = client.eval(
            _WINDOW_SCRIPT, 1, _full_key(backend, key), now_ms, window_ms, limit, uuid.uuid4().hex
        )
        return bool(admitted), int(wait_ms) / 1000
    with _local_lock:
        history = [t for t in cache.get(key, []) if t > now_ms - window_ms]
        if len(history) < limit:
            history.append(now_ms)
            cache.set(key, history, timeout=max(1, int(window) + 1))
            return True, 0.0
        return False, (history[0] + window_ms - now_ms) / 1000
