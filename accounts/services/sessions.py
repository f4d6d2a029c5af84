"""Sign-ins a user can see and revoke: browser sessions and API tokens.

Every session login (dashboard or admin) and every issued token gets a `UserSession` row
with when and where it started and was last used. Revoking one deletes it (a session is
also deleted from the session store, so its cookie stops working at once); "sign out
everywhere" revokes them all. API tokens are random, shown once and stored as a digest.
A revoked sign-in's open websocket connections are closed too (its `signin.<id>` group).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from importlib import import_module
from typing import Any

import structlog
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from accounts.events import SIGN_IN_REVOKED, sign_in_group
from accounts.models import AuditEvent, User, UserSession
from accounts.services.audit import audit_record
from accounts.services.client_address import client_address

log = structlog.get_logger(__name__)

# A sign-in's "last used" is written at most this often (one small UPDATE, not one a request).
TOUCH_INTERVAL = timedelta(seconds=60)
TOKEN_BYTES = 30


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _user_agent(request: Any) -> str:
    meta = getattr(request, "META", None) or {}
    return str(meta.get("HTTP_USER_AGENT", ""))[:200]


def token_issue(*, user: User, request: Any = None) -> str:
    """Create a new API token for the user and return it (the only time it is readable)."""
    key = secrets.token_urlsafe(TOKEN_BYTES)
    address = client_address(request) if request is not None else None
    UserSession.objects.create(
        user=user,
        kind=UserSession.Kind.TOKEN,
        token_digest=token_digest(key),
        token_last4=key[-4:],
        ip_address=address,
        last_used_ip=address,
        user_agent=_user_agent(request),
    )
    return key


def token_lookup(key: str) -> UserSession | None:
    """The token's sign-in (with its user), or None for an unknown or revoked token."""
    try:
        return UserSession.objects.select_related("user").get(
            kind=UserSession.Kind.TOKEN, token_digest=token_digest(key)
        )
    except UserSession.DoesNotExist:
        return None


def sign_in_touch(sign_in: UserSession, *, request: Any) -> None:
    """Record that this sign-in was used now, from the request's address (rate-limited)."""
    now = timezone.now()
    if now - sign_in.last_used_at < TOUCH_INTERVAL:
        return
    if not cache.add(f"qt:signin-touch:{sign_in.pk}", 1, timeout=TOUCH_INTERVAL.seconds):
        return
    address = client_address(request)
    UserSession.objects.filter(pk=sign_in.pk).update(last_used_at=now, last_used_ip=address)
    sign_in.last_used_at, sign_in.last_used_ip = now, address


def session_track(*, user: User, request: Any) -> UserSession | None:
    """Record a new browser session (called when a user signs in with a session)."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    if session.session_key is None:
        session.save()
    address = client_address(request)
    sign_in, _ = UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "kind": UserSession.Kind.SESSION,
            "ip_address": address,
            "last_used_ip": address,
            "user_agent": _user_agent(request),
        },
    )
    return sign_in


def session_sign_in(session_key: str | None) -> UserSession | None:
    if not session_key:
        return None
    return UserSession.objects.filter(
        kind=UserSession.Kind.SESSION, session_key=session_key
    ).first()


def session_forget(session_key: str | None) -> None:
    """Drop the record of a session that ended (sign-out) and close its connections."""
    if session_key:
        rows = UserSession.objects.filter(session_key=session_key)
        connections_close(list(rows.values_list("pk", flat=True)))
        rows.delete()


def token_revoke(sign_in: UserSession) -> None:
    """Revoke a token by its own holder signing out (no audit entry needed)."""
    connections_close([sign_in.pk])
    UserSession.objects.filter(pk=sign_in.pk).delete()


def connections_close(sign_in_ids: list[int]) -> None:
    """Close the open websocket connections of these sign-ins once the transaction commits.

    The channel layer reaches every web process with Redis; in the embedded default it is
    the one web process's memory, where every sign-out and revocation is handled.
    """
    if sign_in_ids:
        groups = [sign_in_group(pk) for pk in sign_in_ids]
        transaction.on_commit(lambda: _send_close(groups))


def _send_close(groups: list[str]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return

    async def send_all() -> None:
        for group in groups:
            await layer.group_send(group, {"type": SIGN_IN_REVOKED})

    try:
        async_to_sync(send_all)()
    except Exception as e:  # the sign-in is revoked either way; its token no longer works
        log.warning("accounts.connections_close_failed", groups=len(groups), error=str(e))


def _delete_sessions(keys: list[str]) -> None:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in keys:
        store(session_key=key).delete()


@transaction.atomic
def sign_in_revoke(*, user: User, sign_in_id: int, ip_address: str | None) -> None:
    """Revoke one of the user's sessions or tokens; another user's raises DoesNotExist."""
    sign_in = UserSession.objects.select_for_update().get(pk=sign_in_id, user=user)
    if sign_in.session_key:
        _delete_sessions([sign_in.session_key])
    audit_record(
        action=AuditEvent.Action.SESSION_REVOKED,
        actor=user,
        subject=user,
        target_type="accounts.usersession",
        target_id=sign_in.pk,
        target_repr=sign_in.get_kind_display(),
        ip_address=ip_address,
        details={"kind": sign_in.kind},
    )
    connections_close([sign_in.pk])
    sign_in.delete()


@transaction.atomic
def sign_out_everywhere(*, user: User, ip_address: str | None, audit: bool = True) -> int:
    """Revoke every session and token of the user; return how many there were."""
    rows = list(UserSession.objects.select_for_update().filter(user=user))
    _delete_sessions([row.session_key for row in rows if row.session_key])
    connections_close([row.pk for row in rows])
    UserSession.objects.filter(pk__in=[row.pk for row in rows]).delete()
    if audit:
        audit_record(
            action=AuditEvent.Action.LOGOUT_EVERYWHERE,
            actor=user,
            target=user,
            ip_address=ip_address,
            details={"revoked": len(rows)},
        )
    return len(rows)


def tokens_revoke_all(*, user: User) -> int:
    """Revoke every API token of the user (after a password change or reset)."""
    tokens = UserSession.objects.filter(user=user, kind=UserSession.Kind.TOKEN)
    connections_close(list(tokens.values_list("pk", flat=True)))
    deleted, _ = tokens.delete()
    return deleted


def session_rekey(*, old_key: str | None, new_key: str | None) -> None:
    """Follow a session whose key changed (Django cycles it on a password change)."""
    if old_key and new_key and old_key != new_key:
        UserSession.objects.filter(session_key=old_key).update(session_key=new_key)
