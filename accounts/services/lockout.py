"""One lockout for every sign-in door: API token, API session, admin login, password reset.

Attempts are counted per username and client address, atomically, *before* the password is
checked: the counter is incremented first (Redis INCR with its expiry in one transaction;
a process-wide lock on the embedded default), and only an attempt that got a number within
the limit reaches the password check. So however many requests arrive at once, at most
`QT_LOGIN_LOCKOUT_FAILURES` passwords are checked per window; the rest get the lockout
answer. Reaching the limit with a failure locks the pair for `QT_LOGIN_LOCKOUT_SECONDS`.
The lock applies whether or not the username exists (the answer reveals nothing), and
every door gives the same message.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.views.decorators.debug import sensitive_variables

from accounts.models import AuditEvent, User
from accounts.notifications.security import new_address_notice
from accounts.services.audit import audit_record
from accounts.services.counters import (
    counter_extend,
    counter_get,
    counter_hit,
    counter_reset,
    counter_ttl,
)
from markets.core.errors import QuantumTraderError

LOCKED_MESSAGE = "Too many failed sign-in attempts. Try again in {minutes} minutes."

T = TypeVar("T")


class LoginLockedError(QuantumTraderError):
    """Sign-in for this username from this address is locked; the message says for how long."""

    code = "login_locked"
    status = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__(lockout_message())
        self.retry_after = retry_after


def _key(username: str, ip_address: str | None) -> str:
    digest = hashlib.sha256(f"{username.casefold()}|{ip_address or '-'}".encode()).hexdigest()
    return f"qt:login:attempts:{digest[:40]}"


def lockout_message() -> str:
    minutes = max(1, round(settings.QT_LOGIN_LOCKOUT_SECONDS / 60))
    return LOCKED_MESSAGE.format(minutes=minutes)


def _known_user(username: str) -> User | None:
    user: User | None = get_user_model().objects.filter(username=username).first()
    return user


def login_is_locked(*, username: str, ip_address: str | None) -> bool:
    """Return whether sign-in for this username from this address is locked."""
    return counter_get(_key(username, ip_address)) >= settings.QT_LOGIN_LOCKOUT_FAILURES


def login_lock_remaining(*, username: str, ip_address: str | None) -> int:
    """Seconds until the lock (or the counting window) ends."""
    return max(1, counter_ttl(_key(username, ip_address)))


@sensitive_variables()
def guarded_attempt(
    *, username: str, ip_address: str | None, attempt: Callable[[], T | None], door: str
) -> T | None:
    """Run one sign-in `attempt` under the lockout; raise LoginLockedError when locked.

    `attempt` checks the secret (password, reset token) and returns the signed-in object or
    None on failure. It runs only when this attempt's number is within the limit.
    """
    key = _key(username, ip_address)
    limit, window = settings.QT_LOGIN_LOCKOUT_FAILURES, settings.QT_LOGIN_LOCKOUT_SECONDS
    number = counter_hit(key, window=window)
    if number > limit:
        raise LoginLockedError(max(1, counter_ttl(key)))
    result = attempt()
    user = _known_user(username)
    if result is not None:
        counter_reset(key)
        new_address_notice(user=user, ip_address=ip_address)
        audit_record(
            action=AuditEvent.Action.LOGIN_SUCCEEDED,
            target=user,
            ip_address=ip_address,
            details={"door": door},
        )
        return result
    # An unknown "username" is not recorded: people type passwords into that field.
    if user is not None:
        audit_record(
            action=AuditEvent.Action.LOGIN_FAILED,
            target=user,
            ip_address=ip_address,
            details={"door": door, "attempt": number},
        )
    if number == limit:
        counter_extend(key, window=window)
        audit_record(
            action=AuditEvent.Action.LOGIN_LOCKED,
            actor=None,
            target=user,
            target_type="" if user else "unknown username",
            ip_address=ip_address,
            details={
                "door": door,
                "failures": number,
                "locked_seconds": window,
                "known": user is not None,
            },
        )
        raise LoginLockedError(window)
    return None


def login_succeeded(*, username: str, ip_address: str | None) -> None:
    """Forget earlier failures (a sign-in proven some other way)."""
    counter_reset(_key(username, ip_address))
