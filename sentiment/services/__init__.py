"""Writes of the sentiment app, by concern: ingest, aggregates, polling, demo data, sources.

Ingest stores each new item with its raw payload, scores it, recomputes the aggregates of
the buckets it lands in and publishes it to the asset's group.
"""

from sentiment.services._common import AGGREGATE_INTERVALS
from sentiment.services.aggregates import aggregates_recompute, aggregates_refresh
from sentiment.services.demo import DEMO_LOOKBACK, demo_backfill
from sentiment.services.ingest import IngestReport, Mode, items_rescore, news_ingest, posts_ingest
from sentiment.services.polling import (
    PollReport,
    cryptopanic_poll,
    demo_poll,
    real_sources_configured,
    x_poll,
)
from sentiment.services.sources import DEFAULT_ASSETS, DEFAULT_QUERIES, sources_ensure

__all__ = [
    "AGGREGATE_INTERVALS",
    "DEFAULT_ASSETS",
    "DEFAULT_QUERIES",
    "DEMO_LOOKBACK",
    "IngestReport",
    "Mode",
    "PollReport",
    "aggregates_recompute",
    "aggregates_refresh",
    "cryptopanic_poll",
    "demo_backfill",
    "demo_poll",
    "items_rescore",
    "news_ingest",
    "posts_ingest",
    "real_sources_configured",
    "sources_ensure",
    "x_poll",
]
