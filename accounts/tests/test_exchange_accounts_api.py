"""`/api/exchange-accounts/`: create, read masked, update, delete, test connection, bad input."""

from __future__ import annotations

import pytest

from accounts.models import AuditEvent, ExchangeAccount
from accounts.services import exchange_account_adapter
from accounts.tests.factories import exchange_account_make
from markets.core import errors
from markets.core.adapter import KeyPermissions
from markets.tests.factories import ExchangeFactory

URL = "/api/exchange-accounts/"


def _post(client, **fields):
    body = {"exchange": "binance", "label": "main", "mode": "testnet", **fields}
    return client.post(URL, body, format="json")


def _assert_no_secret(response, *secrets):
    text = response.content.decode()
    for secret in secrets:
        assert secret not in text


def test_create_stores_ciphertext_and_answers_masked(
    alice, alice_client, fake_exchange, binance, creds
):
    response = _post(alice_client, **creds)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["api_key"] == "••••" + creds["api_key"][-4:]
    assert body["status"] == "ok"
    assert body["permissions"]["can_withdraw"] is False
    assert "secret" not in body
    assert "passphrase" not in body
    _assert_no_secret(response, *creds.values())
    account = ExchangeAccount.objects.get(pk=body["id"])
    assert account.owner == alice
    for column in ("api_key_ct", "secret_ct", "wrapped_key"):
        value = getattr(account, column)
        assert value.startswith("v1:")
        assert all(secret not in value for secret in creds.values())
    assert fake_exchange.created[0]["sandbox"] is True
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXCHANGE_KEY_CREATED)
    assert (event.actor, event.target_id, event.ip_address) == (alice, str(account.pk), "127.0.0.1")


def test_adapter_factory_decrypts_for_owner_only(alice, bob, fake_exchange, canary):
    account = exchange_account_make(alice, canary)
    created_before = len(fake_exchange.created)

    adapter = exchange_account_adapter(account_id=account.pk, owner_id=alice.pk)

    assert adapter.credentials.api_key.startswith("CANARYKEY-")
    assert len(fake_exchange.created) == created_before + 1
    with pytest.raises(ExchangeAccount.DoesNotExist):
        exchange_account_adapter(account_id=account.pk, owner_id=bob.pk)


def test_list_and_retrieve_show_only_own_accounts(
    alice, bob, alice_client, bob_client, fake_exchange, canary
):
    mine = exchange_account_make(alice, canary)
    theirs = exchange_account_make(bob, canary)

    listed = alice_client.get(URL).json()
    assert [row["id"] for row in listed["results"]] == [mine.pk]
    assert alice_client.get(f"{URL}{theirs.pk}/").status_code == 404
    assert alice_client.get(f"{URL}{mine.pk}/").json()["label"] == mine.label
    assert bob_client.delete(f"{URL}{mine.pk}/").status_code == 404
    assert ExchangeAccount.objects.filter(pk=mine.pk).exists()


def test_anonymous_is_refused(api_client):
    assert api_client.get(URL).status_code in (401, 403)


def test_update_with_blank_secret_keeps_stored_values(alice, alice_client, fake_exchange, canary):
    account = exchange_account_make(alice, canary)
    before = exchange_account_adapter(account_id=account.pk, owner_id=alice.pk).credentials

    response = alice_client.patch(
        f"{URL}{account.pk}/", {"label": "renamed", "api_key": "", "secret": ""}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["label"] == "renamed"
    after = exchange_account_adapter(account_id=account.pk, owner_id=alice.pk).credentials
    assert after == before
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXCHANGE_KEY_ROTATED).exists()


def test_update_new_secret_only_is_checked_and_stored(alice, alice_client, fake_exchange, canary):
    account = exchange_account_make(alice, canary)
    old = exchange_account_adapter(account_id=account.pk, owner_id=alice.pk).credentials
    new_secret = canary("secret")

    response = alice_client.put(f"{URL}{account.pk}/", {"secret": new_secret}, format="json")

    assert response.status_code == 200, response.content
    _assert_no_secret(response, new_secret, old.secret, old.api_key)
    probe = fake_exchange.created[-1]["credentials"]
    assert (probe.api_key, probe.secret) == (old.api_key, new_secret)
    now = exchange_account_adapter(account_id=account.pk, owner_id=alice.pk).credentials
    assert (now.api_key, now.secret) == (old.api_key, new_secret)
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXCHANGE_KEY_ROTATED)
    assert event.details == {"fields": ["secret"]}


def test_update_whole_key_changes_mask_and_data_key(alice, alice_client, fake_exchange, canary):
    account = exchange_account_make(alice, canary)
    new = {"api_key": canary("key"), "secret": canary("secret")}

    response = alice_client.patch(f"{URL}{account.pk}/", new, format="json")

    assert response.status_code == 200
    assert response.json()["api_key"].endswith(new["api_key"][-4:])
    stored = ExchangeAccount.objects.get(pk=account.pk)
    assert stored.wrapped_key != account.wrapped_key


def test_update_refused_key_changes_nothing(alice, alice_client, fake_exchange, canary):
    account = exchange_account_make(alice, canary)
    fake_exchange.permissions = KeyPermissions(known=True, can_trade=True, can_withdraw=True)

    response = alice_client.patch(
        f"{URL}{account.pk}/", {"label": "x", "secret": canary("secret")}, format="json"
    )

    assert response.status_code == 400
    assert "withdraw" in response.json()["fields"]["api_key"][0]
    stored = ExchangeAccount.objects.get(pk=account.pk)
    assert (stored.label, stored.secret_ct) == (account.label, account.secret_ct)


def test_delete_removes_account_and_audits(alice, alice_client, fake_exchange, canary):
    account = exchange_account_make(alice, canary)

    response = alice_client.delete(f"{URL}{account.pk}/")

    assert response.status_code == 204
    assert not ExchangeAccount.objects.filter(pk=account.pk).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXCHANGE_KEY_DELETED)
    assert event.actor == alice


def test_test_connection_ok_reports_permissions(alice, alice_client, fake_exchange, canary):
    account = exchange_account_make(alice, canary)

    report = alice_client.post(f"{URL}{account.pk}/test/").json()

    assert report["ok"] is True
    assert report["failure"] == ""
    assert report["permissions"]["ip_restricted"] is True


@pytest.mark.parametrize(
    ("error", "failure", "becomes_unusable"),
    [
        (errors.AuthenticationError("Invalid API-key"), "auth", True),
        (errors.PermissionDeniedError("IP not allowed"), "permission", True),
        (errors.NetworkError("timed out"), "network", False),
        (errors.ExchangeUnavailableError("maintenance"), "exchange_down", False),
        (errors.RateLimitedError("slow down"), "rate_limited", False),
    ],
)
def test_test_connection_names_what_failed(
    alice, alice_client, fake_exchange, canary, error, failure, becomes_unusable
):
    account = exchange_account_make(alice, canary)
    fake_exchange.error = error

    response = alice_client.post(f"{URL}{account.pk}/test/")

    assert response.status_code == 200
    report = response.json()
    assert (report["ok"], report["failure"]) == (False, failure)
    assert report["detail"]
    status = ExchangeAccount.objects.get(pk=account.pk).status
    assert (status == "unusable") is becomes_unusable


def test_test_connection_key_now_able_to_withdraw_marks_unusable(
    alice, alice_client, fake_exchange, canary
):
    account = exchange_account_make(alice, canary)
    fake_exchange.permissions = KeyPermissions(known=True, can_trade=True, can_withdraw=True)

    report = alice_client.post(f"{URL}{account.pk}/test/").json()

    assert report["failure"] == "key_scope"
    account.refresh_from_db()
    assert account.status == "unusable"
    assert "withdraw" in account.status_message
    with pytest.raises(Exception, match="withdraw"):
        exchange_account_adapter(account_id=account.pk, owner_id=alice.pk)


# --- bad input: a clear error, nothing stored, nothing leaked -------------------------------


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"api_key": "short"}, "api_key"),
        ({"api_key": "has spaces in it 123"}, "api_key"),
        ({"api_key": "k" * 300}, "api_key"),
        ({"secret": "s" * 5000}, "secret"),
        ({"secret": "tiny"}, "secret"),
        ({"passphrase": "p" * 200}, "passphrase"),
        ({"label": "l" * 65}, "label"),
        ({"mode": "yolo"}, "mode"),
        ({"exchange": "nosuchexchange"}, "exchange"),
        ({"exchange": "bad id!"}, "exchange"),
    ],
)
def test_create_bad_input_is_refused_and_nothing_stored(
    alice_client, fake_exchange, binance, creds, override, field
):
    response = _post(alice_client, **{**creds, **override})

    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert ExchangeAccount.objects.count() == 0
    _assert_no_secret(response, *creds.values())
    for value in override.values():
        if field in ("api_key", "secret", "passphrase"):
            assert value not in response.content.decode()


def test_create_missing_fields_are_named(alice_client, fake_exchange, binance):
    response = alice_client.post(URL, {}, format="json")

    assert response.status_code == 400
    assert {"exchange", "label", "mode", "api_key", "secret"} <= set(response.json()["fields"])


def test_create_exchange_without_adapter_is_refused(alice_client, fake_exchange, creds):
    ExchangeFactory(ccxt_id="kraken")

    response = _post(alice_client, exchange="kraken", **creds)

    assert response.status_code == 400
    assert "adapter" in response.json()["fields"]["exchange"][0]
    assert ExchangeAccount.objects.count() == 0


def test_create_passphrase_exchange_without_passphrase_is_refused(
    alice_client, fake_exchange, creds
):
    ExchangeFactory(ccxt_id="kucoin")

    response = _post(alice_client, exchange="kucoin", **creds)

    assert response.status_code == 400
    assert "passphrase" in response.json()["fields"]


def test_create_key_with_withdrawal_rights_is_refused(alice_client, fake_exchange, binance, creds):
    fake_exchange.permissions = KeyPermissions(known=True, can_trade=True, can_withdraw=True)

    response = _post(alice_client, **creds)

    assert response.status_code == 400
    assert "withdraw" in response.json()["fields"]["api_key"][0]
    assert ExchangeAccount.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_create_live_without_ip_restriction_is_refused(alice_client, fake_exchange, binance, creds):
    fake_exchange.permissions = KeyPermissions(known=True, can_trade=True, ip_restricted=False)

    live = _post(alice_client, mode="live", **creds)
    testnet = _post(alice_client, mode="testnet", **creds)

    assert live.status_code == 400
    assert "IP" in live.json()["fields"]["api_key"][0]
    assert testnet.status_code == 201
    assert any("IP" in w for w in testnet.json()["warnings"])
    assert fake_exchange.created[-1]["sandbox"] is True


def test_create_key_refused_by_exchange_is_not_stored(alice_client, fake_exchange, binance, creds):
    fake_exchange.error = errors.AuthenticationError("Invalid API-key, IP, or permissions")

    response = _post(alice_client, **creds)

    assert response.status_code == 400
    assert "refused" in response.json()["fields"]["api_key"][0]
    assert ExchangeAccount.objects.count() == 0


def test_create_exchange_unreachable_is_503_and_not_stored(
    alice_client, fake_exchange, binance, creds
):
    fake_exchange.error = errors.NetworkError("connection reset")

    response = _post(alice_client, **creds)

    assert response.status_code == 503
    assert response.json()["code"] == "exchange_unreachable"
    assert response.json()["message"]
    assert ExchangeAccount.objects.count() == 0


def test_create_duplicate_label_is_refused(alice, alice_client, fake_exchange, canary):
    exchange_account_make(alice, canary, label="main")

    response = _post(alice_client, label="main", api_key=canary("key"), secret=canary("secret"))

    assert response.status_code == 400
    assert "label" in response.json()["fields"]


def test_create_with_broken_keyring_stores_nothing(
    alice_client, fake_exchange, binance, creds, settings
):
    settings.QT_ENCRYPTION_KEYS = [("bad", b"too-short")]

    response = _post(alice_client, **creds)

    assert response.status_code == 503
    assert response.json()["code"] == "keyring_invalid"
    assert "32 bytes" in response.json()["message"]
    assert ExchangeAccount.objects.count() == 0


def test_wrong_master_key_gives_clear_error_and_marks_unusable(
    alice, alice_client, fake_exchange, canary, settings
):
    account = exchange_account_make(alice, canary)
    settings.QT_ENCRYPTION_KEYS = [("other", b"o" * 32)]

    report = alice_client.post(f"{URL}{account.pk}/test/").json()
    update = alice_client.patch(f"{URL}{account.pk}/", {"secret": canary("secret")}, format="json")

    assert report["failure"] == "decryption"
    assert "QT_ENCRYPTION_KEYS" in report["detail"]
    assert "'test1'" in report["detail"]
    assert update.status_code == 409
    account.refresh_from_db()
    assert account.status == "unusable"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXCHANGE_KEY_UNUSABLE).exists()


def test_reentering_whole_key_heals_record_after_master_key_loss(
    alice, alice_client, fake_exchange, canary, settings
):
    account = exchange_account_make(alice, canary)
    settings.QT_ENCRYPTION_KEYS = [("other", b"o" * 32)]
    new = {"api_key": canary("key"), "secret": canary("secret")}

    response = alice_client.patch(f"{URL}{account.pk}/", new, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "ok"
    adapter = exchange_account_adapter(account_id=account.pk, owner_id=alice.pk)
    assert adapter.credentials.secret == new["secret"]


def test_adapter_factory_turns_ccxt_verbose_off(alice, fake_exchange, canary, monkeypatch):
    from accounts.services import exchange_accounts
    from accounts.tests.factories import FakeAdapter

    class FakeCcxtClient:
        apiKey = "x"
        verbose = True

    def create(exchange_id, **kwargs):
        adapter = FakeAdapter(fake_exchange, exchange_id, kwargs.get("credentials"))
        adapter.client = FakeCcxtClient()
        return adapter

    account = exchange_account_make(alice, canary)
    monkeypatch.setattr(exchange_accounts, "adapter_create", create)

    adapter = exchange_account_adapter(account_id=account.pk, owner_id=alice.pk)

    assert adapter.client.verbose is False


def test_service_refuses_unknown_mode(alice, fake_exchange, binance, creds):
    from accounts.services import CredentialsRefusedError, exchange_account_create

    with pytest.raises(CredentialsRefusedError) as caught:
        exchange_account_create(owner=alice, exchange_id="binance", label="x", mode="yolo", **creds)

    assert caught.value.field == "mode"
    assert ExchangeAccount.objects.count() == 0
