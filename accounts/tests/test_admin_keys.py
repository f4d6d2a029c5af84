"""Keys in the admin: staff add, replace and test a user's keys through the API's service.

Every credential here is a canary: the sweep fails the test if any of them shows up in an
admin page, a log line, or the database dump (ciphertext aside).
"""

from __future__ import annotations

import re

import pytest

from accounts.models import AuditEvent, ExchangeAccount
from accounts.tests.factories import credentials_for, exchange_account_make
from markets.core.adapter import KeyPermissions
from markets.models import Exchange
from markets.tests.factories import ExchangeFactory

ADD = "/admin/accounts/exchangeaccount/add/"


@pytest.fixture
def staff(db):
    from accounts.services import user_create

    root = user_create(username="root", password="root-pass-123456", is_staff=True)
    root.is_superuser = True
    root.save()
    return root


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def _password_inputs(html: str) -> list[str]:
    inputs = re.findall(r"<input[^>]*>", html)
    return [tag for tag in inputs if re.search(r'name="(api_key|secret|passphrase)"', tag)]


def test_staff_adds_a_key_through_the_same_service_as_the_api(
    staff_client, staff, alice, fake_exchange, canary
):
    binance = ExchangeFactory(ccxt_id="binance")
    creds = credentials_for(canary)

    form = staff_client.get(ADD)
    response = staff_client.post(
        ADD,
        {"owner": alice.pk, "exchange": binance.pk, "label": "main", "mode": "testnet", **creds},
    )

    assert form.status_code == 200
    assert all('type="password"' in tag for tag in _password_inputs(form.content.decode()))
    assert response.status_code == 302, response.content.decode()[:2000]
    account = ExchangeAccount.objects.get(owner=alice, label="main")
    # Encrypted like the API's: only ciphertext and the last four characters are stored.
    assert account.key_last4 == creds["api_key"][-4:]
    assert creds["secret"] not in account.secret_ct
    assert account.wrapped_key
    assert account.key_id
    # Scope-checked with the exchange, as the API does.
    assert ("fetch_key_permissions", "binance") in fake_exchange.calls
    assert account.permissions_known
    assert account.can_trade
    # Audited, naming the staff member, and shown to its owner as their activity.
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXCHANGE_KEY_CREATED)
    assert event.actor == staff
    assert event.subject == alice
    assert event.details["by_staff"] == "root"
    # Pages after the add: the key masked, secrets nowhere (the sweep checks every page).
    change = staff_client.get(f"/admin/accounts/exchangeaccount/{account.pk}/change/")
    listing = staff_client.get("/admin/accounts/exchangeaccount/")
    assert "••••" + account.key_last4 in change.content.decode()
    assert listing.status_code == 200
    assert all("value=" not in tag for tag in _password_inputs(change.content.decode()))


def test_admin_refuses_a_key_that_may_withdraw_and_stores_nothing(
    staff_client, alice, fake_exchange, canary
):
    binance = ExchangeFactory(ccxt_id="binance")
    fake_exchange.permissions = KeyPermissions(known=True, can_trade=True, can_withdraw=True)
    creds = credentials_for(canary)

    response = staff_client.post(
        ADD,
        {"owner": alice.pk, "exchange": binance.pk, "label": "risky", "mode": "live", **creds},
    )

    assert response.status_code == 200  # the form again, with the error
    html = response.content.decode()
    assert "withdraw" in html.lower()
    assert all("value=" not in tag for tag in _password_inputs(html))
    assert not ExchangeAccount.objects.filter(label="risky").exists()


def test_staff_replaces_a_secret_and_the_rotation_is_audited(
    staff_client, staff, alice, fake_exchange, canary
):
    account = exchange_account_make(alice, canary)
    new_secret = canary("secret")

    response = staff_client.post(
        f"/admin/accounts/exchangeaccount/{account.pk}/change/",
        {"label": account.label, "api_key": "", "secret": new_secret, "passphrase": ""},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXCHANGE_KEY_ROTATED)
    assert event.actor == staff
    assert event.subject == alice
    assert event.details["fields"] == ["secret"]
    fake_exchange.calls.clear()
    from accounts.services import exchange_account_adapter

    adapter = exchange_account_adapter(account_id=account.pk, owner_id=alice.pk)
    assert adapter.credentials.secret == new_secret


def test_admin_test_connection_and_scope_actions_report_and_audit(
    staff_client, staff, alice, fake_exchange, canary
):
    account = exchange_account_make(alice, canary)

    for action in ("test_connection", "recheck_scope"):
        response = staff_client.post(
            "/admin/accounts/exchangeaccount/",
            {"action": action, "_selected_action": [account.pk]},
            follow=True,
        )
        assert response.status_code == 200
        assert "passed" in response.content.decode()
    tested = AuditEvent.objects.filter(action=AuditEvent.Action.EXCHANGE_KEY_TESTED)
    assert tested.count() == 2
    assert {e.actor for e in tested} == {staff}
    assert {e.subject for e in tested} == {alice}


def test_exchanges_are_editable_in_the_admin(staff_client, db):
    exchange = ExchangeFactory(ccxt_id="binance", enabled=False)

    response = staff_client.post(
        f"/admin/markets/exchange/{exchange.pk}/change/",
        {
            "ccxt_id": "binance",
            "name": "Binance",
            "enabled": "on",
            "sandbox": "on",
            "api_base_url": "http://127.0.0.1:9999",
        },
    )

    assert response.status_code == 302
    exchange = Exchange.objects.get(pk=exchange.pk)
    assert exchange.enabled
    assert exchange.sandbox
    assert exchange.api_base_url == "http://127.0.0.1:9999"
