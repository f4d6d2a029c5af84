"""The audit log: who did what, when, from which address. Other apps call `audit_record`."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest

from accounts.models import AuditEvent, User
from markets.core.redaction import redact

AuditAction = AuditEvent.Action
"""The audit log's actions, for other apps' `audit_record` calls."""


def client_ip(request: HttpRequest | Any) -> str | None:
    """Return the client's address: REMOTE_ADDR, or the proxy's X-Forwarded-For entry.

    X-Forwarded-For is trusted only behind our own TLS proxy (BEHIND_TLS_PROXY), and then
    only its last entry, the one that proxy appended; earlier entries are client-supplied.
    """
    meta = getattr(request, "META", {})
    candidate = meta.get("REMOTE_ADDR", "")
    if settings.BEHIND_TLS_PROXY:
        forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if forwarded:
            candidate = forwarded[-1]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def audit_record(
    *,
    action: str,
    actor: User | None = None,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str | int = "",
    target_repr: str = "",
    ip_address: str | None = None,
    request: HttpRequest | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record one audit event. Pass `target` (a model instance) or its type/id/repr.

    `details` must be small and hold no secret; values under credential-like keys are
    masked anyway.
    """
    if action not in AuditEvent.Action.values:
        raise ValueError(f"unknown audit action {action!r}")
    if target is not None:
        target_type = target._meta.label_lower
        target_id = target.pk
        target_repr = str(target)
    if request is not None and ip_address is None:
        ip_address = client_ip(request)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        target_type=target_type[:64],
        target_id=str(target_id)[:64],
        target_repr=target_repr[:200],
        ip_address=ip_address,
        details=redact(details or {}),
    )
