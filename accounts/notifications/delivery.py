"""Send one delivery: a signed webhook, an Apprise notification or an e-mail.

Runs in a worker on the `notify` queue. A delivery is claimed with a conditional update, so a
task that runs twice sends once. A failed attempt is retried with a doubling wait; a channel
that fails 5 times in a row is paused, its waiting deliveries are skipped, and the user is
told in the notification centre.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import unquote, urlsplit

import structlog
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from accounts.core import crypto
from accounts.core import notifications as rules
from accounts.notifications import services
from accounts.notifications.models import Delivery, NotificationChannel

log = structlog.get_logger(__name__)

FAILURE_LIMIT = 5
MAX_ATTEMPTS = 4
_EXCERPT = 500
_MIN_PART = 6

# Apprise's own log lines may name parts of a URL; its words reach the delivery log only,
# scrubbed, never the process logs.
logging.getLogger("apprise").propagate = False


@dataclass(frozen=True)
class Outcome:
    ok: bool
    code: int | None = None
    excerpt: str = ""
    error: str = ""


def _url_parts(url: str) -> list[str]:
    """The pieces of a URL that may be secret, longest first (for scrubbing free text)."""
    parts = urlsplit(url)
    pieces = [
        url,
        parts.netloc,
        parts.path,
        parts.query,
        parts.username or "",
        parts.password or "",
    ]
    pieces += [unquote(p) for p in parts.path.split("/")] + [parts.hostname or ""]
    pieces += [p.split("=", 1)[-1] for p in parts.query.split("&")]
    return sorted({p for p in pieces if len(p) >= _MIN_PART}, key=len, reverse=True)


def scrub(text: str, secrets: list[str]) -> str:
    """Return text with every secret piece masked, cut to the length the log keeps."""
    for piece in secrets:
        text = text.replace(piece, "***")
    return text[:_EXCERPT]


def _message(delivery: Delivery) -> dict[str, Any]:
    notification = delivery.notification
    if notification is None:
        return {
            "id": None,
            "delivery": delivery.pk,
            "kind": "test",
            "title": "Test notification from Quantum Trader",
            "body": "This channel works.",
            "data": {},
            "created_at": delivery.created_at.isoformat().replace("+00:00", "Z"),
            "test": True,
        }
    payload = services.notification_payload(notification)
    payload.pop("read")
    return {**payload, "delivery": delivery.pk, "test": False}


@sensitive_variables()
def _send_webhook(target: services.ChannelSecrets, message: dict[str, Any]) -> Outcome:
    import requests

    body = json.dumps(message, separators=(",", ":"), sort_keys=True).encode()
    stamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "QuantumTrader-Webhook/1",
        rules.TIMESTAMP_HEADER: str(stamp),
        rules.SIGNATURE_HEADER: rules.sign(target.secret, stamp, body),
        "X-QT-Event": str(message["kind"]),
        "X-QT-Delivery": str(message["delivery"]),
    }
    hidden = [*_url_parts(target.url), target.secret]
    try:
        response = requests.post(
            target.url,
            data=body,
            headers=headers,
            timeout=settings.NOTIFY_HTTP_TIMEOUT,
            allow_redirects=False,
        )
    except requests.RequestException as e:
        return Outcome(ok=False, error=scrub(f"{type(e).__name__}: {e}", hidden))
    excerpt = scrub(response.text, hidden)
    if 200 <= response.status_code < 300:
        return Outcome(ok=True, code=response.status_code, excerpt=excerpt)
    return Outcome(
        ok=False, code=response.status_code, excerpt=excerpt, error=f"HTTP {response.status_code}"
    )


@sensitive_variables()
def _send_apprise(target: services.ChannelSecrets, message: dict[str, Any]) -> Outcome:
    import apprise

    hidden = _url_parts(target.url)
    sender = apprise.Apprise()
    if not sender.add(target.url):
        return Outcome(ok=False, error="Apprise does not understand this URL.")
    body = message["body"] or message["title"]
    with apprise.LogCapture(level=logging.WARNING) as captured:  # type: ignore[no-untyped-call]
        ok = bool(sender.notify(title=message["title"], body=body))
    text = scrub(captured.getvalue().strip(), hidden)
    return Outcome(ok=True) if ok else Outcome(ok=False, error=text or "Apprise could not send.")


def _send_email(channel: NotificationChannel, message: dict[str, Any]) -> Outcome:
    body = message["body"] or message["title"]
    if message["data"]:
        body += "\n\n" + json.dumps(message["data"], indent=2, sort_keys=True)
    try:
        sent = send_mail(
            subject=f"[Quantum Trader] {message['title']}"[:200],
            message=body,
            from_email=None,
            recipient_list=[channel.email],
            fail_silently=False,
        )
    except Exception as e:  # SMTP and socket errors alike
        return Outcome(ok=False, error=f"{type(e).__name__}: {e}"[:_EXCERPT])
    return Outcome(ok=sent == 1, error="" if sent == 1 else "The mail backend sent nothing.")


def _send(channel: NotificationChannel, delivery: Delivery) -> Outcome:
    message = _message(delivery)
    if channel.kind == NotificationChannel.Kind.EMAIL:
        return _send_email(channel, message)
    try:
        target = services.channel_secrets(channel)
    except crypto.CryptoError as e:
        return Outcome(ok=False, error=f"The channel's URL cannot be decrypted ({e}).")
    if channel.kind == NotificationChannel.Kind.WEBHOOK:
        return _send_webhook(target, message)
    return _send_apprise(target, message)


def _pause(channel: NotificationChannel, error: str) -> None:
    reason = f"Paused after {FAILURE_LIMIT} failed deliveries in a row. Last error: {error}"[:500]
    paused = NotificationChannel.objects.filter(pk=channel.pk, paused=False).update(
        paused=True, paused_reason=reason
    )
    if not paused:
        return
    Delivery.objects.filter(channel=channel, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.SKIPPED, reason="channel_paused"
    )
    log.warning("notification_channel.paused", channel_id=channel.pk)
    services.notify(
        user_id=channel.owner_id,
        kind="channel.paused",
        title=f"Channel {channel.label} paused",
        body=f"{reason} Fix it and resume it in your notification settings.",
        data={"channel_id": channel.pk, "label": channel.label},
    )


def _retry(delivery_id: int, wait: float) -> None:
    from accounts.tasks import notification_deliver_task

    notification_deliver_task.apply_async((delivery_id,), countdown=wait)


def _record(delivery: Delivery, outcome: Outcome) -> str:
    channel = delivery.channel
    now = timezone.now()
    common = {
        "response_code": outcome.code,
        "response_excerpt": outcome.excerpt,
        "error": outcome.error[:500],
    }
    if outcome.ok:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.SENT, reason="", delivered_at=now, **common
        )
        NotificationChannel.objects.filter(pk=channel.pk).update(
            consecutive_failures=0, last_success_at=now
        )
        return "sent"
    if delivery.is_test:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.FAILED, reason="send_failed", **common
        )
        return "failed"
    NotificationChannel.objects.filter(pk=channel.pk).update(
        consecutive_failures=F("consecutive_failures") + 1, last_failure_at=now
    )
    failures = NotificationChannel.objects.values_list("consecutive_failures", flat=True).get(
        pk=channel.pk
    )
    if failures >= FAILURE_LIMIT:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.FAILED, reason="channel_paused", **common
        )
        _pause(channel, outcome.error or outcome.excerpt)
        return "paused"
    if delivery.attempts >= MAX_ATTEMPTS:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.FAILED, reason="gave_up", **common
        )
        return "failed"
    wait = rules.backoff_seconds(delivery.attempts, base=settings.NOTIFY_RETRY_BASE_SECONDS)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.PENDING,
        reason="retrying",
        next_attempt_at=now + timedelta(seconds=wait),
        **common,
    )
    transaction.on_commit(lambda: _retry(delivery.pk, wait))
    return "retrying"


def delivery_attempt(*, delivery_id: int) -> str:
    """Make one attempt at a pending delivery; return what became of it."""
    # `next_attempt_at` holds the claim time while sending, for the sweep to spot a dead one.
    claimed = Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.SENDING, attempts=F("attempts") + 1, next_attempt_at=timezone.now()
    )
    if not claimed:
        return "not_pending"
    delivery = Delivery.objects.select_related("channel", "notification").get(pk=delivery_id)
    channel = delivery.channel
    if (channel.paused or not channel.enabled) and not delivery.is_test:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.SKIPPED, reason="channel_paused"
        )
        return "skipped"
    outcome = _send(channel, delivery)
    with transaction.atomic():
        result = _record(delivery, outcome)
    log.info(
        "notification.delivery",
        delivery_id=delivery.pk,
        channel_id=channel.pk,
        kind=delivery.kind,
        result=result,
        attempt=delivery.attempts,
        response_code=outcome.code,
    )
    return result


def deliveries_sweep(*, now: Any = None, stale: timedelta = timedelta(minutes=5)) -> list[int]:
    """Return the ids of deliveries whose task was lost (due and waiting, or stuck sending).

    Stuck ones (a worker died mid-send) go back to pending; a webhook receiver may then see
    a delivery twice, which its `X-QT-Delivery` id lets it notice.
    """
    now = now or timezone.now()
    Delivery.objects.filter(status=Delivery.Status.SENDING, next_attempt_at__lt=now - stale).update(
        status=Delivery.Status.PENDING
    )
    due = Delivery.objects.filter(status=Delivery.Status.PENDING, created_at__lt=now - stale)
    due = due.filter(next_attempt_at__isnull=True) | due.filter(next_attempt_at__lt=now - stale)
    return list(due.values_list("pk", flat=True)[:1000])
