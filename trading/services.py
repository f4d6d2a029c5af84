"""Writes of the trading app: backtest runs (create, execute, delete)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pandas as pd
import structlog
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.events import user_group
from markets import stream
from markets.core.adapter import timeframe_ms
from markets.core.errors import QuantumTraderError
from markets.selectors import candles_frame, market_get
from signals.selectors import model_probabilities, model_version_find
from signals.services import walk_forward_fit_predict
from trading.core.backtest import (
    DEFAULT_FEE_RATE,
    DEFAULT_SLIPPAGE_BPS,
    BacktestResult,
    run_backtest,
)
from trading.core.metrics import periods_per_year_of
from trading.core.reporting import compact_curve, trade_records
from trading.core.risk import cap_exposure
from trading.core.sizing import (
    atr_risk_fraction,
    fixed_fraction,
    size_at_entry,
    volatility_target_fraction,
)
from trading.core.strategies import RULE_PARAMETERS, model_target, rule_target
from trading.models import BacktestRun

if TYPE_CHECKING:
    from accounts.models import User
    from markets.models import Market

log = structlog.get_logger(__name__)

MODEL_PREFIX = "model:"
MODEL_PARAMETERS: dict[str, type] = {"buy_threshold": float, "sell_threshold": float}
# Retrain the model on rolling windows and trade only its out-of-sample predictions.
WALK_FORWARD = "walk_forward"
WALK_FORWARD_PARAMETERS: dict[str, type] = {**MODEL_PARAMETERS, "horizon": int, "folds": int}
WALK_FORWARD_LIMITS = {"horizon": (1, 96), "folds": (2, 12)}
SIZING_METHODS = ("all_in", "fixed_fraction", "volatility_target", "atr")
MIN_CANDLES = 2


class BacktestConfigError(QuantumTraderError):
    """A backtest configuration that cannot run; `errors` maps fields to messages."""

    code = "backtest_config_invalid"
    status = 400

    def __init__(self, errors: dict[str, str]) -> None:
        first = next(iter(errors), None)
        super().__init__(
            "; ".join(f"{key}: {value}" for key, value in errors.items()),
            field=first if first != "non_field_errors" else None,
        )
        self.errors = errors

    def field_errors(self) -> dict[str, list[str]]:
        return {key: [value] for key, value in self.errors.items()}


@dataclass(frozen=True)
class PreparedBacktest:
    """A checked configuration with its market and candles, ready to run."""

    config: dict[str, Any]
    market: Market
    candles: pd.DataFrame


def _iso(value: datetime | str | None, field: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise BacktestConfigError({field: f"not an ISO 8601 time: {value!r}"}) from None
    if value.tzinfo is None:
        raise BacktestConfigError({field: "give a timezone (UTC), e.g. 2021-01-01T00:00:00Z"})
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value.replace("Z", "+00:00"))


def _check_model(model_id: str, timeframe: str) -> None:
    # ASCII digits only: str.isdigit() also accepts "²", which int() refuses; 18 digits fit
    # a 64-bit id.
    if not (model_id.isascii() and model_id.isdigit() and len(model_id) <= 18):
        raise BacktestConfigError({"strategy": "use model:<model version id>, e.g. model:3"})
    version = model_version_find(model_version_id=int(model_id))
    if version is None:
        raise BacktestConfigError({"strategy": f"no model version {model_id}"})
    if timeframe and version.timeframe != timeframe:
        raise BacktestConfigError(
            {
                "strategy": f"model {model_id} was trained on {version.timeframe} candles, "
                f"not {timeframe}"
            }
        )


def _check_strategy(strategy: str, params: dict[str, Any], timeframe: str = "") -> None:
    if strategy.startswith(MODEL_PREFIX):
        _check_model(strategy.removeprefix(MODEL_PREFIX), timeframe)
        allowed: dict[str, type] = MODEL_PARAMETERS
    elif strategy == WALK_FORWARD:
        allowed = WALK_FORWARD_PARAMETERS
    elif strategy in RULE_PARAMETERS:
        allowed = RULE_PARAMETERS[strategy]
    else:
        known = [*sorted(RULE_PARAMETERS), WALK_FORWARD, "model:<id>"]
        raise BacktestConfigError(
            {"strategy": f"unknown strategy {strategy!r}; use one of {known}"}
        )
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        raise BacktestConfigError(
            {"params": f"unknown parameters {unknown} for {strategy}; allowed: {sorted(allowed)}"}
        )
    for key, kind in allowed.items():
        if key in params:
            try:
                params[key] = kind(params[key])
            except (TypeError, ValueError):
                raise BacktestConfigError({"params": f"{key} must be a number"}) from None
    for key, (low, high) in WALK_FORWARD_LIMITS.items():
        if strategy == WALK_FORWARD and key in params and not low <= params[key] <= high:
            raise BacktestConfigError({"params": f"{key} must be between {low} and {high}"})


def _check_sizing(sizing: dict[str, Any]) -> None:
    method = sizing.get("method", "all_in")
    if method not in SIZING_METHODS:
        raise BacktestConfigError({"sizing": f"method must be one of {list(SIZING_METHODS)}"})
    max_position = sizing.get("max_position")
    if max_position is not None and not 0 < float(max_position) <= 1:
        raise BacktestConfigError({"sizing": "max_position must be in (0, 1]"})
    needs = {
        "fixed_fraction": ("fraction",),
        "volatility_target": ("target_volatility",),
        "atr": ("risk_per_trade",),
    }.get(method, ())
    missing = [key for key in needs if sizing.get(key) is None]
    if missing:
        raise BacktestConfigError({"sizing": f"{method} needs {missing}"})
    ranges = {
        "fraction": (0.0, 1.0, True),
        "target_volatility": (0.0, 100.0, True),
        "risk_per_trade": (0.0, 1.0, False),
        "atr_multiple": (0.0, 100.0, True),
    }
    for key, (low, high, high_included) in ranges.items():
        if key in sizing:
            value = float(sizing[key])
            if not (low < value < high or (high_included and value == high)):
                raise BacktestConfigError({"sizing": f"{key} must be in ({low}, {high})"})
    if "window" in sizing and int(sizing["window"]) < 2:
        raise BacktestConfigError({"sizing": "window must be at least 2"})


def _check_fractions(cleaned: dict[str, Any]) -> None:
    for key, value in cleaned["stops"].items():
        if not 0.0 < float(value) < 1.0:
            raise BacktestConfigError({"stops": f"{key} must be a fraction in (0, 1)"})
    if cleaned["max_drawdown"] is not None and not 0.0 < cleaned["max_drawdown"] < 1.0:
        raise BacktestConfigError({"max_drawdown": "must be a fraction in (0, 1)"})
    for key in ("fee", "maker_fee"):
        if cleaned[key] is not None and not 0.0 <= cleaned[key] < 1.0:
            raise BacktestConfigError({key: "must be in [0, 1)"})
    if not 0.0 <= cleaned["slippage_bps"] < 10_000:
        raise BacktestConfigError({"slippage_bps": "must be in [0, 10000)"})
    if not cleaned["initial_cash"] > 0:
        raise BacktestConfigError({"initial_cash": "must be positive"})


def backtest_config_clean(config: dict[str, Any]) -> dict[str, Any]:
    """Check a configuration's own values and return it JSON-safe, with defaults filled in."""
    cleaned: dict[str, Any] = {
        "exchange": str(config.get("exchange") or ""),
        "symbol": str(config.get("symbol") or ""),
        "timeframe": str(config.get("timeframe") or ""),
        "strategy": str(config.get("strategy") or ""),
        "params": dict(config.get("params") or {}),
        "start": _iso(config.get("start"), "start"),
        "end": _iso(config.get("end"), "end"),
        "fee": float(config.get("fee", DEFAULT_FEE_RATE)),
        "maker_fee": None if config.get("maker_fee") is None else float(config["maker_fee"]),
        "slippage_bps": float(config.get("slippage_bps", DEFAULT_SLIPPAGE_BPS)),
        "initial_cash": float(config.get("initial_cash", 10_000.0)),
        "stops": {k: v for k, v in dict(config.get("stops") or {}).items() if v is not None},
        "sizing": {k: v for k, v in dict(config.get("sizing") or {}).items() if v is not None},
        "max_drawdown": (
            None if config.get("max_drawdown") is None else float(config["max_drawdown"])
        ),
        "market_limits": bool(config.get("market_limits", True)),
    }
    for field in ("exchange", "symbol", "timeframe", "strategy"):
        if not cleaned[field]:
            raise BacktestConfigError({field: "This field is required."})
    try:
        timeframe_ms(cleaned["timeframe"])
    except ValueError as e:
        raise BacktestConfigError({"timeframe": str(e)}) from None
    if cleaned["start"] and cleaned["end"] and cleaned["start"] >= cleaned["end"]:
        raise BacktestConfigError({"end": "end must be after start"})
    unknown_stops = sorted(set(cleaned["stops"]) - {"stop_loss", "take_profit", "trailing_stop"})
    if unknown_stops:
        raise BacktestConfigError({"stops": f"unknown stops {unknown_stops}"})
    _check_fractions(cleaned)
    _check_strategy(cleaned["strategy"], cleaned["params"], cleaned["timeframe"])
    _check_sizing(cleaned["sizing"])
    return cleaned


def backtest_prepare(config: dict[str, Any]) -> PreparedBacktest:
    """Clean a configuration, find its market and load its candles; BacktestConfigError if not."""
    cleaned = backtest_config_clean(config)
    try:
        market = market_get(exchange=cleaned["exchange"], symbol=cleaned["symbol"])
    except ObjectDoesNotExist:
        raise BacktestConfigError(
            {"symbol": f"no market {cleaned['symbol']} on {cleaned['exchange']}"}
        ) from None
    candles = candles_frame(
        market_id=market.pk,
        timeframe=cleaned["timeframe"],
        start=_parse_time(cleaned["start"]),
        end=_parse_time(cleaned["end"]),
    )
    if len(candles) < MIN_CANDLES:
        raise BacktestConfigError(
            {
                "start": f"{len(candles)} stored {cleaned['timeframe']} candles of "
                f"{market} in this range; a backtest needs at least {MIN_CANDLES}"
            }
        )
    return PreparedBacktest(config=cleaned, market=market, candles=candles)


def _strategy_target(config: dict[str, Any], candles: pd.DataFrame) -> pd.Series:
    strategy = config["strategy"]
    params = dict(config["params"])
    if strategy.startswith(MODEL_PREFIX):
        probabilities = model_probabilities(
            model_version_id=int(strategy.removeprefix(MODEL_PREFIX)), candles=candles
        )
        probabilities = probabilities.reindex(candles.index)
        return model_target(probabilities, **params)
    if strategy == WALK_FORWARD:
        thresholds = {k: v for k, v in params.items() if k in MODEL_PARAMETERS}
        probabilities = walk_forward_fit_predict(
            candles=candles,
            timeframe=config["timeframe"],
            horizon=int(params.get("horizon", 4)),
            folds=int(params.get("folds", 5)),
            fee_rate=float(config["fee"]),
        )
        return model_target(probabilities, **thresholds)
    return rule_target(strategy, candles, params)


def _sized_target(target: pd.Series, candles: pd.DataFrame, sizing: dict[str, Any]) -> pd.Series:
    method = sizing.get("method", "all_in")
    periods = periods_per_year_of(pd.DatetimeIndex(candles.index)) or 365.25
    if method == "fixed_fraction":
        target = fixed_fraction(target, float(sizing["fraction"]))
    elif method == "volatility_target":
        fraction = volatility_target_fraction(
            candles["close"],
            target_volatility=float(sizing["target_volatility"]),
            window=int(sizing.get("window", 30)),
            periods_per_year=periods,
        )
        target = size_at_entry(target, fraction)
    elif method == "atr":
        fraction = atr_risk_fraction(
            candles,
            risk_per_trade=float(sizing["risk_per_trade"]),
            atr_multiple=float(sizing.get("atr_multiple", 2.0)),
            window=int(sizing.get("window", 14)),
        )
        target = size_at_entry(target, fraction)
    if sizing.get("max_position") is not None:
        target = cap_exposure(target, float(sizing["max_position"]))
    return target


def backtest_compute(prepared: PreparedBacktest) -> BacktestResult:
    """Run the configured strategy over the prepared candles with the shared engine."""
    config, candles, market = prepared.config, prepared.candles, prepared.market
    target = _sized_target(_strategy_target(config, candles), candles, config["sizing"])
    limits: dict[str, float | None] = {"quantity_step": None, "min_notional": None}
    if config["market_limits"]:
        # The market's amount precision is its lot step (ccxt's TICK_SIZE precision mode).
        if market.amount_precision:
            limits["quantity_step"] = float(market.amount_precision)
        if market.min_notional:
            limits["min_notional"] = float(market.min_notional)
    stops = config["stops"]
    try:
        return run_backtest(
            candles,
            target,
            fee_rate=config["fee"],
            maker_fee_rate=config["maker_fee"],
            slippage_bps=config["slippage_bps"],
            initial_cash=config["initial_cash"],
            stop_loss=stops.get("stop_loss"),
            take_profit=stops.get("take_profit"),
            trailing_stop=stops.get("trailing_stop"),
            max_drawdown=config["max_drawdown"],
            **limits,
        )
    except ValueError as e:
        raise BacktestConfigError({"non_field_errors": str(e)}) from e


@transaction.atomic
def backtest_run_create(
    *, owner: User, config: dict[str, Any], enqueue: bool = True
) -> BacktestRun:
    """Check a configuration against the stored market data, store a queued run, enqueue it."""
    prepared = backtest_prepare(config)
    run = BacktestRun.objects.create(owner=owner, config=prepared.config)
    _publish(run)
    if enqueue:
        from trading.tasks import backtest_run_task

        run_id = run.pk
        transaction.on_commit(lambda: backtest_run_task.delay(run_id))
    return run


def _publish(run: BacktestRun, **extra: Any) -> None:
    data = {"status": run.status, "progress": run.progress, **extra}
    stream.publish(group=user_group(run.owner_id), type="backtest", id=run.pk, data=data)


def _advance(run: BacktestRun, progress: float) -> None:
    run.progress = progress
    BacktestRun.objects.filter(pk=run.pk).update(progress=progress)
    _publish(run)


def backtest_run_execute(*, run_id: int) -> bool:
    """Claim a queued run, compute it and store its results; False if another worker has it."""
    now = timezone.now()
    # A run left "running" longer than a task may live belongs to a worker that died.
    stale = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    claimable = Q(status=BacktestRun.Status.QUEUED) | Q(
        status=BacktestRun.Status.RUNNING, started_at__lt=stale
    )
    claimed = BacktestRun.objects.filter(claimable, pk=run_id).update(
        status=BacktestRun.Status.RUNNING, started_at=now, progress=0.0
    )
    if claimed != 1:
        return False
    run = BacktestRun.objects.get(pk=run_id)
    _publish(run)
    try:
        prepared = backtest_prepare(run.config)
        _advance(run, 0.3)
        result = backtest_compute(prepared)
        _advance(run, 0.8)
    except Exception as e:
        message = str(e) or e.__class__.__name__
        log.warning("backtest.failed", run_id=run_id, error=message)
        run.status = BacktestRun.Status.FAILED
        run.error = message[:2000]
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        _publish(run, error=run.error)
        return True
    run.status = BacktestRun.Status.DONE
    run.progress = 1.0
    run.metrics = result.metrics
    run.equity_curve = compact_curve(result.equity)
    run.trades = trade_records(result.trades)
    run.finished_at = timezone.now()
    run.save(
        update_fields=[
            "status",
            "progress",
            "metrics",
            "equity_curve",
            "trades",
            "finished_at",
        ]
    )
    summary = {key: result.metrics.get(key) for key in ("total_return", "sharpe", "trades")}
    _publish(run, metrics=summary)
    log.info("backtest.done", run_id=run_id, trades=result.metrics["trades"])
    return True


def backtest_run_delete(*, run: BacktestRun) -> None:
    """Delete a run and its results."""
    run.delete()
