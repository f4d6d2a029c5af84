from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from sentiment import selectors, services
from sentiment.selectors import FRAME_COLUMNS
from sentiment.tests.factories import SourceFactory, news_record

pytestmark = pytest.mark.django_db

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def three_hours():
    source = SourceFactory()
    records = [
        news_record("a", "Bitcoin rallies to a record high"),
        news_record("b", "Bitcoin crashes after the hack"),
        news_record("c", "Bitcoin trades at $61K on Tuesday"),
    ]
    for hour, record in enumerate(records):
        services.news_ingest(
            source=source, records=[record], now=T0 + timedelta(hours=hour, minutes=30)
        )
    return source


def test_sentiment_frame_indexed_by_bucket_end(three_hours):
    frame = selectors.sentiment_frame(asset="btc", interval="1h", start=None, end=None)
    assert list(frame.columns) == FRAME_COLUMNS
    assert all(dtype == "float64" for dtype in frame.dtypes)
    assert str(frame.index.tz) == "UTC"
    assert list(frame.index) == [
        pd.Timestamp(T0 + timedelta(hours=1)),
        pd.Timestamp(T0 + timedelta(hours=2)),
        pd.Timestamp(T0 + timedelta(hours=3)),
    ]
    assert frame["sent_count"].tolist() == [1.0, 1.0, 1.0]
    assert frame["sent_mean"].iloc[0] > 0 > frame["sent_mean"].iloc[1]
    assert frame["sent_pos_share"].tolist() == [1.0, 0.0, 0.0]


def test_sentiment_frame_end_bound_excludes_open_bucket(three_hours):
    # At 14:30 the 14:00 bucket is still open: only buckets ending by then are known.
    frame = selectors.sentiment_frame(
        asset="BTC", interval="1h", start=T0, end=T0 + timedelta(hours=2, minutes=30)
    )
    assert list(frame.index) == [
        pd.Timestamp(T0 + timedelta(hours=1)),
        pd.Timestamp(T0 + timedelta(hours=2)),
    ]
    later = selectors.sentiment_frame(
        asset="BTC", interval="1h", start=T0 + timedelta(hours=1), end=None
    )
    assert list(later.index) == [
        pd.Timestamp(T0 + timedelta(hours=2)),
        pd.Timestamp(T0 + timedelta(hours=3)),
    ]


def test_sentiment_frame_bucket_still_open_now_excluded():
    source = SourceFactory()
    now = datetime.now(UTC)
    services.news_ingest(source=source, records=[news_record("now")], now=now)
    assert selectors.sentiment_frame(asset="BTC", interval="5m", start=None, end=None).empty


def test_sentiment_frame_unknown_asset_is_empty_typed_frame():
    frame = selectors.sentiment_frame(asset="DOGE", interval="1h", start=None, end=None)
    assert frame.empty
    assert list(frame.columns) == FRAME_COLUMNS
    assert str(frame.index.tz) == "UTC"


def test_headlines_for_window_strongest_first(three_hours):
    rows = selectors.headlines_for(asset="BTC", start=T0, end=T0 + timedelta(hours=2), limit=5)
    assert [r["title"] for r in rows] == [
        "Bitcoin crashes after the hack",
        "Bitcoin rallies to a record high",
    ]
    assert rows[0]["compound"] < 0 < rows[1]["compound"]
    assert rows[0]["available_at"] == T0 + timedelta(hours=1, minutes=30)
    assert set(rows[0]) == {"title", "url", "compound", "available_at", "is_demo"}
    limited = selectors.headlines_for(asset="BTC", start=T0, end=T0 + timedelta(hours=3), limit=1)
    assert [r["title"] for r in limited] == ["Bitcoin crashes after the hack"]


def test_sentiment_frame_unsupported_interval_rejected():
    with pytest.raises(ValueError, match="no sentiment aggregates for interval '1m'"):
        selectors.sentiment_frame(asset="BTC", interval="1m", start=None, end=None)
