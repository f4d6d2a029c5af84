"""Scheduled candle ingestion: one run at a time per market and timeframe."""

from __future__ import annotations

from typing import Any

import structlog
from celery import shared_task

from markets import services
from markets.core.errors import ExchangeError
from markets.locks import task_lock
from markets.models import Market

log = structlog.get_logger(__name__)

LOCK_TIMEOUT = 15 * 60


def _lock_name(market_id: int, timeframe: str) -> str:
    return f"markets:ingest:{market_id}:{timeframe}"


@shared_task(ignore_result=True, soft_time_limit=LOCK_TIMEOUT - 60, time_limit=LOCK_TIMEOUT)
def ingest_market_task(market_id: int, timeframe: str) -> dict[str, Any] | None:
    """Ingest newly closed candles of one market; skipped while another run holds the lock."""
    with task_lock(_lock_name(market_id, timeframe), ttl=LOCK_TIMEOUT) as lease:
        if lease is None:
            log.info("markets.ingest_skipped_locked", market_id=market_id, timeframe=timeframe)
            return None
        market = Market.objects.select_related("exchange").filter(pk=market_id).first()
        if market is None or not market.enabled:
            return None
        adapter = services.adapter_for(market.exchange)
        try:
            if not market.listing_verified:
                # Created offline (a CSV import): fill its limits in now the exchange answers.
                services.market_refresh_listing(market=market, adapter=adapter)
            report = services.ingest_candles(market=market, timeframe=timeframe, adapter=adapter)
        except ExchangeError as e:
            log.warning(
                "markets.ingest_failed",
                market_id=market_id,
                timeframe=timeframe,
                error=str(e),
                retryable=e.retryable,
            )
            return None
        return report.as_dict()


@shared_task(ignore_result=True)
def ingest_enabled_markets_task() -> int:
    """Queue one ingestion per enabled market and timeframe on an enabled exchange."""
    queued = 0
    rows = Market.objects.filter(enabled=True, exchange__enabled=True).values_list(
        "pk", "timeframes"
    )
    for market_id, timeframes in rows:
        for timeframe in timeframes or []:
            ingest_market_task.delay(market_id, timeframe)
            queued += 1
    return queued
