"""Security events a user is told about: a sign-in from a new address, a key that failed."""

from __future__ import annotations

from typing import Any

from accounts.models import AuditEvent
from accounts.notifications.services import notify


def new_address_notice(*, user: Any, ip_address: str | None) -> None:
    """Tell a user about a sign-in from an address none of their earlier sign-ins came from.

    Call it before the sign-in is recorded. The very first sign-in is not news.
    """
    if user is None or ip_address is None:
        return
    earlier = AuditEvent.objects.filter(subject=user, action=AuditEvent.Action.LOGIN_SUCCEEDED)
    if not earlier.exists() or earlier.filter(ip_address=ip_address).exists():
        return
    notify(
        user_id=user.pk,
        kind="login.new_address",
        title="Sign-in from a new address",
        body=f"Someone signed in to your account from {ip_address}. If it was not you, change "
        "your password and sign out everywhere.",
        data={"ip_address": ip_address},
    )


def key_scope_notice(*, owner_id: int, account_id: int, label: str, reason: str) -> None:
    """Tell a user that one of their exchange keys failed its scope check (now unusable)."""
    notify(
        user_id=owner_id,
        kind="key.scope_failed",
        title=f"Exchange key {label} failed its scope check",
        body=reason[:300],
        data={"exchange_account_id": account_id},
    )
