"""Replay a bot over stored candles through the live engine's core, beside `run_backtest`.

The bot's strategy gives its targets (a rule's Series, or its model's probabilities on the
candles), its risk profile the rules; `trading.core.replay` runs them candle by candle with
the paper fill model, and the backtester runs the same targets. Both results are returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from markets.core.adapter import timeframe_ms
from markets.core.errors import QuantumTraderError
from markets.selectors import candles_frame
from signals.selectors import champion_get, model_probabilities
from trading.bots.state import core_profile, market_limits, profile_values
from trading.core.backtest import BacktestResult, run_backtest
from trading.core.profile import RiskProfile
from trading.core.replay import ReplayResult, replay
from trading.core.sizing import atr_risk_fraction, size_at_entry
from trading.core.strategies import model_target, rule_target
from trading.models import Bot

# Rules the live engine applies that the backtester has no counterpart for.
ENGINE_ONLY_RULES = (
    "max_open_positions",
    "daily_loss_limit",
    "cooldown",
    "min_confidence",
    "max_orders_per_hour",
)


class ReplayError(QuantumTraderError, ValueError):
    """The replay cannot run: no candles in the range, no model, bad range."""

    code = "replay_unavailable"
    status = 400


@dataclass(frozen=True)
class ReplayComparison:
    """The replay through the live engine and the backtest of the same targets."""

    replay: ReplayResult
    backtest: BacktestResult
    engine_only_rules: tuple[str, ...]

    @property
    def final_equity_relative_difference(self) -> float:
        ours = float(self.replay.equity.iloc[-1])
        theirs = float(self.backtest.metrics["final_equity"])
        return abs(ours / theirs - 1.0)

    def summary(self) -> dict[str, Any]:
        """A JSON-ready summary: trade counts, final equities and their difference."""
        return {
            "candles": len(self.replay.equity),
            "replay_trades": len(self.replay.trades),
            "backtest_trades": len(self.backtest.trades),
            "replay_final_equity": float(self.replay.equity.iloc[-1]),
            "backtest_final_equity": float(self.backtest.metrics["final_equity"]),
            "final_equity_relative_difference": self.final_equity_relative_difference,
            "same_trade_times": _same_times(self.replay.trades, self.backtest.trades),
            "engine_only_rules": list(self.engine_only_rules),
        }


def _same_times(ours: pd.DataFrame, theirs: pd.DataFrame) -> bool:
    if len(ours) != len(theirs):
        return False
    return bool(
        ours["entry_time"].tolist() == theirs["entry_time"].tolist()
        and ours["exit_time"].tolist() == theirs["exit_time"].tolist()
    )


def _signals(bot: Bot, candles: pd.DataFrame) -> pd.Series | pd.DataFrame:
    if bot.strategy == Bot.Strategy.RULE:
        return rule_target(bot.rule_name, candles, bot.rule_params)
    version = bot.model_version
    if bot.strategy == Bot.Strategy.CHAMPION:
        version = champion_get(
            exchange=bot.market.exchange.ccxt_id, symbol=bot.market.symbol, timeframe=bot.timeframe
        )
    if version is None:
        raise ReplayError(f"{bot.market.symbol} {bot.timeframe} has no champion model")
    return model_probabilities(model_version_id=version.pk, candles=candles, market=bot.market)


def _used_engine_only(profile: RiskProfile) -> tuple[str, ...]:
    return tuple(name for name in ENGINE_ONLY_RULES if getattr(profile, name) is not None)


def bot_replay(*, bot: Bot, start: datetime, end: datetime) -> ReplayComparison:
    """Replay `bot` over its market's stored candles in [start, end) and backtest the same."""
    if end <= start:
        raise ReplayError("end must be after start")
    candles = candles_frame(market_id=bot.market_id, timeframe=bot.timeframe, start=start, end=end)
    if len(candles) < 2:
        raise ReplayError(
            f"{bot.market.symbol} {bot.timeframe} has {len(candles)} stored candles in the range"
        )
    profile = core_profile(profile_values(bot.risk_profile))
    limits = market_limits(bot)
    signals = _signals(bot, candles)
    sizing = None
    if profile.risk_per_trade is not None:
        sizing = atr_risk_fraction(
            candles,
            risk_per_trade=profile.risk_per_trade,
            atr_multiple=profile.atr_multiple,
            window=profile.atr_window,
        )
    cash = float(bot.capital)
    replayed = replay(
        candles=candles,
        signals=signals,
        profile=profile,
        fee_rate=bot.fee_rate,
        limits=limits,
        slippage_bps=bot.slippage_bps,
        initial_cash=cash,
        sizing=sizing,
        buy_threshold=bot.buy_threshold,
        sell_threshold=bot.sell_threshold,
        timeframe=pd.Timedelta(milliseconds=timeframe_ms(bot.timeframe)).to_pytimedelta(),
    )
    if isinstance(signals, pd.DataFrame):
        target = model_target(
            signals, buy_threshold=bot.buy_threshold, sell_threshold=bot.sell_threshold
        )
    else:
        target = signals.fillna(0.0)
    if sizing is not None:
        target = size_at_entry(target, sizing)
    target = target.clip(upper=profile.max_position)
    backtest = run_backtest(
        candles,
        target.astype(np.float64),
        fee_rate=bot.fee_rate,
        slippage_bps=bot.slippage_bps,
        initial_cash=cash,
        stop_loss=profile.stop_loss,
        take_profit=profile.take_profit,
        trailing_stop=profile.trailing_stop,
        max_drawdown=profile.max_drawdown,
        quantity_step=None if limits.lot_step is None else float(limits.lot_step),
        min_notional=None if limits.min_notional is None else float(limits.min_notional),
    )
    return ReplayComparison(replayed, backtest, _used_engine_only(profile))
