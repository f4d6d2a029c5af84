"""Writes of the signals app: training and promoting models, writing signals."""

from __future__ import annotations

import importlib
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd
import structlog
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from sklearn.metrics import log_loss

from markets.core.adapter import timeframe_ms
from markets.core.errors import QuantumTraderError
from markets.events import market_group
from markets.models import Market
from markets.selectors import candles_frame, market_get
from markets.stream import publish
from signals.core.features import (
    SENTIMENT_COLUMNS,
    CandleDataError,
    FeatureConfig,
    build_features,
    feature_set_version,
    warmup_rows,
)
from signals.core.labels import LabelParams, make_labels
from signals.core.model import (
    BacktestFn,
    TrainingError,
    TrainParams,
    WalkForwardResult,
    explain,
    feature_importance,
    fit_model,
    load_booster,
    predict_proba,
    probability_frame,
    save_booster,
    usable_rows,
    walk_forward,
)
from signals.models import ModelVersion, Signal

log = structlog.get_logger(__name__)

HIGHER_TIMEFRAME = {"1m": "15m", "5m": "1h", "15m": "1h", "1h": "4h", "4h": "1d", "1d": None}
PREDICTION_HISTORY = 400  # candles loaded before the one predicted (covers every warm-up)
MIN_TRAIN_CANDLES = 600
HEADLINE_LOOKBACK = timedelta(hours=24)


class SignalError(QuantumTraderError, RuntimeError):
    """A signal cannot be written from the data at hand (stale, missing or too short)."""

    code = "signal_unavailable"
    status = 409


# --- sentiment, optional ------------------------------------------------------------------------


def _sentiment_selectors() -> ModuleType | None:
    """Return the sentiment selectors the wiring names in settings, else None.

    Signals and sentiment sit on the same floor, so neither imports the other: the wiring
    (settings.SIGNALS_SENTIMENT_SELECTORS) says where the aggregates come from, if anywhere.
    """
    name = getattr(settings, "SIGNALS_SENTIMENT_SELECTORS", "")
    if not name:
        return None
    try:
        module = importlib.import_module(name)
    except ImportError:
        return None
    return module if hasattr(module, "sentiment_frame") else None


def sentiment_available(timeframe: str) -> bool:
    """Return whether the sentiment app provides aggregates at this timeframe's interval."""
    module = _sentiment_selectors()
    if module is None:
        return False
    epoch = datetime(2000, 1, 1, tzinfo=UTC)
    try:  # an empty window: only asks whether the interval is supported
        module.sentiment_frame(asset="BTC", interval=timeframe, start=epoch, end=epoch)
    except ValueError:
        return False
    return True


def sentiment_for(
    market: Market, config: FeatureConfig, start: datetime, end: datetime
) -> pd.DataFrame | None:
    if not config.use_sentiment:
        return None
    module = _sentiment_selectors()
    if module is None:
        # A model trained with sentiment still runs: its sentiment features are missing (NaN).
        return pd.DataFrame(columns=list(SENTIMENT_COLUMNS), index=pd.DatetimeIndex([], tz="UTC"))
    frame: pd.DataFrame = module.sentiment_frame(
        asset=market.base, interval=config.timeframe, start=start, end=end
    )
    return frame


def _headlines(market: Market, config: FeatureConfig, close_time: datetime) -> list[dict[str, Any]]:
    module = _sentiment_selectors()
    if not config.use_sentiment or module is None or not hasattr(module, "headlines_for"):
        return []
    rows = module.headlines_for(
        asset=market.base, start=close_time - HEADLINE_LOOKBACK, end=close_time, limit=5
    )
    return [
        {
            key: _jsonable(row.get(key))
            for key in ("title", "url", "compound", "available_at", "is_demo")
        }
        for row in rows
    ]


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, float | np.floating):
        return float(value)
    return value


# --- configuration ------------------------------------------------------------------------------


def feature_config_for(timeframe: str, *, use_sentiment: bool | None = None) -> FeatureConfig:
    """Return the default feature set for a timeframe (sentiment when the app provides it)."""
    timeframe_ms(timeframe)
    return FeatureConfig(
        timeframe=timeframe,
        higher_timeframe=HIGHER_TIMEFRAME.get(timeframe),
        use_sentiment=sentiment_available(timeframe) if use_sentiment is None else use_sentiment,
    )


def optional_features(config: FeatureConfig) -> tuple[str, ...]:
    return tuple(SENTIMENT_COLUMNS) if config.use_sentiment else ()


def _closed_candles(candles: pd.DataFrame, timeframe: str, now: datetime) -> pd.DataFrame:
    step = pd.Timedelta(milliseconds=timeframe_ms(timeframe))
    return candles[candles.index + step <= pd.Timestamp(now)]


def artifact_path(model_version: ModelVersion) -> Path:
    return Path(settings.ARTIFACTS_DIR) / model_version.artifact_path


def load_model(model_version: ModelVersion) -> Any:
    """Load a model version's booster, verifying its checksum (ArtifactError otherwise)."""
    return load_booster(artifact_path(model_version), model_version.artifact_sha256)


# --- training -----------------------------------------------------------------------------------


@dataclass
class TrainOutcome:
    model_version: ModelVersion
    result: WalkForwardResult
    promoted: bool
    contest: dict[str, Any] = field(default_factory=dict)


def model_train(
    *,
    exchange: str,
    symbol: str,
    timeframe: str,
    start: datetime | None = None,
    end: datetime | None = None,
    horizon: int = 4,
    folds: int = 5,
    train_params: TrainParams | None = None,
    feature_config: FeatureConfig | None = None,
    fee_rate: float = 0.001,
    label_method: str = "fixed",
    backtest: BacktestFn | None = None,
    promote: bool = True,
    now: datetime | None = None,
) -> TrainOutcome:
    """Walk-forward validate, fit and register a model for one market; maybe promote it."""
    market = market_get(exchange=exchange, symbol=symbol)
    now = now or timezone.now()
    candles = _closed_candles(
        candles_frame(market_id=market.pk, timeframe=timeframe, start=start, end=end),
        timeframe,
        now,
    )
    if len(candles) < MIN_TRAIN_CANDLES:
        raise TrainingError(
            f"{market} {timeframe} has {len(candles)} closed candles in the window; "
            f"training needs at least {MIN_TRAIN_CANDLES}"
        )
    config = feature_config or feature_config_for(timeframe)
    params = train_params or TrainParams()
    labels_params = LabelParams(horizon=horizon, fee_rate=fee_rate, method=label_method)
    sentiment = sentiment_for(
        market, config, candles.index[0].to_pydatetime(), candles.index[-1].to_pydatetime()
    )
    features = build_features(candles, sentiment=sentiment, config=config)
    labels = make_labels(candles, labels_params)
    optional = optional_features(config)
    result = walk_forward(
        candles,
        features,
        labels,
        params=params,
        horizon=horizon,
        folds=folds,
        fee_rate=fee_rate,
        optional_features=optional,
        backtest=backtest,
    )
    mask = usable_rows(features, optional) & labels.notna().to_numpy()
    booster = fit_model(
        features.to_numpy(dtype=np.float64)[mask],
        labels.to_numpy()[mask].astype(np.int64),
        params,
        embargo=horizon,
        feature_names=list(features.columns),
    )
    relative = Path("models") / f"{uuid.uuid4().hex}.ubj"
    checksum = save_booster(booster, Path(settings.ARTIFACTS_DIR) / relative)
    with transaction.atomic():
        version = ModelVersion.objects.create(
            scope=f"{market.exchange.ccxt_id}:{market.symbol}",
            timeframe=timeframe,
            feature_set_version=feature_set_version(config),
            feature_config=config.to_dict(),
            label_params=labels_params.to_dict(),
            hyperparameters=params.to_dict(),
            train_start=candles.index[0].to_pydatetime(),
            train_end=candles.index[-1].to_pydatetime(),
            fold_metrics=result.folds,
            summary_score=result.summary_score,
            feature_importance=feature_importance(booster),
            artifact_path=str(relative),
            artifact_sha256=checksum,
            is_demo=market.exchange.is_demo,
        )
        version.markets.add(market)
    log.info(
        "signals.model_trained",
        model_version=version.pk,
        market=str(market),
        timeframe=timeframe,
        score=result.summary_score,
    )
    promoted, contest = False, dict[str, Any]()
    if promote:
        promoted, contest = model_contest(
            candidate=version, result=result, candles=candles, labels=labels, market=market
        )
    return TrainOutcome(model_version=version, result=result, promoted=promoted, contest=contest)


def model_contest(
    *,
    candidate: ModelVersion,
    result: WalkForwardResult,
    candles: pd.DataFrame,
    labels: pd.Series,
    market: Market,
) -> tuple[bool, dict[str, Any]]:
    """Promote `candidate` if its score beats the champion's on the same recent window.

    The window is the candidate's last walk-forward test fold, where its probabilities are
    out of sample. The champion predicts the same candles with its own feature set and is
    judged on its own labels; the score is log-loss skill over the window's class mix. If the
    champion's training overlapped the window that favours the champion (conservative).
    """
    champion = (
        ModelVersion.objects.filter(
            scope=candidate.scope,
            timeframe=candidate.timeframe,
            status=ModelVersion.Status.CHAMPION,
        )
        .exclude(pk=candidate.pk)
        .first()
    )
    last = result.folds[-1]
    window = result.probabilities.loc[last["test_start"] : last["test_end"]]
    contest: dict[str, Any] = {
        "window_start": last["test_start"],
        "window_end": last["test_end"],
        "champion": champion.pk if champion else None,
    }
    wins = champion is None
    if champion is not None:
        try:
            config = FeatureConfig.from_dict(champion.feature_config)
            sentiment = sentiment_for(
                market, config, candles.index[0].to_pydatetime(), candles.index[-1].to_pydatetime()
            )
            features = build_features(candles, sentiment=sentiment, config=config)
            champion_proba = probability_frame(
                load_model(champion), features, optional=optional_features(config)
            ).loc[window.index]
            champion_labels = make_labels(
                candles, LabelParams.from_dict(champion.label_params)
            ).loc[window.index]
            mine_labels = labels.loc[window.index]
            rows = (
                champion_proba.notna().all(axis=1) & champion_labels.notna() & mine_labels.notna()
            ).to_numpy()
            contest["rows"] = int(rows.sum())
            contest["candidate_skill"] = _skill(
                window.to_numpy()[rows], mine_labels.to_numpy()[rows]
            )
            contest["champion_skill"] = _skill(
                champion_proba[["SELL", "HOLD", "BUY"]].to_numpy()[rows],
                champion_labels.to_numpy()[rows],
            )
            wins = contest["candidate_skill"] > contest["champion_skill"]
        except Exception as e:  # a champion that cannot even predict loses its seat
            contest["champion_error"] = str(e)
            wins = True
    contest["winner"] = "candidate" if wins else "champion"
    candidate.promotion = contest
    candidate.save(update_fields=["promotion"])
    if wins:
        model_promote(model_version=candidate)
    return wins, contest


def _skill(probabilities: np.ndarray, labels: np.ndarray) -> float:
    """Return log-loss skill over the window's own class mix (a constant hindsight predictor).

    Each model is judged on its own label definition, so models with different horizons are
    compared by how much they beat the best constant guess, not by raw log loss.
    """
    y = labels.astype(np.int64)
    mix = (np.bincount(y, minlength=3) + 0.5) / (y.size + 1.5)
    baseline = log_loss(y, np.tile(mix, (y.size, 1)), labels=[0, 1, 2])
    return float(baseline - log_loss(y, probabilities, labels=[0, 1, 2]))


def model_promote(*, model_version: ModelVersion) -> None:
    """Make `model_version` the champion of its scope and timeframe, retiring the previous one."""
    with transaction.atomic():
        current = list(
            ModelVersion.objects.select_for_update()
            .filter(
                scope=model_version.scope,
                timeframe=model_version.timeframe,
                status=ModelVersion.Status.CHAMPION,
            )
            .exclude(pk=model_version.pk)
        )
        for old in current:
            old.status = ModelVersion.Status.RETIRED
            old.save(update_fields=["status"])
        model_version.status = ModelVersion.Status.CHAMPION
        model_version.promoted_at = timezone.now()
        model_version.save(update_fields=["status", "promoted_at"])


def walk_forward_fit_predict(
    *,
    candles: pd.DataFrame,
    timeframe: str,
    horizon: int = 4,
    folds: int = 5,
    test_fraction: float = 0.5,
    sentiment: pd.DataFrame | None = None,
    train_params: TrainParams | None = None,
    fee_rate: float = 0.001,
) -> pd.DataFrame:
    """Return out-of-sample BUY, HOLD, SELL probabilities from walk-forward fitting.

    For backtests of the "model in walk-forward mode" kind: each test block is predicted by a
    model fitted only on earlier candles (embargoed by `horizon`); rows outside the test
    blocks (the first training window, warm-up, the unlabelled tail) are NaN.
    """
    config = feature_config_for(timeframe, use_sentiment=sentiment is not None)
    features = build_features(candles, sentiment=sentiment, config=config)
    labels = make_labels(candles, LabelParams(horizon=horizon, fee_rate=fee_rate))
    result = walk_forward(
        candles,
        features,
        labels,
        params=train_params or TrainParams(),
        horizon=horizon,
        folds=folds,
        test_fraction=test_fraction,
        fee_rate=fee_rate,
        optional_features=optional_features(config),
        evaluate_trading=False,
    )
    out = pd.DataFrame(np.nan, index=candles.index, columns=["BUY", "HOLD", "SELL"])
    out.loc[result.probabilities.index] = result.probabilities[["BUY", "HOLD", "SELL"]].to_numpy()
    return out


# --- signals ------------------------------------------------------------------------------------


def _signal_payload(signal: Signal) -> dict[str, Any]:
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


def _row_to_signal_fields(proba: np.ndarray) -> dict[str, Any]:
    sell, hold, buy = (float(p) for p in proba)
    best = int(np.argmax(proba))
    return {
        "action": ("SELL", "HOLD", "BUY")[best],
        "prob_buy": buy,
        "prob_hold": hold,
        "prob_sell": sell,
        "confidence": float(proba[best]),
    }


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
    existing = Signal.objects.filter(
        model_version=model_version, market=market, timeframe=timeframe, open_time=open_time
    ).first()
    if existing is not None:
        return existing, False
    step = timedelta(milliseconds=timeframe_ms(timeframe))
    candles = candles_frame(
        market_id=market.pk,
        timeframe=timeframe,
        start=open_time - PREDICTION_HISTORY * step,
        end=open_time + step,
    )
    if candles.empty or candles.index[-1] != pd.Timestamp(open_time):
        raise SignalError(
            f"the latest closed candle ({open_time:%Y-%m-%d %H:%M}Z) "
            "is not stored yet; no signal written"
        )
    config = FeatureConfig.from_dict(model_version.feature_config)
    if len(candles) <= warmup_rows(config):
        raise SignalError(
            f"{len(candles)} candles do not cover the "
            f"{warmup_rows(config)}-candle warm-up; no signal written"
        )
    booster = load_model(model_version)
    sentiment = sentiment_for(market, config, candles.index[0].to_pydatetime(), open_time + step)
    features = build_features(candles, sentiment=sentiment, config=config)
    last = features.iloc[-1:]
    if not usable_rows(last, optional_features(config)).all():
        raise SignalError("features incomplete; no signal written")
    row = last.to_numpy(dtype=np.float64)
    proba = predict_proba(booster, row)[0]
    explanation = {
        "top_features": explain(booster, row, top=5)[0],
        "headlines": _headlines(market, config, open_time + step),
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


def signals_predict_all(*, now: datetime | None = None) -> PredictReport:
    """Write signals for every enabled market that has a champion, latest closed candle each."""
    report = PredictReport()
    champions = ModelVersion.objects.filter(status=ModelVersion.Status.CHAMPION)
    for version in champions.prefetch_related("markets__exchange"):
        for market in version.markets.all():
            if not (market.enabled and market.exchange.enabled):
                continue
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
    return report


def signals_backfill(
    *, market: Market, model_version: ModelVersion, start: datetime, end: datetime
) -> int:
    """Write signals for every stored closed candle in [start, end) (no events); return count."""
    config = FeatureConfig.from_dict(model_version.feature_config)
    timeframe = model_version.timeframe
    step = timedelta(milliseconds=timeframe_ms(timeframe))
    candles = candles_frame(
        market_id=market.pk,
        timeframe=timeframe,
        start=start - PREDICTION_HISTORY * step,
        end=end,
    )
    candles = _closed_candles(candles, timeframe, timezone.now())
    if candles.empty:
        return 0
    booster = load_model(model_version)
    sentiment = sentiment_for(market, config, candles.index[0].to_pydatetime(), end)
    features = build_features(candles, sentiment=sentiment, config=config)
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
                "headlines": _headlines(market, config, stamp.to_pydatetime() + step),
                "feature_set_version": model_version.feature_set_version,
            },
            **_row_to_signal_fields(proba),
        )
        for stamp, proba, reasons in zip(rows.index, probabilities, explanations, strict=True)
    ]
    before = Signal.objects.filter(model_version=model_version, market=market).count()
    Signal.objects.bulk_create(signals, ignore_conflicts=True, batch_size=500)
    return Signal.objects.filter(model_version=model_version, market=market).count() - before
