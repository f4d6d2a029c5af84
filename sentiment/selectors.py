"""Reads of the sentiment app, including the frame the signals app joins to its features."""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

import pandas as pd
from django.db.models import QuerySet
from django.utils import timezone

from sentiment.core.aggregate import INTERVALS, interval_delta
from sentiment.models import NewsItem, Post, SentimentAggregate


class HeadlineRow(TypedDict):
    title: str
    url: str
    compound: float
    available_at: datetime
    is_demo: bool


FRAME_COLUMNS = ["sent_count", "sent_mean", "sent_weighted", "sent_pos_share", "sent_neg_share"]


def _check_interval(interval: str) -> None:
    if interval not in INTERVALS:
        raise ValueError(
            f"no sentiment aggregates for interval {interval!r}; use one of {', '.join(INTERVALS)}"
        )


def news_list(
    *,
    asset: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    demo: bool | None = None,
) -> QuerySet[NewsItem]:
    """Headlines, newest first, filtered by asset and by `available_at` in `[start, end)`."""
    items = NewsItem.objects.select_related("source", "score")
    if asset:
        items = items.filter(asset_tags__contains=f",{asset.upper()},")
    if start is not None:
        items = items.filter(available_at__gte=start)
    if end is not None:
        items = items.filter(available_at__lt=end)
    if demo is not None:
        items = items.filter(source__is_demo=demo)
    return items.order_by("-available_at", "-id")


def posts_list(
    *, asset: str | None = None, start: datetime | None = None, end: datetime | None = None
) -> QuerySet[Post]:
    """Posts, newest first, filtered by asset and by `available_at` in `[start, end)`."""
    items = Post.objects.select_related("source", "score")
    if asset:
        items = items.filter(asset_tags__contains=f",{asset.upper()},")
    if start is not None:
        items = items.filter(available_at__gte=start)
    if end is not None:
        items = items.filter(available_at__lt=end)
    return items.order_by("-available_at", "-id")


def aggregates_list(
    *,
    asset: str,
    interval: str,
    start: datetime | None = None,
    end: datetime | None = None,
    now: datetime | None = None,
) -> QuerySet[SentimentAggregate]:
    """Closed buckets (ended by `now`) of an asset, oldest first, whose END is in `(start, end]`.

    A bucket's aggregate becomes available at its end, so both bounds apply to the end time:
    asking for data "up to T" never returns a bucket still open at T.
    """
    _check_interval(interval)
    step = interval_delta(interval)
    now = now or timezone.now()
    latest_start = now - step
    if end is not None:
        latest_start = min(latest_start, end - step)
    rows = SentimentAggregate.objects.filter(
        asset=asset.upper(), interval=interval, bucket_start__lte=latest_start
    )
    if start is not None:
        rows = rows.filter(bucket_start__gt=start - step)
    return rows.order_by("bucket_start")


def sentiment_frame(
    *, asset: str, interval: str, start: datetime | None, end: datetime | None
) -> pd.DataFrame:
    """Return aggregates as float columns indexed by bucket END time (UTC).

    The index is when each value became available, so a feature row at time T may use every
    row with index <= T. Columns: sent_count, sent_mean, sent_weighted, sent_pos_share,
    sent_neg_share. Only buckets with at least one item are stored; a missing bucket means
    nothing was published (reindex and fill sent_count with 0 if a regular grid is needed).
    Bounds apply to the end time: `start < index <= end`; only closed buckets are returned.
    Intervals: 5m, 15m, 1h, 4h, 1d (ValueError for others).
    """
    step = interval_delta(interval)
    rows = list(
        aggregates_list(asset=asset, interval=interval, start=start, end=end).values_list(
            "bucket_start",
            "item_count",
            "mean_compound",
            "weighted_compound",
            "share_positive",
            "share_negative",
        )
    )
    index = pd.DatetimeIndex([r[0] + step for r in rows], name="available_at")
    index = (
        index.tz_convert("UTC")
        if len(index)
        else pd.DatetimeIndex([], tz="UTC", name="available_at")
    )
    return pd.DataFrame([r[1:] for r in rows], index=index, columns=FRAME_COLUMNS, dtype="float64")


def headlines_for(
    *, asset: str, start: datetime, end: datetime, limit: int = 5
) -> list[HeadlineRow]:
    """Return the strongest-scored headlines available in `[start, end)`, for explanations.

    Each: title, url, compound, available_at (aware UTC datetime), is_demo. Sorted by
    absolute compound, strongest first, then newest.
    """
    items = list(
        news_list(asset=asset, start=start, end=end)
        .filter(score__isnull=False)
        .values_list("title", "url", "score__compound", "available_at", "source__is_demo")[:500]
    )
    items.sort(key=lambda r: (abs(r[2]), r[3]), reverse=True)
    return [
        HeadlineRow(
            title=title,
            url=url,
            compound=float(compound),
            available_at=available_at,
            is_demo=is_demo,
        )
        for title, url, compound, available_at, is_demo in items[:limit]
    ]


def sentiment_intervals() -> tuple[str, ...]:
    """Return the intervals aggregates are computed at (timeframe strings)."""
    return tuple(INTERVALS)
