"""place_order, reconcile_orders and the embedded seed, through the same services."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.services import user_create
from trading.models import Order, PaperAccount

pytestmark = pytest.mark.django_db


def test_place_order_sends_once_and_prints_the_order(account, venue):
    out = StringIO()

    call_command(
        "place_order",
        "--account",
        str(account.pk),
        "--symbol",
        "BTC/USDT",
        "--side",
        "buy",
        "--type",
        "limit",
        "--amount",
        "0.001",
        "--price",
        "30000",
        stdout=out,
    )

    printed = json.loads(out.getvalue())
    assert printed["status"] == "open"
    assert printed["amount"] == "0.001"
    assert venue.create_calls == [printed["client_order_id"]]


def test_place_order_names_the_field_of_bad_input(account, venue):
    with pytest.raises(CommandError, match=r"price_off_tick \(price\)"):
        call_command(
            "place_order",
            "--account",
            str(account.pk),
            "--symbol",
            "BTC/USDT",
            "--side",
            "buy",
            "--type",
            "limit",
            "--amount",
            "0.001",
            "--price",
            "30000.001",
        )

    assert not Order.objects.exists()
    assert venue.create_calls == []


def test_reconcile_orders_reports_its_pass(account, venue):
    out = StringIO()

    call_command("reconcile_orders", "--account", str(account.pk), stdout=out)

    assert json.loads(out.getvalue())["checked"] == 0


def test_seed_gives_the_demo_user_one_paper_account_once(db):
    demo = user_create(username="demo", password="x" * 20)

    call_command("seed_embedded_4_trading", stdout=StringIO())
    call_command("seed_embedded_4_trading", stdout=StringIO())

    paper = PaperAccount.objects.get(owner=demo)
    assert paper.exchange.ccxt_id == "demo"
    assert paper.book["balances"] == {"USDT": "10000"}
