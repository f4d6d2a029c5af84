from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import factory

from sentiment.core.types import NewsRecord, PostRecord
from sentiment.models import Source


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"source-{n}")
    kind = Source.Kind.CRYPTOPANIC
    assets = factory.LazyFunction(lambda: ["BTC", "ETH"])
    poll_interval_seconds = 0


def news_record(external_id: str, title: str = "Bitcoin rallies", **kwargs) -> NewsRecord:
    values: dict[str, Any] = {
        "url": f"https://example.com/{external_id}",
        "domain": "example.com",
        "currencies": ("BTC",),
        "votes": {"positive": 1, "negative": 0, "important": 0},
        "published_at": datetime(2024, 3, 1, 12, 0, tzinfo=UTC),
        "raw": {"id": external_id, "title": title},
    }
    values.update(kwargs)
    return NewsRecord(external_id=external_id, title=title, **values)


def post_record(external_id: str, text: str = "BTC to the moon 🚀", **kwargs) -> PostRecord:
    values: dict[str, Any] = {
        "author": "user1",
        "language": "en",
        "created_at": datetime(2024, 3, 1, 12, 0, tzinfo=UTC),
        "public_metrics": {"like_count": 3},
        "raw": {"id": external_id, "text": text},
    }
    values.update(kwargs)
    return PostRecord(external_id=external_id, text=text, **values)
