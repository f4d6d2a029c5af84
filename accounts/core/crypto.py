"""Envelope encryption of exchange credentials (AES-256-GCM).

Each record gets a fresh random 256-bit data key. Every field is encrypted under that data
key with a fresh 96-bit nonce and associated data naming the owner, the account and the
field, so a ciphertext copied into another row or another field fails to decrypt. The data
key itself is wrapped by the current master key, with associated data naming the master key
id and the record, so a wrapped key moved to another row fails too.

Serialized forms (URL-safe base64 without padding, nonce first):

- wrapped data key: `v1:<key_id>:<b64(nonce || ciphertext+tag)>`
- field:            `v1:<b64(nonce || ciphertext+tag)>`

Errors name the record and the field, never a key or a plaintext.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from markets.core.errors import QuantumTraderError

VERSION = "v1"
KEY_BYTES = 32
NONCE_BYTES = 12
_TAG_BYTES = 16
KEY_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")

Keyring = Sequence[tuple[str, bytes]]


class CryptoError(QuantumTraderError):
    """Base of every error of the credential encryption."""

    code = "crypto_error"
    status = 409


class KeyringError(CryptoError):
    """The master keyring is empty or malformed (a server configuration problem)."""

    code = "keyring_invalid"
    status = 503


class DecryptionError(CryptoError):
    """A wrapped key or field could not be decrypted (wrong key, moved or damaged data)."""

    code = "decryption_failed"

    def __init__(self, record: RecordIdentity, field: str, reason: str) -> None:
        super().__init__(f"cannot decrypt {field} of {record}: {reason}", field=field)
        self.record = record
        self.reason = reason


@dataclass(frozen=True)
class RecordIdentity:
    """Who owns a record and which record it is; bound into every ciphertext."""

    owner_id: int
    account_id: int
    # Which table the record lives in; "" is an exchange account. Bound into the associated
    # data, so a ciphertext copied between tables whose rows share an id fails to decrypt.
    kind: str = ""

    def __str__(self) -> str:
        what = self.kind.replace("_", " ") if self.kind else "exchange account"
        return f"{what} {self.account_id} (owner {self.owner_id})"

    @property
    def who(self) -> str:
        who = f"owner={self.owner_id}|account={self.account_id}"
        return f"{who}|kind={self.kind}" if self.kind else who


@dataclass(frozen=True)
class SealedRecord:
    """The stored form of a record: its wrapped data key and its encrypted fields."""

    key_id: str
    wrapped_key: str
    fields: Mapping[str, str]


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _check_keyring(keyring: Keyring) -> None:
    if not keyring:
        raise KeyringError("the master keyring is empty (set QT_ENCRYPTION_KEYS)")
    for key_id, key in keyring:
        if not KEY_ID.match(key_id):
            raise KeyringError(f"master key id {key_id!r} is not a short word")
        if len(key) != KEY_BYTES:
            raise KeyringError(f"master key {key_id!r} is not {KEY_BYTES} bytes long")


def _wrap_aad(key_id: str, record: RecordIdentity) -> bytes:
    return f"qt/{VERSION}/data-key|key={key_id}|{record.who}".encode()


def _field_aad(record: RecordIdentity, field: str) -> bytes:
    return f"qt/{VERSION}/field|{record.who}|field={field}".encode()


def _encrypt(key: bytes, plaintext: bytes, aad: bytes) -> str:
    nonce = os.urandom(NONCE_BYTES)
    return _b64encode(nonce + AESGCM(key).encrypt(nonce, plaintext, aad))


def _decrypt(key: bytes, blob: str, aad: bytes, record: RecordIdentity, field: str) -> bytes:
    try:
        raw = _b64decode(blob)
    except (binascii.Error, ValueError):
        raise DecryptionError(record, field, "the stored value is not valid base64") from None
    if len(raw) < NONCE_BYTES + _TAG_BYTES:
        raise DecryptionError(record, field, "the stored value is truncated")
    try:
        return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad)
    except InvalidTag:
        raise DecryptionError(
            record, field, "authentication failed (wrong key, or data moved from another record)"
        ) from None


def key_id_of(wrapped_key: str) -> str:
    """Return the id of the master key that wrapped a data key ("" when unreadable)."""
    version, _, rest = wrapped_key.partition(":")
    key_id, sep, _ = rest.partition(":")
    return key_id if version == VERSION and sep else ""


def _unwrap(keyring: Keyring, record: RecordIdentity, wrapped_key: str) -> bytes:
    _check_keyring(keyring)
    parts = wrapped_key.split(":")
    if len(parts) != 3:
        raise DecryptionError(record, "data key", "the stored value is not in a known format")
    version, key_id, blob = parts
    if version != VERSION:
        raise DecryptionError(record, "data key", f"unknown format version {version[:8]!r}")
    master = dict(keyring).get(key_id)
    if master is None:
        known = ", ".join(k for k, _ in keyring)
        raise DecryptionError(
            record,
            "data key",
            f"it was wrapped by master key {key_id[:64]!r}, which is not in the keyring "
            f"(known: {known})",
        )
    data_key = _decrypt(master, blob, _wrap_aad(key_id, record), record, "data key")
    if len(data_key) != KEY_BYTES:
        raise DecryptionError(record, "data key", "the data key has the wrong length")
    return data_key


def _wrap(keyring: Keyring, record: RecordIdentity, data_key: bytes) -> tuple[str, str]:
    _check_keyring(keyring)
    key_id, master = keyring[0]
    blob = _encrypt(master, data_key, _wrap_aad(key_id, record))
    return key_id, f"{VERSION}:{key_id}:{blob}"


def _seal_value(data_key: bytes, record: RecordIdentity, field: str, plaintext: str) -> str:
    return f"{VERSION}:{_encrypt(data_key, plaintext.encode('utf-8'), _field_aad(record, field))}"


def _open_value(data_key: bytes, record: RecordIdentity, field: str, ciphertext: str) -> str:
    version, sep, blob = ciphertext.partition(":")
    if not sep or version != VERSION:
        raise DecryptionError(record, field, "the stored value is not in a known format")
    plaintext = _decrypt(data_key, blob, _field_aad(record, field), record, field)
    try:
        return plaintext.decode("utf-8")
    except UnicodeDecodeError:
        raise DecryptionError(record, field, "the decrypted value is not text") from None


def seal(*, keyring: Keyring, record: RecordIdentity, fields: Mapping[str, str]) -> SealedRecord:
    """Encrypt fields under a fresh data key, wrapped by the keyring's first master key."""
    data_key = AESGCM.generate_key(bit_length=KEY_BYTES * 8)
    key_id, wrapped = _wrap(keyring, record, data_key)
    sealed = {name: _seal_value(data_key, record, name, value) for name, value in fields.items()}
    return SealedRecord(key_id=key_id, wrapped_key=wrapped, fields=sealed)


def seal_field(
    *, keyring: Keyring, record: RecordIdentity, wrapped_key: str, field: str, plaintext: str
) -> str:
    """Encrypt one more field under a record's existing data key."""
    data_key = _unwrap(keyring, record, wrapped_key)
    return _seal_value(data_key, record, field, plaintext)


def open_fields(
    *, keyring: Keyring, record: RecordIdentity, wrapped_key: str, fields: Mapping[str, str]
) -> dict[str, str]:
    """Decrypt a record's fields; raise DecryptionError naming the first one that fails."""
    data_key = _unwrap(keyring, record, wrapped_key)
    return {name: _open_value(data_key, record, name, blob) for name, blob in fields.items()}


def rewrap(
    *, keyring: Keyring, record: RecordIdentity, wrapped_key: str, fields: Mapping[str, str]
) -> tuple[str, str]:
    """Re-wrap a record's data key under the keyring's first master key.

    Every field is checked to decrypt first (the plaintexts are discarded here), so a
    damaged record is reported instead of being carried forward. Returns (key_id, wrapped).
    """
    data_key = _unwrap(keyring, record, wrapped_key)
    for name, blob in fields.items():
        _open_value(data_key, record, name, blob)
    return _wrap(keyring, record, data_key)
