"""Lockout and throttles hold under concurrency: real threads against the real server, on Redis.

The live server (Django's threaded server, one thread per request) runs in this process
with the test settings; its cache is the Redis of REDIS_URL. Every request of a burst
waits at a barrier so they reach the server together.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.servers.basehttp import ThreadedWSGIServer

pytestmark = [
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (a real Redis)"),
    pytest.mark.django_db(transaction=True),
]

WRONG = "definitely-not-the-password"

# Django's server listens with a backlog of 10; a burst of 200 connects would be reset by
# the kernel before reaching it. Set at import, before the session's live server starts.
ThreadedWSGIServer.request_queue_size = 1024


def _rates(settings, **rates: str) -> None:
    merged = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": merged}


def _burst(n: int, send) -> list[requests.Response]:
    """Run `send(i)` from n threads released together; return the responses."""
    barrier = threading.Barrier(n)

    def one(i: int) -> requests.Response:
        with requests.Session() as session:
            barrier.wait(timeout=60)
            for _ in range(5):
                try:
                    return send(session, i)
                except requests.ConnectionError:
                    continue  # refused before reaching the server: nothing was counted
            return send(session, i)

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(one, range(n)))


@pytest.fixture
def password_checks(monkeypatch):
    """Count every password the server actually checks."""
    calls = Counter()
    lock = threading.Lock()
    original = ModelBackend.authenticate

    def counting(self, request, username=None, password=None, **kwargs):
        with lock:
            calls[username] += 1
        return original(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counting)
    return calls


@pytest.mark.parametrize("n", [10, 50, 200])
def test_concurrent_wrong_passwords_are_checked_at_most_the_allowed_times(
    n, live_server, alice, settings, password_checks
):
    _rates(settings, login="100000/min", anon="100000/min")
    url = f"{live_server.url}/api/auth/token/"

    answers = _burst(
        n, lambda s, i: s.post(url, json={"username": "alice", "password": WRONG}, timeout=120)
    )

    statuses = Counter(r.status_code for r in answers)
    assert password_checks["alice"] <= settings.QT_LOGIN_LOCKOUT_FAILURES
    assert statuses[400] <= settings.QT_LOGIN_LOCKOUT_FAILURES - 1
    assert statuses[429] >= n - settings.QT_LOGIN_LOCKOUT_FAILURES
    assert set(statuses) <= {400, 429}
    assert all(r.headers.get("Retry-After") for r in answers if r.status_code == 429)


@pytest.mark.parametrize("rotate_forwarded_for", [False, True], ids=["plain", "rotating-xff"])
@pytest.mark.parametrize("behind_proxy", [False, True], ids=["direct", "untrusted-peer"])
def test_throttle_of_10_per_minute_admits_at_most_10_of_100_concurrent(
    live_server, settings, rotate_forwarded_for, behind_proxy
):
    _rates(settings, anon="10/min")
    settings.BEHIND_TLS_PROXY = behind_proxy
    # The live server's peer (127.0.0.1) is not a trusted proxy: X-Forwarded-For is ignored.
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    url = f"{live_server.url}/api/auth/csrf/"

    def send(session: requests.Session, i: int) -> requests.Response:
        headers = (
            {"X-Forwarded-For": f"198.51.{i // 250}.{i % 250}"} if rotate_forwarded_for else {}
        )
        return session.get(url, headers=headers, timeout=120)

    answers = _burst(100, send)

    statuses = Counter(r.status_code for r in answers)
    assert statuses[204] <= 10
    assert statuses[204] >= 1
    assert statuses[429] >= 90
    assert all(r.headers.get("Retry-After") for r in answers if r.status_code == 429)


def test_login_throttle_counts_per_real_address_not_per_forwarded_header(live_server, settings):
    _rates(settings, login="10/min", anon="100000/min")
    url = f"{live_server.url}/api/auth/token/"

    def send(session: requests.Session, i: int) -> requests.Response:
        body = {"username": f"sprayed-{i}", "password": WRONG}
        return session.post(
            url, json=body, headers={"X-Forwarded-For": f"203.0.113.{i}"}, timeout=120
        )

    answers = _burst(30, send)

    statuses = Counter(r.status_code for r in answers)
    assert statuses[400] <= 10  # reached the password check
    assert statuses[429] >= 20
