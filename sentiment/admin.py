from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from sentiment import services
from sentiment.models import NewsItem, Post, SentimentAggregate, SentimentScore, Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin[Source]):
    list_display = (
        "name",
        "kind",
        "enabled",
        "is_demo",
        "poll_interval_seconds",
        "last_polled_at",
        "last_status",
        "paused_until",
    )
    list_filter = ("kind", "enabled", "is_demo", "last_status")
    readonly_fields = ("last_polled_at", "last_status", "last_error")
    search_fields = ("name",)


# Shown under both news items and posts, so its parent model is either.
class ScoreInline(admin.StackedInline[SentimentScore, Any]):
    model = SentimentScore
    extra = 0
    can_delete = False
    readonly_fields = (
        "compound",
        "positive",
        "negative",
        "neutral",
        "votes_score",
        "weight",
        "scorer_version",
        "scored_at",
    )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.action(description="Score again with the current scorer")
def rescore_news(modeladmin: Any, request: HttpRequest, queryset: QuerySet[NewsItem]) -> None:
    count = services.items_rescore(news_ids=list(queryset.values_list("pk", flat=True)))
    modeladmin.message_user(request, f"{count} headlines scored again.", messages.SUCCESS)


@admin.action(description="Score again with the current scorer")
def rescore_posts(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Post]) -> None:
    count = services.items_rescore(post_ids=list(queryset.values_list("pk", flat=True)))
    modeladmin.message_user(request, f"{count} posts scored again.", messages.SUCCESS)


@admin.register(NewsItem)
class NewsItemAdmin(admin.ModelAdmin[NewsItem]):
    list_display = ("title", "source", "asset_tags", "compound", "published_at", "available_at")
    list_filter = ("source", "source__is_demo", "score__scorer_version")
    search_fields = ("title", "external_id", "domain")
    date_hierarchy = "available_at"
    inlines = (ScoreInline,)
    actions = (rescore_news,)
    list_select_related = ("source", "score")

    @admin.display(description="compound", ordering="score__compound")
    def compound(self, obj: NewsItem) -> float | None:
        score = getattr(obj, "score", None)
        return None if score is None else round(score.compound, 3)


@admin.register(Post)
class PostAdmin(admin.ModelAdmin[Post]):
    list_display = ("short_text", "author", "language", "asset_tags", "compound", "available_at")
    list_filter = ("source", "language", "score__scorer_version")
    search_fields = ("text", "author", "external_id")
    date_hierarchy = "available_at"
    inlines = (ScoreInline,)
    actions = (rescore_posts,)
    list_select_related = ("source", "score")

    @admin.display(description="text")
    def short_text(self, obj: Post) -> str:
        return obj.text[:80]

    @admin.display(description="compound", ordering="score__compound")
    def compound(self, obj: Post) -> float | None:
        score = getattr(obj, "score", None)
        return None if score is None else round(score.compound, 3)


@admin.register(SentimentAggregate)
class SentimentAggregateAdmin(admin.ModelAdmin[SentimentAggregate]):
    list_display = (
        "asset",
        "interval",
        "bucket_start",
        "item_count",
        "mean_compound",
        "weighted_compound",
        "share_positive",
        "share_negative",
    )
    list_filter = ("asset", "interval")
    date_hierarchy = "bucket_start"
