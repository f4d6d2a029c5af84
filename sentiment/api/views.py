"""News, posts and sentiment aggregates. Shared market data: any signed-in user may read it."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from sentiment import selectors
from sentiment.core.aggregate import INTERVALS
from sentiment.models import NewsItem, Post, SentimentAggregate, SentimentScore


class ScoreSerializer(serializers.ModelSerializer[SentimentScore]):
    class Meta:
        model = SentimentScore
        fields = ("compound", "positive", "negative", "neutral", "votes_score", "scorer_version")
        read_only_fields = fields


class NewsItemSerializer(serializers.ModelSerializer[NewsItem]):
    source_name = serializers.CharField(source="source.name", read_only=True)
    is_demo = serializers.BooleanField(source="source.is_demo", read_only=True)
    score = ScoreSerializer(read_only=True, allow_null=True)

    class Meta:
        model = NewsItem
        fields = (
            "id",
            "source_name",
            "is_demo",
            "external_id",
            "title",
            "url",
            "domain",
            "currencies",
            "votes",
            "published_at",
            "ingested_at",
            "available_at",
            "score",
        )
        read_only_fields = fields


class PostSerializer(serializers.ModelSerializer[Post]):
    source_name = serializers.CharField(source="source.name", read_only=True)
    is_demo = serializers.BooleanField(source="source.is_demo", read_only=True)
    score = ScoreSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Post
        fields = (
            "id",
            "source_name",
            "is_demo",
            "external_id",
            "author",
            "text",
            "language",
            "assets",
            "query",
            "public_metrics",
            "created_at",
            "ingested_at",
            "available_at",
            "score",
        )
        read_only_fields = fields


class AggregateSerializer(serializers.ModelSerializer[SentimentAggregate]):
    bucket_end = serializers.DateTimeField(read_only=True)

    class Meta:
        model = SentimentAggregate
        fields = (
            "asset",
            "interval",
            "bucket_start",
            "bucket_end",
            "item_count",
            "mean_compound",
            "weighted_compound",
            "share_positive",
            "share_negative",
        )
        read_only_fields = fields


class WindowFilter(serializers.Serializer[Any]):
    asset = serializers.RegexField(
        r"^[A-Za-z0-9]{1,16}$", required=False, help_text="Asset code, e.g. BTC."
    )
    start = serializers.DateTimeField(required=False, help_text="ISO 8601, inclusive.")
    end = serializers.DateTimeField(required=False, help_text="ISO 8601, exclusive.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("start"), attrs.get("end")
        if start is not None and end is not None and start >= end:
            raise serializers.ValidationError({"end": "Must be after start."})
        return attrs


class AggregateFilter(WindowFilter):
    asset = serializers.RegexField(r"^[A-Za-z0-9]{1,16}$", help_text="Asset code, e.g. BTC.")
    interval = serializers.ChoiceField(choices=list(INTERVALS), default="1h")
    start = serializers.DateTimeField(
        required=False, help_text="ISO 8601: buckets ending after this time."
    )
    end = serializers.DateTimeField(
        required=False, help_text="ISO 8601: buckets ending at or before this time."
    )


def _filters(
    serializer_class: type[serializers.Serializer[Any]], request: Request
) -> dict[str, Any]:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class NewsListView(generics.ListAPIView[NewsItem]):
    """Headlines with their scores, newest first; `start`/`end` filter on `available_at`."""

    serializer_class = NewsItemSerializer

    def get_queryset(self) -> Any:
        return selectors.news_list(**_filters(WindowFilter, self.request))

    @extend_schema(parameters=[WindowFilter])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class PostListView(generics.ListAPIView[Post]):
    """Social posts with their scores, newest first; `start`/`end` filter on `available_at`."""

    serializer_class = PostSerializer

    def get_queryset(self) -> Any:
        return selectors.posts_list(**_filters(WindowFilter, self.request))

    @extend_schema(parameters=[WindowFilter])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class SentimentListView(generics.ListAPIView[SentimentAggregate]):
    """Closed sentiment buckets of an asset, oldest first; bounds apply to the bucket end."""

    serializer_class = AggregateSerializer

    def get_queryset(self) -> Any:
        return selectors.aggregates_list(**_filters(AggregateFilter, self.request))

    @extend_schema(parameters=[AggregateFilter])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
