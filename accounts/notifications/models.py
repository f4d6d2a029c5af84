"""Notification preferences, channels with encrypted URLs, in-app notifications, deliveries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone as django_timezone

from accounts.fields import CiphertextField


class NotificationPreference(models.Model):
    """A user's quiet hours; which events go where is set on each channel."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    quiet_start = models.TimeField(null=True, blank=True)
    quiet_end = models.TimeField(null=True, blank=True)
    timezone = models.CharField(max_length=64, default="UTC")
    updated_at = models.DateTimeField(default=django_timezone.now)

    def __str__(self) -> str:
        return f"notification preference of user {self.user_id}"


class NotificationChannel(models.Model):
    """Where a user's events go: a signed webhook, an Apprise URL, or an e-mail address.

    The webhook or Apprise URL and the webhook's signing secret are stored only as ciphertext
    (envelope encryption as for exchange keys); `masked_target` is what is shown.
    """

    class Kind(models.TextChoices):
        WEBHOOK = "webhook", "Signed webhook"
        APPRISE = "apprise", "Apprise URL"
        EMAIL = "email", "E-mail"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_channels"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    label = models.CharField(max_length=64)
    events = models.JSONField(default=list, blank=True, help_text="Event kinds sent here.")
    email = models.EmailField(blank=True)
    masked_target = models.CharField(max_length=200, editable=False)
    url_ct = CiphertextField(blank=True)
    secret_ct = CiphertextField(blank=True)
    wrapped_key = CiphertextField(blank=True)
    key_id = models.CharField(max_length=64, editable=False, blank=True)
    max_per_hour = models.PositiveIntegerField(default=30)
    enabled = models.BooleanField(default=True)
    paused = models.BooleanField(default=False)
    paused_reason = models.CharField(max_length=500, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=django_timezone.now)

    class Meta:
        ordering = ("owner", "label")
        constraints = [
            models.UniqueConstraint(fields=("owner", "label"), name="notification_channel_label")
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.kind} {self.masked_target})"


class Notification(models.Model):
    """One event for one user: listed in the notification centre and kept 30 days."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=django_timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=("user", "-created_at"), name="notification_user_time"),
            models.Index(
                fields=("user",),
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for user {self.user_id}"


class Delivery(models.Model):
    """One notification sent (or deliberately not sent) to one channel: the delivery log."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    channel = models.ForeignKey(
        NotificationChannel, on_delete=models.CASCADE, related_name="deliveries"
    )
    kind = models.CharField(max_length=40)
    is_test = models.BooleanField(default=False)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(max_length=40, blank=True, help_text="Why skipped or failed.")
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    response_code = models.PositiveIntegerField(null=True, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=django_timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=("channel", "-created_at"), name="delivery_channel_time"),
            # The deliveries waiting to be sent, oldest first, for the workers' claims.
            models.Index(
                fields=("id",),
                condition=models.Q(status__in=("pending", "sending")),
                name="delivery_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"delivery {self.pk} to channel {self.channel_id}: {self.status}"
