"""Lock a username at an address after repeated failed logins (kept in the cache).

The lock is per username and address, applies whether or not the username exists (so the
answer reveals nothing), and covers session and token login alike.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache

from accounts.models import AuditEvent
from accounts.services.audit import audit_record
from markets.core.errors import QuantumTraderError

LOCKED_MESSAGE = "Too many failed sign-in attempts. Try again in {minutes} minutes."


class LoginLockedError(QuantumTraderError):
    """Sign-ins for this username from this address are locked for a while."""

    code = "login_locked"
    status = 429

    def __init__(self) -> None:
        super().__init__(lockout_message())
        self.retry_after = float(settings.QT_LOGIN_LOCKOUT_SECONDS)


def _key(kind: str, username: str, ip_address: str | None) -> str:
    digest = hashlib.sha256(f"{username.casefold()}|{ip_address or '-'}".encode()).hexdigest()
    return f"qt:login:{kind}:{digest[:40]}"


def lockout_message() -> str:
    minutes = max(1, round(settings.QT_LOGIN_LOCKOUT_SECONDS / 60))
    return LOCKED_MESSAGE.format(minutes=minutes)


def login_is_locked(*, username: str, ip_address: str | None) -> bool:
    """Return whether logins for this username from this address are locked."""
    return cache.get(_key("lock", username, ip_address)) is not None


def login_failed(*, username: str, ip_address: str | None) -> bool:
    """Count a failed login; lock and audit when the limit is reached. Return True if locked."""
    window = settings.QT_LOGIN_LOCKOUT_SECONDS
    now = time.time()
    key = _key("fail", username, ip_address)
    failures = [t for t in cache.get(key, []) if t > now - window] + [now]
    if len(failures) < settings.QT_LOGIN_LOCKOUT_FAILURES:
        cache.set(key, failures, timeout=window)
        return False
    cache.set(_key("lock", username, ip_address), 1, timeout=window)
    cache.delete(key)
    user = get_user_model().objects.filter(username=username).first()
    # An unknown "username" is not recorded: people type passwords into that field.
    audit_record(
        action=AuditEvent.Action.LOGIN_LOCKED,
        actor=None,
        target=user,
        target_type="" if user else "unknown username",
        ip_address=ip_address,
        details={"failures": len(failures), "locked_seconds": window, "known": user is not None},
    )
    return True


def login_succeeded(*, username: str, ip_address: str | None) -> None:
    """Forget earlier failures after a successful login."""
    cache.delete(_key("fail", username, ip_address))
