"""Polling the sources: CryptoPanic headlines, X posts and the offline demo headlines."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import structlog
from django.conf import settings
from django.utils import timezone

from sentiment.core.cryptopanic import CryptoPanicClient, NewsFetcher
from sentiment.core.x import PostFetcher, XClient
from sentiment.models import Post, Source
from sentiment.services.demo import DEMO_LOOKBACK, demo_records
from sentiment.services.ingest import IngestReport, news_ingest, posts_ingest
from sentiment.services.sources import DEFAULT_ASSETS, DEFAULT_QUERIES

log = structlog.get_logger(__name__)


@dataclass
class PollReport:
    source: str
    status: str
    detail: str = ""
    fetched: int = 0
    ingest: IngestReport = field(default_factory=IngestReport)


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
        records = [r for r, _ in demo_records(asset, now - DEMO_LOOKBACK, now)]
        report.fetched += len(records)
        ingest = news_ingest(source=source, records=records, mode="live", now=now)
        report.ingest.created += ingest.created
        report.ingest.duplicates += ingest.duplicates
    _finish(source, report, now, None)
    return report
