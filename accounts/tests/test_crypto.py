"""Envelope encryption: round trips, binding to the record and field, rotation, clear errors."""

from __future__ import annotations

import os

import pytest

from accounts.core import crypto
from accounts.core.crypto import DecryptionError, KeyringError, RecordIdentity

OLD = ("old", os.urandom(32))
NEW = ("new", os.urandom(32))
ALICE_1 = RecordIdentity(owner_id=1, account_id=10)
BOB_2 = RecordIdentity(owner_id=2, account_id=20)
SECRET = "S3CRET-value-0123456789"


def _seal(record=ALICE_1, keyring=(OLD,), **fields):
    return crypto.seal(keyring=keyring, record=record, fields=fields or {"secret": SECRET})


def test_seal_then_open_returns_plaintext():
    sealed = _seal(api_key="KEY-0123456789", secret=SECRET)

    opened = crypto.open_fields(
        keyring=[OLD], record=ALICE_1, wrapped_key=sealed.wrapped_key, fields=sealed.fields
    )

    assert opened == {"api_key": "KEY-0123456789", "secret": SECRET}
    assert sealed.key_id == "old"
    assert sealed.wrapped_key.startswith("v1:old:")
    assert all(value.startswith("v1:") for value in sealed.fields.values())
    assert SECRET not in repr(sealed)


def test_seal_twice_gives_different_ciphertexts_and_data_keys():
    first, second = _seal(), _seal()

    assert first.fields["secret"] != second.fields["secret"]
    assert first.wrapped_key != second.wrapped_key


def test_field_ciphertext_moved_to_another_field_fails_naming_field():
    sealed = _seal(api_key="KEY-0123456789", secret=SECRET)

    with pytest.raises(DecryptionError) as caught:
        crypto.open_fields(
            keyring=[OLD],
            record=ALICE_1,
            wrapped_key=sealed.wrapped_key,
            fields={"api_key": sealed.fields["secret"]},
        )

    assert caught.value.field == "api_key"
    assert "exchange account 10 (owner 1)" in str(caught.value)
    assert SECRET not in str(caught.value)


def test_whole_row_swapped_between_users_fails_to_decrypt():
    alice, bob = _seal(ALICE_1), _seal(BOB_2)

    with pytest.raises(DecryptionError) as caught:
        crypto.open_fields(
            keyring=[OLD], record=BOB_2, wrapped_key=alice.wrapped_key, fields=alice.fields
        )
    assert caught.value.field == "data key"

    # Only the field moved: bob's data key cannot open alice's ciphertext.
    with pytest.raises(DecryptionError) as caught:
        crypto.open_fields(
            keyring=[OLD],
            record=BOB_2,
            wrapped_key=bob.wrapped_key,
            fields={"secret": alice.fields["secret"]},
        )
    assert caught.value.field == "secret"


def test_same_owner_other_account_fails_to_decrypt():
    sealed = _seal(ALICE_1)
    other = RecordIdentity(owner_id=1, account_id=11)

    with pytest.raises(DecryptionError):
        crypto.open_fields(
            keyring=[OLD], record=other, wrapped_key=sealed.wrapped_key, fields=sealed.fields
        )


def test_unknown_master_key_names_the_key_id_not_the_key():
    sealed = _seal()

    with pytest.raises(DecryptionError) as caught:
        crypto.open_fields(
            keyring=[NEW], record=ALICE_1, wrapped_key=sealed.wrapped_key, fields=sealed.fields
        )

    assert "'old'" in str(caught.value)
    assert "not in the keyring" in str(caught.value)


def test_wrong_key_under_known_id_fails_authentication():
    sealed = _seal()
    impostor = ("old", os.urandom(32))

    with pytest.raises(DecryptionError, match="authentication failed"):
        crypto.open_fields(
            keyring=[impostor], record=ALICE_1, wrapped_key=sealed.wrapped_key, fields=sealed.fields
        )


@pytest.mark.parametrize(
    "damage",
    [
        lambda s: s[:-4],
        lambda s: s[:10],
        lambda s: "v9" + s[2:],
        lambda s: s.replace("v1:", "", 1),
        lambda s: s[:-3] + ("A" if s[-3] != "A" else "B") + s[-2:],
        lambda s: "v1:***not-base64***",
    ],
)
def test_damaged_field_raises_decryption_error(damage):
    sealed = _seal()

    with pytest.raises(DecryptionError):
        crypto.open_fields(
            keyring=[OLD],
            record=ALICE_1,
            wrapped_key=sealed.wrapped_key,
            fields={"secret": damage(sealed.fields["secret"])},
        )


@pytest.mark.parametrize("wrapped", ["", "v1:old", "v2:old:abc", "v1:old:!!!", "garbage"])
def test_damaged_wrapped_key_raises_decryption_error(wrapped):
    sealed = _seal()

    with pytest.raises(DecryptionError) as caught:
        crypto.open_fields(keyring=[OLD], record=ALICE_1, wrapped_key=wrapped, fields=sealed.fields)

    assert caught.value.field == "data key"


def test_rewrap_moves_record_to_first_key_and_old_key_can_go():
    sealed = _seal(api_key="KEY-0123456789", secret=SECRET)

    key_id, wrapped = crypto.rewrap(
        keyring=[NEW, OLD], record=ALICE_1, wrapped_key=sealed.wrapped_key, fields=sealed.fields
    )
    opened = crypto.open_fields(
        keyring=[NEW], record=ALICE_1, wrapped_key=wrapped, fields=sealed.fields
    )

    assert key_id == "new"
    assert crypto.key_id_of(wrapped) == "new"
    assert opened["secret"] == SECRET


def test_rewrap_refuses_record_with_damaged_field():
    sealed = _seal()
    bad = {"secret": _seal().fields["secret"]}  # another record's ciphertext

    with pytest.raises(DecryptionError) as caught:
        crypto.rewrap(
            keyring=[NEW, OLD], record=ALICE_1, wrapped_key=sealed.wrapped_key, fields=bad
        )

    assert caught.value.field == "secret"


def test_seal_field_adds_field_under_existing_data_key():
    sealed = _seal()

    passphrase = crypto.seal_field(
        keyring=[OLD],
        record=ALICE_1,
        wrapped_key=sealed.wrapped_key,
        field="passphrase",
        plaintext="pass phrase",
    )
    opened = crypto.open_fields(
        keyring=[OLD],
        record=ALICE_1,
        wrapped_key=sealed.wrapped_key,
        fields={**sealed.fields, "passphrase": passphrase},
    )

    assert opened == {"secret": SECRET, "passphrase": "pass phrase"}


@pytest.mark.parametrize("keyring", [[], [("bad id!", os.urandom(32))], [("k", b"short")]])
def test_bad_keyring_is_refused(keyring):
    with pytest.raises(KeyringError):
        crypto.seal(keyring=keyring, record=ALICE_1, fields={"secret": SECRET})


def test_key_id_of_reads_wrapped_key_or_gives_empty():
    assert crypto.key_id_of(_seal().wrapped_key) == "old"
    assert crypto.key_id_of("nonsense") == ""


def test_unicode_plaintext_round_trips():
    sealed = _seal(secret="pässwörd-✓-0123")

    assert crypto.open_fields(
        keyring=[OLD], record=ALICE_1, wrapped_key=sealed.wrapped_key, fields=sealed.fields
    ) == {"secret": "pässwörd-✓-0123"}
