"""Re-wrap every exchange account's (and notification channel's) data key under the first key
of QT_ENCRYPTION_KEYS.

Each record is re-wrapped in its own transaction and records already under the first key
are skipped, so the command can be stopped at any point and run again. A record that does
not decrypt is marked unusable with the reason.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.models import AuditEvent, ExchangeAccount, NotificationChannel
from accounts.notifications.services import channel_rewrap
from accounts.services import audit_record, exchange_account_rewrap


class Command(BaseCommand):
    help = "Re-wrap every exchange account's data key under the first master key (resumable)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--progress-every", type=int, default=100)

    def handle(self, *args: Any, progress_every: int, **options: Any) -> None:
        current = settings.QT_ENCRYPTION_KEYS[0][0]
        ids = list(ExchangeAccount.objects.order_by("pk").values_list("pk", flat=True))
        total = len(ids)
        counts = {"rewrapped": 0, "current": 0, "failed": 0}
        self.stdout.write(f"Re-wrapping {total} exchange accounts under master key {current!r}.")
        for done, account_id in enumerate(ids, start=1):
            try:
                outcome = exchange_account_rewrap(account_id=account_id)
            except ExchangeAccount.DoesNotExist:
                continue  # deleted meanwhile
            counts[outcome] += 1
            if outcome == "failed":
                self.stderr.write(f"account {account_id}: cannot decrypt; marked unusable")
            if done % max(1, progress_every) == 0 or done == total:
                self.stdout.write(
                    f"{done}/{total}: {counts['rewrapped']} re-wrapped, "
                    f"{counts['current']} already current, {counts['failed']} failed"
                )
        channels = {"rewrapped": 0, "current": 0, "failed": 0}
        for channel_id in NotificationChannel.objects.order_by("pk").values_list("pk", flat=True):
            try:
                channels[channel_rewrap(channel_id=channel_id)] += 1
            except NotificationChannel.DoesNotExist:
                continue
        self.stdout.write(
            f"Notification channels: {channels['rewrapped']} re-wrapped, "
            f"{channels['current']} already current, {channels['failed']} failed (paused)."
        )
        counts["failed"] += channels["failed"]
        audit_record(
            action=AuditEvent.Action.MASTER_KEYS_ROTATED,
            target_type="master_key",
            target_id=current,
            target_repr=f"master key {current}",
            details=counts,
        )
        style = self.style.SUCCESS if counts["failed"] == 0 else self.style.WARNING
        self.stdout.write(
            style(
                f"Done: {counts['rewrapped']} re-wrapped, {counts['current']} already current, "
                f"{counts['failed']} failed (marked unusable)."
            )
        )
