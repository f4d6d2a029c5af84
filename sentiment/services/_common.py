"""Small helpers shared by the sentiment services: cleaning, tags, scores, affected buckets."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sentiment.core.aggregate import INTERVALS, bucket_start
from sentiment.core.scoring import Scorer

AGGREGATE_INTERVALS = INTERVALS

BucketKeys = set[tuple[str, str, datetime]]
JsonValue = None | bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"]


def tags(assets: Iterable[str]) -> str:
    """Return the `,BTC,ETH,` form the `asset_tags` columns are searched by."""
    codes = [a.upper() for a in assets if a]
    return "," + ",".join(codes) + "," if codes else ""


def cut(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[:limit]


def clean_text(value: str) -> str:
    """Drop NUL characters, which PostgreSQL refuses in text."""
    return value.replace("\x00", "")


def clean_json(value: JsonValue) -> JsonValue:
    """Drop NUL characters, which PostgreSQL refuses in text and JSON, at any depth."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(k): clean_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_json(v) for v in value]
    return value


def score_fields(text: str, scorer: Scorer) -> dict[str, float | str]:
    """Return a text's score as `SentimentScore` field values."""
    score = scorer.score(text)
    return {
        "compound": score.compound,
        "positive": score.positive,
        "negative": score.negative,
        "neutral": score.neutral,
        "scorer_version": scorer.version,
    }


def affected(assets: Iterable[str], available_at: datetime) -> BucketKeys:
    """Return the aggregate buckets, of every interval, an item available then lands in."""
    return {
        (asset, interval, bucket_start(available_at, interval))
        for asset in assets
        for interval in AGGREGATE_INTERVALS
    }
