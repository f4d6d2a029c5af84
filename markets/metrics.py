"""The platform's own Prometheus metrics, defined in one place for every app.

Two kinds:

* Event metrics (counters, histograms, the websocket gauge) live in the process that does the
  work. With `PROMETHEUS_MULTIPROC_DIR` set before the process starts, prometheus-client
  writes them to files in that folder and any exporter on the same host (or pod) adds up
  every process's values; see docs/operations.md.
* State metrics (ingestion lag, outbox backlog, orders by status, UNKNOWN orders, champion
  models...) are read from the database when `/metrics` is scraped, by the collectors each
  app registers with `register_db_collector`. They are right whatever process did the work.

Labels stay low-cardinality: exchange, market, timeframe, queue, task, status, outcome,
model version. Never a user id, an order id or anything a user types.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from prometheus_client import Counter, Gauge, Histogram
from prometheus_client.core import CollectorRegistry, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from markets.core.retry import observe_calls

log = logging.getLogger(__name__)

NAMESPACE = "qt"

# --- market data -------------------------------------------------------------------------
CANDLES_INGESTED = Counter(
    "candles_ingested",
    "Closed candles newly stored by ingestion.",
    ["exchange", "market", "timeframe"],
    namespace=NAMESPACE,
)
EXCHANGE_REQUESTS = Counter(
    "exchange_requests",
    "Requests sent to an exchange, by result (ok or the error class).",
    ["exchange", "result"],
    namespace=NAMESPACE,
)
EXCHANGE_ERRORS = Counter(
    "exchange_errors",
    "Failed exchange requests by error class (NetworkError, RateLimitedError, ...).",
    ["exchange", "error"],
    namespace=NAMESPACE,
)

# --- signals -----------------------------------------------------------------------------
SIGNALS_PREDICTED = Counter(
    "signals_predicted",
    "Signals written by the prediction task, by result (created, existing, errors).",
    ["result"],
    namespace=NAMESPACE,
)

# --- trading -----------------------------------------------------------------------------
ORDER_SUBMIT_SECONDS = Histogram(
    "order_submit_seconds",
    "Time to claim and send one order to its venue, by outcome.",
    ["outcome"],
    namespace=NAMESPACE,
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0),
)
RECONCILER_CYCLES = Counter(
    "reconciler_cycles",
    "Order reconciler passes, by result (ok or failed).",
    ["result"],
    namespace=NAMESPACE,
)
RECONCILER_ORDERS = Counter(
    "reconciler_orders",
    "Orders the reconciler handled, by what it did (resolved, resent, refreshed, failed...).",
    ["action"],
    namespace=NAMESPACE,
)
BOT_TICKS = Counter(
    "bot_ticks_processed",
    "Bot decisions made by the tick tasks, by outcome (ordered, no_order, halted...).",
    ["outcome"],
    namespace=NAMESPACE,
)
PAPER_FILLS = Counter(
    "paper_fills_booked",
    "Paper fills booked from stored candles.",
    namespace=NAMESPACE,
)

# --- stream --------------------------------------------------------------------------------
STREAM_EVENTS = Counter(
    "stream_events_published",
    "Stream events handed to the channel layer or the outbox, by event type.",
    ["type"],
    namespace=NAMESPACE,
)
WEBSOCKET_CONNECTIONS = Gauge(
    "websocket_connections",
    "Open websocket connections (summed over the processes of this host).",
    namespace=NAMESPACE,
    multiprocess_mode="livesum",
)

# --- celery --------------------------------------------------------------------------------
TASK_SECONDS = Histogram(
    "celery_task_seconds",
    "Celery task run time, by task, queue and final state.",
    ["task", "queue", "state"],
    namespace=NAMESPACE,
    buckets=(0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 1800.0),
)
TASK_FAILURES = Counter(
    "celery_task_failures",
    "Celery tasks that raised, by task and queue.",
    ["task", "queue"],
    namespace=NAMESPACE,
)


def _record_exchange_call(exchange: str, error: str | None) -> None:
    EXCHANGE_REQUESTS.labels(exchange=exchange, result=error or "ok").inc()
    if error is not None:
        EXCHANGE_ERRORS.labels(exchange=exchange, error=error).inc()


observe_calls(_record_exchange_call)


# --- state read from the database at scrape time -------------------------------------------
DbProducer = Callable[[datetime], Iterable[Metric]]
DB_REGISTRY = CollectorRegistry(auto_describe=False)


class DbCollector(Collector):
    """Run the apps' producers at scrape time; keep the result briefly so scrapes stay cheap."""

    def __init__(self) -> None:
        self.producers: dict[str, DbProducer] = {}
        self.cache_seconds = 0.0
        self._lock = threading.Lock()
        self._cached: tuple[float, list[Metric]] | None = None

    def add(self, name: str, producer: DbProducer) -> None:
        self.producers[name] = producer
        self._cached = None

    def collect(self) -> Iterator[Metric]:
        with self._lock:
            now = time.monotonic()
            if self._cached is not None and now - self._cached[0] < self.cache_seconds:
                yield from self._cached[1]
                return
            metrics: list[Metric] = []
            failed = GaugeMetricFamily(
                f"{NAMESPACE}_metrics_collector_up",
                "1 when a database collector answered at this scrape, 0 when it failed.",
                labels=["collector"],
            )
            at = datetime.now(UTC)
            for name, producer in sorted(self.producers.items()):
                try:
                    metrics.extend(producer(at))
                    failed.add_metric([name], 1)
                except Exception:  # a failing collector shows as 0, the scrape still answers
                    log.exception("metrics collector %s failed", name)
                    failed.add_metric([name], 0)
            metrics.append(failed)
            self._cached = (now, metrics)
            yield from metrics

    def reset(self) -> None:
        self._cached = None


DB_COLLECTOR = DbCollector()
DB_REGISTRY.register(DB_COLLECTOR)


def register_db_collector(name: str, producer: DbProducer) -> None:
    """Add (or replace) one app's scrape-time producer of metrics."""
    DB_COLLECTOR.add(name, producer)


def gauge(name: str, documentation: str, labels: list[str] | None = None) -> GaugeMetricFamily:
    return GaugeMetricFamily(f"{NAMESPACE}_{name}", documentation, labels=labels)


def market_label(exchange: str, symbol: str) -> dict[str, str]:
    return {"exchange": exchange, "market": symbol}


def _markets_state(at: datetime) -> Iterator[Metric]:
    from markets.core.adapter import timeframe_ms
    from markets.models import Candle, Market

    lag = gauge(
        "ingestion_lag_seconds",
        "Now minus the close of the newest stored candle, per enabled market and timeframe.",
        ["exchange", "market", "timeframe"],
    )
    for market in Market.objects.filter(enabled=True).select_related("exchange"):
        for timeframe in market.timeframes or []:
            newest = (
                Candle.objects.filter(market=market, timeframe=timeframe)
                .order_by("-open_time")
                .values_list("open_time", flat=True)
                .first()
            )
            if newest is None:
                continue
            close = newest.timestamp() + timeframe_ms(timeframe) / 1000
            lag.add_metric(
                [market.exchange.ccxt_id, market.symbol, timeframe], at.timestamp() - close
            )
    yield lag
    figures = _stream_backlog()
    backlog = gauge(
        "outbox_backlog", "Stream events committed to the outbox and not yet dispatched."
    )
    backlog.add_metric([], figures["pending_events"])
    yield backlog
    age = gauge("outbox_oldest_age_seconds", "Age of the oldest stream event not yet dispatched.")
    age.add_metric([], figures["oldest_pending_seconds"] or 0.0)
    yield age


register_db_collector("markets", _markets_state)


def label_values(value: Any) -> str:
    """A label value from a database value: never empty, never None."""
    return str(value) if value not in (None, "") else "none"


def _stream_backlog() -> dict[str, Any]:
    # Imported here: this module loads when Celery starts, before the models are ready.
    from markets import stream

    return stream.backlog()


def outbox_backlog() -> int:
    """Stream events committed to the outbox and not yet dispatched."""
    return int(_stream_backlog()["pending_events"])
