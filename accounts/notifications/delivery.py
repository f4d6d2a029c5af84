"""Send one delivery: a signed webhook, an Apprise notification or an e-mail.

Runs in a worker on the `notify` queue. A delivery is claimed with a conditional update, so a
task that runs twice sends once. A task claims its own delivery and, in the same statement,
up to `BATCH - 1` other deliveries that are due (oldest first, skipping rows another worker
holds), so a burst is drained in batches: one claim, one fetch and one record of the
successes per batch, over a keep-alive HTTP session per worker thread. Deliveries a batch
has not reached when its time budget runs out (or the task is stopped) go back to pending.

A failed attempt is retried with a doubling wait; a channel that fails 5 times in a row is
paused, its waiting deliveries (and the rest of the batch's for it) are skipped, and the user
is told in the notification centre.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import getproxies_environment

import structlog
from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
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
BATCH = 50
BATCH_BUDGET_SECONDS = 20.0
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


_local = threading.local()


def _http() -> Any:
    """This thread's keep-alive HTTP session (connections pooled per host), cookies refused.

    Refusing cookies keeps one receiver's cookie from riding along to another user's webhook
    on the same host.
    """
    session = getattr(_local, "session", None)
    if session is None:
        from http.cookiejar import DefaultCookiePolicy

        import requests
        from requests.adapters import HTTPAdapter

        session = requests.Session()
        session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
        # Without proxy variables there is nothing in the environment to honour, and reading it
        # on every request (proxies, netrc) costs more than the request to a near receiver.
        session.trust_env = bool(getproxies_environment())
        adapter = HTTPAdapter(pool_connections=64, pool_maxsize=4)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        _local.session = session
    return session


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
        response = _http().post(
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


@sensitive_variables()
def _send(
    channel: NotificationChannel,
    delivery: Delivery,
    opened: dict[int, services.ChannelSecrets] | None = None,
) -> Outcome:
    message = _message(delivery)
    if channel.kind == NotificationChannel.Kind.EMAIL:
        return _send_email(channel, message)
    opened = {} if opened is None else opened
    try:
        target = opened.get(channel.pk) or services.channel_secrets(channel)
        opened[channel.pk] = target
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


def _claim(own_ids: list[int], limit: int) -> list[int]:
    """Mark as sending the deliveries `own_ids` (those pending) and due others, `limit` in all."""
    now = timezone.now()
    pending = Delivery.objects.filter(status=Delivery.Status.PENDING)
    skip = connection.features.has_select_for_update_skip_locked
    with transaction.atomic():
        own = pending.filter(pk__in=own_ids)
        due = (
            pending.filter(next_attempt_at__isnull=True) | pending.filter(next_attempt_at__lte=now)
        ).exclude(pk__in=own_ids)
        if skip:
            own = own.select_for_update(skip_locked=True)
            due = due.select_for_update(skip_locked=True)
        ids = list(own.values_list("pk", flat=True))
        if limit > len(ids):
            ids += list(due.order_by("pk").values_list("pk", flat=True)[: limit - len(ids)])
        if not ids:
            return []
        # `next_attempt_at` holds the claim time while sending, for the sweep to spot a dead one.
        claim = {
            "status": Delivery.Status.SENDING,
            "attempts": F("attempts") + 1,
            "next_attempt_at": now,
        }
        if skip:  # the rows are locked: the update takes exactly them
            Delivery.objects.filter(pk__in=ids, status=Delivery.Status.PENDING).update(**claim)
        else:  # no row locks (SQLite): keep only the rows this update itself moved
            ids = [pk for pk in ids if pending.filter(pk=pk).update(**claim)]
    return sorted(ids)


def _record_sent(sent: list[tuple[Delivery, Outcome]], now: Any) -> None:
    """Record a run of successful sends: one statement per distinct answer, one for channels."""
    if not sent:
        return
    answers: dict[tuple[int | None, str, str], list[int]] = {}
    for delivery, outcome in sent:
        answers.setdefault((outcome.code, outcome.excerpt, outcome.error[:500]), []).append(
            delivery.pk
        )
    with transaction.atomic():
        for (code, excerpt, error), ids in answers.items():
            Delivery.objects.filter(pk__in=ids).update(
                status=Delivery.Status.SENT,
                reason="",
                delivered_at=now,
                response_code=code,
                response_excerpt=excerpt,
                error=error,
            )
        NotificationChannel.objects.filter(pk__in={d.channel_id for d, _ in sent}).update(
            consecutive_failures=0, last_success_at=now
        )
    sent.clear()


def _log(delivery: Delivery, result: str, outcome: Outcome | None) -> None:
    log.info(
        "notification.delivery",
        delivery_id=delivery.pk,
        channel_id=delivery.channel_id,
        kind=delivery.kind,
        result=result,
        attempt=delivery.attempts,
        response_code=outcome.code if outcome else None,
    )


@sensitive_variables("opened")
def deliveries_attempt(*, delivery_ids: list[int], limit: int = BATCH) -> dict[int, str]:
    """Attempt the given deliveries and other due ones, `limit` in all; return what became of each.

    Each delivery is claimed once (a conditional update that skips rows another worker holds),
    so every delivery is attempted by one task only. Successes are recorded together; a
    failure is recorded on its own, after the successes before it, so the failure count of a
    channel counts failures in a row. Once a channel is paused the batch sends it nothing more.
    """
    ids = _claim(delivery_ids, limit)
    own = set(delivery_ids)
    if not ids:
        return {}
    deliveries = list(
        Delivery.objects.select_related("channel", "notification").filter(pk__in=ids).order_by("pk")
    )
    results: dict[int, str] = {}
    sent: list[tuple[Delivery, Outcome]] = []
    paused: set[int] = set()
    opened: dict[int, services.ChannelSecrets] = {}
    deadline = time.monotonic() + BATCH_BUDGET_SECONDS
    try:
        for delivery in deliveries:
            channel = delivery.channel
            blocked = channel.paused or not channel.enabled or channel.pk in paused
            if blocked and not delivery.is_test:
                Delivery.objects.filter(pk=delivery.pk).update(
                    status=Delivery.Status.SKIPPED, reason="channel_paused"
                )
                results[delivery.pk] = "skipped"
                continue
            if delivery.pk not in own and time.monotonic() > deadline:
                continue
            outcome = _send(channel, delivery, opened)
            if outcome.ok:
                sent.append((delivery, outcome))
                results[delivery.pk] = "sent"
                _log(delivery, "sent", outcome)
                continue
            _record_sent(sent, timezone.now())
            with transaction.atomic():
                result = _record(delivery, outcome)
            if result == "paused":
                paused.add(channel.pk)
            results[delivery.pk] = result
            _log(delivery, result, outcome)
    finally:
        _record_sent(sent, timezone.now())
        # Whatever the batch did not reach (its budget ran out, or the task was stopped) is
        # handed back, its attempt not counted.
        unsent = [d.pk for d in deliveries if d.pk not in results]
        if unsent:
            Delivery.objects.filter(pk__in=unsent, status=Delivery.Status.SENDING).update(
                status=Delivery.Status.PENDING, attempts=F("attempts") - 1, next_attempt_at=None
            )
            services.deliveries_enqueue(unsent)
    return results


def delivery_attempt(*, delivery_id: int, limit: int = 1) -> str:
    """Make one attempt at a pending delivery (and, with `limit`, at other due ones too).

    Returns what became of `delivery_id` ("not_pending" when it was not waiting).
    """
    return deliveries_attempt(delivery_ids=[delivery_id], limit=limit).get(
        delivery_id, "not_pending"
    )


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
