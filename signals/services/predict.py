"""Writes of the signals app: the signal of each closed candle, backfills."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import structlog
from django.db import IntegrityError, transaction
from django.utils import timezone

from markets.core.adapter import timeframe_ms
from markets.core.errors import QuantumTraderError
from markets.events import market_group
from markets.selectors import candles_frame, markets_list
from markets.stream import publish
from signals.core.features import CandleDataError, FeatureConfig, build_features, warmup_rows
from signals.core.model import TrainingError, explain, predict_proba, usable_rows
from signals.core.pooled import extra_history, model_input
from signals.models import ModelVersion, Signal
from signals.selectors import (
    champions_list,
    closed_candles,
    headlines_explained,
    load_model,
    model_version_latest,
    optional_features,
    sentiment_for,
    signal_find,
)

if TYPE_CHECKING:
    from markets.models import Market

log = structlog.get_logger(__name__)

PREDICTION_HISTORY = 400  # candles loaded before the one predicted (covers every warm-up)


class SignalError(QuantumTraderError, RuntimeError):
    """A signal cannot be written from the data at hand (stale, missing or too short)."""

    code = "signal_unavailable"
    status = 409


# --- signals ------------------------------------------------------------------------------------


def _signal_payload(signal: Signal) -> dict[str, object]:
    return {
        "exchange": signal.market.exchange.ccxt_id,
        "symbol": signal.market.symbol,
        "timeframe": signal.timeframe,
        "open_time": int(signal.open_time.timestamp() * 1000),
        "action": signal.action,
        "confidence": signal.confidence,
        "probabilities": {
            "BUY": signal.prob_buy,
            "HOLD": signal.prob_hold,
            "SELL": signal.prob_sell,
        },
        "model_version": signal.model_version_id,
        "is_demo": signal.market.exchange.is_demo,
        "explanation": signal.explanation,
    }


def _row_to_signal_fields(proba: np.ndarray) -> dict[str, str | float]:
    sell, hold, buy = (float(p) for p in proba)
    best = int(np.argmax(proba))
    return {
        "action": ("SELL", "HOLD", "BUY")[best],
        "prob_buy": buy,
        "prob_hold": hold,
        "prob_sell": sell,
        "confidence": float(proba[best]),
    }


def market_key(market: Market) -> str:
    """The `exchange:symbol` key a model's scope and a pooled model's markets are named by."""
    return f"{market.exchange.ccxt_id}:{market.symbol}"


def latest_closed_open(timeframe: str, now: datetime) -> datetime:
    """Return the open time of the latest candle closed at `now`."""
    step = timeframe_ms(timeframe)
    now_ms = int(now.timestamp() * 1000)
    open_ms = (now_ms // step) * step - step
    return datetime.fromtimestamp(open_ms / 1000, tz=UTC)


def signal_predict(
    *,
    market: Market,
    timeframe: str,
    model_version: ModelVersion,
    now: datetime | None = None,
) -> tuple[Signal, bool]:
    """Write the signal for the latest closed candle (idempotent); return it and `created`.

    Raises SignalError, CandleDataError or ArtifactError, writing nothing, when the candle is
    missing, the history is short or bad, or the model artifact fails its checksum. Their
    messages do not name the market: the caller, who knows it, does.
    """
    now = now or timezone.now()
    open_time = latest_closed_open(timeframe, now)
    existing = signal_find(
        model_version=model_version, market=market, timeframe=timeframe, open_time=open_time
    )
    if existing is not None:
        return existing, False
    step = timedelta(milliseconds=timeframe_ms(timeframe))
    booster = load_model(model_version)
    extra = extra_history(booster)
    candles = candles_frame(
        market_id=market.pk,
        timeframe=timeframe,
        start=open_time - (PREDICTION_HISTORY + extra) * step,
        end=open_time + step,
    )
    if candles.empty or candles.index[-1] != pd.Timestamp(open_time):
        raise SignalError(
            f"the latest closed candle ({open_time:%Y-%m-%d %H:%M}Z) "
            "is not stored yet; no signal written"
        )
    config = FeatureConfig.from_dict(model_version.feature_config)
    if len(candles) <= warmup_rows(config) + extra:
        raise SignalError(
            f"{len(candles)} candles do not cover the "
            f"{warmup_rows(config) + extra}-candle warm-up; no signal written"
        )
    sentiment = sentiment_for(market, config, candles.index[0].to_pydatetime(), open_time + step)
    features = model_input(
        booster, build_features(candles, sentiment=sentiment, config=config), market_key(market)
    )
    last = features.iloc[-1:]
    if not usable_rows(last, optional_features(config)).all():
        raise SignalError("features incomplete; no signal written")
    row = last.to_numpy(dtype=np.float64)
    proba = predict_proba(booster, row)[0]
    explanation = {
        "top_features": explain(booster, row, top=5)[0],
        "headlines": headlines_explained(market, config, open_time + step),
        "feature_set_version": model_version.feature_set_version,
    }
    try:
        with transaction.atomic():
            signal = Signal.objects.create(
                market=market,
                timeframe=timeframe,
                open_time=open_time,
                model_version=model_version,
                explanation=explanation,
                **_row_to_signal_fields(proba),
            )
            publish(
                group=market_group(market.exchange.ccxt_id, market.symbol, timeframe),
                type="signal",
                id=signal.pk,
                data=_signal_payload(signal),
            )
    except IntegrityError:  # written meanwhile by another worker
        return Signal.objects.get(
            model_version=model_version, market=market, timeframe=timeframe, open_time=open_time
        ), False
    return signal, True


@dataclass
class PredictReport:
    created: list[Signal] = field(default_factory=list)
    existing: int = 0
    errors: list[str] = field(default_factory=list)
    # Why an enabled market and timeframe got no signal without an error (no champion, ...).
    notes: list[str] = field(default_factory=list)


def _idle_reasons(champion_keys: set[tuple[str, str, str]]) -> list[str]:
    """Say which enabled markets and timeframes have nothing to predict with, and why."""
    markets = list(markets_list(enabled=True, exchange_enabled=True))
    if not markets:
        return ["no enabled market on an enabled exchange: nothing to predict"]
    notes: list[str] = []
    for market in markets:
        for timeframe in market.timeframes or []:
            key = (market.exchange.ccxt_id, market.symbol, timeframe)
            if key in champion_keys:
                continue
            latest = model_version_latest(exchange=key[0], symbol=key[1], timeframe=timeframe)
            if latest is None:
                notes.append(f"{market} {timeframe}: no model trained yet, so no champion")
                continue
            reasons = latest.evaluation.get("reasons") or []
            why = f": {'; '.join(reasons)}" if reasons else ""
            notes.append(
                f"{market} {timeframe}: no champion; the latest model #{latest.pk} is "
                f"{latest.status}{why}"
            )
    return notes


def signals_predict_all(*, now: datetime | None = None) -> PredictReport:
    """Write signals for every enabled market that has a champion, latest closed candle each.

    The report's `notes` say why enabled markets got nothing (no enabled market, no champion
    and why the latest model is not one); `errors` name markets whose prediction failed.
    """
    report = PredictReport()
    champion_keys: set[tuple[str, str, str]] = set()
    for version in champions_list():
        for market in version.markets.all():
            if not (market.enabled and market.exchange.enabled):
                continue
            champion_keys.add((market.exchange.ccxt_id, market.symbol, version.timeframe))
            try:
                signal, created = signal_predict(
                    market=market, timeframe=version.timeframe, model_version=version, now=now
                )
            except (SignalError, CandleDataError, TrainingError, RuntimeError) as e:
                report.errors.append(f"{market} {version.timeframe}: {e}")
                log.warning("signals.predict_skipped", market=str(market), error=str(e))
                continue
            if created:
                report.created.append(signal)
            else:
                report.existing += 1
    report.notes = _idle_reasons(champion_keys)
    return report


def signals_backfill(
    *, market: Market, model_version: ModelVersion, start: datetime, end: datetime
) -> int:
    """Write signals for every stored closed candle in [start, end) (no events); return count."""
    config = FeatureConfig.from_dict(model_version.feature_config)
    timeframe = model_version.timeframe
    step = timedelta(milliseconds=timeframe_ms(timeframe))
    booster = load_model(model_version)
    candles = candles_frame(
        market_id=market.pk,
        timeframe=timeframe,
        start=start - (PREDICTION_HISTORY + extra_history(booster)) * step,
        end=end,
    )
    candles = closed_candles(candles, timeframe, timezone.now())
    if candles.empty:
        return 0
    sentiment = sentiment_for(market, config, candles.index[0].to_pydatetime(), end)
    features = model_input(
        booster, build_features(candles, sentiment=sentiment, config=config), market_key(market)
    )
    wanted = (features.index >= pd.Timestamp(start)) & usable_rows(
        features, optional_features(config)
    )
    rows = features[wanted]
    if rows.empty:
        return 0
    matrix = rows.to_numpy(dtype=np.float64)
    probabilities = predict_proba(booster, matrix)
    explanations = explain(booster, matrix, top=5)
    signals = [
        Signal(
            market=market,
            timeframe=timeframe,
            open_time=stamp.to_pydatetime(),
            model_version=model_version,
            explanation={
                "top_features": reasons,
                "headlines": headlines_explained(market, config, stamp.to_pydatetime() + step),
                "feature_set_version": model_version.feature_set_version,
            },
            **_row_to_signal_fields(proba),
        )
        for stamp, proba, reasons in zip(rows.index, probabilities, explanations, strict=True)
    ]
    before = Signal.objects.filter(model_version=model_version, market=market).count()
    Signal.objects.bulk_create(signals, ignore_conflicts=True, batch_size=500)
    return Signal.objects.filter(model_version=model_version, market=market).count() - before
