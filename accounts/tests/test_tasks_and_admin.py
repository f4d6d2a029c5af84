"""The daily key check (Celery, ids only), its schedule, and the admin pages."""

from __future__ import annotations

import re

import pytest
from celery.signals import before_task_publish
from django.contrib.admin.sites import site

from accounts.models import AuditEvent, ExchangeAccount
from accounts.tasks import exchange_account_check_task, exchange_accounts_check_all_task
from accounts.tests.factories import UserFactory, exchange_account_make
from markets.core import errors
from markets.core.adapter import KeyPermissions


@pytest.fixture
def published(monkeypatch):
    """Send task messages to kombu's in-memory broker and record them as published."""
    from kombu import Connection

    from accounts import tasks

    sent: list[dict] = []

    def record(sender=None, body=None, routing_key=None, **_):
        sent.append({"task": sender, "body": body, "queue": routing_key})

    before_task_publish.connect(record, weak=False)
    with Connection("memory://") as connection:
        task = tasks.exchange_account_check_task
        monkeypatch.setattr(
            task, "delay", lambda *a, **kw: task.apply_async(a, kw, connection=connection)
        )
        yield sent
    before_task_publish.disconnect(record)


def test_daily_check_queues_ids_only(alice, fake_exchange, canary, published):
    accounts = [exchange_account_make(alice, canary) for _ in range(2)]

    queued = exchange_accounts_check_all_task()

    assert queued == 2
    assert [m["task"] for m in published] == ["accounts.exchange_account_check_task"] * 2
    assert [m["body"][0] for m in published] == [(a.pk,) for a in accounts]
    assert {m["queue"] for m in published} == {"default"}


def test_daily_check_marks_key_that_can_now_withdraw_unusable(alice, fake_exchange, canary):
    account = exchange_account_make(alice, canary)
    fake_exchange.permissions = KeyPermissions(known=True, can_trade=True, can_withdraw=True)

    outcome = exchange_account_check_task(account.pk)

    account.refresh_from_db()
    assert outcome == "key_scope"
    assert account.status == "unusable"
    assert account.can_withdraw is True
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXCHANGE_KEY_UNUSABLE).count() == 1


def test_daily_check_network_trouble_keeps_status(alice, fake_exchange, canary):
    account = exchange_account_make(alice, canary)
    fake_exchange.error = errors.NetworkError("timeout")

    assert exchange_account_check_task(account.pk) == "network"

    account.refresh_from_db()
    assert account.status == "ok"


def test_daily_check_of_deleted_account_is_quiet(db):
    assert exchange_account_check_task(999_999) == "missing"


def test_check_task_is_scheduled_daily():
    from accounts.schedules import BEAT_SCHEDULE

    entry = BEAT_SCHEDULE["accounts-check-exchange-keys-daily"]

    assert entry["task"] == exchange_accounts_check_all_task.name


# --- admin ----------------------------------------------------------------------------------


@pytest.fixture
def root_client(client, db):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    return client


def test_admin_shows_masked_key_only_to_superusers(root_client, alice, fake_exchange, canary):
    account = exchange_account_make(alice, canary)
    stored = ExchangeAccount.objects.get(pk=account.pk)

    pages = [
        root_client.get("/admin/accounts/exchangeaccount/"),
        root_client.get(f"/admin/accounts/exchangeaccount/{account.pk}/change/"),
        root_client.get(f"/admin/accounts/exchangeaccount/{account.pk}/delete/"),
        root_client.get("/admin/accounts/auditevent/"),
        root_client.get("/admin/accounts/user/"),
    ]

    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        for ciphertext in (stored.api_key_ct, stored.secret_ct, stored.wrapped_key):
            assert ciphertext not in html
            assert ciphertext[3:40] not in html
    change = pages[1].content.decode()
    assert "••••" + account.key_last4 in change
    # The credential inputs are write-only: password inputs that never carry a value.
    inputs = re.findall(r"<input[^>]*>", change)
    secrets = [tag for tag in inputs if re.search(r'name="(api_key|secret|passphrase)"', tag)]
    assert len(secrets) == 3
    assert all('type="password"' in tag and "value=" not in tag for tag in secrets)
    assert "<textarea" not in change


def test_admin_audit_log_is_read_only(root_client, alice, fake_exchange, canary):
    exchange_account_make(alice, canary)
    event = AuditEvent.objects.first()

    assert root_client.get("/admin/accounts/auditevent/add/").status_code == 403
    assert root_client.post(f"/admin/accounts/auditevent/{event.pk}/delete/").status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_admin_delete_goes_through_service_and_is_audited(
    root_client, alice, fake_exchange, canary
):
    account = exchange_account_make(alice, canary)

    response = root_client.post(
        f"/admin/accounts/exchangeaccount/{account.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 302
    assert not ExchangeAccount.objects.filter(pk=account.pk).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXCHANGE_KEY_DELETED)
    assert event.actor.username == "root"


def test_admin_registers_all_models():
    from accounts.models import User

    for model in (User, ExchangeAccount, AuditEvent):
        assert site.is_registered(model)
