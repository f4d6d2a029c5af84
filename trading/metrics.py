"""Trading's state for /metrics, read from the database at scrape time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Min, Q, Sum
from django.db.models import DurationField as DurationOutput
from prometheus_client.core import CounterMetricFamily, Metric, SummaryMetricFamily

from markets.metrics import gauge, register_db_collector
from trading.bots.models import Bot, BotTick
from trading.models import BacktestRun, Fill, Order


def _orders(at: datetime) -> Iterator[Metric]:
    by_status = gauge("orders", "Orders by status and venue kind.", ["status", "venue"])
    paper = ExpressionWrapper(Q(paper_account__isnull=False), output_field=BooleanField())
    rows = Order.objects.annotate(paper=paper).values("status", "paper").annotate(n=Count("pk"))
    for row in sorted(rows, key=lambda r: (r["status"], r["paper"])):
        venue = "paper" if row["paper"] else "exchange"
        by_status.add_metric([row["status"], venue], row["n"])
    yield by_status
    unknown = Order.objects.filter(status=Order.Status.UNKNOWN).aggregate(
        n=Count("pk"), oldest=Min("updated_at")
    )
    count = gauge("orders_unknown", "Orders whose outcome at the venue is not known yet.")
    count.add_metric([], unknown["n"])
    yield count
    age = gauge("orders_unknown_oldest_age_seconds", "Age of the oldest UNKNOWN order.")
    oldest = unknown["oldest"]
    age.add_metric([], (at - oldest).total_seconds() if oldest is not None else 0.0)
    yield age
    fills = CounterMetricFamily("qt_fills", "Fills recorded, by exchange.", labels=["exchange"])
    for exchange, n in sorted(
        Fill.objects.values_list("exchange").annotate(n=Count("pk")).values_list("exchange", "n")
    ):
        fills.add_metric([exchange], n)
    yield fills


def _bots() -> Iterator[Metric]:
    bots = gauge("bots", "Bots by state and mode (halted bots need a person).", ["state", "mode"])
    for state, mode, n in sorted(
        Bot.objects.values_list("state", "mode")
        .annotate(n=Count("pk"))
        .values_list("state", "mode", "n")
    ):
        bots.add_metric([state, mode], n)
    yield bots
    ticks = CounterMetricFamily(
        "qt_bot_ticks", "Bot ticks recorded, by outcome.", labels=["outcome"]
    )
    for outcome, n in sorted(
        BotTick.objects.values_list("outcome").annotate(n=Count("pk")).values_list("outcome", "n")
    ):
        ticks.add_metric([outcome], n)
    yield ticks


def _backtests() -> Iterator[Metric]:
    runs = CounterMetricFamily("qt_backtest_runs", "Backtest runs by status.", labels=["status"])
    for status, n in sorted(
        BacktestRun.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    ):
        runs.add_metric([status], n)
    yield runs
    duration = SummaryMetricFamily(
        "qt_backtest_run_seconds", "Run time of finished backtests, by status.", labels=["status"]
    )
    finished = (
        BacktestRun.objects.filter(started_at__isnull=False, finished_at__isnull=False)
        .annotate(took=ExpressionWrapper(F("finished_at") - F("started_at"), DurationOutput()))
        .values("status")
        .annotate(n=Count("pk"), total=Sum("took"))
    )
    for row in sorted(finished, key=lambda r: r["status"]):
        duration.add_metric([row["status"]], row["n"], row["total"].total_seconds())
    yield duration


def trading_state(at: datetime) -> Iterator[Metric]:
    yield from _orders(at)
    yield from _bots()
    yield from _backtests()


register_db_collector("trading", trading_state)
