"""Credential format checks and the key-scope verdicts."""

from __future__ import annotations

import pytest

from accounts.core.credentials import (
    CredentialFormatError,
    assess_permissions,
    check_api_key,
    check_passphrase,
    check_secret,
    mask_key,
)
from markets.core.adapter import KeyPermissions


@pytest.mark.parametrize(
    "value", ["short", "x" * 257, "has space 123456", "tab\there12345", "quote'1234567", "é" * 10]
)
def test_api_key_malformed_is_refused_without_echo(value):
    with pytest.raises(CredentialFormatError) as caught:
        check_api_key(value)

    assert caught.value.field == "api_key"
    assert value not in str(caught.value)


def test_api_key_shapes_of_real_exchanges_pass():
    check_api_key("vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A")
    check_api_key("organizations/abc-123/apiKeys/def-456")


@pytest.mark.parametrize("value", ["short", "x" * 4097, "nul\x00byte-123", "emoji-🙂-123456"])
def test_secret_malformed_is_refused(value):
    with pytest.raises(CredentialFormatError) as caught:
        check_secret(value)

    assert caught.value.field == "secret"


def test_secret_pem_block_passes():
    check_secret("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB\n-----END EC PRIVATE KEY-----\n")


@pytest.mark.parametrize("value", ["", "x" * 129, "two\nlines"])
def test_passphrase_malformed_is_refused(value):
    with pytest.raises(CredentialFormatError):
        check_passphrase(value)


def test_mask_key_shows_last_four():
    assert mask_key("abcd") == "••••abcd"


def _perms(**kw):
    return KeyPermissions(known=True, can_trade=True, ip_restricted=True, **kw)


def test_withdrawal_key_is_refused_in_any_mode():
    for mode in ("testnet", "live"):
        verdict = assess_permissions(_perms(can_withdraw=True), mode=mode)
        assert not verdict.accepted
        assert "withdraw" in verdict.refused


def test_transfer_key_is_refused():
    verdict = assess_permissions(_perms(can_transfer=True), mode="testnet")

    assert "transfer" in verdict.refused


def test_unrestricted_key_warns_on_testnet_and_is_refused_live():
    unrestricted = KeyPermissions(known=True, can_trade=True, ip_restricted=False)

    testnet = assess_permissions(unrestricted, mode="testnet")
    live = assess_permissions(unrestricted, mode="live")

    assert testnet.accepted
    assert any("IP" in w for w in testnet.warnings)
    assert not live.accepted
    assert "IP" in live.refused


def test_restricted_trading_key_is_accepted_live_without_warnings():
    verdict = assess_permissions(_perms(), mode="live")

    assert verdict.accepted
    assert verdict.warnings == ()


def test_unknown_permissions_warn_on_testnet_refuse_live():
    unknown = KeyPermissions(known=False)

    assert assess_permissions(unknown, mode="testnet").accepted
    assert assess_permissions(unknown, mode="testnet").warnings
    assert not assess_permissions(unknown, mode="live").accepted


def test_read_only_key_warns_it_cannot_trade():
    verdict = assess_permissions(
        KeyPermissions(known=True, can_trade=False, ip_restricted=True), mode="live"
    )

    assert verdict.accepted
    assert any("cannot trade" in w for w in verdict.warnings)
