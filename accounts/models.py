"""Users, their encrypted exchange accounts, and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from accounts.core.credentials import mask_key
from accounts.fields import CiphertextField


class User(AbstractUser):
    """A person with their own exchange accounts, bots, backtests and trades."""

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]
        swappable = "AUTH_USER_MODEL"


class ExchangeAccount(models.Model):
    """A user's API key on one exchange, encrypted at rest (envelope encryption).

    The API key, secret and passphrase are stored only as ciphertext under a per-record
    data key; `wrapped_key` is that data key wrapped by master key `key_id`. Only the last
    four characters of the API key are kept in clear, to show it masked.
    """

    class Mode(models.TextChoices):
        TESTNET = "testnet", "Testnet"
        LIVE = "live", "Live"

    class Status(models.TextChoices):
        OK = "ok", "Usable"
        UNUSABLE = "unusable", "Unusable"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchange_accounts"
    )
    exchange = models.ForeignKey("markets.Exchange", on_delete=models.PROTECT, related_name="+")
    label = models.CharField(max_length=64)
    mode = models.CharField(max_length=8, choices=Mode.choices, default=Mode.TESTNET)
    key_last4 = models.CharField(max_length=4, editable=False)
    api_key_ct = CiphertextField()
    secret_ct = CiphertextField()
    passphrase_ct = CiphertextField(blank=True)
    wrapped_key = CiphertextField()
    key_id = models.CharField(max_length=64, editable=False, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OK)
    status_message = models.CharField(max_length=500, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    permissions_known = models.BooleanField(default=False)
    can_trade = models.BooleanField(default=False)
    can_withdraw = models.BooleanField(default=False)
    can_transfer = models.BooleanField(default=False)
    ip_restricted = models.BooleanField(null=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("owner", "label")
        constraints = [
            models.UniqueConstraint(fields=("owner", "label"), name="exchange_account_unique_label")
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.masked_api_key})"

    @property
    def masked_api_key(self) -> str:
        return mask_key(self.key_last4)

    @property
    def has_passphrase(self) -> bool:
        return bool(self.passphrase_ct)


class AuditEvent(models.Model):
    """Who did what to which object, when, and from which address. Never holds a secret."""

    class Action(models.TextChoices):
        EXCHANGE_KEY_CREATED = "exchange_key.created", "Exchange key created"
        EXCHANGE_KEY_ROTATED = "exchange_key.rotated", "Exchange key replaced"
        EXCHANGE_KEY_DELETED = "exchange_key.deleted", "Exchange key deleted"
        EXCHANGE_KEY_UNUSABLE = "exchange_key.unusable", "Exchange key marked unusable"
        MASTER_KEYS_ROTATED = "master_keys.rotated", "Master keys rotated"
        BOT_MODE_CHANGED = "bot.mode_changed", "Bot mode changed"
        LIVE_TRADING_ENABLED = "trading.live_enabled", "Live trading enabled"
        KILL_SWITCH = "trading.kill_switch", "Kill switch"
        ORDER_PLACED = "order.placed", "Order placed"
        ORDER_STATUS_CHANGED = "order.status_changed", "Order status changed"
        ORDER_FILLED = "order.fill", "Order fill recorded"
        ORDER_CANCEL_REQUESTED = "order.cancel_requested", "Order cancel requested"
        LOGIN_SUCCEEDED = "auth.login", "Signed in"
        LOGIN_FAILED = "auth.login_failed", "Sign-in failed"
        LOGIN_LOCKED = "auth.login_locked", "Login locked"
        SESSION_REVOKED = "auth.session_revoked", "Session or token revoked"
        LOGOUT_EVERYWHERE = "auth.logout_everywhere", "Signed out everywhere"
        EXCHANGE_KEY_TESTED = "exchange_key.tested", "Exchange key tested"
        PASSWORD_CHANGED = "auth.password_changed", "Password changed"
        PASSWORD_RESET = "auth.password_reset", "Password reset"
        USER_REGISTERED = "auth.registered", "User registered"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Whose security activity this is: shown to that user at GET /api/audit-events/.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(max_length=64, choices=Action.choices, db_index=True)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=("subject", "-created_at"), name="audit_subject_time")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.action} {self.target_repr}"


class UserSession(models.Model):
    """One way a user is signed in: a browser session or an API token, each revocable.

    Tokens are stored as a SHA-256 digest only; the token itself is shown once, when issued.
    Revoking deletes the row (and, for a session, the session itself).
    """

    class Kind(models.TextChoices):
        SESSION = "session", "Browser session"
        TOKEN = "token", "API token"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_ins"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    session_key = models.CharField(max_length=40, unique=True, null=True, blank=True)
    token_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    token_last4 = models.CharField(max_length=4, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(default=timezone.now)
    last_used_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ("-last_used_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="session", session_key__isnull=False, token_digest__isnull=True)
                    | models.Q(kind="token", token_digest__isnull=False, session_key__isnull=True)
                ),
                name="user_session_kind_matches_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of user {self.user_id} from {self.ip_address or '?'}"


# Registered with the accounts app from their own module.
from accounts.notifications.models import (  # noqa: E402
    Delivery,
    Notification,
    NotificationChannel,
    NotificationPreference,
)

__all__ = [
    "AuditEvent",
    "Delivery",
    "ExchangeAccount",
    "Notification",
    "NotificationChannel",
    "NotificationPreference",
    "User",
    "UserSession",
]
