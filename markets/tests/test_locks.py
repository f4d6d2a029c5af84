"""The one lock helper: owner tokens, compare-and-delete, leases, and no overlapping runs."""

from __future__ import annotations

import multiprocessing
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection

from markets.locks import lease_acquire, task_lock
from markets.models import TaskLease

needs_redis = pytest.mark.skipif(
    "RedisCache" not in settings.CACHES["default"]["BACKEND"],
    reason="REDIS_URL is not set: no Redis cache to lock on",
)


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


# --- a holder that outlives its lease ---------------------------------------------------------


@pytest.mark.django_db
def test_database_lease_holder_outlives_lease_cannot_release_next_holders_lock():
    # given a first run whose lease has run out, and a second run that took the lock over
    clock = FakeClock()
    first = lease_acquire("job", ttl=10, store="database", clock=clock)
    assert first is not None
    assert lease_acquire("job", ttl=10, store="database", clock=clock) is None
    clock.advance(11)
    second = lease_acquire("job", ttl=10, store="database", clock=clock)
    assert second is not None
    assert second.token != first.token
    # when the first run finishes late, then neither its release nor its extension touches
    # the second run's lease
    assert first.release() is False
    assert first.extend(10) is False
    assert lease_acquire("job", ttl=10, store="database", clock=clock) is None
    assert TaskLease.objects.get(name="job").token == second.token
    # and the rightful holder still extends and releases it
    assert second.extend(30) is True
    clock.advance(25)
    assert lease_acquire("job", ttl=10, store="database", clock=clock) is None
    assert second.release() is True
    assert not TaskLease.objects.filter(name="job").exists()


@pytest.mark.django_db
def test_database_task_lock_late_holder_leaves_next_holder_lock_in_place():
    clock = FakeClock()
    with task_lock("job", ttl=5, store="database", clock=clock) as first:
        assert first is not None
        clock.advance(6)
        with task_lock("job", ttl=5, store="database", clock=clock) as second:
            assert second is not None
    # leaving the outer block released nothing of the second holder's (already gone)
    with task_lock("job", ttl=5, store="database", clock=clock) as held:
        assert held is not None
        with task_lock("job", ttl=5, store="database", clock=clock) as other:
            assert other is None


@needs_redis
@pytest.mark.django_db
def test_redis_lease_holder_outlives_lease_cannot_release_next_holders_lock():
    first = lease_acquire("job", ttl=0.2, store="redis")
    assert first is not None
    assert lease_acquire("job", ttl=0.2, store="redis") is None
    time.sleep(0.3)
    second = lease_acquire("job", ttl=5, store="redis")
    assert second is not None
    assert second.token != first.token
    assert first.release() is False
    assert first.extend(5) is False
    assert lease_acquire("job", ttl=5, store="redis") is None
    assert second.release() is True
    third = lease_acquire("job", ttl=5, store="redis")
    assert third is not None
    third.release()


@needs_redis
@pytest.mark.django_db
def test_redis_lease_extended_outlives_its_first_ttl():
    lease = lease_acquire("job", ttl=0.2, store="redis")
    assert lease is not None
    assert lease.extend(5) is True
    time.sleep(0.3)
    assert lease_acquire("job", ttl=5, store="redis") is None
    assert lease.release() is True


def test_lease_acquire_rejects_a_nonpositive_ttl_and_unknown_store():
    with pytest.raises(ValueError, match="ttl"):
        lease_acquire("job", ttl=0)
    with pytest.raises(ValueError, match="store"):
        lease_acquire("job", ttl=1, store="files")


# --- no two runs overlap under concurrent workers ----------------------------------------------


class Overlap:
    """Counts holders inside the critical section; `peak` must never exceed 1."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self.inside = 0
        self.peak = 0
        self.runs = 0

    def enter(self) -> None:
        with self._guard:
            self.inside += 1
            self.runs += 1
            self.peak = max(self.peak, self.inside)

    def leave(self) -> None:
        with self._guard:
            self.inside -= 1


def _hammer(store: str, overlap: Overlap, attempts: int, errors: list[BaseException]) -> None:
    try:
        for _ in range(attempts):
            with task_lock("shared-run", ttl=30, store=store) as lease:
                if lease is None:
                    continue
                overlap.enter()
                time.sleep(0.002)
                overlap.leave()
    except BaseException as e:  # reported by the main thread
        errors.append(e)
    finally:
        connection.close()


def _run_threads(store: str, workers: int = 8, attempts: int = 40) -> Overlap:
    overlap = Overlap()
    errors: list[BaseException] = []
    threads = [
        threading.Thread(target=_hammer, args=(store, overlap, attempts, errors))
        for _ in range(workers)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    return overlap


@needs_redis
@pytest.mark.django_db
def test_redis_task_lock_threads_never_overlap():
    overlap = _run_threads("redis")
    assert overlap.runs > 1
    assert overlap.peak == 1


@pytest.mark.django_db(transaction=True)
def test_database_task_lock_threads_never_overlap():
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory SQLite test database is not shared between threads")
    overlap = _run_threads("database")
    assert overlap.runs > 1
    assert overlap.peak == 1


def _process_worker(inside, peak, runs, attempts: int) -> None:
    for _ in range(attempts):
        with task_lock("shared-run", ttl=30, store="redis") as lease:
            if lease is None:
                continue
            with inside.get_lock():
                inside.value += 1
                runs.value += 1
                peak.value = max(peak.value, inside.value)
            time.sleep(0.002)
            with inside.get_lock():
                inside.value -= 1


@needs_redis
@pytest.mark.django_db
def test_redis_task_lock_processes_never_overlap():
    context = multiprocessing.get_context("fork")
    inside, peak, runs = context.Value("i", 0), context.Value("i", 0), context.Value("i", 0)
    workers = [
        context.Process(target=_process_worker, args=(inside, peak, runs, 40)) for _ in range(4)
    ]
    for p in workers:
        p.start()
    for p in workers:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert runs.value > 1
    assert peak.value == 1
