from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from trading.models import AlertHook, AlertReceipt, BacktestRun, Bot, KillSwitch


@admin.register(BacktestRun)
class BacktestRunAdmin(admin.ModelAdmin[BacktestRun]):
    """Backtest runs are made through the API; the admin reads them and may delete them."""

    list_display = ("id", "owner", "strategy", "market", "status", "progress", "created_at")
    list_filter = ("status", "created_at")
    search_fields = ("owner__username", "config__symbol", "config__strategy")
    readonly_fields = [field.name for field in BacktestRun._meta.fields]
    date_hierarchy = "created_at"

    @admin.display(description="strategy")
    def strategy(self, run: BacktestRun) -> str:
        return str(run.config.get("strategy", ""))

    @admin.display(description="market")
    def market(self, run: BacktestRun) -> str:
        config = run.config
        return f"{config.get('exchange')}:{config.get('symbol')} {config.get('timeframe')}"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(KillSwitch)
class KillSwitchAdmin(admin.ModelAdmin[KillSwitch]):
    """The global kill switch is turned on and off here (audited); users' own are read-only."""

    list_display = ("id", "scope", "user", "active", "reason", "changed_by", "changed_at")
    list_filter = ("scope", "active")
    fields = ("scope", "active", "reason", "user", "changed_by", "changed_at")
    readonly_fields = ("user", "changed_by", "changed_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None:
            return (*self.readonly_fields, "scope")
        return self.readonly_fields

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or obj.scope == KillSwitch.Scope.GLOBAL

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not KillSwitch.objects.filter(scope=KillSwitch.Scope.GLOBAL).exists()

    def save_model(self, request: HttpRequest, obj: KillSwitch, form: Any, change: bool) -> None:
        from trading.bots.kill import kill_switch_set

        if obj.scope != KillSwitch.Scope.GLOBAL:
            raise PermissionDenied("Only the global kill switch is set in the admin.")
        saved = kill_switch_set(
            actor=request.user, scope=KillSwitch.Scope.GLOBAL, active=obj.active, reason=obj.reason
        )
        obj.pk = saved.pk


@admin.register(Bot)
class BotAdmin(admin.ModelAdmin[Bot]):
    """Bots are managed through the API; the admin reads them."""

    list_display = ("id", "owner", "name", "market", "timeframe", "mode", "state", "last_tick_at")
    list_filter = ("state", "mode", "strategy")
    search_fields = ("owner__username", "name")
    readonly_fields = [field.name for field in Bot._meta.fields]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AlertHook)
class AlertHookAdmin(admin.ModelAdmin[AlertHook]):
    """Bots' inbound alert hooks, read-only: the secret is stored as a digest and shown as its
    last four characters only; owners make and rotate them."""

    list_display = ("bot", "enabled", "masked_secret", "max_per_minute", "window_seconds")
    list_filter = ("enabled",)
    search_fields = ("bot__name", "bot__owner__username")
    fields = (
        "bot",
        "enabled",
        "masked_secret",
        "allowed_addresses",
        "max_per_minute",
        "window_seconds",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields

    @admin.display(description="secret")
    def masked_secret(self, hook: AlertHook) -> str:
        return "\u2022\u2022\u2022\u2022" + hook.secret_last4

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AlertReceipt)
class AlertReceiptAdmin(admin.ModelAdmin[AlertReceipt]):
    """The inbound alerts log, read-only: every alert accepted or refused, and why."""

    list_display = (
        "received_at",
        "hook",
        "accepted",
        "reason",
        "action",
        "symbol",
        "outcome",
        "source_address",
    )
    list_filter = ("accepted", "reason", "outcome")
    search_fields = ("hook__bot__name", "alert_id", "symbol")
    date_hierarchy = "received_at"
    readonly_fields = [field.name for field in AlertReceipt._meta.fields]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
