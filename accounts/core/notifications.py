"""Pure rules of notifications: event kinds, quiet hours, webhook signatures, backoff, masking.

A signed webhook carries `X-QT-Timestamp: <unix seconds>` and
`X-QT-Signature: sha256=<hex>`, the HMAC-SHA256 of `<timestamp>.<raw body>` under the
webhook's own secret. A receiver recomputes it and refuses a timestamp outside its window.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, time
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Event kinds a user can route to channels, with the words shown for them.
EVENT_KINDS: dict[str, str] = {
    "order.filled": "Order filled",
    "order.rejected": "Order rejected",
    "order.unknown": "Order outcome unknown",
    "bot.started": "Bot started",
    "bot.halted": "Bot halted",
    "bot.kill_switch": "Kill switch",
    "pnl.daily_summary": "Daily P&L summary",
    "model.champion": "New champion model",
    "ingestion.stalled": "Ingestion stalled",
    "key.scope_failed": "Exchange key failed its scope check",
    "login.new_address": "Sign-in from a new address",
    "inbound_alert.refused": "Inbound alert refused",
}
# Shown in the notification centre only, never sent out (a paused channel cannot be told).
IN_APP_ONLY: dict[str, str] = {"channel.paused": "Channel paused"}
ALL_KINDS = {**EVENT_KINDS, **IN_APP_ONLY}

SIGNATURE_HEADER = "X-QT-Signature"
TIMESTAMP_HEADER = "X-QT-Timestamp"
SIGNATURE_PREFIX = "sha256="


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """Return the signature header value of a body sent at `timestamp` (unix seconds)."""
    message = str(int(timestamp)).encode("ascii") + b"." + body
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + digest


def signature_valid(
    secret: str, timestamp: int, body: bytes, signature: str, *, now: float, tolerance: float
) -> bool:
    """Tell whether a signature matches the body and the timestamp is inside the window."""
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def zone(name: str) -> ZoneInfo:
    """Return the time zone of that name; raise ValueError for an unknown one."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}") from None


def in_quiet_hours(moment: datetime, start: time | None, end: time | None, tz: str) -> bool:
    """Tell whether an aware moment falls in the daily quiet hours [start, end) in `tz`.

    A window whose end is before its start runs over midnight (22:00-07:00); equal ends or a
    missing one mean no quiet hours.
    """
    if start is None or end is None or start == end:
        return False
    local = moment.astimezone(zone(tz)).time().replace(tzinfo=None)
    if start < end:
        return start <= local < end
    return local >= start or local < end


def backoff_seconds(attempt: int, *, base: float, cap: float = 3600.0) -> float:
    """Return the wait before retry number `attempt` (1 = the first retry): doubling, capped."""
    return float(min(cap, base * (2 ** max(0, attempt - 1))))


def mask_url(url: str, *, show_host: bool) -> str:
    """Show a channel URL without its secrets: scheme, the host when asked, last 4 characters.

    Apprise URLs carry tokens in the host part (`tgram://<bot token>/<chat>`), so they are
    shown with the scheme only; webhook URLs show their host.
    """
    parts = urlsplit(url)
    tail = url[-4:] if len(url) >= 12 else ""
    host = (parts.hostname or "") if show_host else ""
    return f"{parts.scheme}://{host}/…{tail}" if host else f"{parts.scheme}://…{tail}"
