"""Reads of the signals app for other apps and the API."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from django.db.models import QuerySet

from markets.core.adapter import timeframe_ms
from signals.core.features import FeatureConfig, build_features
from signals.core.model import probability_frame
from signals.models import ModelVersion, Signal


def model_version_list() -> QuerySet[ModelVersion]:
    return ModelVersion.objects.prefetch_related("markets__exchange").order_by("-created_at", "-pk")


def model_version_get(*, model_version_id: int) -> ModelVersion:
    """Return one model version; raises ModelVersion.DoesNotExist."""
    return model_version_list().get(pk=model_version_id)


def champion_get(*, exchange: str, symbol: str, timeframe: str) -> ModelVersion | None:
    return ModelVersion.objects.filter(
        scope=f"{exchange}:{symbol}", timeframe=timeframe, status=ModelVersion.Status.CHAMPION
    ).first()


def model_probabilities(*, model_version_id: int, candles: pd.DataFrame) -> pd.DataFrame:
    """Return BUY, HOLD, SELL probabilities of a model for each candle (NaN during warm-up).

    `candles` is a candles frame (open, high, low, close, volume on a UTC open-time index) of
    the model's timeframe. The artifact's checksum is verified (ArtifactError otherwise) and
    bad candles raise CandleDataError. Sentiment features, when the model uses them, come from
    the sentiment app for the model's market as available at each candle's close.
    """
    from signals import services

    version = model_version_get(model_version_id=model_version_id)
    config = FeatureConfig.from_dict(version.feature_config)
    booster = services.load_model(version)
    sentiment = None
    if config.use_sentiment:
        market = version.markets.select_related("exchange").first()
        if market is None:
            raise ValueError(f"model version {version.pk} has no market")
        step = pd.Timedelta(milliseconds=timeframe_ms(config.timeframe))
        sentiment = services.sentiment_for(
            market,
            config,
            candles.index[0].to_pydatetime(),
            (candles.index[-1] + step).to_pydatetime(),
        )
    features = build_features(candles, sentiment=sentiment, config=config)
    return probability_frame(booster, features, optional=services.optional_features(config))


def signal_list(
    *,
    exchange: str | None = None,
    symbol: str | None = None,
    timeframe: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    action: str | None = None,
    model_version_id: int | None = None,
) -> QuerySet[Signal]:
    """Return signals, newest candle first; `start` inclusive and `end` exclusive on open time."""
    rows = Signal.objects.select_related("market__exchange")
    if exchange:
        rows = rows.filter(market__exchange__ccxt_id=exchange)
    if symbol:
        rows = rows.filter(market__symbol=symbol)
    if timeframe:
        rows = rows.filter(timeframe=timeframe)
    if start is not None:
        rows = rows.filter(open_time__gte=start)
    if end is not None:
        rows = rows.filter(open_time__lt=end)
    if action:
        rows = rows.filter(action=action)
    if model_version_id is not None:
        rows = rows.filter(model_version_id=model_version_id)
    return rows.order_by("-open_time", "-pk")
