"""Security notices: a sign-in from a new address, an exchange key that failed its scope."""

from __future__ import annotations

from rest_framework.test import APIClient

from accounts.models import Notification
from accounts.tasks import exchange_account_check_task
from accounts.tests.factories import exchange_account_make
from markets.core.adapter import KeyPermissions


def _login(password, address):
    client = APIClient(enforce_csrf_checks=True, REMOTE_ADDR=address)
    client.get("/api/auth/csrf/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/api/auth/login/",
        {"username": "alice", "password": password},
        format="json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200, response.content


def test_sign_in_from_a_new_address_tells_the_user_once(alice, password):
    # The first sign-in ever, and a second from the same address, are not news
    _login(password, "192.0.2.10")
    _login(password, "192.0.2.10")
    assert not Notification.objects.filter(kind="login.new_address").exists()
    # A sign-in from another address is
    _login(password, "198.51.100.7")
    told = Notification.objects.get(user=alice, kind="login.new_address")
    assert told.data == {"ip_address": "198.51.100.7"}
    # and that address is known from then on
    _login(password, "198.51.100.7")
    assert Notification.objects.filter(kind="login.new_address").count() == 1


def test_key_failing_its_scope_check_tells_its_owner(alice, fake_exchange, canary):
    account = exchange_account_make(alice, canary)
    fake_exchange.permissions = KeyPermissions(known=True, can_trade=True, can_withdraw=True)

    assert exchange_account_check_task(account.pk) == "key_scope"

    told = Notification.objects.get(user=alice, kind="key.scope_failed")
    assert told.data == {"exchange_account_id": account.pk}
    assert account.label in told.title
