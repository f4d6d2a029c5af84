"""Admin: users, exchange accounts (write-only secrets, masked keys), sign-ins, audit log,
notification channels (masked targets only), deliveries and notifications (read-only)."""

from __future__ import annotations

from typing import Any, NoReturn, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.views.decorators.debug import sensitive_variables

from accounts.core.credentials import MAX_API_KEY, MAX_PASSPHRASE, MAX_SECRET
from accounts.forms import LockoutAdminAuthenticationForm
from accounts.models import (
    AuditEvent,
    Delivery,
    ExchangeAccount,
    Notification,
    NotificationChannel,
    User,
    UserSession,
)
from accounts.notifications.services import NotificationError, channel_update
from accounts.services import (
    ExchangeAccountError,
    client_ip,
    exchange_account_check,
    exchange_account_create,
    exchange_account_delete,
    exchange_account_update,
    sign_in_revoke,
)
from markets.selectors import exchanges_list

# The admin's sign-in goes through the same lockout and throttle as the API's.
admin.site.login_form = LockoutAdminAuthenticationForm


@admin.register(User)
class QuantumUserAdmin(UserAdmin[User]):
    list_display = ("username", "email", "is_staff", "is_superuser", "is_active", "last_login")
    list_filter = ("is_staff", "is_superuser", "is_active")


def _secret_field(
    label: str, max_length: int, *, required: bool, help_text: str
) -> forms.CharField:
    """A write-only input: typed in, never rendered back (not even after an error)."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        strip=True,
        help_text=help_text,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )


class _ServiceBackedForm(forms.ModelForm[ExchangeAccount]):
    """A form whose save goes through `accounts.services.exchange_accounts`, the same path
    as the API: format and scope check with the exchange, envelope encryption, audit."""

    request: HttpRequest  # set per request by ExchangeAccountAdmin.get_form

    def _post_clean(self) -> None:
        # No model validation or instance building here: the service checks and stores.
        return None

    def _fail(self, error: ExchangeAccountError) -> NoReturn:
        field = error.field if error.field in self.fields else None
        raise forms.ValidationError({field: str(error)} if field else str(error), code=error.code)

    def save(self, commit: bool = True) -> ExchangeAccount:
        self.save_m2m = lambda: None  # type: ignore[method-assign]  # the service saved it
        return self.instance


class ExchangeAccountAddForm(_ServiceBackedForm):
    api_key = _secret_field("API key", MAX_API_KEY, required=True, help_text="")
    secret = _secret_field("API secret", MAX_SECRET, required=True, help_text="")
    passphrase = _secret_field(
        "Passphrase", MAX_PASSPHRASE, required=False, help_text="Only KuCoin and Coinbase use one."
    )

    class Meta:
        model = ExchangeAccount
        fields = ("owner", "exchange", "label", "mode")

    @sensitive_variables()
    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if self.errors:
            return data
        try:
            self.instance = exchange_account_create(
                owner=data["owner"],
                exchange_id=data["exchange"].ccxt_id,
                label=data["label"],
                mode=data["mode"],
                api_key=data["api_key"],
                secret=data["secret"],
                passphrase=data.get("passphrase") or "",
                ip_address=client_ip(self.request),
                actor=cast(User, self.request.user),
            )
        except ExchangeAccountError as e:
            self._fail(e)
        return data


class ExchangeAccountChangeForm(_ServiceBackedForm):
    keep = "Leave blank to keep the stored value."
    api_key = _secret_field("New API key", MAX_API_KEY, required=False, help_text=keep)
    secret = _secret_field("New API secret", MAX_SECRET, required=False, help_text=keep)
    passphrase = _secret_field("New passphrase", MAX_PASSPHRASE, required=False, help_text=keep)

    class Meta:
        model = ExchangeAccount
        fields = ("label",)

    @sensitive_variables()
    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if self.errors:
            return data
        try:
            self.instance = exchange_account_update(
                account_id=self.instance.pk,
                owner=self.instance.owner,
                label=data["label"],
                api_key=data.get("api_key") or "",
                secret=data.get("secret") or "",
                passphrase=data.get("passphrase") or "",
                ip_address=client_ip(self.request),
                actor=cast(User, self.request.user),
            )
        except ExchangeAccountError as e:
            self._fail(e)
        return data


_STATUS_FIELDS = (
    "masked_api_key",
    "has_passphrase",
    "key_id",
    "status",
    "status_message",
    "warnings",
    "permissions_known",
    "can_trade",
    "can_withdraw",
    "can_transfer",
    "ip_restricted",
    "checked_at",
    "created_at",
    "updated_at",
)


@admin.register(ExchangeAccount)
class ExchangeAccountAdmin(admin.ModelAdmin[ExchangeAccount]):
    """Users' exchange keys. Staff add and replace them through the same service as the API
    (checked with the exchange, encrypted, audited with the staff member's name); the key,
    secret and passphrase are write-only inputs, and only the key's last four characters
    are ever shown."""

    list_display = (
        "label",
        "owner",
        "exchange",
        "mode",
        "masked_api_key",
        "status",
        "can_trade",
        "ip_restricted",
        "checked_at",
    )
    list_filter = ("mode", "status", "exchange", "can_trade", "ip_restricted")
    search_fields = ("label", "owner__username")
    readonly_fields = _STATUS_FIELDS
    actions = ("test_connection", "recheck_scope")

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            fields: tuple[str, ...] = ("owner", "exchange", "label", "mode")
            return ((None, {"fields": (*fields, "api_key", "secret", "passphrase")}),)
        return (
            (None, {"fields": ("owner_name", "exchange_name", "mode_name", "label")}),
            ("Replace credentials", {"fields": ("api_key", "secret", "passphrase")}),
            ("Stored key", {"fields": _STATUS_FIELDS}),
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ()
        return ("owner_name", "exchange_name", "mode_name", *_STATUS_FIELDS)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        kwargs["form"] = ExchangeAccountChangeForm if obj is not None else ExchangeAccountAddForm
        form = super().get_form(request, obj, change=change, **kwargs)
        # A subclass per request: the form needs the staff member and their address.
        return type(form.__name__, (form,), {"request": request})

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "exchange":
            kwargs["queryset"] = exchanges_list().filter(enabled=True, is_demo=False)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """Nothing left to do: the form's service call checked, encrypted and stored it."""

    @admin.display(description="Owner")
    def owner_name(self, obj: ExchangeAccount) -> str:
        return str(obj.owner)

    @admin.display(description="Exchange")
    def exchange_name(self, obj: ExchangeAccount) -> str:
        return str(obj.exchange)

    @admin.display(description="Mode")
    def mode_name(self, obj: ExchangeAccount) -> str:
        return obj.get_mode_display()

    @admin.display(description="API key")
    def masked_api_key(self, obj: ExchangeAccount) -> str:
        return obj.masked_api_key

    @admin.display(description="Passphrase stored", boolean=True)
    def has_passphrase(self, obj: ExchangeAccount) -> bool:
        return obj.has_passphrase

    def _check(self, request: HttpRequest, queryset: QuerySet[ExchangeAccount], what: str) -> None:
        for account in queryset:
            report = exchange_account_check(
                account_id=account.pk,
                actor=cast(User, request.user),
                ip_address=client_ip(request),
            )
            if report.ok:
                warnings = f" Warnings: {'; '.join(report.warnings)}" if report.warnings else ""
                self.message_user(request, f"{account}: {what} passed.{warnings}", messages.SUCCESS)
            else:
                self.message_user(
                    request, f"{account}: {what} failed: {report.detail}", messages.ERROR
                )

    @admin.action(description="Test connection with the exchange")
    def test_connection(self, request: HttpRequest, queryset: QuerySet[ExchangeAccount]) -> None:
        self._check(request, queryset, "connection test")

    @admin.action(description="Re-check the key's permissions (scope)")
    def recheck_scope(self, request: HttpRequest, queryset: QuerySet[ExchangeAccount]) -> None:
        self._check(request, queryset, "scope check")

    def delete_model(self, request: HttpRequest, obj: ExchangeAccount) -> None:
        exchange_account_delete(
            account_id=obj.pk,
            owner=None,
            actor=cast(User, request.user),  # the admin lets only staff in
            ip_address=client_ip(request),
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ExchangeAccount]) -> None:
        for account_id in queryset.values_list("pk", flat=True):
            exchange_account_delete(
                account_id=account_id,
                owner=None,
                actor=cast(User, request.user),
                ip_address=client_ip(request),
            )


@admin.register(UserSession)
class UserSessionAdmin(admin.ModelAdmin[UserSession]):
    """Sign-ins (sessions and API tokens): staff can see and revoke them (delete)."""

    list_display = ("user", "kind", "created_at", "last_used_at", "ip_address", "last_used_ip")
    list_filter = ("kind",)
    search_fields = ("user__username", "ip_address")
    fields = ("user", "kind", "created_at", "last_used_at", "ip_address", "last_used_ip")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: UserSession) -> None:
        sign_out_one(obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[UserSession]) -> None:
        for sign_in in queryset:
            sign_out_one(sign_in)


def sign_out_one(sign_in: UserSession) -> None:
    sign_in_revoke(user=sign_in.user, sign_in_id=sign_in.pk, ip_address=None)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """The audit log, read-only for everyone (superusers included)."""

    list_display = ("created_at", "action", "actor", "target_repr", "ip_address")
    list_filter = ("action",)
    search_fields = ("actor__username", "target_repr", "target_id")
    date_hierarchy = "created_at"
    readonly_fields = (
        "created_at",
        "action",
        "actor",
        "target_type",
        "target_id",
        "target_repr",
        "ip_address",
        "details",
    )
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- notifications ----------------------------------------------------------------------------


@admin.register(NotificationChannel)
class NotificationChannelAdmin(admin.ModelAdmin[NotificationChannel]):
    """Users' notification channels. Only the masked target is shown, never the URL, the
    webhook secret or their ciphertexts; channels are made by their owners (the URL is checked
    and encrypted there). Staff may turn one off or resume a paused one."""

    list_display = (
        "label",
        "owner",
        "kind",
        "masked_target",
        "enabled",
        "paused",
        "consecutive_failures",
        "last_success_at",
        "last_failure_at",
    )
    list_filter = ("kind", "enabled", "paused")
    search_fields = ("label", "owner__username", "masked_target")
    fields = (
        "owner",
        "kind",
        "label",
        "masked_target",
        "events",
        "max_per_hour",
        "enabled",
        "paused",
        "paused_reason",
        "consecutive_failures",
        "last_success_at",
        "last_failure_at",
        "created_at",
    )
    readonly_fields = tuple(name for name in fields if name != "enabled")
    actions = ("resume",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Resume the selected paused channels")
    def resume(self, request: HttpRequest, queryset: QuerySet[NotificationChannel]) -> None:
        for channel in queryset.filter(paused=True).select_related("owner"):
            try:
                channel_update(
                    owner=channel.owner, channel_id=channel.pk, changes={"paused": False}
                )
            except NotificationError as e:
                self.message_user(request, f"{channel}: {e}", messages.ERROR)
            else:
                self.message_user(request, f"{channel} resumed.", messages.SUCCESS)


class _ReadOnly:
    """Rows written by the app only: staff read them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(_ReadOnly, admin.ModelAdmin[Delivery]):
    """The delivery log, read-only: what was sent where, the receiver's answer (scrubbed)."""

    list_display = (
        "created_at",
        "channel",
        "kind",
        "status",
        "reason",
        "attempts",
        "response_code",
        "delivered_at",
    )
    list_filter = ("status", "reason", "kind", "is_test")
    search_fields = ("channel__label", "channel__owner__username", "kind")
    list_select_related = ("channel",)
    date_hierarchy = "created_at"
    fields = (
        "notification",
        "channel",
        "kind",
        "is_test",
        "status",
        "reason",
        "attempts",
        "next_attempt_at",
        "response_code",
        "response_excerpt",
        "error",
        "created_at",
        "delivered_at",
    )
    readonly_fields = fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(_ReadOnly, admin.ModelAdmin[Notification]):
    """Notifications of the centre (kept 30 days), read-only."""

    list_display = ("created_at", "user", "kind", "title", "read_at")
    list_filter = ("kind",)
    search_fields = ("user__username", "title")
    date_hierarchy = "created_at"
    fields = ("user", "kind", "title", "body", "data", "created_at", "read_at")
    readonly_fields = fields
