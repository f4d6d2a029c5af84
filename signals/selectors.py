"""Reads of the signals app: model versions, their artifacts and features, signals.

Other apps and the API use these names (and `services`) only.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import xgboost as xgb
from django.conf import settings
from django.db.models import QuerySet

from markets.core.adapter import timeframe_ms
from signals.core.features import SENTIMENT_COLUMNS, FeatureConfig, build_features
from signals.core.model import load_booster, probability_frame
from signals.core.pooled import model_input, pooling_of
from signals.core.sentiment import SentimentSource, sentiment_source_required
from signals.models import ModelVersion, Signal

if TYPE_CHECKING:
    from markets.models import Market

HIGHER_TIMEFRAME = {"1m": "15m", "5m": "1h", "15m": "1h", "1h": "4h", "4h": "1d", "1d": None}
HEADLINE_LOOKBACK = timedelta(hours=24)


# --- sentiment (through the source the wiring installs) -----------------------------------------


def sentiment_source() -> SentimentSource | None:
    """Return the installed sentiment source; None when settings.SIGNALS_USE_SENTIMENT is off.

    Raises SentimentNotInstalledError when sentiment is on and nothing was installed.
    """
    return sentiment_source_required(
        enabled=settings.SIGNALS_USE_SENTIMENT, setting="SIGNALS_USE_SENTIMENT"
    )


def sentiment_available(timeframe: str) -> bool:
    """Return whether sentiment aggregates exist at this timeframe's interval."""
    source = sentiment_source()
    return source is not None and source.supports(timeframe)


def sentiment_for(
    market: Market, config: FeatureConfig, start: datetime, end: datetime
) -> pd.DataFrame | None:
    """Return the sentiment frame a feature set needs for a market (None if it uses none)."""
    if not config.use_sentiment:
        return None
    source = sentiment_source()
    if source is None:
        # Sentiment switched off: a model trained with it still runs, its sentiment features NaN.
        return pd.DataFrame(columns=list(SENTIMENT_COLUMNS), index=pd.DatetimeIndex([], tz="UTC"))
    return source.frame(asset=market.base, interval=config.timeframe, start=start, end=end)


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def headlines_explained(
    market: Market, config: FeatureConfig, close_time: datetime
) -> list[dict[str, str | float | bool]]:
    """Return the headlines quoted in a signal's explanation (JSON-ready, strongest first)."""
    if not config.use_sentiment:
        return []
    source = sentiment_source()
    if source is None:
        return []
    rows = source.headlines(
        asset=market.base, start=close_time - HEADLINE_LOOKBACK, end=close_time, limit=5
    )
    return [
        {
            "title": row.title,
            "url": row.url,
            "compound": float(row.compound),
            "available_at": _iso(row.available_at),
            "is_demo": row.is_demo,
        }
        for row in rows
    ]


# --- features -----------------------------------------------------------------------------------


def feature_config_for(timeframe: str, *, use_sentiment: bool | None = None) -> FeatureConfig:
    """Return the default feature set for a timeframe (sentiment when the source provides it)."""
    timeframe_ms(timeframe)
    return FeatureConfig(
        timeframe=timeframe,
        higher_timeframe=HIGHER_TIMEFRAME.get(timeframe),
        use_sentiment=sentiment_available(timeframe) if use_sentiment is None else use_sentiment,
    )


def optional_features(config: FeatureConfig) -> tuple[str, ...]:
    """Return the features that may be missing (NaN) on a usable row."""
    return tuple(SENTIMENT_COLUMNS) if config.use_sentiment else ()


def closed_candles(candles: pd.DataFrame, timeframe: str, now: datetime) -> pd.DataFrame:
    """Return the rows of a candles frame that are closed at `now`."""
    step = pd.Timedelta(milliseconds=timeframe_ms(timeframe))
    return candles[candles.index + step <= pd.Timestamp(now)]


# --- model versions -----------------------------------------------------------------------------


def model_version_list() -> QuerySet[ModelVersion]:
    return ModelVersion.objects.prefetch_related("markets__exchange").order_by("-created_at", "-pk")


def model_version_get(*, model_version_id: int) -> ModelVersion:
    """Return one model version; raises ModelVersion.DoesNotExist."""
    return model_version_list().get(pk=model_version_id)


def model_version_find(*, model_version_id: int) -> ModelVersion | None:
    """Return one model version, or None when there is none with this id."""
    return model_version_list().filter(pk=model_version_id).first()


def champion_get(*, exchange: str, symbol: str, timeframe: str) -> ModelVersion | None:
    return ModelVersion.objects.filter(
        scope=f"{exchange}:{symbol}", timeframe=timeframe, status=ModelVersion.Status.CHAMPION
    ).first()


def model_version_latest(*, exchange: str, symbol: str, timeframe: str) -> ModelVersion | None:
    """Return the newest model of one market and timeframe, whatever its status."""
    return ModelVersion.objects.filter(scope=f"{exchange}:{symbol}", timeframe=timeframe).first()


def champions_list() -> QuerySet[ModelVersion]:
    """Return every champion with its markets (and their exchanges) prefetched."""
    return ModelVersion.objects.filter(status=ModelVersion.Status.CHAMPION).prefetch_related(
        "markets__exchange"
    )


def artifact_path(model_version: ModelVersion) -> Path:
    """Return where a model version's booster is stored."""
    return Path(settings.ARTIFACTS_DIR) / model_version.artifact_path


def load_model(model_version: ModelVersion) -> xgb.Booster:
    """Load a model version's booster, verifying its checksum (ArtifactError otherwise)."""
    return load_booster(artifact_path(model_version), model_version.artifact_sha256)


def model_probabilities(
    *, model_version_id: int, candles: pd.DataFrame, market: Market | None = None
) -> pd.DataFrame:
    """Return BUY, HOLD, SELL probabilities of a model for each candle (NaN during warm-up).

    `candles` is a candles frame (open, high, low, close, volume on a UTC open-time index) of
    the model's timeframe. The artifact's checksum is verified (ArtifactError otherwise) and
    bad candles raise CandleDataError. Sentiment features, when the model uses them, come from
    the sentiment source for the model's market as available at each candle's close. A model
    over several markets needs `market`, the one the candles are of (ValueError otherwise).
    """
    version = model_version_get(model_version_id=model_version_id)
    config = FeatureConfig.from_dict(version.feature_config)
    booster = load_model(version)
    if market is None:
        served = list(version.markets.select_related("exchange"))
        if len(served) > 1:
            raise ValueError(
                f"model version {version.pk} serves {len(served)} markets: say which one"
            )
        market = served[0] if served else None
    sentiment = None
    if config.use_sentiment:
        if market is None:
            raise ValueError(f"model version {version.pk} has no market")
        step = pd.Timedelta(milliseconds=timeframe_ms(config.timeframe))
        sentiment = sentiment_for(
            market,
            config,
            candles.index[0].to_pydatetime(),
            (candles.index[-1] + step).to_pydatetime(),
        )
    features = build_features(candles, sentiment=sentiment, config=config)
    if pooling_of(booster) is not None:
        if market is None:
            raise ValueError(f"model version {version.pk} has no market")
        features = model_input(booster, features, f"{market.exchange.ccxt_id}:{market.symbol}")
    return probability_frame(booster, features, optional=optional_features(config))


# --- signals ------------------------------------------------------------------------------------


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


def signal_find(
    *, model_version: ModelVersion, market: Market, timeframe: str, open_time: datetime
) -> Signal | None:
    """Return the signal a model wrote for one candle, if any."""
    return Signal.objects.filter(
        model_version=model_version, market=market, timeframe=timeframe, open_time=open_time
    ).first()
