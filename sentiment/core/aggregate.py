"""Point-in-time sentiment aggregates: bucket scored items by when they became available.

An item belongs to the bucket `[start, start + interval)` that contains its `available_at`,
so a bucket's aggregate is known at the bucket's end and never uses a later item. Pure
functions: the Django shell loads items and stores rows, the backtester can call these too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from markets.core.adapter import timeframe_ms
from sentiment.core.scoring import NEUTRAL_BAND

# Intervals kept up to date on ingest and readable through the selectors and the API.
INTERVALS: tuple[str, ...] = ("5m", "15m", "1h", "4h", "1d")


@dataclass(frozen=True)
class ScoredItem:
    available_at: datetime
    compound: float
    weight: float = 1.0


@dataclass(frozen=True)
class AggregateRow:
    bucket_start: datetime
    item_count: int
    mean_compound: float
    weighted_compound: float
    share_positive: float
    share_negative: float


def interval_delta(interval: str) -> timedelta:
    """Return the length of an interval (`5m`, `1h`, ...) as a timedelta."""
    return timedelta(milliseconds=timeframe_ms(interval))


def bucket_start(moment: datetime, interval: str) -> datetime:
    """Return the start of the bucket containing `moment` (aligned to the Unix epoch)."""
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    step = timeframe_ms(interval)
    ms = int(moment.astimezone(UTC).timestamp() * 1000)
    return datetime.fromtimestamp((ms - ms % step) / 1000, tz=UTC)


def bucket_starts(start: datetime, end: datetime, interval: str) -> list[datetime]:
    """Return the starts of every bucket overlapping `[start, end)`."""
    step = interval_delta(interval)
    current = bucket_start(start, interval)
    starts: list[datetime] = []
    while current < end:
        starts.append(current)
        current += step
    return starts


def summarise(
    bucket: datetime, items: list[ScoredItem], band: float = NEUTRAL_BAND
) -> AggregateRow:
    """Compute one bucket's row from its items (at least one)."""
    count = len(items)
    total_weight = sum(max(item.weight, 0.0) for item in items)
    mean = sum(item.compound for item in items) / count
    weighted = (
        sum(item.compound * max(item.weight, 0.0) for item in items) / total_weight
        if total_weight > 0
        else mean
    )
    return AggregateRow(
        bucket_start=bucket,
        item_count=count,
        mean_compound=mean,
        weighted_compound=weighted,
        share_positive=sum(1 for item in items if item.compound > band) / count,
        share_negative=sum(1 for item in items if item.compound < -band) / count,
    )


def aggregate(
    items: Iterable[ScoredItem],
    *,
    interval: str,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[AggregateRow]:
    """Bucket items by `available_at` and summarise each non-empty bucket, oldest first.

    With `start`/`end`, only buckets starting in `[bucket_start(start), end)` are returned.
    """
    buckets: dict[datetime, list[ScoredItem]] = defaultdict(list)
    for item in items:
        buckets[bucket_start(item.available_at, interval)].append(item)
    lower = bucket_start(start, interval) if start is not None else None
    rows = []
    for bucket in sorted(buckets):
        if lower is not None and bucket < lower:
            continue
        if end is not None and bucket >= end:
            continue
        rows.append(summarise(bucket, buckets[bucket]))
    return rows
