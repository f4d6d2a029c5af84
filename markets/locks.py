"""One helper for "one run at a time": named leases with an owner token.

    with task_lock("markets:ingest:7:1h", ttl=900) as lease:
        if lease is None:
            return  # another run holds it
        ...
        lease.extend(900)  # before a long step; False means the lease was lost

A lease is taken with a fresh random token and expires after `ttl` seconds unless its holder
extends it. Release and extension compare the token first, so a holder that outlived its lease
(its key expired and another run took it) can neither release nor extend the next holder's
lease: release then does nothing, and `extend` answers False. A lock is never deleted blindly.

Two stores, chosen by the cache backend:

- Redis (production, `REDIS_URL` set): redis-py's `Lock` on the raw client behind Django's
  `RedisCache`. Taking is `SET key token NX PX ttl`; release and extension are Lua scripts
  that compare the token and delete or re-expire in one step, so each is atomic on the server.
- The database (the embedded default, where the cache is a set of files, or memory in tests):
  one `TaskLease` row per name. File and in-memory caches have no compare-and-delete, and the
  file cache's `add` is not atomic across processes, so neither is used. A lease is claimed by
  a conditional `UPDATE ... WHERE name = ? AND expires_at <= now` (taking over an expired
  lease) or an `INSERT` guarded by the unique name; released by `DELETE ... WHERE token = ?`;
  extended by `UPDATE ... WHERE token = ? AND expires_at > now`. The database serialises these
  across processes. Expiry uses this host's clock: the embedded default runs on one machine.
  Take leases outside a transaction: a lease claimed inside one is invisible to other
  processes until it commits.

Row-level claims (a filtered `update()` on the row itself, as the backtest runner does) stay
as they are; this helper is for runs that have no row of their own to claim.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any, Protocol

import structlog
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import IntegrityError, transaction
from django.utils import timezone
from redis.exceptions import LockError
from redis.lock import Lock as RedisLock

from markets.models import TaskLease

log = structlog.get_logger(__name__)

KEY_PREFIX = "qt:lock:"


class Lease(Protocol):
    """A held lock. `extend` and `release` act only while this holder still owns it."""

    name: str
    token: str

    def extend(self, ttl: float) -> bool:
        """Make the lease expire `ttl` seconds from now; False when it is no longer held."""
        ...

    def release(self) -> bool:
        """Give the lease up; False when it had already expired (and maybe passed on)."""
        ...


# --- Redis ---------------------------------------------------------------------------------


class RedisLease:
    def __init__(self, name: str, lock: RedisLock, token: str) -> None:
        self.name = name
        self.token = token
        self._lock = lock

    def extend(self, ttl: float) -> bool:
        try:
            return bool(self._lock.extend(ttl, replace_ttl=True))
        except LockError:  # LockNotOwnedError: expired, maybe taken by the next holder
            return False

    def release(self) -> bool:
        try:
            self._lock.release()
        except LockError:
            return False
        return True


def _redis_client(backend: RedisCache) -> Any:
    # Django exposes no public accessor for the redis-py client behind its RedisCache.
    return getattr(backend, "_cache").get_client(None, write=True)  # noqa: B009


def _redis_acquire(backend: RedisCache, name: str, ttl: float) -> RedisLease | None:
    lock = RedisLock(
        _redis_client(backend),
        backend.make_key(KEY_PREFIX + name),
        timeout=ttl,
        blocking=False,
        thread_local=False,
    )
    if not lock.acquire(blocking=False):
        return None
    token = lock.local.token
    return RedisLease(name, lock, token.decode() if isinstance(token, bytes) else str(token))


# --- the database ----------------------------------------------------------------------------


class DatabaseLease:
    def __init__(self, name: str, token: str, clock: Callable[[], datetime]) -> None:
        self.name = name
        self.token = token
        self._clock = clock

    def extend(self, ttl: float) -> bool:
        now = self._clock()
        changed = TaskLease.objects.filter(
            name=self.name, token=self.token, expires_at__gt=now
        ).update(expires_at=now + timedelta(seconds=ttl))
        return changed == 1

    def release(self) -> bool:
        deleted, _ = TaskLease.objects.filter(name=self.name, token=self.token).delete()
        return deleted == 1


def _database_acquire(name: str, ttl: float, clock: Callable[[], datetime]) -> DatabaseLease | None:
    token = uuid.uuid4().hex
    now = clock()
    expires = now + timedelta(seconds=ttl)
    # Take over an expired lease; only one of several contenders' updates can match.
    if TaskLease.objects.filter(name=name, expires_at__lte=now).update(
        token=token, expires_at=expires
    ):
        return DatabaseLease(name, token, clock)
    try:
        with transaction.atomic():
            TaskLease.objects.create(name=name, token=token, expires_at=expires)
    except IntegrityError:  # held by someone else (or taken over in between)
        return None
    return DatabaseLease(name, token, clock)


# --- the one entry point -----------------------------------------------------------------------


def lease_acquire(
    name: str, *, ttl: float, store: str | None = None, clock: Callable[[], datetime] | None = None
) -> Lease | None:
    """Take the lease `name` for `ttl` seconds without waiting; None when someone holds it.

    `store` forces "redis" or "database" (tests); by default Redis when the cache is Redis.
    `clock` replaces the database store's clock (tests).
    """
    if ttl <= 0:
        raise ValueError("ttl must be positive")
    backend = caches["default"]
    chosen = store or ("redis" if isinstance(backend, RedisCache) else "database")
    if chosen == "redis":
        if not isinstance(backend, RedisCache):
            raise ValueError("the redis lock store needs Django's RedisCache as the cache")
        return _redis_acquire(backend, name, ttl)
    if chosen == "database":
        return _database_acquire(name, ttl, clock or timezone.now)
    raise ValueError(f"unknown lock store {chosen!r}")


@contextmanager
def task_lock(
    name: str, *, ttl: float, store: str | None = None, clock: Callable[[], datetime] | None = None
) -> Iterator[Lease | None]:
    """Hold the lease `name` for the block; yields None (and runs the block) when it is held.

    On leaving, the lease is released only if this holder still owns it.
    """
    lease = lease_acquire(name, ttl=ttl, store=store, clock=clock)
    try:
        yield lease
    finally:
        if lease is not None and not lease.release():
            log.warning("locks.lease_lost", name=name)
