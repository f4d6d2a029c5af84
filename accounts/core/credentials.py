"""Checks on exchange credentials and on what an exchange says a key may do.

Plain functions over strings and `KeyPermissions`; error messages never repeat the value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markets.core.adapter import KeyPermissions
from markets.core.errors import QuantumTraderError

MAX_API_KEY = 256
MAX_SECRET = 4096
MAX_PASSPHRASE = 128
MIN_KEY = 8

# API keys are tokens: letters, digits and a few separators (Coinbase uses paths).
_API_KEY = re.compile(r"^[A-Za-z0-9_\-/.:+=]+$")
# Secrets may be PEM blocks (Coinbase), so printable ASCII and line breaks are allowed.
_SECRET = re.compile(r"^[\x20-\x7e\r\n]+$")
_PASSPHRASE = re.compile(r"^[\x20-\x7e]+$")

# Exchanges whose keys come with a passphrase.
PASSPHRASE_EXCHANGES = frozenset({"kucoin", "kucoinfutures", "okx", "bitget", "coinbaseexchange"})

LIVE = "live"
TESTNET = "testnet"


class CredentialFormatError(QuantumTraderError, ValueError):
    """A credential field is malformed; `field` names it, the message never quotes it."""

    code = "malformed"
    status = 400

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field=field)
        self.field: str = field


def check_api_key(value: str) -> None:
    """Raise CredentialFormatError when an API key is not shaped like one."""
    if not MIN_KEY <= len(value) <= MAX_API_KEY:
        raise CredentialFormatError(
            "api_key", f"An API key is {MIN_KEY} to {MAX_API_KEY} characters long."
        )
    if not _API_KEY.match(value):
        raise CredentialFormatError(
            "api_key", "An API key holds only letters, digits and - _ / . : + = characters."
        )


def check_secret(value: str) -> None:
    """Raise CredentialFormatError when a secret is not shaped like one."""
    if not MIN_KEY <= len(value) <= MAX_SECRET:
        raise CredentialFormatError(
            "secret", f"A secret is {MIN_KEY} to {MAX_SECRET} characters long."
        )
    if not _SECRET.match(value):
        raise CredentialFormatError("secret", "A secret holds only printable ASCII characters.")


def check_passphrase(value: str) -> None:
    """Raise CredentialFormatError when a passphrase is not shaped like one."""
    if not 1 <= len(value) <= MAX_PASSPHRASE:
        raise CredentialFormatError(
            "passphrase", f"A passphrase is 1 to {MAX_PASSPHRASE} characters long."
        )
    if not _PASSPHRASE.match(value):
        raise CredentialFormatError(
            "passphrase", "A passphrase holds only printable ASCII characters, on one line."
        )


def mask_key(last4: str) -> str:
    """Show an API key as its last four characters."""
    return "\u2022\u2022\u2022\u2022" + last4


@dataclass(frozen=True)
class ScopeVerdict:
    """Whether a key may be stored and used, and what the user should know about it."""

    refused: str = ""
    warnings: tuple[str, ...] = field(default=())

    @property
    def accepted(self) -> bool:
        return not self.refused


def assess_permissions(permissions: KeyPermissions, *, mode: str) -> ScopeVerdict:
    """Judge a key by what the exchange says it may do.

    Keys that can withdraw or transfer funds are refused; live mode needs a key restricted
    to known IP addresses; a key without such a restriction gets a warning.
    """
    if not permissions.known:
        if mode == LIVE:
            return ScopeVerdict(
                refused=(
                    "This exchange does not tell what a key may do, so an IP restriction "
                    "cannot be confirmed; live mode needs one. Use testnet mode."
                )
            )
        return ScopeVerdict(
            warnings=(
                "This exchange does not tell what a key may do: make sure it cannot "
                "withdraw or transfer funds and is restricted to your server's IP address.",
            )
        )
    if permissions.can_withdraw:
        return ScopeVerdict(
            refused="This key can withdraw funds. Create a key without withdrawal permission."
        )
    if permissions.can_transfer:
        return ScopeVerdict(
            refused="This key can transfer funds between accounts. Create a key without "
            "transfer permission."
        )
    warnings: list[str] = []
    if permissions.ip_restricted is not True:
        if mode == LIVE:
            return ScopeVerdict(
                refused="Live mode needs a key restricted to your server's IP address."
            )
        warnings.append(
            "This key is not restricted to an IP address; restrict it before trading live."
        )
    if not permissions.can_trade:
        warnings.append("This key cannot trade; it can only read.")
    return ScopeVerdict(warnings=tuple(warnings))
