"""Writes of the signals app: training, the champion contest and promotion."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import structlog
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from sklearn.metrics import log_loss

from markets.selectors import candles_frame, market_get
from signals.core.features import (
    SENTIMENT_COLUMNS,
    FeatureConfig,
    build_features,
    feature_set_version,
)
from signals.core.labels import LabelParams, make_labels
from signals.core.model import (
    DEFAULT_FEE_RATE,
    DEFAULT_SLIPPAGE_BPS,
    BacktestFn,
    Costs,
    TrainingError,
    TrainParams,
    WalkForwardResult,
    attach_calibration,
    booster_thresholds,
    feature_importance,
    fit_calibrated,
    probability_frame,
    save_booster,
    usable_rows,
    walk_forward,
)
from signals.core.pooled import (
    MarketData,
    PooledResult,
    build_pool,
    final_pooled,
    model_input,
    pooled_verdict,
    pooled_walk_forward,
)
from signals.core.skill import Verdict, judge
from signals.events import champion_promoted
from signals.models import ModelVersion
from signals.selectors import (
    closed_candles,
    feature_config_for,
    load_model,
    optional_features,
    sentiment_for,
)

if TYPE_CHECKING:
    from markets.models import Market

log = structlog.get_logger(__name__)

MIN_TRAIN_CANDLES = 600
CALIBRATION_FRACTION = 0.5


# --- training -----------------------------------------------------------------------------------


@dataclass
class TrainOutcome:
    model_version: ModelVersion
    result: WalkForwardResult
    promoted: bool
    contest: dict[str, Any] = field(default_factory=dict)
    verdict: Verdict = field(default_factory=lambda: Verdict(eligible=False))


@dataclass(frozen=True)
class SearchRecord:
    """What a hyperparameter search tried, for the Deflated Sharpe and the overfitting estimate."""

    trials: int
    sharpe_variance: float
    pbo: float | None
    study: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "trials": self.trials,
            "sharpe_variance": self.sharpe_variance,
            "pbo": self.pbo,
            "study": self.study,
        }


@dataclass
class TrainingData:
    candles: pd.DataFrame
    features: pd.DataFrame
    labels: pd.Series
    config: FeatureConfig
    label_params: LabelParams
    optional: tuple[str, ...]


def training_data(
    market: Market,
    timeframe: str,
    *,
    start: datetime | None,
    end: datetime | None,
    now: datetime | None,
    feature_config: FeatureConfig | None,
    label_params: LabelParams,
) -> TrainingData:
    """Load a market's closed candles and build the features and labels a model learns from."""
    now = now or timezone.now()
    candles = closed_candles(
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
    sentiment = sentiment_for(
        market, config, candles.index[0].to_pydatetime(), candles.index[-1].to_pydatetime()
    )
    return TrainingData(
        candles=candles,
        features=build_features(candles, sentiment=sentiment, config=config),
        labels=make_labels(candles, label_params),
        config=config,
        label_params=label_params,
        optional=optional_features(config),
    )


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
    fee_rate: float = DEFAULT_FEE_RATE,
    slippage_bps: float = DEFAULT_SLIPPAGE_BPS,
    label_method: str = "fixed",
    backtest: BacktestFn | None = None,
    promote: bool = True,
    now: datetime | None = None,
    search: SearchRecord | None = None,
) -> TrainOutcome:
    """Walk-forward validate, fit and register a model for one market; maybe promote it.

    The model is promoted only when its walk-forward results pass every skill check
    (`signals.core.skill.judge`) and it beats the sitting champion on the recent window; when
    a search chose its hyperparameters, `search` says how many configurations were tried.
    """
    market = market_get(exchange=exchange, symbol=symbol)
    data = training_data(
        market,
        timeframe,
        start=start,
        end=end,
        now=now,
        feature_config=feature_config,
        label_params=LabelParams(
            horizon=horizon, fee_rate=fee_rate, slippage_bps=slippage_bps, method=label_method
        ),
    )
    candles, features, labels = data.candles, data.features, data.labels
    config, labels_params, optional = data.config, data.label_params, data.optional
    params = train_params or TrainParams()
    result = walk_forward(
        candles,
        features,
        labels,
        params=params,
        horizon=horizon,
        folds=folds,
        fee_rate=fee_rate,
        slippage_bps=slippage_bps,
        optional_features=optional,
        backtest=backtest,
        trials=search.trials if search else 1,
        trial_sharpe_variance=search.sharpe_variance if search else 0.0,
    )
    evaluation = dict(result.evaluation)
    if search is not None:
        evaluation["search"] = search.to_dict()
        evaluation["pbo"] = search.pbo
    verdict = judge(evaluation)
    evaluation["eligible"] = verdict.eligible
    evaluation["reasons"] = verdict.reasons
    mask = usable_rows(features, optional) & labels.notna().to_numpy()
    final = fit_calibrated(
        candles,
        features.to_numpy(dtype=np.float64),
        labels.to_numpy(),
        np.flatnonzero(mask),
        params=params,
        horizon=horizon,
        names=list(features.columns),
        costs=Costs(fee_rate=fee_rate, slippage_bps=slippage_bps),
        calibration_fraction=CALIBRATION_FRACTION,
    )
    evaluation["thresholds"] = {"buy": final.thresholds[0], "sell": final.thresholds[1]}
    booster = attach_calibration(final)
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
            evaluation=evaluation,
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
        eligible=verdict.eligible,
    )
    promoted, contest = False, dict[str, Any]()
    if promote and verdict.eligible:
        promoted, contest = model_contest(
            candidate=version, result=result, candles=candles, labels=labels, market=market
        )
    elif promote:
        contest = {"winner": "none", "reasons": verdict.reasons}
        version.promotion = contest
        version.save(update_fields=["promotion"])
    return TrainOutcome(
        model_version=version, result=result, promoted=promoted, contest=contest, verdict=verdict
    )


def model_contest(
    *,
    candidate: ModelVersion,
    result: WalkForwardResult,
    candles: pd.DataFrame,
    labels: pd.Series,
    market: Market,
) -> tuple[bool, dict[str, Any]]:
    """Promote `candidate` (which passed the skill checks) if it beats the champion recently.

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
        retired = [old.pk for old in current]
        transaction.on_commit(
            lambda: champion_promoted.send(
                sender=ModelVersion, model_version_id=model_version.pk, retired_ids=retired
            )
        )


def walk_forward_fit_predict(
    *,
    candles: pd.DataFrame,
    timeframe: str,
    horizon: int = 4,
    folds: int = 5,
    test_fraction: float = 0.5,
    sentiment: pd.DataFrame | None = None,
    train_params: TrainParams | None = None,
    fee_rate: float = DEFAULT_FEE_RATE,
    slippage_bps: float = DEFAULT_SLIPPAGE_BPS,
) -> pd.DataFrame:
    """Return out-of-sample BUY, HOLD, SELL probabilities from walk-forward fitting.

    For backtests of the "model in walk-forward mode" kind: each test block is predicted by a
    model fitted only on earlier candles (embargoed by `horizon`); rows outside the test
    blocks (the first training window, warm-up, the unlabelled tail) are NaN.
    """
    config = feature_config_for(timeframe, use_sentiment=sentiment is not None)
    features = build_features(candles, sentiment=sentiment, config=config)
    labels = make_labels(
        candles, LabelParams(horizon=horizon, fee_rate=fee_rate, slippage_bps=slippage_bps)
    )
    result = walk_forward(
        candles,
        features,
        labels,
        params=train_params or TrainParams(),
        horizon=horizon,
        folds=folds,
        test_fraction=test_fraction,
        fee_rate=fee_rate,
        slippage_bps=slippage_bps,
        optional_features=optional_features(config),
        evaluate_trading=False,
    )
    out = pd.DataFrame(np.nan, index=candles.index, columns=["BUY", "HOLD", "SELL"])
    out.loc[result.probabilities.index] = result.probabilities[["BUY", "HOLD", "SELL"]].to_numpy()
    return out


# --- models across markets ------------------------------------------------------------------------


def pooled_scope(markets: Sequence[Market]) -> str:
    """The registry scope of a model serving several markets: their sorted keys, comma-joined."""
    return ",".join(sorted(f"{m.exchange.ccxt_id}:{m.symbol}" for m in markets))


def pooled_training_data(
    *,
    exchange: str,
    symbols: Sequence[str],
    timeframe: str,
    start: datetime | None,
    end: datetime | None,
    now: datetime | None,
    feature_config: FeatureConfig | None,
    label_params: LabelParams,
) -> tuple[list[Market], list[MarketData], FeatureConfig, tuple[str, ...]]:
    """Load each market's candles, features and labels with one feature set for all."""
    if len(set(symbols)) < 2:
        raise TrainingError("a pooled model needs at least two different markets")
    markets = [market_get(exchange=exchange, symbol=symbol) for symbol in symbols]
    config = feature_config or feature_config_for(timeframe)
    loaded: list[MarketData] = []
    optional: tuple[str, ...] = ()
    for market in markets:
        data = training_data(
            market,
            timeframe,
            start=start,
            end=end,
            now=now,
            feature_config=config,
            label_params=label_params,
        )
        optional = data.optional
        loaded.append(
            MarketData(
                key=f"{market.exchange.ccxt_id}:{market.symbol}",
                candles=data.candles,
                features=data.features,
                labels=data.labels,
            )
        )
    return markets, loaded, config, optional


def model_train_pooled(
    *,
    exchange: str,
    symbols: Sequence[str],
    timeframe: str,
    start: datetime | None = None,
    end: datetime | None = None,
    horizon: int = 4,
    folds: int = 5,
    train_params: TrainParams | None = None,
    feature_config: FeatureConfig | None = None,
    fee_rate: float = DEFAULT_FEE_RATE,
    slippage_bps: float = DEFAULT_SLIPPAGE_BPS,
    label_method: str = "fixed",
    backtest: BacktestFn | None = None,
    promote: bool = True,
    now: datetime | None = None,
    search: SearchRecord | None = None,
) -> PooledTrainOutcome:
    """Walk-forward, fit and register one model pooled over several markets of a timeframe.

    Folds are aligned on time across the markets; each fold is scored per market. The model
    may be champion of its pooled scope only when it passes every skill check on every one of
    its markets, and then writes signals for each of them.
    """
    label_params = LabelParams(
        horizon=horizon, fee_rate=fee_rate, slippage_bps=slippage_bps, method=label_method
    )
    markets, loaded, config, optional = pooled_training_data(
        exchange=exchange,
        symbols=symbols,
        timeframe=timeframe,
        start=start,
        end=end,
        now=now,
        feature_config=feature_config,
        label_params=label_params,
    )
    params = train_params or TrainParams()
    pool = build_pool(loaded, optional_features=optional)
    result = pooled_walk_forward(
        loaded,
        params=params,
        horizon=horizon,
        folds=folds,
        fee_rate=fee_rate,
        slippage_bps=slippage_bps,
        optional_features=optional,
        backtest=backtest,
        trials=search.trials if search else 1,
        trial_sharpe_variance=search.sharpe_variance if search else 0.0,
        pool=pool,
    )
    extra: dict[str, Any] = {}
    if search is not None:
        extra = {"search": search.to_dict(), "pbo": search.pbo}
    verdict = pooled_verdict(result, extra)
    evaluation = dict(result.evaluation)
    evaluation.update(extra)
    evaluation["pooled"] = True
    evaluation["eligible"] = verdict.eligible
    evaluation["reasons"] = verdict.reasons
    # The pooled figures the list and the champion contest read: the mean over the markets.
    per_market = list(result.evaluation["markets"].values())
    for key in ("log_loss", "prior_log_loss", "brier", "ece"):
        evaluation[key] = float(np.mean([m[key] for m in per_market]))
    booster = final_pooled(
        pool,
        params=params,
        horizon=horizon,
        costs=Costs(fee_rate=fee_rate, slippage_bps=slippage_bps),
        calibration_fraction=CALIBRATION_FRACTION,
    )
    thresholds = booster_thresholds(booster) or (1.0, 1.0)
    evaluation["thresholds"] = {"buy": thresholds[0], "sell": thresholds[1]}
    relative = Path("models") / f"{uuid.uuid4().hex}.ubj"
    checksum = save_booster(booster, Path(settings.ARTIFACTS_DIR) / relative)
    with transaction.atomic():
        version = ModelVersion.objects.create(
            scope=pooled_scope(markets),
            timeframe=timeframe,
            feature_set_version=feature_set_version(config),
            feature_config=config.to_dict(),
            label_params=label_params.to_dict(),
            hyperparameters={**params.to_dict(), "pooled_window": pool.window},
            train_start=min(m.candles.index[0] for m in loaded).to_pydatetime(),
            train_end=max(m.candles.index[-1] for m in loaded).to_pydatetime(),
            fold_metrics=result.folds,
            summary_score=result.summary_score,
            evaluation=evaluation,
            feature_importance=feature_importance(booster),
            artifact_path=str(relative),
            artifact_sha256=checksum,
            is_demo=all(m.exchange.is_demo for m in markets),
        )
        version.markets.add(*markets)
    log.info(
        "signals.pooled_model_trained",
        model_version=version.pk,
        scope=version.scope,
        timeframe=timeframe,
        score=result.summary_score,
        eligible=verdict.eligible,
    )
    promoted, contest = False, dict[str, Any]()
    if promote and verdict.eligible:
        promoted, contest = pooled_contest(candidate=version, result=result, loaded=loaded)
    elif promote:
        contest = {"winner": "none", "reasons": verdict.reasons}
        version.promotion = contest
        version.save(update_fields=["promotion"])
    return PooledTrainOutcome(
        model_version=version, result=result, promoted=promoted, contest=contest, verdict=verdict
    )


@dataclass
class PooledTrainOutcome:
    model_version: ModelVersion
    result: PooledResult
    promoted: bool
    contest: dict[str, Any] = field(default_factory=dict)
    verdict: Verdict = field(default_factory=lambda: Verdict(eligible=False))


def pooled_contest(
    *, candidate: ModelVersion, result: PooledResult, loaded: Sequence[MarketData]
) -> tuple[bool, dict[str, Any]]:
    """Promote a pooled candidate (which passed every market's checks) if it beats its scope's
    champion on the last fold, summed over the markets (log-loss skill over each window's mix).
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
    last = max(f["fold"] for f in result.folds)
    contest: dict[str, Any] = {"champion": champion.pk if champion else None, "markets": {}}
    wins = champion is None
    if champion is not None:
        try:
            booster = load_model(champion)
            config = FeatureConfig.from_dict(champion.feature_config)
            mine_total = theirs_total = 0.0
            for data in loaded:
                fold = next(
                    f for f in result.folds if f["fold"] == last and f["market"] == data.key
                )
                window = result.probabilities[data.key].loc[fold["test_start"] : fold["test_end"]]
                raw_features = data.features
                if champion.feature_config != candidate.feature_config:
                    raw_features = build_features(
                        data.candles, sentiment=_no_sentiment(config), config=config
                    )
                features = model_input(booster, raw_features, data.key)
                theirs = probability_frame(
                    booster, features, optional=optional_features(config)
                ).loc[window.index]
                labels = data.labels.loc[window.index]
                rows = (theirs.notna().all(axis=1) & labels.notna()).to_numpy()
                mine_skill = _skill(window.to_numpy()[rows], labels.to_numpy()[rows])
                theirs_skill = _skill(
                    theirs[["SELL", "HOLD", "BUY"]].to_numpy()[rows], labels.to_numpy()[rows]
                )
                contest["markets"][data.key] = {
                    "rows": int(rows.sum()),
                    "candidate_skill": mine_skill,
                    "champion_skill": theirs_skill,
                }
                mine_total += mine_skill * rows.sum()
                theirs_total += theirs_skill * rows.sum()
            wins = mine_total > theirs_total
        except Exception as e:  # a champion that cannot even predict loses its seat
            contest["champion_error"] = str(e)
            wins = True
    contest["winner"] = "candidate" if wins else "champion"
    candidate.promotion = contest
    candidate.save(update_fields=["promotion"])
    if wins:
        model_promote(model_version=candidate)
    return wins, contest


def _no_sentiment(config: FeatureConfig) -> pd.DataFrame | None:
    if not config.use_sentiment:
        return None
    return pd.DataFrame(columns=list(SENTIMENT_COLUMNS), index=pd.DatetimeIndex([], tz="UTC"))
