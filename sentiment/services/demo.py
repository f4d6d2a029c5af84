"""Demo headlines: offline, marked as demo, stopped as soon as a real source is configured."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from sentiment.core import demo
from sentiment.core.scoring import default_scorer, news_weight, votes_score
from sentiment.core.types import NewsRecord
from sentiment.models import NewsItem, SentimentScore, Source
from sentiment.services._common import score_fields, tags
from sentiment.services.sources import DEFAULT_ASSETS

DEMO_LOOKBACK = timedelta(hours=2)


def demo_records(asset: str, start: datetime, end: datetime) -> list[tuple[NewsRecord, timedelta]]:
    """Return the demo headlines of an asset published in `[start, end)`, with their delays."""
    out = []
    for headline in demo.headlines(asset, start, end):
        record = NewsRecord(
            external_id=headline.external_id,
            title=headline.title,
            url="",
            domain="demo.quantum-trader.local",
            currencies=(headline.asset,),
            votes=headline.votes,
            published_at=headline.published_at,
            raw={"demo": True, "intended": headline.intended},
        )
        out.append((record, headline.collected_after))
    return out


def demo_backfill(*, source: Source, start: datetime, end: datetime) -> int:
    """Store the demo headlines of `[start, end)` as if collected live, in bulk; return new rows.

    Each headline is available when it would have been collected (published + a short delay).
    Aggregates are not refreshed here; call `aggregates_recompute` for the window afterwards.
    """
    scorer = default_scorer()
    now = timezone.now()
    created = 0
    cache: dict[str, dict[str, float | str]] = {}
    for asset in source.assets or DEFAULT_ASSETS:
        pairs = [
            (r, delay)
            for r, delay in demo_records(asset, start, end)
            if r.published_at + delay <= now
        ]
        existing = set(
            NewsItem.objects.filter(
                source=source, external_id__in=[r.external_id for r, _ in pairs]
            ).values_list("external_id", flat=True)
        )
        fresh = [(r, d) for r, d in pairs if r.external_id not in existing]
        items = [
            NewsItem(
                source=source,
                external_id=r.external_id,
                title=r.title,
                url=r.url,
                domain=r.domain,
                currencies=list(r.currencies),
                asset_tags=tags(r.currencies),
                votes=r.votes,
                published_at=r.published_at,
                ingested_at=r.published_at + d,
                available_at=r.published_at + d,
                raw=r.raw,
            )
            for r, d in fresh
        ]
        with transaction.atomic():
            NewsItem.objects.bulk_create(items, batch_size=1000)
            stored = {
                n.external_id: n
                for n in NewsItem.objects.filter(
                    source=source, external_id__in=[r.external_id for r, _ in fresh]
                )
            }
            scores = []
            for record, _ in fresh:
                fields = cache.get(record.title)
                if fields is None:
                    fields = cache[record.title] = score_fields(record.title, scorer)
                scores.append(
                    SentimentScore(
                        news=stored[record.external_id],
                        votes_score=votes_score(record.votes),
                        weight=news_weight(record.votes),
                        scored_at=now,
                        **fields,
                    )
                )
            SentimentScore.objects.bulk_create(scores, batch_size=1000)
        created += len(items)
    return created
