"""`manage.py adapter_smoke` against the local fake exchange: its ledger is the judge."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from markets.testing.fake_exchange import FakeExchange, Fault

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"QT_SMOKE_API_KEY": "smoke-key-1234567890", "QT_SMOKE_SECRET": "smoke-secret-0987654321"}


@pytest.fixture
def fake(tmp_path):
    # A few 1m candles, the newest now: the price the far order is placed under.
    path = tmp_path / "candles.csv"
    now_min = (int(time.time()) // 60) * 60 * 1000
    rows = [f"{now_min - 60_000 * i},30000,30010,29990,30000,1" for i in range(5, 0, -1)]
    path.write_text("timestamp_ms,open,high,low,close,volume\n" + "\n".join(rows) + "\n")
    with FakeExchange(candles_csv=path, api_keys={KEYS["QT_SMOKE_API_KEY"]}) as exchange:
        yield exchange


@pytest.fixture
def keys(monkeypatch):
    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)


def smoke(*args: str) -> str:
    out = io.StringIO()
    call_command("adapter_smoke", *args, stdout=out)
    return out.getvalue()


def test_every_step_passes_and_the_ledger_holds_one_canceled_order(fake, keys):
    out = smoke("--exchange", "binance", "--base-url", fake.url)

    for number, name in enumerate(
        [
            "load markets",
            "fetch candles",
            "check key scope",
            "place a far limit order",
            "find it by client order id",
            "cancel it",
            "confirm it is gone",
        ],
        start=1,
    ):
        assert f"[{number}/7] {name} ... ok:" in out, out
    assert "adapter_smoke: all 7 steps passed" in out
    # The exchange's own record: exactly one order, a buy at half the price, now canceled.
    orders = fake.ledger.orders()
    assert len(orders) == 1
    order = orders[0]
    assert (order.side, order.type, order.status) == ("BUY", "LIMIT", "CANCELED")
    assert order.price == 15000
    assert order.amount * order.price >= 5  # above the minimum notional
    assert order.client_order_id.startswith("smoke-")
    assert not fake.ledger.fills()
    assert KEYS["QT_SMOKE_SECRET"] not in out


def test_a_refused_order_stops_at_that_step_with_a_non_zero_exit(fake, keys):
    fake.script("POST /api/v3/order", Fault("error_before", status=400))

    with pytest.raises(CommandError) as failed:
        smoke("--exchange", "binance", "--base-url", fake.url)

    assert failed.value.returncode == 1
    assert "step 4 (place a far limit order) failed" in str(failed.value)
    assert fake.request_count("DELETE /api/v3/order") == 0
    assert not [o for o in fake.ledger.orders() if o.status == "NEW"]


def test_an_order_left_open_by_a_failed_step_is_canceled_on_the_way_out(fake, keys):
    # The lookup by client order id fails on every attempt: step 5 fails after the order exists.
    fake.script("GET /api/v3/order", *[Fault("error_before", status=400)] * 5)

    with pytest.raises(CommandError) as failed:
        smoke("--exchange", "binance", "--base-url", fake.url)

    assert "step 5 (find it by client order id) failed" in str(failed.value)
    assert [o.status for o in fake.ledger.orders()] == ["CANCELED"]


def test_refuses_anything_but_a_testnet_or_a_local_fake(keys):
    with pytest.raises(CommandError, match="never runs against a live account") as refused:
        smoke("--exchange", "binance", "--base-url", "https://api.binance.com")
    assert refused.value.returncode == 2


def test_refuses_without_keys_in_the_environment(fake, monkeypatch):
    for name in KEYS:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(CommandError, match="QT_SMOKE_API_KEY"):
        smoke("--exchange", "binance", "--base-url", fake.url)


def test_manage_py_exits_non_zero_on_the_first_failure(fake):
    fake.script("GET /api/v3/klines", *[Fault("error_before", status=400)] * 5)
    env = {**os.environ, **KEYS, "QT_ENV_FILE": "", "DEBUG": "true"}
    result = subprocess.run(  # noqa: S603 - this project's manage.py
        [sys.executable, "manage.py", "adapter_smoke", "--exchange", "binance",
         "--base-url", fake.url],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    assert "[1/7] load markets ... ok" in result.stdout
    assert "[2/7] fetch candles ... FAILED" in result.stdout
    assert "[3/7]" not in result.stdout
    assert "step 2 (fetch candles) failed" in result.stderr
