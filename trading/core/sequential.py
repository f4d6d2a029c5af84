"""The sequential path of the backtest engine: one candle at a time.

Used when the vectorised episode algebra does not hold: direct rebalances between two non-zero
exposures, and lot sizes or minimum notionals (rounding makes equity depend on its level).
It follows the rules of `trading.core.backtest` through the public rule functions of
`trading.core.rules`, the ones the live engine calls.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from trading.core.rules import (
    BUY,
    EXIT_END,
    EXIT_SIGNAL,
    Costs,
    Stops,
    buy_cost,
    candle_exit,
    fee_paid,
    rebalance_order,
    sale_proceeds,
    sell_fill_price,
    stop_levels,
    stop_loss_level,
    take_profit_level,
    trailing_stop_level,
)

if TYPE_CHECKING:
    from trading.core.backtest import FloatArray, IntArray


FAST_FORWARD_MIN = 16


class _Episode:
    """Book-keeping of one position from flat to flat."""

    __slots__ = (
        "bought",
        "buy_notional",
        "cost",
        "entry_bar",
        "exposure",
        "fees",
        "peak",
        "proceeds",
        "sell_notional",
        "sold",
    )

    def __init__(self, entry_bar: int, exposure: float) -> None:
        self.entry_bar = entry_bar
        self.exposure = exposure
        self.bought = 0.0
        self.buy_notional = 0.0
        self.sold = 0.0
        self.sell_notional = 0.0
        self.cost = 0.0
        self.proceeds = 0.0
        self.fees = 0.0
        self.peak = 0.0

    @property
    def entry_price(self) -> float:
        return self.buy_notional / self.bought


def simulate_sequential(  # noqa: C901 - the candle loop is the engine, read top to bottom
    prices: dict[str, FloatArray],
    wanted: FloatArray,
    changes: IntArray,
    costs: Costs,
    stops: Stops,
    initial_cash: float,
    quantity_step: float | None,
    min_notional: float | None,
) -> tuple[FloatArray, FloatArray, dict[str, Any]]:
    """Simulate candle by candle; return equity, held exposure and the trade columns."""
    # Plain numpy arrays: only candles with a change, a stop or a short stretch are visited
    # one by one, so converting whole columns to lists would cost more than it saves.
    open_, high, low, close = prices["open"], prices["high"], prices["low"], prices["close"]
    slippage = costs.slippage
    n = len(close)
    change_list = np.zeros(n, dtype=bool)
    change_list[changes] = True
    wanted_list = wanted
    has_stops = stops.any
    fee, maker = costs.taker_fee, costs.maker_fee
    cash, units = initial_cash, 0.0
    equity = np.empty(n)
    held = np.zeros(n)
    episode: _Episode | None = None
    records: list[tuple[Any, ...]] = []

    def buy(episode: _Episode, quantity: float, price: float) -> None:
        nonlocal cash, units
        cost = buy_cost(amount=quantity, price=price, fee_rate=fee)
        cash -= cost
        units += quantity
        episode.bought += quantity
        episode.buy_notional += quantity * price
        episode.cost += cost
        episode.fees += fee_paid(amount=quantity, price=price, fee_rate=fee)

    def sell(quantity: float, price: float, rate: float, bar: int, reason: str) -> None:
        nonlocal cash, units, episode
        if episode is None:  # pragma: no cover - a sale needs a position
            raise RuntimeError("sale without an open position")
        proceeds = sale_proceeds(amount=quantity, price=price, fee_rate=rate)
        cash += proceeds
        units = 0.0 if quantity >= units else units - quantity
        episode.sold += quantity
        episode.sell_notional += quantity * price
        episode.proceeds += proceeds
        episode.fees += fee_paid(amount=quantity, price=price, fee_rate=rate)
        if units == 0.0:
            pnl = episode.proceeds - episode.cost
            records.append(
                (
                    episode.entry_bar,
                    episode.entry_price,
                    bar,
                    episode.sell_notional / episode.sold,
                    episode.bought,
                    episode.exposure,
                    episode.fees,
                    pnl,
                    pnl / episode.cost,
                    reason,
                )
            )
            episode = None

    high_array, low_array, close_array = high, low, close
    # The first change at or after each candle: candles before it only drift with the price.
    next_change = np.append(changes, n)[np.searchsorted(changes, np.arange(n + 1), side="left")]

    def first_trigger(start: int, stop: int) -> int:
        """First candle in [start, stop) where the open position's stop or target trades."""
        if episode is None:
            return stop
        entry = episode.entry_price
        level: float | FloatArray = -math.inf
        if stops.stop_loss is not None:
            level = stop_loss_level(entry_price=entry, stop_loss=stops.stop_loss)
        if stops.trailing_stop is not None:
            seen = np.maximum.accumulate(high_array[start:stop])
            peak = np.empty(stop - start)
            peak[0] = max(episode.peak, entry)
            np.maximum(seen[:-1], peak[0], out=peak[1:])
            trail = trailing_stop_level(highest=peak, trailing_stop=stops.trailing_stop)
            level = np.maximum(level, trail)
        hit = low_array[start:stop] <= level
        if stops.take_profit is not None:
            take = take_profit_level(entry_price=entry, take_profit=stops.take_profit)
            hit |= high_array[start:stop] >= take
        return start + int(np.argmax(hit)) if hit.any() else stop

    t = 0
    while t < n:
        if change_list[t]:
            goal = float(wanted_list[t])
            order = rebalance_order(
                target=goal,
                cash=cash,
                amount=units,
                price=float(open_[t]),
                slippage=float(slippage[t]),
                fee_rate=fee,
                quantity_step=quantity_step,
                min_notional=min_notional,
            )
            if order is not None and order.side == BUY:
                if episode is None:
                    episode = _Episode(t, goal)
                buy(episode, order.amount, order.price)
                if episode.bought == order.amount:
                    episode.peak = episode.entry_price
            elif order is not None:
                sell(order.amount, order.price, fee, t, EXIT_SIGNAL)
        if episode is not None and has_stops:
            levels = stop_levels(entry_price=episode.entry_price, peak=episode.peak, stops=stops)
            exit_ = candle_exit(
                levels=levels,
                open_price=float(open_[t]),
                high=float(high[t]),
                low=float(low[t]),
                slippage=float(slippage[t]),
                taker_fee=fee,
                maker_fee=maker,
            )
            if exit_ is not None:
                sell(units, exit_.price, exit_.fee_rate, t, exit_.reason)
            else:
                episode.peak = max(episode.peak, high[t])
        if t == n - 1 and units > 0.0:
            sell(units, sell_fill_price(price=close[t], slippage=slippage[t]), fee, t, EXIT_END)
        equity[t] = cash + units * close[t]
        if units > 0.0:
            held[t] = units * close[t] / equity[t]
        t += 1
        # Fast-forward through a long stretch without a change of target (never over the
        # last candle, which closes the position): equity is cash plus units at the close,
        # up to the first candle whose stop or target trades, handled candle by candle.
        stretch_end = min(int(next_change[t]), n - 1)
        if stretch_end - t < FAST_FORWARD_MIN:
            continue
        stop_at = first_trigger(t, stretch_end) if units > 0.0 and has_stops else stretch_end
        if stop_at > t:
            marked = units * close_array[t:stop_at]
            equity[t:stop_at] = cash + marked
            if units > 0.0:
                held[t:stop_at] = marked / equity[t:stop_at]
                if episode is not None and stops.trailing_stop is not None:
                    episode.peak = max(episode.peak, float(high_array[t:stop_at].max()))
            t = stop_at

    columns = list(zip(*records, strict=True)) if records else [()] * 10
    trades = {
        "entry_bar": np.asarray(columns[0], dtype=np.int64),
        "entry_price": np.asarray(columns[1], dtype=np.float64),
        "exit_bar": np.asarray(columns[2], dtype=np.int64),
        "exit_price": np.asarray(columns[3], dtype=np.float64),
        "size": np.asarray(columns[4], dtype=np.float64),
        "exposure": np.asarray(columns[5], dtype=np.float64),
        "fees": np.asarray(columns[6], dtype=np.float64),
        "pnl": np.asarray(columns[7], dtype=np.float64),
        "return": np.asarray(columns[8], dtype=np.float64),
        "exit_reason": np.asarray(columns[9], dtype=object),
    }
    return equity, held, trades
