"""Master-key rotation (stopped halfway, rerun) and ciphertexts moved between users' rows."""

from __future__ import annotations

import base64
import os
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import AuditEvent, ExchangeAccount
from accounts.services import (
    AccountUnusableError,
    CredentialsUnreadableError,
    exchange_account_adapter,
    exchange_account_check,
)
from accounts.services import exchange_accounts as service
from accounts.tests.factories import exchange_account_make

NEW_KEY = ("k2", os.urandom(32))


def _rotate() -> str:
    out = StringIO()
    call_command("rotate_encryption_keys", "--progress-every", "2", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_rotation_stopped_halfway_then_rerun_leaves_only_new_key_needed(
    alice, bob, fake_exchange, canary, settings, monkeypatch
):
    accounts = [exchange_account_make(owner, canary) for owner in (alice, bob, alice, bob, alice)]
    expected = {
        a.pk: exchange_account_adapter(account_id=a.pk, owner_id=a.owner_id).credentials
        for a in accounts
    }
    old_key = settings.QT_ENCRYPTION_KEYS[0]
    settings.QT_ENCRYPTION_KEYS = [NEW_KEY, old_key]

    # Stop the first run after two records, as a Ctrl-C or a killed process would.
    real_rewrap, done = service.crypto.rewrap, []

    def rewrap_then_stop(**kwargs):
        if len(done) == 2:
            raise KeyboardInterrupt
        done.append(kwargs["record"].account_id)
        return real_rewrap(**kwargs)

    monkeypatch.setattr(service.crypto, "rewrap", rewrap_then_stop)
    with pytest.raises(KeyboardInterrupt):
        _rotate()
    key_ids = sorted(ExchangeAccount.objects.values_list("key_id", flat=True))
    assert key_ids == ["k2", "k2", "test1", "test1", "test1"]

    monkeypatch.setattr(service.crypto, "rewrap", real_rewrap)
    output = _rotate()
    assert "3 re-wrapped, 2 already current, 0 failed" in output
    assert "5/5" in output
    assert "Done: 0 re-wrapped, 5 already current, 0 failed" in _rotate()  # idempotent

    settings.QT_ENCRYPTION_KEYS = [NEW_KEY]  # the old key is gone for good
    for account in accounts:
        got = exchange_account_adapter(account_id=account.pk, owner_id=account.owner_id)
        assert got.credentials == expected[account.pk]
    # The interrupted run recorded nothing; each completed run one event.
    assert AuditEvent.objects.filter(action=AuditEvent.Action.MASTER_KEYS_ROTATED).count() == 2


def test_rotation_marks_undecryptable_record_unusable_and_goes_on(
    alice, fake_exchange, canary, settings
):
    good = exchange_account_make(alice, canary)
    broken = exchange_account_make(alice, canary)
    ExchangeAccount.objects.filter(pk=broken.pk).update(secret_ct=good.secret_ct)
    settings.QT_ENCRYPTION_KEYS = [NEW_KEY, settings.QT_ENCRYPTION_KEYS[0]]

    output = _rotate()

    assert "1 re-wrapped, 0 already current, 1 failed" in output
    broken.refresh_from_db()
    assert broken.status == "unusable"
    assert "cannot decrypt secret" in broken.status_message
    assert broken.key_id == "test1"
    with pytest.raises(AccountUnusableError):
        exchange_account_adapter(account_id=broken.pk, owner_id=alice.pk)


def test_ciphertexts_swapped_between_users_rows_fail_to_decrypt(alice, bob, fake_exchange, canary):
    a = exchange_account_make(alice, canary)
    b = exchange_account_make(bob, canary)
    columns = ("api_key_ct", "secret_ct", "passphrase_ct", "wrapped_key", "key_id")
    a_values = {c: getattr(a, c) for c in columns}
    b_values = {c: getattr(b, c) for c in columns}

    # A database attacker copies alice's whole encrypted row into bob's and vice versa.
    ExchangeAccount.objects.filter(pk=b.pk).update(**a_values)
    ExchangeAccount.objects.filter(pk=a.pk).update(**b_values)

    for account, owner in ((a, alice), (b, bob)):
        with pytest.raises(CredentialsUnreadableError) as caught:
            exchange_account_adapter(account_id=account.pk, owner_id=owner.pk)
        assert f"exchange account {account.pk} (owner {owner.pk})" in str(caught.value)
        account.refresh_from_db()
        assert account.status == "unusable"


def test_only_secret_column_swapped_fails_naming_the_field(alice, bob, fake_exchange, canary):
    a = exchange_account_make(alice, canary)
    b = exchange_account_make(bob, canary)
    ExchangeAccount.objects.filter(pk=b.pk).update(secret_ct=a.secret_ct)

    report = exchange_account_check(account_id=b.pk, owner_id=bob.pk)

    assert report.failure == "decryption"
    assert "cannot decrypt secret" in report.detail


def test_flipped_bit_in_ciphertext_fails(alice, fake_exchange, canary):
    account = exchange_account_make(alice, canary)
    version, blob = account.api_key_ct.split(":")
    raw = bytearray(base64.urlsafe_b64decode(blob + "=" * (-len(blob) % 4)))
    raw[-1] ^= 0x01
    damaged = f"{version}:{base64.urlsafe_b64encode(bytes(raw)).decode().rstrip('=')}"
    ExchangeAccount.objects.filter(pk=account.pk).update(api_key_ct=damaged)

    with pytest.raises(CredentialsUnreadableError, match="api_key"):
        exchange_account_adapter(account_id=account.pk, owner_id=alice.pk)
