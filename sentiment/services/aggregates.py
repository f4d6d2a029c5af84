"""Sentiment aggregates: recompute the buckets items land in, publish the changed ones."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from markets.stream import publish
from sentiment.core.aggregate import ScoredItem, bucket_start, interval_delta, summarise
from sentiment.events import asset_group
from sentiment.models import NewsItem, Post, SentimentAggregate
from sentiment.services._common import BucketKeys

AGGREGATE_FIELDS = (
    "item_count",
    "mean_compound",
    "weighted_compound",
    "share_positive",
    "share_negative",
    "computed_at",
)


def _scored_items(asset: str, start: datetime, end: datetime) -> list[ScoredItem]:
    tag = f",{asset.upper()},"
    items = [
        ScoredItem(available_at=a, compound=c, weight=w)
        for a, c, w in NewsItem.objects.filter(
            asset_tags__contains=tag,
            available_at__gte=start,
            available_at__lt=end,
            score__isnull=False,
        ).values_list("available_at", "score__compound", "score__weight")
    ]
    items += [
        ScoredItem(available_at=a, compound=c, weight=w)
        for a, c, w in Post.objects.filter(
            asset_tags__contains=tag,
            available_at__gte=start,
            available_at__lt=end,
            score__isnull=False,
        ).values_list("available_at", "score__compound", "score__weight")
    ]
    return items


def aggregates_recompute(
    *,
    asset: str,
    interval: str,
    start: datetime,
    end: datetime,
    notify: bool = False,
) -> int:
    """Recompute the aggregates of every bucket overlapping `[start, end)`; return rows written.

    Unchanged rows are left alone (and not published again); buckets left without items
    lose their row.
    """
    asset = asset.upper()
    step = interval_delta(interval)
    lower = bucket_start(start, interval)
    upper = bucket_start(end - timedelta(microseconds=1), interval) + step if end > start else lower
    grouped: dict[datetime, list[ScoredItem]] = defaultdict(list)
    for item in _scored_items(asset, lower, upper):
        grouped[bucket_start(item.available_at, interval)].append(item)
    now = timezone.now()
    written = 0
    with transaction.atomic():
        SentimentAggregate.objects.filter(
            asset=asset, interval=interval, bucket_start__gte=lower, bucket_start__lt=upper
        ).exclude(bucket_start__in=list(grouped)).delete()
        existing = {
            row.bucket_start: row
            for row in SentimentAggregate.objects.filter(
                asset=asset, interval=interval, bucket_start__in=list(grouped)
            )
        }
        to_create: list[SentimentAggregate] = []
        to_update: list[SentimentAggregate] = []
        for bucket, items in grouped.items():
            row = summarise(bucket, items)
            values: dict[str, float | int | datetime] = {
                "item_count": row.item_count,
                "mean_compound": row.mean_compound,
                "weighted_compound": row.weighted_compound,
                "share_positive": row.share_positive,
                "share_negative": row.share_negative,
                "computed_at": now,
            }
            current = existing.get(bucket)
            if current is None:
                current = SentimentAggregate(
                    asset=asset, interval=interval, bucket_start=bucket, **values
                )
                to_create.append(current)
            elif any(getattr(current, k) != v for k, v in values.items() if k != "computed_at"):
                for key, value in values.items():
                    setattr(current, key, value)
                to_update.append(current)
            else:
                continue
            written += 1
            if notify:
                _publish_aggregate(current)
        SentimentAggregate.objects.bulk_create(to_create, batch_size=1000)
        SentimentAggregate.objects.bulk_update(to_update, AGGREGATE_FIELDS, batch_size=1000)
    return written


def _publish_aggregate(row: SentimentAggregate) -> None:
    publish(
        group=asset_group(row.asset),
        type="sentiment",
        id=int(row.bucket_start.timestamp() * 1000),
        data={
            "asset": row.asset,
            "interval": row.interval,
            "bucket_start": int(row.bucket_start.timestamp() * 1000),
            "bucket_end": int(row.bucket_end.timestamp() * 1000),
            "item_count": row.item_count,
            "mean_compound": row.mean_compound,
            "weighted_compound": row.weighted_compound,
            "share_positive": row.share_positive,
            "share_negative": row.share_negative,
        },
    )


def aggregates_refresh(affected: BucketKeys, *, notify: bool) -> int:
    """Recompute each of the given buckets; return the rows written."""
    written = 0
    for asset, interval, start in sorted(affected):
        written += aggregates_recompute(
            asset=asset,
            interval=interval,
            start=start,
            end=start + interval_delta(interval),
            notify=notify,
        )
    return written
