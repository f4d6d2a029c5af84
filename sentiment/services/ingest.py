"""Ingest: store new headlines and posts, score them, refresh their buckets, publish them.

Headlines and posts go through one routine (`_ingest`); what differs between them (how a
record is checked, stored and published, what a duplicate means) is a `_Channel`. Bad records
are logged and skipped; the rest of the batch is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, Literal, Protocol, TypeVar

import structlog
from django.db import DatabaseError, transaction
from django.utils import timezone

from markets.stream import publish
from sentiment.core.scoring import Scorer, default_scorer, news_weight, post_weight, votes_score
from sentiment.core.types import NewsRecord, PostRecord
from sentiment.events import asset_group
from sentiment.models import NewsItem, Post, SentimentScore, Source
from sentiment.services._common import (
    BucketKeys,
    affected,
    clean_json,
    clean_text,
    cut,
    score_fields,
    tags,
)
from sentiment.services.aggregates import aggregates_refresh

log = structlog.get_logger(__name__)

Mode = Literal["live", "historical"]
MAX_EXTERNAL_ID = 64

RecordT = TypeVar("RecordT", NewsRecord, PostRecord)
RecordT_contra = TypeVar("RecordT_contra", NewsRecord, PostRecord, contravariant=True)
ItemT = TypeVar("ItemT", NewsItem, Post)


@dataclass
class IngestReport:
    created: int = 0
    duplicates: int = 0
    skipped: int = 0
    assets: set[str] = field(default_factory=set)
    aggregates: int = 0


@dataclass(frozen=True)
class _Stored(Generic[ItemT]):
    item: ItemT
    score: SentimentScore
    assets: Sequence[str]


class _Channel(Protocol[RecordT_contra, ItemT]):
    kind: str  # "news" or "post", in log event names

    def duplicate(self, external_id: str) -> BucketKeys | None:
        """Return None for a new record, else the buckets a known one changes (often none)."""

    def problem(self, record: RecordT_contra) -> str | None: ...

    def happened_at(self, record: RecordT_contra) -> datetime: ...

    def store(
        self, record: RecordT_contra, *, available_at: datetime, now: datetime
    ) -> _Stored[ItemT]: ...

    def publish(self, stored: _Stored[ItemT]) -> None: ...


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _ingest(
    channel: _Channel[RecordT, ItemT],
    *,
    source: Source,
    records: Sequence[RecordT],
    mode: Mode,
    now: datetime,
    notify: bool,
) -> IngestReport:
    """Store each new record of a batch in its own transaction; refresh buckets; publish."""
    report = IngestReport()
    buckets: BucketKeys = set()
    seen: set[str] = set()
    for record in records:
        known = None if record.external_id in seen else channel.duplicate(record.external_id)
        if record.external_id in seen or known is not None:
            report.duplicates += 1
            buckets |= known or set()
            continue
        seen.add(record.external_id)
        problem = channel.problem(record)
        if problem is not None:
            report.skipped += 1
            log.warning(f"sentiment.{channel.kind}_skipped", source=source.name, reason=problem)
            continue
        available_at = now if mode == "live" else channel.happened_at(record)
        try:
            with transaction.atomic():
                stored = channel.store(record, available_at=available_at, now=now)
        except (DatabaseError, ValueError, TypeError) as e:
            report.skipped += 1
            log.warning(
                f"sentiment.{channel.kind}_store_failed",
                source=source.name,
                external_id=record.external_id,
                error=str(e)[:200],
            )
            continue
        report.created += 1
        report.assets.update(stored.assets)
        buckets |= affected(stored.assets, available_at)
        if notify:
            channel.publish(stored)
    report.aggregates = aggregates_refresh(buckets, notify=notify)
    return report


@dataclass
class _NewsChannel:
    source: Source
    scorer: Scorer
    known: set[str]
    kind: str = "news"

    def duplicate(self, external_id: str) -> BucketKeys | None:
        return set() if external_id in self.known else None

    def problem(self, record: NewsRecord) -> str | None:
        if len(record.external_id) > MAX_EXTERNAL_ID or not record.title.strip():
            return "bad id or title"
        return None

    def happened_at(self, record: NewsRecord) -> datetime:
        return record.published_at

    def store(
        self, record: NewsRecord, *, available_at: datetime, now: datetime
    ) -> _Stored[NewsItem]:
        item = NewsItem.objects.create(
            source=self.source,
            external_id=record.external_id,
            title=clean_text(record.title),
            url=cut(clean_text(record.url), 2000),
            domain=cut(record.domain, 255),
            currencies=list(record.currencies),
            asset_tags=cut(tags(record.currencies), 512),
            votes=record.votes,
            published_at=record.published_at,
            ingested_at=available_at,
            available_at=available_at,
            raw=clean_json(record.raw),
        )
        score = SentimentScore.objects.create(
            news=item,
            votes_score=votes_score(record.votes),
            weight=news_weight(record.votes),
            scored_at=now,
            **score_fields(record.title, self.scorer),
        )
        return _Stored(item=item, score=score, assets=record.currencies)

    def publish(self, stored: _Stored[NewsItem]) -> None:
        item = stored.item
        data = {
            "title": item.title,
            "url": item.url,
            "source": item.source.name,
            "is_demo": item.source.is_demo,
            "currencies": item.currencies,
            "published_at": _iso(item.published_at),
            "available_at": _iso(item.available_at),
            "compound": stored.score.compound,
        }
        for asset in item.currencies:
            publish(group=asset_group(asset), type="news", id=item.pk, data=data)


@dataclass
class _PostChannel:
    source: Source
    scorer: Scorer
    asset: str
    query: str
    known: dict[str, Post]
    kind: str = "post"

    def duplicate(self, external_id: str) -> BucketKeys | None:
        """A post already stored for another asset gains this asset as well."""
        post = self.known.get(external_id)
        if post is None:
            return None
        if self.asset in post.assets:
            return set()
        post.assets = [*post.assets, self.asset]
        post.asset_tags = cut(tags(post.assets), 512)
        post.save(update_fields=["assets", "asset_tags"])
        return affected([self.asset], post.available_at)

    def problem(self, record: PostRecord) -> str | None:
        return "bad id" if len(record.external_id) > MAX_EXTERNAL_ID else None

    def happened_at(self, record: PostRecord) -> datetime:
        return record.created_at

    def store(self, record: PostRecord, *, available_at: datetime, now: datetime) -> _Stored[Post]:
        item = Post.objects.create(
            source=self.source,
            external_id=record.external_id,
            author=cut(clean_text(record.author), 255),
            text=clean_text(record.text),
            language=cut(record.language, 16),
            created_at=record.created_at,
            ingested_at=available_at,
            available_at=available_at,
            public_metrics=record.public_metrics,
            query=cut(self.query, 512),
            assets=[self.asset],
            asset_tags=tags([self.asset]),
            raw=clean_json(record.raw),
        )
        score = SentimentScore.objects.create(
            post=item,
            weight=post_weight(record.public_metrics),
            scored_at=now,
            **score_fields(record.text, self.scorer),
        )
        return _Stored(item=item, score=score, assets=(self.asset,))

    def publish(self, stored: _Stored[Post]) -> None:
        item = stored.item
        data = {
            "author": item.author,
            "text": item.text,
            "language": item.language,
            "created_at": _iso(item.created_at),
            "available_at": _iso(item.available_at),
            "compound": stored.score.compound,
        }
        for asset in stored.assets:
            publish(group=asset_group(asset), type="post", id=item.pk, data=data)


def news_ingest(
    *,
    source: Source,
    records: Sequence[NewsRecord],
    mode: Mode = "live",
    now: datetime | None = None,
    scorer: Scorer | None = None,
    notify: bool = True,
) -> IngestReport:
    """Store new headlines (dedupe by external id), score them and refresh their buckets.

    `live`: available at ingest time; `historical`: available at publication time.
    """
    now = now or timezone.now()
    known = set(
        NewsItem.objects.filter(
            source=source, external_id__in=[r.external_id for r in records]
        ).values_list("external_id", flat=True)
    )
    channel = _NewsChannel(source=source, scorer=scorer or default_scorer(), known=known)
    report = _ingest(channel, source=source, records=records, mode=mode, now=now, notify=notify)
    log.info(
        "sentiment.news_ingested",
        source=source.name,
        created=report.created,
        duplicates=report.duplicates,
        skipped=report.skipped,
    )
    return report


def posts_ingest(
    *,
    source: Source,
    records: Sequence[PostRecord],
    asset: str,
    query: str = "",
    mode: Mode = "live",
    now: datetime | None = None,
    scorer: Scorer | None = None,
    notify: bool = True,
) -> IngestReport:
    """Store new posts found for an asset (dedupe by external id), score them, refresh buckets.

    A post already stored for another asset gains this asset as well.
    """
    now = now or timezone.now()
    asset = asset.upper()
    known = {
        p.external_id: p
        for p in Post.objects.filter(external_id__in=[r.external_id for r in records])
    }
    channel = _PostChannel(
        source=source, scorer=scorer or default_scorer(), asset=asset, query=query, known=known
    )
    report = _ingest(channel, source=source, records=records, mode=mode, now=now, notify=notify)
    log.info(
        "sentiment.posts_ingested",
        source=source.name,
        asset=asset,
        created=report.created,
        duplicates=report.duplicates,
        skipped=report.skipped,
    )
    return report


def items_rescore(
    *,
    news_ids: Sequence[int] = (),
    post_ids: Sequence[int] = (),
    scorer: Scorer | None = None,
) -> int:
    """Score items again with the current scorer and refresh their buckets; return the count."""
    scorer = scorer or default_scorer()
    now = timezone.now()
    buckets: BucketKeys = set()
    count = 0
    with transaction.atomic():
        for news in NewsItem.objects.filter(pk__in=news_ids):
            SentimentScore.objects.update_or_create(
                news=news,
                defaults={
                    "votes_score": votes_score(news.votes),
                    "weight": news_weight(news.votes),
                    "scored_at": now,
                    **score_fields(news.title, scorer),
                },
            )
            buckets |= affected(news.currencies, news.available_at)
            count += 1
        for post in Post.objects.filter(pk__in=post_ids):
            SentimentScore.objects.update_or_create(
                post=post,
                defaults={
                    "weight": post_weight(post.public_metrics),
                    "scored_at": now,
                    **score_fields(post.text, scorer),
                },
            )
            buckets |= affected(post.assets, post.available_at)
            count += 1
        aggregates_refresh(buckets, notify=False)
    log.info("sentiment.rescored", items=count, scorer_version=scorer.version)
    return count
