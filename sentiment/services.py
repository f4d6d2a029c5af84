"""Writes of the sentiment app: ingest, score, aggregate, poll.

Ingest stores each new item with its raw payload, scores it, recomputes the aggregates of
the buckets it lands in and publishes it to the asset's group. Bad records are logged and
skipped; the rest of the batch is stored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

import structlog
from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from markets.stream import publish
from sentiment.core import demo
from sentiment.core.aggregate import (
    INTERVALS,
    ScoredItem,
    bucket_start,
    interval_delta,
    summarise,
)
from sentiment.core.cryptopanic import CryptoPanicClient, NewsFetcher
from sentiment.core.scoring import Scorer, default_scorer, news_weight, post_weight, votes_score
from sentiment.core.types import NewsRecord, PostRecord
from sentiment.core.x import PostFetcher, XClient
from sentiment.events import asset_group
from sentiment.models import NewsItem, Post, SentimentAggregate, SentimentScore, Source

log = structlog.get_logger(__name__)

Mode = Literal["live", "historical"]
AGGREGATE_INTERVALS = INTERVALS
DEFAULT_ASSETS = ["BTC", "ETH"]
DEFAULT_QUERIES = {
    "BTC": "(bitcoin OR btc OR #bitcoin) lang:en -is:retweet",
    "ETH": "(ethereum OR #ethereum OR ether) lang:en -is:retweet",
}
DEMO_LOOKBACK = timedelta(hours=2)
AGGREGATE_FIELDS = (
    "item_count",
    "mean_compound",
    "weighted_compound",
    "share_positive",
    "share_negative",
    "computed_at",
)

BucketKeys = set[tuple[str, str, datetime]]


@dataclass
class IngestReport:
    created: int = 0
    duplicates: int = 0
    skipped: int = 0
    assets: set[str] = field(default_factory=set)
    aggregates: int = 0


@dataclass
class PollReport:
    source: str
    status: str
    detail: str = ""
    fetched: int = 0
    ingest: IngestReport = field(default_factory=IngestReport)


def _tags(assets: Iterable[str]) -> str:
    codes = [a.upper() for a in assets if a]
    return "," + ",".join(codes) + "," if codes else ""


def _cut(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[:limit]


def _clean(value: Any) -> Any:
    """Drop NUL characters, which PostgreSQL refuses in text and JSON, at any depth."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def sources_ensure() -> list[Source]:
    """Create the CryptoPanic, X and demo sources if they are missing; return all three."""
    defaults: list[tuple[str, str, dict[str, Any]]] = [
        ("CryptoPanic", Source.Kind.CRYPTOPANIC, {"poll_interval_seconds": 300}),
        (
            "X recent search",
            Source.Kind.X,
            {"poll_interval_seconds": 900, "queries": DEFAULT_QUERIES},
        ),
        ("Demo headlines", Source.Kind.DEMO, {"poll_interval_seconds": 60, "is_demo": True}),
    ]
    sources = []
    for name, kind, extra in defaults:
        source, _ = Source.objects.get_or_create(
            name=name, defaults={"kind": kind, "assets": list(DEFAULT_ASSETS), **extra}
        )
        sources.append(source)
    return sources


def _score_fields(score_text_value: str, scorer: Scorer) -> dict[str, float | str]:
    score = scorer.score(score_text_value)
    return {
        "compound": score.compound,
        "positive": score.positive,
        "negative": score.negative,
        "neutral": score.neutral,
        "scorer_version": scorer.version,
    }


def _affected(assets: Iterable[str], available_at: datetime) -> BucketKeys:
    return {
        (asset, interval, bucket_start(available_at, interval))
        for asset in assets
        for interval in AGGREGATE_INTERVALS
    }


def _publish_news(item: NewsItem, score: SentimentScore) -> None:
    data = {
        "title": item.title,
        "url": item.url,
        "source": item.source.name,
        "is_demo": item.source.is_demo,
        "currencies": item.currencies,
        "published_at": item.published_at.isoformat().replace("+00:00", "Z"),
        "available_at": item.available_at.isoformat().replace("+00:00", "Z"),
        "compound": score.compound,
    }
    for asset in item.currencies:
        publish(group=asset_group(asset), type="news", id=item.pk, data=data)


def _publish_post(item: Post, score: SentimentScore, assets: Iterable[str]) -> None:
    data = {
        "author": item.author,
        "text": item.text,
        "language": item.language,
        "created_at": item.created_at.isoformat().replace("+00:00", "Z"),
        "available_at": item.available_at.isoformat().replace("+00:00", "Z"),
        "compound": score.compound,
    }
    for asset in assets:
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
    scorer = scorer or default_scorer()
    now = now or timezone.now()
    report = IngestReport()
    ids = [r.external_id for r in records]
    existing = set(
        NewsItem.objects.filter(source=source, external_id__in=ids).values_list(
            "external_id", flat=True
        )
    )
    affected: BucketKeys = set()
    for record in records:
        if record.external_id in existing:
            report.duplicates += 1
            continue
        if len(record.external_id) > 64 or not record.title.strip():
            report.skipped += 1
            log.warning("sentiment.news_skipped", source=source.name, reason="bad id or title")
            continue
        existing.add(record.external_id)
        when = now if mode == "live" else record.published_at
        try:
            with transaction.atomic():
                item = NewsItem.objects.create(
                    source=source,
                    external_id=record.external_id,
                    title=_clean(record.title),
                    url=_cut(_clean(record.url), 2000),
                    domain=_cut(record.domain, 255),
                    currencies=list(record.currencies),
                    asset_tags=_cut(_tags(record.currencies), 512),
                    votes=record.votes,
                    published_at=record.published_at,
                    ingested_at=now if mode == "live" else when,
                    available_at=when,
                    raw=_clean(record.raw),
                )
                score = SentimentScore.objects.create(
                    news=item,
                    votes_score=votes_score(record.votes),
                    weight=news_weight(record.votes),
                    scored_at=now,
                    **_score_fields(record.title, scorer),
                )
        except (DatabaseError, ValueError, TypeError) as e:
            report.skipped += 1
            log.warning(
                "sentiment.news_store_failed",
                source=source.name,
                external_id=record.external_id,
                error=str(e)[:200],
            )
            continue
        report.created += 1
        report.assets.update(record.currencies)
        affected |= _affected(record.currencies, when)
        if notify:
            _publish_news(item, score)
    report.aggregates = _refresh(affected, notify=notify)
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
    scorer = scorer or default_scorer()
    now = now or timezone.now()
    asset = asset.upper()
    report = IngestReport()
    ids = [r.external_id for r in records]
    existing = {p.external_id: p for p in Post.objects.filter(external_id__in=ids)}
    affected: BucketKeys = set()
    seen: set[str] = set()
    for record in records:
        known = existing.get(record.external_id)
        if record.external_id in seen or known is not None:
            report.duplicates += 1
            if known is not None and asset not in known.assets:
                known.assets = [*known.assets, asset]
                known.asset_tags = _cut(_tags(known.assets), 512)
                known.save(update_fields=["assets", "asset_tags"])
                affected |= _affected([asset], known.available_at)
            continue
        seen.add(record.external_id)
        if len(record.external_id) > 64:
            report.skipped += 1
            log.warning("sentiment.post_skipped", source=source.name, reason="bad id")
            continue
        when = now if mode == "live" else record.created_at
        try:
            with transaction.atomic():
                item = Post.objects.create(
                    source=source,
                    external_id=record.external_id,
                    author=_cut(_clean(record.author), 255),
                    text=_clean(record.text),
                    language=_cut(record.language, 16),
                    created_at=record.created_at,
                    ingested_at=now if mode == "live" else when,
                    available_at=when,
                    public_metrics=record.public_metrics,
                    query=_cut(query, 512),
                    assets=[asset],
                    asset_tags=_tags([asset]),
                    raw=_clean(record.raw),
                )
                score = SentimentScore.objects.create(
                    post=item,
                    weight=post_weight(record.public_metrics),
                    scored_at=now,
                    **_score_fields(record.text, scorer),
                )
        except (DatabaseError, ValueError, TypeError) as e:
            report.skipped += 1
            log.warning(
                "sentiment.post_store_failed",
                source=source.name,
                external_id=record.external_id,
                error=str(e)[:200],
            )
            continue
        report.created += 1
        report.assets.add(asset)
        affected |= _affected([asset], when)
        if notify:
            _publish_post(item, score, [asset])
    report.aggregates = _refresh(affected, notify=notify)
    log.info(
        "sentiment.posts_ingested",
        source=source.name,
        asset=asset,
        created=report.created,
        duplicates=report.duplicates,
        skipped=report.skipped,
    )
    return report


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
            values = {
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
        SentimentAggregate.objects.bulk_update(to_update, [*values_fields()], batch_size=1000)
    return written


def values_fields() -> tuple[str, ...]:
    return (
        "item_count",
        "mean_compound",
        "weighted_compound",
        "share_positive",
        "share_negative",
        "computed_at",
    )


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


def _refresh(affected: BucketKeys, *, notify: bool) -> int:
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


def items_rescore(
    *,
    news_ids: Sequence[int] = (),
    post_ids: Sequence[int] = (),
    scorer: Scorer | None = None,
) -> int:
    """Score items again with the current scorer and refresh their buckets; return the count."""
    scorer = scorer or default_scorer()
    now = timezone.now()
    affected: BucketKeys = set()
    count = 0
    with transaction.atomic():
        for news in NewsItem.objects.filter(pk__in=news_ids):
            SentimentScore.objects.update_or_create(
                news=news,
                defaults={
                    "votes_score": votes_score(news.votes),
                    "weight": news_weight(news.votes),
                    "scored_at": now,
                    **_score_fields(news.title, scorer),
                },
            )
            affected |= _affected(news.currencies, news.available_at)
            count += 1
        for post in Post.objects.filter(pk__in=post_ids):
            SentimentScore.objects.update_or_create(
                post=post,
                defaults={
                    "weight": post_weight(post.public_metrics),
                    "scored_at": now,
                    **_score_fields(post.text, scorer),
                },
            )
            affected |= _affected(post.assets, post.available_at)
            count += 1
        _refresh(affected, notify=False)
    log.info("sentiment.rescored", items=count, scorer_version=scorer.version)
    return count


# --- polling -----------------------------------------------------------------------------


def _due(source: Source, now: datetime) -> str | None:
    if not source.enabled:
        return "disabled"
    if source.paused_until is not None and source.paused_until > now:
        return "paused"
    if (
        source.last_polled_at is not None
        and source.last_polled_at + timedelta(seconds=max(source.poll_interval_seconds - 5, 0))
        > now
    ):
        return "not_due"
    return None


def _finish(source: Source, report: PollReport, now: datetime, retry_after: float | None) -> None:
    source.last_polled_at = now
    source.last_status = report.status
    source.last_error = report.detail if report.status not in ("ok", "skipped") else ""
    if report.status == "rate_limited":
        source.paused_until = now + timedelta(seconds=retry_after or 900)
    source.save(update_fields=["last_polled_at", "last_status", "last_error", "paused_until"])


def cryptopanic_poll(
    *, source_id: int, fetcher: NewsFetcher | None = None, now: datetime | None = None
) -> PollReport:
    """Poll CryptoPanic for a source's assets; skip cleanly without a token."""
    source = Source.objects.get(pk=source_id, kind=Source.Kind.CRYPTOPANIC)
    now = now or timezone.now()
    reason = _due(source, now)
    if reason is not None:
        return PollReport(source=source.name, status="skipped", detail=reason)
    if fetcher is None:
        if not settings.CRYPTOPANIC_TOKEN:
            log.info("sentiment.poll_skipped", source=source.name, reason="CRYPTOPANIC_TOKEN unset")
            return PollReport(source=source.name, status="skipped", detail="no token configured")
        fetcher = CryptoPanicClient(
            base_url=settings.CRYPTOPANIC_BASE_URL, token=settings.CRYPTOPANIC_TOKEN
        )
    result = fetcher.fetch(currencies=source.assets or DEFAULT_ASSETS, max_pages=source.max_pages)
    report = PollReport(
        source=source.name,
        status=result.error or "ok",
        detail=result.detail,
        fetched=len(result.items),
    )
    report.ingest = news_ingest(source=source, records=result.items, mode="live", now=now)
    report.ingest.skipped += result.skipped
    if result.error is not None:
        log.warning(
            "sentiment.poll_failed",
            source=source.name,
            status=result.error,
            detail=result.detail,
            retry_after=result.retry_after,
            stored=report.ingest.created,
        )
    _finish(source, report, now, result.retry_after)
    return report


def x_poll(
    *, source_id: int, fetcher: PostFetcher | None = None, now: datetime | None = None
) -> PollReport:
    """Search X for each of a source's assets; skip cleanly without a bearer token."""
    source = Source.objects.get(pk=source_id, kind=Source.Kind.X)
    now = now or timezone.now()
    reason = _due(source, now)
    if reason is not None:
        return PollReport(source=source.name, status="skipped", detail=reason)
    if fetcher is None:
        if not settings.X_BEARER_TOKEN:
            log.info("sentiment.poll_skipped", source=source.name, reason="X_BEARER_TOKEN unset")
            return PollReport(source=source.name, status="skipped", detail="no token configured")
        fetcher = XClient(bearer_token=settings.X_BEARER_TOKEN, base_url=settings.X_API_BASE_URL)
    report = PollReport(source=source.name, status="ok")
    retry_after: float | None = None
    queries = {**DEFAULT_QUERIES, **(source.queries or {})}
    for asset in source.assets or DEFAULT_ASSETS:
        query = queries.get(asset) or f"{asset} lang:en -is:retweet"
        newest = (
            Post.objects.filter(source=source, asset_tags__contains=f",{asset},")
            .order_by("-created_at")
            .values_list("external_id", flat=True)
            .first()
        )
        result = fetcher.search(
            query=query,
            max_results=source.page_size,
            max_pages=source.max_pages,
            since_id=newest,
        )
        report.fetched += len(result.items)
        ingest = posts_ingest(
            source=source, records=result.items, asset=asset, query=query, mode="live", now=now
        )
        report.ingest.created += ingest.created
        report.ingest.duplicates += ingest.duplicates
        report.ingest.skipped += ingest.skipped + result.skipped
        if result.error is not None:
            report.status, report.detail, retry_after = (
                result.error,
                result.detail,
                result.retry_after,
            )
            log.warning(
                "sentiment.poll_failed",
                source=source.name,
                asset=asset,
                status=result.error,
                detail=result.detail,
                retry_after=result.retry_after,
                stored=ingest.created,
            )
            if result.error in ("unauthorized", "rate_limited"):
                break
    _finish(source, report, now, retry_after)
    return report


def _demo_records(asset: str, start: datetime, end: datetime) -> list[tuple[NewsRecord, timedelta]]:
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


def real_sources_configured() -> bool:
    """Whether a real news or posts token is set; demo headlines then stop, so that they
    never mix with real items in the aggregates."""
    return bool(settings.CRYPTOPANIC_TOKEN or settings.X_BEARER_TOKEN)


def demo_poll(*, source_id: int, now: datetime | None = None) -> PollReport:
    """Emit the demo headlines published in the last two hours (live mode, offline).

    Skipped as soon as a real token is configured.
    """
    source = Source.objects.get(pk=source_id, kind=Source.Kind.DEMO)
    now = now or timezone.now()
    reason = _due(source, now) or ("real source configured" if real_sources_configured() else None)
    if reason is not None:
        return PollReport(source=source.name, status="skipped", detail=reason)
    report = PollReport(source=source.name, status="ok")
    for asset in source.assets or DEFAULT_ASSETS:
        records = [r for r, _ in _demo_records(asset, now - DEMO_LOOKBACK, now)]
        report.fetched += len(records)
        ingest = news_ingest(source=source, records=records, mode="live", now=now)
        report.ingest.created += ingest.created
        report.ingest.duplicates += ingest.duplicates
    _finish(source, report, now, None)
    return report


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
            for r, delay in _demo_records(asset, start, end)
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
                asset_tags=_tags(r.currencies),
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
                    fields = cache[record.title] = _score_fields(record.title, scorer)
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
