"""Replay stored candles through the live engine's decision core with a paper fill model.

Candle by candle, as a bot would live: at each close `engine.decide` sees the candle, the
strategy's target (or a model's probabilities) and the bot's state; the paper fill model then
fills the protective exit the decision reports at its rule price, and the decision's order at
the next candle's open moved against it by that candle's slippage, the taker fee charged on
the notional (`trading.core.rules`). A position still open after the last candle is sold at its
close. These are the backtester's fill rules, so the result can be compared with
`run_backtest` on the same targets (`manage.py bot_replay` prints them side by side).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from trading.core.backtest import slippage_fractions, validated_candles
from trading.core.bot_state import BotState, apply_fill
from trading.core.engine import (
    Candle,
    Decision,
    ModelSignal,
    RuleSignal,
    decide,
    orders_in_last_hour,
)
from trading.core.profile import MarketLimits, RiskProfile
from trading.core.rules import (
    BUY,
    EXIT_END,
    EXIT_SIGNAL,
    SELL,
    Side,
    market_fill_price,
    sell_fill_price,
)
from trading.core.strategies import PROBABILITY_COLUMNS

TRADE_COLUMNS = [
    "entry_time",
    "entry_price",
    "exit_time",
    "exit_price",
    "size",
    "fees",
    "pnl",
    "return",
    "exit_reason",
]
FILL_COLUMNS = ["time", "side", "amount", "price", "fee", "reason"]


@dataclass(frozen=True)
class ReplayResult:
    """The replay's equity at each close, its closed trades, its fills and every decision."""

    equity: pd.Series
    trades: pd.DataFrame
    fills: pd.DataFrame
    decisions: list[Decision] = field(repr=False)
    state: BotState = field(repr=False)


class _Ledger:
    """Fills and closed trades of a replay (the position itself lives in the `BotState`)."""

    def __init__(self) -> None:
        self.fills: list[tuple[Any, ...]] = []
        self.trades: list[tuple[Any, ...]] = []
        self.entry_time: pd.Timestamp | None = None
        self.fees = 0.0
        self.sold = 0.0
        self.sell_notional = 0.0

    def fill(
        self,
        state: BotState,
        *,
        side: Side,
        amount: float,
        price: float,
        fee_rate: float,
        at: pd.Timestamp,
        booked_at: datetime,
        reason: str,
    ) -> BotState:
        before = state
        outcome = apply_fill(
            state, side=side, amount=amount, price=price, fee_rate=fee_rate, time=booked_at
        )
        self.fills.append((at, side, amount, price, outcome.fee, reason))
        if side == BUY and before.amount == 0.0:
            self.entry_time, self.fees, self.sold, self.sell_notional = at, 0.0, 0.0, 0.0
        self.fees += outcome.fee
        if side == SELL:
            self.sold += amount
            self.sell_notional += amount * price
        if outcome.closed_pnl is not None:
            self.trades.append(
                (
                    self.entry_time,
                    before.bought_notional / before.bought,
                    at,
                    self.sell_notional / self.sold,
                    before.bought,
                    self.fees,
                    outcome.closed_pnl,
                    outcome.closed_pnl / before.cost,
                    reason,
                )
            )
        return outcome.state


def replay(
    *,
    candles: pd.DataFrame,
    signals: pd.Series | pd.DataFrame,
    profile: RiskProfile,
    fee_rate: float,
    limits: MarketLimits | None = None,
    maker_fee_rate: float | None = None,
    slippage_bps: float | pd.Series = 0.0,
    initial_cash: float = 10_000.0,
    sizing: pd.Series | None = None,
    buy_threshold: float = 0.5,
    sell_threshold: float = 0.5,
    timeframe: timedelta | None = None,
    open_positions: int = 0,
) -> ReplayResult:
    """Run `candles` through `engine.decide` one closed candle at a time with paper fills.

    `signals` is the strategy's target per candle (a Series in [0, 1], e.g. `rule_target`) or
    a model's probabilities (columns BUY, HOLD, SELL, turned into targets with the thresholds).
    `sizing` is the fraction a position opened at each candle gets (e.g. `atr_risk_fraction`;
    each value uses candles up to its own only). `timeframe` defaults to the smallest gap
    between candles. Raises ValueError on malformed input.
    """
    frame = validated_candles(candles)
    index = pd.DatetimeIndex(frame.index)
    if not signals.index.equals(index):
        raise ValueError("signals must have exactly the candles' index")
    if sizing is not None and not sizing.index.equals(index):
        raise ValueError("sizing must have exactly the candles' index")
    model = isinstance(signals, pd.DataFrame)
    if model:
        missing = [name for name in PROBABILITY_COLUMNS if name not in signals.columns]
        if missing:
            raise ValueError(f"probabilities lack the columns {missing}")
    slippage = slippage_fractions(slippage_bps, index)
    n = len(index)
    step = timeframe if timeframe is not None else _smallest_gap(index)
    columns = {name: frame[name].to_numpy(dtype=np.float64) for name in ("open", "high", "low")}
    close = frame["close"].to_numpy(dtype=np.float64)
    if model:
        probabilities = signals[list(PROBABILITY_COLUMNS)].to_numpy(dtype=np.float64)
    else:
        targets = signals.to_numpy(dtype=np.float64)
    fractions = sizing.to_numpy(dtype=np.float64) if sizing is not None else None
    maker = fee_rate if maker_fee_rate is None else maker_fee_rate

    state = BotState.start(initial_cash)
    ledger = _Ledger()
    decisions: list[Decision] = []
    order_times: list[datetime] = []
    equity = np.empty(n)
    pending = None
    for t in range(n):
        at = index[t]
        opened_at = at.to_pydatetime()
        candle = Candle(
            time=opened_at,
            open=float(columns["open"][t]),
            high=float(columns["high"][t]),
            low=float(columns["low"][t]),
            close=float(close[t]),
            closes_at=opened_at + step,
        )
        if pending is not None:
            price = market_fill_price(
                side=pending.side, price=candle.open, slippage=float(slippage[t])
            )
            # The sale that closes a position sells all of it (the order's Decimal is that
            # amount on the lot step; the float position may sit a few ulps off it).
            state = ledger.fill(
                state,
                side=pending.side,
                amount=state.amount if pending.closes else float(pending.amount),
                price=price,
                fee_rate=fee_rate,
                at=at,
                booked_at=opened_at,
                reason=EXIT_SIGNAL,
            )
            order_times.append(opened_at)
            pending = None
        signal: RuleSignal | ModelSignal
        if model:
            buy, hold, sell = (float(value) for value in probabilities[t])
            signal = ModelSignal(
                buy=buy,
                hold=hold,
                sell=sell,
                buy_threshold=buy_threshold,
                sell_threshold=sell_threshold,
            )
        else:
            signal = RuleSignal(target=float(targets[t]))
        last = t == n - 1
        decision = decide(
            state=state,
            candle=candle,
            signal=signal,
            profile=profile,
            fee_rate=fee_rate,
            limits=limits,
            maker_fee_rate=maker,
            slippage=float(slippage[t if last else t + 1]),
            stop_slippage=float(slippage[t]),
            sizing_fraction=None if fractions is None else float(fractions[t]),
            reference_price=candle.close if last else float(columns["open"][t + 1]),
            open_positions=open_positions,
            orders_last_hour=orders_in_last_hour(order_times, candle.closes_at),
        )
        decisions.append(decision)
        state = decision.state
        if decision.exit is not None:
            state = ledger.fill(
                state,
                side=SELL,
                amount=state.amount,
                price=decision.exit.price,
                fee_rate=decision.exit.fee_rate,
                at=at,
                booked_at=candle.closes_at,
                reason=decision.exit.reason,
            )
        if not last:
            pending = decision.order
        elif state.amount > 0.0:
            price = sell_fill_price(price=candle.close, slippage=float(slippage[t]))
            state = ledger.fill(
                state,
                side=SELL,
                amount=state.amount,
                price=price,
                fee_rate=fee_rate,
                at=at,
                booked_at=candle.closes_at,
                reason=EXIT_END,
            )
        equity[t] = state.cash + state.amount * candle.close
    return ReplayResult(
        equity=pd.Series(equity, index=index, name="equity"),
        trades=pd.DataFrame(ledger.trades, columns=TRADE_COLUMNS),
        fills=pd.DataFrame(ledger.fills, columns=FILL_COLUMNS),
        decisions=decisions,
        state=state,
    )


def _smallest_gap(index: pd.DatetimeIndex) -> timedelta:
    if len(index) < 2:
        raise ValueError("pass the timeframe when replaying a single candle")
    gap: timedelta = pd.Timedelta((index[1:] - index[:-1]).min()).to_pytimedelta()
    if gap <= timedelta(0):
        raise ValueError("candles must be at least one tick apart")
    return gap
