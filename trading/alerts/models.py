"""A bot's inbound alert hook and the log of every alert it received."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class AlertHook(models.Model):
    """A bot's webhook for outside alerts (TradingView-style), with its own secret.

    Only the secret's SHA-256 digest and last four characters are kept; the secret itself
    is shown once, when made.
    """

    bot = models.OneToOneField("trading.Bot", on_delete=models.CASCADE, related_name="alert_hook")
    enabled = models.BooleanField(default=True)
    secret_digest = models.CharField(max_length=64, editable=False)
    secret_last4 = models.CharField(max_length=4, editable=False)
    allowed_addresses = models.JSONField(
        default=list, blank=True, help_text="Source addresses or networks; empty allows any."
    )
    max_per_minute = models.PositiveIntegerField(default=10)
    window_seconds = models.PositiveIntegerField(
        default=300, help_text="How far an alert's timestamp may be from the server's clock."
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"alert hook of bot #{self.bot_id}"


class AlertReceipt(models.Model):
    """One alert received by a hook: accepted (and what it did) or refused, and why."""

    hook = models.ForeignKey(AlertHook, on_delete=models.CASCADE, related_name="receipts")
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    source_address = models.GenericIPAddressField(null=True, blank=True)
    alert_id = models.CharField(max_length=100, blank=True)
    # Set on an authenticated, fresh alert; unique per hook, so a replayed id is refused.
    claimed = models.BooleanField(default=False)
    action = models.CharField(max_length=8, blank=True)
    symbol = models.CharField(max_length=40, blank=True)
    price = models.CharField(max_length=40, blank=True)
    accepted = models.BooleanField(default=False)
    reason = models.CharField(max_length=40, help_text="A stable code: accepted or why refused.")
    message = models.TextField(blank=True)
    outcome = models.CharField(max_length=16, blank=True, help_text="ordered, no_order, ...")
    order = models.ForeignKey(
        "trading.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    checks = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ("-received_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("hook", "alert_id"),
                condition=models.Q(claimed=True),
                name="alert_receipt_unique_claimed_id",
            )
        ]
        indexes = [models.Index(fields=("hook", "-received_at"), name="alert_receipt_hook_time")]

    def __str__(self) -> str:
        return f"alert {self.alert_id or '?'} for hook {self.hook_id}: {self.reason}"
