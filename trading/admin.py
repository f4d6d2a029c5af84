from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from trading.models import BacktestRun


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
