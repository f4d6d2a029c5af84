"""Signals' state for /metrics, read from the database at scrape time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from django.db.models import Count
from prometheus_client.core import CounterMetricFamily, Metric

from markets.metrics import gauge, register_db_collector
from signals.models import ModelVersion, Signal


def signals_state(at: datetime) -> Iterator[Metric]:
    signals = CounterMetricFamily(
        "qt_signals",
        "Signals stored, by model version (champions and candidates only) and action.",
        labels=["model", "action"],
    )
    # Retired models drop out, so the model label stays bounded by the models in use.
    active = Signal.objects.exclude(model_version__status=ModelVersion.Status.RETIRED)
    rows = active.values("model_version_id", "action").annotate(n=Count("pk"))
    for row in sorted(rows, key=lambda r: (r["model_version_id"] or 0, r["action"])):
        signals.add_metric([str(row["model_version_id"] or "none"), row["action"]], row["n"])
    yield signals
    age = gauge(
        "champion_model_age_seconds",
        "Now minus the training time of each champion model.",
        ["model", "timeframe"],
    )
    score = gauge(
        "champion_model_score",
        "Walk-forward summary score (log-loss skill over the prior) of each champion model.",
        ["model", "timeframe"],
    )
    champions = ModelVersion.objects.filter(status=ModelVersion.Status.CHAMPION)
    for pk, timeframe, created, summary in champions.values_list(
        "pk", "timeframe", "created_at", "summary_score"
    ):
        age.add_metric([str(pk), timeframe], (at - created).total_seconds())
        score.add_metric([str(pk), timeframe], summary)
    yield age
    yield score


register_db_collector("signals", signals_state)
