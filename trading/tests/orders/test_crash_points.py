"""A worker SIGKILLed at each named point of the submit path, then a restart and a reconcile.

The worker is a real process (trading.tests.orders.crash_worker) that kills itself at the
point; the fake exchange's ledger then says what reached the exchange. After one reconciler
pass: no client order id twice on the exchange, no exchange order of ours missing locally,
nothing left NEW, SUBMITTING or UNKNOWN. The bench repeats each point 50 times.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection

from accounts.services import exchange_accounts
from markets.core.orders import is_own_client_order_id
from markets.testing.fake_exchange import FakeExchange
from trading.models import Order
from trading.orders.reconcile import orders_reconcile
from trading.tests.orders.fake_exchange_setup import adapter_create_for, fake_markets

ROOT = Path(__file__).resolve().parents[3]
POINTS = ("before_intent", "intent_committed", "before_send", "sent", "acknowledged", "fills")
REPEATS = 1


def database_url() -> str:
    """The URL of the database this test process uses (the test database)."""
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"


def run_worker(fake_url: str, owner_id: int, account_id: int, point: str, type: str) -> int:
    """Run one worker process to its death (or its end); return its exit code."""
    env = {**os.environ, "DATABASE_URL": database_url()}
    price = "-" if type == "market" else "20000"
    args = [fake_url, str(owner_id), str(account_id), point, type, price]
    done = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "trading.tests.orders.crash_worker", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    return done.returncode


def ledger_figures(fake: FakeExchange) -> dict[str, int]:
    counts = fake.ledger.client_id_counts()
    local = set(Order.objects.values_list("client_order_id", flat=True))
    return {
        "duplicates": sum(1 for count in counts.values() if count > 1),
        "missing_locally": sum(
            1 for cid in counts if is_own_client_order_id(cid) and cid not in local
        ),
        "unresolved": Order.objects.filter(status__in=["new", "submitting", "unknown"]).count(),
    }


@pytest.fixture
def fake():
    with FakeExchange(seed=5) as server:
        yield server


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("type", ["market", "limit"])
def test_worker_killed_at_each_point_then_reconciled_loses_and_duplicates_nothing(
    alice, account_factory, fake, monkeypatch, settings, type
):
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database server it can share")
    fake_markets()
    account = account_factory(alice)
    monkeypatch.setattr(exchange_accounts, "adapter_create", adapter_create_for(fake))
    settings.ORDERS_CLAIM_TIMEOUT_SECONDS = 0  # the restart comes after the claim expired

    # A resting limit order has no fills to process, so that point is not on its path.
    points = [p for p in POINTS if type == "market" or p != "fills"] * REPEATS
    with ThreadPoolExecutor(max_workers=3) as pool:
        codes = list(
            pool.map(lambda point: run_worker(fake.url, alice.pk, account.pk, point, type), points)
        )
    before = Order.objects.filter(status__in=["new", "submitting"]).count()
    orders_reconcile()

    figures = ledger_figures(fake)
    assert codes == [-signal.SIGKILL] * len(codes)
    assert before >= 3 * REPEATS  # killed with work in flight
    assert figures == {"duplicates": 0, "missing_locally": 0, "unresolved": 0}
    assert Order.objects.count() == len(points) - REPEATS  # no intent before its commit
    assert len(fake.ledger) == Order.objects.count()
    expected = "filled" if type == "market" else "open"
    assert set(Order.objects.values_list("status", flat=True)) == {expected}
