"""Writes of notifications: `notify`, channels, preferences and the notification centre.

`notify` is the one door: every app calls it (through `accounts.services`) when something a
user should hear about happens. It records the notification for the centre, pushes it over
the user's stream, and queues one delivery per channel that wants the event, unless the
channel is paused, the user is in quiet hours, or the channel's hourly limit is used up (then
the delivery is logged as skipped with why). Sending happens in a worker, never here.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from datetime import time, timedelta
from typing import Any
from urllib.parse import urlsplit

import structlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from accounts.core import crypto
from accounts.core import notifications as rules
from accounts.events import user_group
from accounts.notifications.models import (
    Delivery,
    Notification,
    NotificationChannel,
    NotificationPreference,
)
from markets.core.errors import QuantumTraderError
from markets.stream import publish

log = structlog.get_logger(__name__)

RETENTION = timedelta(days=30)
RECORD_KIND = "notification_channel"
_COUNTED = (Delivery.Status.PENDING, Delivery.Status.SENDING, Delivery.Status.SENT)


class NotificationError(QuantumTraderError):
    """A request about notifications cannot be done; the message is safe to show."""

    code = "invalid"
    status = 400


@dataclass(frozen=True)
class ChannelSecrets:
    """The decrypted target of a channel; lives only inside a delivery."""

    url: str
    secret: str


def _keyring() -> list[tuple[str, bytes]]:
    return list(settings.QT_ENCRYPTION_KEYS)


def _identity(channel: NotificationChannel) -> crypto.RecordIdentity:
    return crypto.RecordIdentity(owner_id=channel.owner_id, account_id=channel.pk, kind=RECORD_KIND)


def notification_payload(notification: Notification) -> dict[str, Any]:
    """Describe a notification as the centre and the stream show it."""
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "title": notification.title,
        "body": notification.body,
        "data": notification.data,
        "created_at": notification.created_at.isoformat().replace("+00:00", "Z"),
        "read": notification.read_at is not None,
    }


def _skip_reason(channel: NotificationChannel, *, quiet: bool, sent_counts: dict[int, int]) -> str:
    if channel.paused:
        return "channel_paused"
    if quiet:
        return "quiet_hours"
    if sent_counts.get(channel.pk, 0) >= channel.max_per_hour:
        return "rate_limited"
    return ""


def deliveries_enqueue(delivery_ids: list[int]) -> int:
    """Queue pending deliveries for the notify workers, a batch per task; return the tasks sent.

    Call it once the deliveries are committed. A task also takes other due deliveries up to a
    batch, so a task that finds its own already claimed still helps drain a burst.
    """
    from accounts.notifications.delivery import BATCH
    from accounts.tasks import notification_deliver_batch_task

    chunks = [delivery_ids[i : i + BATCH] for i in range(0, len(delivery_ids), BATCH)]
    if len(chunks) == 1:
        notification_deliver_batch_task.delay(chunks[0])
        return 1
    with notification_deliver_batch_task.app.producer_or_acquire() as producer:
        for chunk in chunks:
            notification_deliver_batch_task.apply_async((chunk,), producer=producer)
    return len(chunks)


def _enqueue(delivery_ids: list[int]) -> None:
    if delivery_ids:
        deliveries_enqueue(delivery_ids)


def _recent_counts(channel_ids: list[int], since: Any) -> dict[int, int]:
    from django.db.models import Count

    rows = (
        Delivery.objects.filter(
            channel_id__in=channel_ids, is_test=False, created_at__gte=since, status__in=_COUNTED
        )
        .values("channel_id")
        .annotate(n=Count("id"))
    )
    return {row["channel_id"]: row["n"] for row in rows}


def _create(
    *, user_id: int, kind: str, title: str, body: str, data: dict[str, Any]
) -> Notification:
    now = timezone.now()
    notification = Notification.objects.create(
        user_id=user_id, kind=kind, title=title[:200], body=body, data=data, created_at=now
    )
    publish(
        group=user_group(user_id),
        type="notification",
        id=notification.pk,
        data=notification_payload(notification),
    )
    if kind not in rules.EVENT_KINDS:
        return notification
    # Locking the user's channels serializes concurrent events, so the hourly limit holds.
    channels = [
        channel
        for channel in NotificationChannel.objects.select_for_update()
        .filter(owner_id=user_id, enabled=True)
        .order_by("pk")
        if kind in channel.events
    ]
    if not channels:
        return notification
    preference = NotificationPreference.objects.filter(user_id=user_id).first()
    quiet = preference is not None and rules.in_quiet_hours(
        now, preference.quiet_start, preference.quiet_end, preference.timezone
    )
    counts = _recent_counts([c.pk for c in channels], now - timedelta(hours=1))
    deliveries = []
    for channel in channels:
        reason = _skip_reason(channel, quiet=quiet, sent_counts=counts)
        deliveries.append(
            Delivery(
                notification=notification,
                channel=channel,
                kind=kind,
                status=Delivery.Status.SKIPPED if reason else Delivery.Status.PENDING,
                reason=reason,
                created_at=now,
            )
        )
    Delivery.objects.bulk_create(deliveries)
    pending = [d.pk for d in deliveries if d.status == Delivery.Status.PENDING]
    if pending:
        transaction.on_commit(lambda: _enqueue(pending))
    return notification


def notify(
    *, user_id: int, kind: str, title: str, body: str = "", data: dict[str, Any] | None = None
) -> Notification | None:
    """Tell a user that something happened: in the centre, on the stream, on their channels.

    `data` must be small and hold no secret. Never raises: a notification that cannot be
    recorded is logged and dropped, so the work that caused it goes on.
    """
    if kind not in rules.ALL_KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    try:
        with transaction.atomic():
            return _create(user_id=user_id, kind=kind, title=title, body=body, data=data or {})
    except Exception as e:  # a notification must never break an order or a bot
        log.warning("notification.failed", user_id=user_id, kind=kind, error=str(e))
        return None


# --- channels ---------------------------------------------------------------------------------


def _check_events(events: Any) -> list[str]:
    if not isinstance(events, list) or not all(isinstance(e, str) for e in events):
        raise NotificationError("Give a list of event kinds.", field="events")
    unknown = sorted(set(events) - set(rules.EVENT_KINDS))
    if unknown:
        raise NotificationError(f"Unknown event kind: {unknown[0][:40]}.", field="events")
    return sorted(set(events))


def _address_is_private(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError):
        return False
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if address.is_private or address.is_loopback or address.is_link_local:
            return True
    return False


@sensitive_variables()
def _check_webhook_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise NotificationError("Give an http(s) URL.", field="url")
    if parts.scheme == "http" and not settings.NOTIFY_ALLOW_PRIVATE_TARGETS:
        raise NotificationError("Webhooks must use https.", field="url")
    if not settings.NOTIFY_ALLOW_PRIVATE_TARGETS and _address_is_private(parts.hostname):
        raise NotificationError("Webhooks cannot point at a private address.", field="url")


@sensitive_variables()
def _check_apprise_url(url: str) -> None:
    import apprise

    if not isinstance(url, str) or not url or len(url) > 2000:
        raise NotificationError("Give an Apprise URL.", field="url")
    if apprise.Apprise.instantiate(url) is None:
        raise NotificationError("Apprise does not understand this URL.", field="url")


def _check_target(kind: str, *, url: str, email: str) -> None:
    if kind == NotificationChannel.Kind.EMAIL:
        try:
            validate_email(email)
        except ValidationError:
            raise NotificationError("Give a valid e-mail address.", field="email") from None
        return
    if not isinstance(url, str) or not url or len(url) > 2000:
        raise NotificationError("Give the channel's URL.", field="url")
    if kind == NotificationChannel.Kind.WEBHOOK:
        _check_webhook_url(url)
    else:
        _check_apprise_url(url)


def _seal(channel: NotificationChannel, *, url: str, secret: str) -> None:
    fields = {"url": url}
    if secret:
        fields["secret"] = secret
    sealed = crypto.seal(keyring=_keyring(), record=_identity(channel), fields=fields)
    channel.url_ct = sealed.fields["url"]
    channel.secret_ct = sealed.fields.get("secret", "")
    channel.wrapped_key = sealed.wrapped_key
    channel.key_id = sealed.key_id
    channel.masked_target = rules.mask_url(
        url, show_host=channel.kind == NotificationChannel.Kind.WEBHOOK
    )


@sensitive_variables()
def channel_secrets(channel: NotificationChannel) -> ChannelSecrets:
    """Decrypt a channel's URL and signing secret (for the delivery worker only)."""
    stored = {"url": channel.url_ct}
    if channel.secret_ct:
        stored["secret"] = channel.secret_ct
    plain = crypto.open_fields(
        keyring=_keyring(),
        record=_identity(channel),
        wrapped_key=channel.wrapped_key,
        fields=stored,
    )
    return ChannelSecrets(url=plain["url"], secret=plain.get("secret", ""))


def _max_per_hour(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10_000:
        raise NotificationError("Give a whole number from 1 to 10000.", field="max_per_hour")
    return int(value)


@sensitive_variables()
def channel_create(
    *,
    owner: Any,
    kind: str,
    label: str,
    events: Any,
    url: str = "",
    email: str = "",
    max_per_hour: int = 30,
) -> tuple[NotificationChannel, str]:
    """Add a channel; return it and, for a webhook, its signing secret (shown this once)."""
    import secrets as random_secrets

    if kind not in NotificationChannel.Kind.values:
        raise NotificationError("Choose webhook, apprise or email.", field="kind")
    if not isinstance(label, str) or not label.strip() or len(label) > 64:
        raise NotificationError("Give a label of at most 64 characters.", field="label")
    chosen = _check_events(events)
    limit = _max_per_hour(max_per_hour)
    _check_target(kind, url=url, email=email)
    secret = random_secrets.token_urlsafe(32) if kind == NotificationChannel.Kind.WEBHOOK else ""
    try:
        with transaction.atomic():
            channel = NotificationChannel.objects.create(
                owner=owner,
                kind=kind,
                label=label.strip(),
                events=chosen,
                email=email if kind == NotificationChannel.Kind.EMAIL else "",
                max_per_hour=limit,
                masked_target=email if kind == NotificationChannel.Kind.EMAIL else "",
            )
            if kind != NotificationChannel.Kind.EMAIL:
                # The row's id is bound into the ciphertexts, so it must exist first.
                _seal(channel, url=url, secret=secret)
                channel.save(
                    update_fields=["url_ct", "secret_ct", "wrapped_key", "key_id", "masked_target"]
                )
    except IntegrityError:
        raise NotificationError(
            "You already have a channel with this label.", field="label", code="unique"
        ) from None
    log.info("notification_channel.created", channel_id=channel.pk, kind=kind)
    return channel, secret


def channel_get_owned(*, owner: Any, channel_id: int) -> NotificationChannel:
    """Return the owner's channel; raise NotificationChannel.DoesNotExist for anyone else's."""
    return NotificationChannel.objects.get(pk=channel_id, owner=owner)


@sensitive_variables()
def channel_update(*, owner: Any, channel_id: int, changes: dict[str, Any]) -> NotificationChannel:
    """Change a channel's label, events, limit, URL, or resume it (`paused: false`)."""
    with transaction.atomic():
        channel = NotificationChannel.objects.select_for_update().get(pk=channel_id, owner=owner)
        if "label" in changes:
            label = changes["label"]
            if not isinstance(label, str) or not label.strip() or len(label) > 64:
                raise NotificationError("Give a label of at most 64 characters.", field="label")
            channel.label = label.strip()
        if "events" in changes:
            channel.events = _check_events(changes["events"])
        if "max_per_hour" in changes:
            channel.max_per_hour = _max_per_hour(changes["max_per_hour"])
        if "enabled" in changes:
            channel.enabled = bool(changes["enabled"])
        if changes.get("paused") is False and channel.paused:
            channel.paused, channel.paused_reason, channel.consecutive_failures = False, "", 0
        if "email" in changes and channel.kind == NotificationChannel.Kind.EMAIL:
            _check_target(channel.kind, url="", email=changes["email"])
            channel.email = channel.masked_target = changes["email"]
        if changes.get("url") and channel.kind != NotificationChannel.Kind.EMAIL:
            _check_target(channel.kind, url=changes["url"], email="")
            secret = channel_secrets(channel).secret if channel.secret_ct else ""
            _seal(channel, url=changes["url"], secret=secret)
        try:
            with transaction.atomic():
                channel.save()
        except IntegrityError:
            raise NotificationError(
                "You already have a channel with this label.", field="label", code="unique"
            ) from None
    return channel


def channel_delete(*, owner: Any, channel_id: int) -> None:
    """Remove a channel and its delivery log."""
    NotificationChannel.objects.get(pk=channel_id, owner=owner).delete()


def channel_test(*, owner: Any, channel_id: int) -> Delivery:
    """Queue one test message to a channel (sent even when paused; never retried)."""
    channel = NotificationChannel.objects.get(pk=channel_id, owner=owner)
    delivery = Delivery.objects.create(channel=channel, kind="test", is_test=True)
    transaction.on_commit(lambda: _enqueue([delivery.pk]))
    return delivery


# --- preferences and the centre ---------------------------------------------------------------


def _time(value: Any, field: str) -> time | None:
    if value in (None, ""):
        return None
    if isinstance(value, time):
        return value
    try:
        return time.fromisoformat(str(value))
    except ValueError:
        raise NotificationError("Give a time as HH:MM.", field=field) from None


def preference_get(*, user: Any) -> NotificationPreference:
    """Return the user's preferences, created with defaults on first use."""
    preference, _ = NotificationPreference.objects.get_or_create(user=user)
    return preference


def preference_update(*, user: Any, changes: dict[str, Any]) -> NotificationPreference:
    """Set the user's quiet hours and their time zone."""
    preference = preference_get(user=user)
    if "timezone" in changes:
        try:
            rules.zone(str(changes["timezone"]))
        except ValueError:
            raise NotificationError("Unknown time zone.", field="timezone") from None
        preference.timezone = str(changes["timezone"])
    if "quiet_start" in changes:
        preference.quiet_start = _time(changes["quiet_start"], "quiet_start")
    if "quiet_end" in changes:
        preference.quiet_end = _time(changes["quiet_end"], "quiet_end")
    if (preference.quiet_start is None) != (preference.quiet_end is None):
        raise NotificationError("Give both ends of the quiet hours, or neither.", field="quiet_end")
    preference.updated_at = timezone.now()
    preference.save()
    return preference


def notifications_mark_read(*, user: Any, ids: list[int] | None = None) -> int:
    """Mark some (or, without ids, all) of the user's notifications read; return how many."""
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(read_at=timezone.now())


def notifications_prune(*, now: Any = None) -> int:
    """Delete notifications older than 30 days (their deliveries go with them)."""
    cutoff = (now or timezone.now()) - RETENTION
    deleted, _ = Notification.objects.filter(created_at__lt=cutoff).delete()
    Delivery.objects.filter(notification__isnull=True, created_at__lt=cutoff).delete()
    return deleted


def channel_rewrap(*, channel_id: int) -> str:
    """Re-wrap a channel's data key under the first master key; idempotent.

    Returns "rewrapped", "current" or "failed" (it cannot be decrypted: the channel is
    paused with the reason, and its URL must be entered again).
    """
    current_id = _keyring()[0][0]
    with transaction.atomic():
        channel = NotificationChannel.objects.select_for_update().get(pk=channel_id)
        if not channel.wrapped_key or (
            channel.key_id == current_id and crypto.key_id_of(channel.wrapped_key) == current_id
        ):
            return "current"
        stored = {"url": channel.url_ct}
        if channel.secret_ct:
            stored["secret"] = channel.secret_ct
        try:
            key_id, wrapped = crypto.rewrap(
                keyring=_keyring(),
                record=_identity(channel),
                wrapped_key=channel.wrapped_key,
                fields=stored,
            )
        except crypto.CryptoError as e:
            reason = f"The channel's URL cannot be decrypted ({e}); enter it again."[:500]
            NotificationChannel.objects.filter(pk=channel.pk).update(
                paused=True, paused_reason=reason
            )
            return "failed"
        channel.wrapped_key, channel.key_id = wrapped, key_id
        channel.save(update_fields=["wrapped_key", "key_id"])
        return "rewrapped"
