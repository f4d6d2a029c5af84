"""Admin: exchanges, and markets with an enable toggle and their candle stats."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join

from markets import selectors
from markets.models import Candle, Exchange, Market


@admin.register(Exchange)
class ExchangeAdmin(admin.ModelAdmin[Exchange]):
    list_display = ("ccxt_id", "name", "enabled", "sandbox", "is_demo", "api_base_url")
    list_editable = ("enabled",)
    list_filter = ("enabled", "sandbox", "is_demo")
    search_fields = ("ccxt_id", "name")


@admin.register(Market)
class MarketAdmin(admin.ModelAdmin[Market]):
    list_display = (
        "symbol",
        "exchange",
        "enabled",
        "timeframes",
        "active",
        "listing",
        "last_candle_at",
        "last_ingested_at",
    )
    list_editable = ("enabled",)
    list_filter = ("enabled", "active", "listing_verified", "exchange")
    search_fields = ("symbol", "base", "quote")
    readonly_fields = ("candle_stats", "last_ingested_at", "listing_verified", "listing_checked_at")
    actions = ("enable_markets", "disable_markets")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Market]:
        return selectors.markets_list()

    @admin.display(description="listing", ordering="listing_verified")
    def listing(self, obj: Market) -> str:
        # Limits and precision are only trusted once read from the exchange's own listing.
        return "verified" if obj.listing_verified else "listing not verified"

    @admin.display(description="last candle")
    def last_candle_at(self, obj: Market) -> Any:
        return getattr(obj, "last_candle_at", None)

    @admin.display(description="candles per timeframe (count, last, missing)")
    def candle_stats(self, obj: Market) -> str:
        stats = selectors.market_candle_stats(market_id=obj.pk)
        if not stats:
            return "no candles"
        return format_html_join(
            "",
            "<div>{}: {} candles, {} .. {}, {} missing</div>",
            ((s["timeframe"], s["count"], s["first"], s["last"], s["missing"]) for s in stats),
        )

    @admin.action(description="Enable ingestion of the selected markets")
    def enable_markets(self, request: HttpRequest, queryset: QuerySet[Market]) -> None:
        Market.objects.filter(pk__in=queryset.values("pk")).update(enabled=True)

    @admin.action(description="Disable ingestion of the selected markets")
    def disable_markets(self, request: HttpRequest, queryset: QuerySet[Market]) -> None:
        Market.objects.filter(pk__in=queryset.values("pk")).update(enabled=False)


@admin.register(Candle)
class CandleAdmin(admin.ModelAdmin[Candle]):
    list_display = ("market", "timeframe", "open_time", "open", "high", "low", "close", "volume")
    list_filter = ("timeframe", "market__exchange")
    list_select_related = ("market__exchange",)
    date_hierarchy = "open_time"
    show_full_result_count = False
