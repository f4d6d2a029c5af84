"""Admin: users, exchange accounts (masked keys only, no secret ever rendered), audit log."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.models import AuditEvent, ExchangeAccount, User
from accounts.services import client_ip, exchange_account_delete


@admin.register(User)
class QuantumUserAdmin(UserAdmin):
    list_display = ("username", "email", "is_staff", "is_superuser", "is_active", "last_login")
    list_filter = ("is_staff", "is_superuser", "is_active")


@admin.register(ExchangeAccount)
class ExchangeAccountAdmin(admin.ModelAdmin):
    """Read-only view of stored keys: the API key masked, ciphertexts and secrets never shown.

    Keys are added and replaced by their owners through the API (which checks them with the
    exchange); staff can look, and delete.
    """

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
    fields = (
        "owner",
        "exchange",
        "label",
        "mode",
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
    readonly_fields = fields

    @admin.display(description="API key")
    def masked_api_key(self, obj: ExchangeAccount) -> str:
        return obj.masked_api_key

    @admin.display(description="Passphrase stored", boolean=True)
    def has_passphrase(self, obj: ExchangeAccount) -> bool:
        return obj.has_passphrase

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

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


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
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
