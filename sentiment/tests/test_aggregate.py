from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sentiment.core.aggregate import ScoredItem, aggregate, bucket_start, bucket_starts

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def test_bucket_start_aligns_to_interval():
    assert bucket_start(T0 + timedelta(minutes=59, seconds=59), "1h") == T0
    assert bucket_start(T0 + timedelta(minutes=7), "5m") == T0 + timedelta(minutes=5)


def test_bucket_start_naive_time_rejected():
    with pytest.raises(ValueError, match="aware"):
        bucket_start(datetime(2024, 1, 1), "1h")  # noqa: DTZ001


def test_bucket_start_unknown_interval_rejected():
    with pytest.raises(ValueError, match="unknown timeframe"):
        bucket_start(T0, "7h")


def test_aggregate_items_grouped_by_available_at():
    items = [
        ScoredItem(T0 + timedelta(minutes=1), 0.5, weight=1.0),
        ScoredItem(T0 + timedelta(minutes=30), -0.5, weight=3.0),
        ScoredItem(T0 + timedelta(minutes=40), 0.0, weight=1.0),
        ScoredItem(T0 + timedelta(hours=1), 0.8, weight=1.0),
    ]
    first, second = aggregate(items, interval="1h")
    assert first.bucket_start == T0
    assert first.item_count == 3
    assert first.mean_compound == pytest.approx(0.0)
    assert first.weighted_compound == pytest.approx((0.5 - 1.5 + 0.0) / 5)
    assert first.share_positive == pytest.approx(1 / 3)
    assert first.share_negative == pytest.approx(1 / 3)
    assert second.bucket_start == T0 + timedelta(hours=1)
    assert second.item_count == 1


def test_aggregate_item_at_bucket_end_belongs_to_next_bucket():
    rows = aggregate([ScoredItem(T0 + timedelta(hours=1), 0.9)], interval="1h")
    assert [row.bucket_start for row in rows] == [T0 + timedelta(hours=1)]


def test_aggregate_window_filters_buckets():
    items = [ScoredItem(T0 + timedelta(hours=h), 0.1) for h in range(5)]
    rows = aggregate(
        items, interval="1h", start=T0 + timedelta(hours=1, minutes=5), end=T0 + timedelta(hours=3)
    )
    assert [row.bucket_start for row in rows] == [T0 + timedelta(hours=1), T0 + timedelta(hours=2)]


def test_bucket_starts_cover_window():
    assert bucket_starts(T0 + timedelta(minutes=10), T0 + timedelta(hours=2), "1h") == [
        T0,
        T0 + timedelta(hours=1),
    ]
