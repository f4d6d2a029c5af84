"""`/metrics`: the platform's metrics, who may scrape them, and Celery's task metrics.

Metric definitions live in `markets.metrics` (importable by every app); this module joins
them to the outside:

* the scrape: this process's metrics (every process of the host in multiprocess mode) plus
  the state the apps read from the database at scrape time;
* access: a bearer token (`METRICS_TOKEN`) and/or allowed networks
  (`METRICS_ALLOWED_NETWORKS`); with neither, only this machine may scrape;
* Celery: run time and failures of every task through Celery's signals, counters taken from
  the results of the ingest, predict, reconcile, paper-fill and bot-tick tasks, and an
  exporter inside each worker when `METRICS_PORT` is set (one per pod or container).

Importable before Django's apps are ready (Celery imports it at start): models and app
modules are imported inside functions only.
"""

from __future__ import annotations

import hmac
import importlib
import ipaddress
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server

from celery import Task
from celery.signals import (
    task_failure,
    task_postrun,
    task_prerun,
    worker_init,
    worker_process_shutdown,
)
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client import multiprocess as prometheus_multiprocess
from prometheus_client.exposition import ThreadingWSGIServer

from markets import metrics as m

log = logging.getLogger(__name__)

APPS_WITH_COLLECTORS = ("sentiment", "signals", "trading")
LOOPBACK = ("127.0.0.0/8", "::1/128")


# --- what a scrape returns ---------------------------------------------------------------
def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def process_registry() -> CollectorRegistry:
    """This process's metrics, or every process's of the host in multiprocess mode."""
    if multiprocess_dir():
        registry = CollectorRegistry()
        prometheus_multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return registry
    return REGISTRY


def load_collectors() -> None:
    """Import each app's `metrics` module, which registers its database collector."""
    for app in APPS_WITH_COLLECTORS:
        importlib.import_module(f"{app}.metrics")


def render(*, with_database: bool = True) -> bytes:
    body = generate_latest(process_registry())
    if with_database:
        load_collectors()
        m.DB_COLLECTOR.cache_seconds = float(settings.METRICS_DB_CACHE_SECONDS)
        body += generate_latest(m.DB_REGISTRY)
    return body


# --- who may scrape ------------------------------------------------------------------------
def scrape_refusal(*, authorization: str, address: str | None) -> tuple[int, str] | None:
    """Return (status, reason) when a scrape must be refused, None when it may proceed."""
    token = settings.METRICS_TOKEN
    networks = settings.METRICS_ALLOWED_NETWORKS or ([] if token else list(LOOPBACK))
    if networks:
        try:
            peer = ipaddress.ip_address(address or "")
        except ValueError:
            return 403, "The client address is not known."
        if not any(peer in ipaddress.ip_network(n, strict=False) for n in networks):
            return 403, "Scrapes are not accepted from this address."
    if token:
        scheme, _, given = authorization.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip(), token):
            return 401, "Send the metrics token as `Authorization: Bearer <token>`."
    return None


def _refused(status: int, reason: str) -> HttpResponse:
    from quantum_trader.exceptions import error_body

    code = "not_authenticated" if status == 401 else "permission_denied"
    response = JsonResponse(error_body(code=code, message=reason), status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
    return response


def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus exposition of the platform's metrics, for allowed scrapers only."""
    from accounts.services import client_address

    refusal = scrape_refusal(
        authorization=request.headers.get("Authorization", ""),
        address=client_address(request),
    )
    if refusal is not None:
        return _refused(*refusal)
    return HttpResponse(render(), content_type=CONTENT_TYPE_LATEST)


# --- Celery --------------------------------------------------------------------------------
_started: dict[str, float] = {}
_started_lock = threading.Lock()


def _queue(task_name: str) -> str:
    from quantum_trader.celery import route_task

    return route_task(task_name)["queue"]


@task_prerun.connect
def _task_started(task_id: str | None = None, **_: Any) -> None:
    if task_id is not None:
        with _started_lock:
            _started[task_id] = time.perf_counter()


@task_postrun.connect
def _task_finished(
    task_id: str | None = None,
    task: Task | None = None,
    retval: Any = None,
    state: str | None = None,
    **_: Any,
) -> None:
    if task_id is None or task is None:
        return
    with _started_lock:
        started = _started.pop(task_id, None)
    if started is None:
        return
    took = time.perf_counter() - started
    name = str(task.name)
    m.TASK_SECONDS.labels(task=name, queue=_queue(name), state=state or "UNKNOWN").observe(took)
    if state == "SUCCESS":
        handler = RESULT_HANDLERS.get(name)
        if handler is not None:
            try:
                handler(retval, took)
            except Exception:  # a metric must never fail the task that produced it
                log.exception("metrics from the result of %s failed", name)


@task_failure.connect
def _task_failed(sender: Task | None = None, **_: Any) -> None:
    if sender is not None:
        name = str(sender.name)
        m.TASK_FAILURES.labels(task=name, queue=_queue(name)).inc()


def _ingested(result: Any, _took: float) -> None:
    if isinstance(result, dict) and result.get("inserted"):
        m.CANDLES_INGESTED.labels(
            exchange=str(result.get("exchange")),
            market=str(result.get("symbol")),
            timeframe=str(result.get("timeframe")),
        ).inc(int(result["inserted"]))


def _predicted(result: Any, _took: float) -> None:
    if isinstance(result, dict):
        for key in ("created", "existing", "errors"):
            if result.get(key):
                m.SIGNALS_PREDICTED.labels(result=key).inc(int(result[key]))


def _submitted(result: Any, took: float) -> None:
    outcome = result if isinstance(result, str) and len(result) <= 32 else "other"
    m.ORDER_SUBMIT_SECONDS.labels(outcome=outcome).observe(took)


def _reconciled(result: Any, _took: float) -> None:
    m.RECONCILER_CYCLES.labels(result="ok").inc()
    if isinstance(result, dict):
        for key, value in result.items():
            if key != "accounts" and isinstance(value, int) and value > 0:
                m.RECONCILER_ORDERS.labels(action=key).inc(value)


def _ticked(result: Any, _took: float) -> None:
    outcomes: Iterable[Any] = []
    if isinstance(result, dict) and isinstance(result.get("outcomes"), dict):
        outcomes = [(k, v) for k, v in result["outcomes"].items() if isinstance(v, int)]
    elif isinstance(result, str):
        outcomes = [(result, 1)]
    for outcome, count in outcomes:
        if count > 0 and len(str(outcome)) <= 32:
            m.BOT_TICKS.labels(outcome=str(outcome)).inc(count)


def _paper_filled(result: Any, _took: float) -> None:
    if isinstance(result, int) and result > 0:
        m.PAPER_FILLS.inc(result)


RESULT_HANDLERS: dict[str, Callable[[Any, float], None]] = {
    "markets.tasks.ingest_market_task": _ingested,
    "signals.predict_signals_task": _predicted,
    "trading.order_submit": _submitted,
    "trading.orders_reconcile": _reconciled,
    "trading.bots_tick_due": _ticked,
    "trading.bot_tick": _ticked,
    "trading.paper_candles": _paper_filled,
}


@task_failure.connect
def _reconcile_failed(sender: Task | None = None, **_: Any) -> None:
    if sender is not None and sender.name == "trading.orders_reconcile":
        m.RECONCILER_CYCLES.labels(result="failed").inc()


# --- an exporter inside each worker -----------------------------------------------------------
class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Scrapes are not worth a log line each."""


def exporter_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    """WSGI app of a worker's exporter: the same access rules as `/metrics`, no database."""
    refusal = scrape_refusal(
        authorization=str(environ.get("HTTP_AUTHORIZATION", "")),
        address=environ.get("REMOTE_ADDR"),
    )
    if refusal is not None:
        status, reason = refusal
        headers = [("Content-Type", "text/plain; charset=utf-8")]
        if status == 401:
            headers.append(("WWW-Authenticate", 'Bearer realm="metrics"'))
        start_response(f"{status} {'Unauthorized' if status == 401 else 'Forbidden'}", headers)
        return [reason.encode()]
    start_response("200 OK", [("Content-Type", CONTENT_TYPE_LATEST)])
    return [render(with_database=False)]


def start_exporter(port: int, address: str = "0.0.0.0") -> ThreadingWSGIServer:  # noqa: S104
    """Serve this host's process metrics on `port` from a daemon thread."""
    server = make_server(
        address, port, exporter_app, ThreadingWSGIServer, handler_class=_QuietHandler
    )
    threading.Thread(target=server.serve_forever, name="metrics-exporter", daemon=True).start()
    return server


@worker_init.connect
def _worker_exporter(**_: Any) -> None:
    port = int(os.environ.get("METRICS_PORT") or 0)
    if port:
        start_exporter(port)
        log.info("metrics exporter listening on port %d", port)


@worker_process_shutdown.connect
def _worker_child_gone(pid: int | None = None, **_: Any) -> None:
    if multiprocess_dir():
        prometheus_multiprocess.mark_process_dead(pid or os.getpid())  # type: ignore[no-untyped-call]
