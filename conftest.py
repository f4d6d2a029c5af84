"""Fixtures shared by every app's tests. App-specific ones live in `<app>/tests/conftest.py`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rest_framework.test import APIClient

# The reference data sits beside the checkout; QT_SHARED_DATA points elsewhere (a git worktree).
SHARED_DATA = Path(
    os.environ.get("QT_SHARED_DATA") or Path(__file__).resolve().parent.parent / "shared" / "data"
)
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def shared_data() -> Path:
    """The third-party reference data beside the project; tests using it skip without it."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def alice(db):
    """An ordinary user who owns things."""
    from accounts.services import user_create

    return user_create(username="alice", password=PASSWORD, email="alice@example.com")


@pytest.fixture
def bob(db):
    """Another ordinary user, who must never see alice's things."""
    from accounts.services import user_create

    return user_create(username="bob", password=PASSWORD, email="bob@example.com")


@pytest.fixture
def api_client() -> APIClient:
    return APIClient(enforce_csrf_checks=True)


@pytest.fixture
def alice_client(alice) -> APIClient:
    client = APIClient()
    client.force_authenticate(alice)
    return client


@pytest.fixture
def bob_client(bob) -> APIClient:
    client = APIClient()
    client.force_authenticate(bob)
    return client


@pytest.fixture(autouse=True)
def _clean_cache(settings):
    """Keep heartbeats, locks and throttle counters from leaking between tests.

    With REDIS_URL set the tests use that Redis (a real server, as in production) and the
    cache is flushed after each test, so point REDIS_URL at a database of its own.
    """
    if "FileBasedCache" in settings.CACHES["default"]["BACKEND"]:
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    yield
    cache.clear()


# --- the canary sweep (see quantum_trader/tests/canary.py) ----------------------------------


@pytest.fixture(autouse=True)
def _canary_sweep(request):
    """Fail any test during which a canary showed up in logs, responses, frames or payloads."""
    from quantum_trader.tests import canary as sweep

    sweep.install()
    sweep.current_test = request.node.nodeid
    yield
    try:
        sweep.fail_on_leaks()
    finally:
        sweep.current_test = "(outside a test)"


@pytest.fixture
def canary(db):
    """Make unique canary strings for test credentials, e.g. `canary("secret")`.

    After the test, the whole database is dumped and scanned for them, as is the mail outbox.
    """
    from quantum_trader.tests import canary as sweep

    yield sweep.make
    sweep.scan_database()
    sweep.scan_mail_outbox()


@pytest.fixture
def canary_sweep():
    """The sweep itself, for tests that prove it finds planted leaks."""
    from quantum_trader.tests import canary as sweep

    return sweep
