"""The audit log: who did what, when, from which address. Other apps call `audit_record`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.http import HttpRequest

from accounts.models import AuditEvent, User
from accounts.services.client_address import client_address
from markets.core.redaction import redact

AuditAction = AuditEvent.Action
"""The audit log's actions, for other apps' `audit_record` calls."""


def client_ip(request: HttpRequest | Any) -> str | None:
    """The client's address; see `accounts.services.client_address` (kept for callers)."""
    return client_address(request)


def _subject_of(target: models.Model | None, actor: User | None) -> User | None:
    if isinstance(target, User):
        return target
    owner_id = getattr(target, "owner_id", None)
    if isinstance(owner_id, int):
        return User(pk=owner_id)
    return actor


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
    subject: User | None = None,
) -> AuditEvent:
    """Record one audit event. Pass `target` (a model instance) or its type/id/repr.

    `details` must be small and hold no secret; values under credential-like keys are
    masked anyway. `subject` is the user whose security activity this is (the one who
    sees it in their audit list); by default the target user, the target's owner, or the
    actor.
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
    if subject is None:
        subject = _subject_of(target, actor)
    return AuditEvent.objects.create(
        subject=subject,
        actor=actor,
        action=action,
        target_type=target_type[:64],
        target_id=str(target_id)[:64],
        target_repr=target_repr[:200],
        ip_address=ip_address,
        details=redact(details or {}),
    )


@dataclass(frozen=True)
class AuditEntry:
    """One audit event of a batch (`audit_record_each`): its target and details, and who did
    it from where (None: the system itself)."""

    target: models.Model
    details: dict[str, Any] = field(default_factory=dict)
    actor: User | None = None
    ip_address: str | None = None


def audit_record_each(*, action: str, entries: Sequence[AuditEntry]) -> list[AuditEvent]:
    """Record one audit event per entry in one statement, each with its own actor and address;
    the same subject and masking as `audit_record`."""
    if action not in AuditEvent.Action.values:
        raise ValueError(f"unknown audit action {action!r}")
    rows = []
    for entry in entries:
        actor = entry.actor
        if actor is not None and not getattr(actor, "is_authenticated", False):
            actor = None
        rows.append(
            AuditEvent(
                subject=_subject_of(entry.target, actor),
                actor=actor,
                action=action,
                target_type=entry.target._meta.label_lower[:64],
                target_id=str(entry.target.pk)[:64],
                target_repr=str(entry.target)[:200],
                ip_address=entry.ip_address,
                details=redact(entry.details or {}),
            )
        )
    return AuditEvent.objects.bulk_create(rows) if rows else []


def audit_record_many(
    *, action: str, entries: list[tuple[models.Model, dict[str, Any]]]
) -> list[AuditEvent]:
    """Record one audit event per (target, details) in one statement: the system's own
    changes to many objects at once (no actor, no address). Same masking as `audit_record`."""
    return audit_record_each(
        action=action,
        entries=[AuditEntry(target=target, details=details) for target, details in entries],
    )
