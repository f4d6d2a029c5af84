"""The sequential path of the backtest engine: one candle at a time.

Used when the vectorised episode algebra does not hold: direct rebalances between two non-zero
exposures, and lot sizes or minimum notionals (rounding makes equity depend on its level).
It follows exactly the rules in `trading.core.backtest`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from trading.core.sizing import floor_to_step

if TYPE_CHECKING:
    from trading.core.backtest import FloatArray, IntArray, _Costs, _Stops


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
    costs: _Costs,
    stops: _Stops,
    initial_cash: float,
    quantity_step: float | None,
    min_notional: float | None,
) -> tuple[FloatArray, FloatArray, dict[str, Any]]:
    """Simulate candle by candle; return equity, held exposure and the trade columns."""
    open_ = prices["open"].tolist()
    high = prices["high"].tolist()
    low = prices["low"].tolist()
    close = prices["close"].tolist()
    slippage = costs.slippage.tolist()
    wanted_list = wanted.tolist()
    n = len(close)
    is_change = np.zeros(n, dtype=bool)
    is_change[changes] = True
    change_list = is_change.tolist()
    fee, maker = costs.taker_fee, costs.maker_fee
    cash, units = initial_cash, 0.0
    equity = np.empty(n)
    held = np.zeros(n)
    episode: _Episode | None = None
    records: list[tuple[Any, ...]] = []

    def buy(episode: _Episode, quantity: float, price: float) -> None:
        nonlocal cash, units
        cost = quantity * price * (1.0 + fee)
        cash -= cost
        units += quantity
        episode.bought += quantity
        episode.buy_notional += quantity * price
        episode.cost += cost
        episode.fees += quantity * price * fee

    def sell(quantity: float, price: float, rate: float, bar: int, reason: str) -> None:
        nonlocal cash, units, episode
        if episode is None:  # pragma: no cover - a sale needs a position
            raise RuntimeError("sale without an open position")
        proceeds = quantity * price * (1.0 - rate)
        cash += proceeds
        units = 0.0 if quantity >= units else units - quantity
        episode.sold += quantity
        episode.sell_notional += quantity * price
        episode.proceeds += proceeds
        episode.fees += quantity * price * rate
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

    for t in range(n):
        if change_list[t]:
            goal = wanted_list[t]
            price = open_[t]
            value = units * price
            desired = goal * (cash + value)
            if goal == 0.0 and units > 0.0:
                sell(units, price * (1.0 - slippage[t]), fee, t, "signal")
            elif desired > value:
                buy_price = price * (1.0 + slippage[t])
                quantity = min(cash, desired - value) / (buy_price * (1.0 + fee))
                if quantity_step is not None:
                    quantity = floor_to_step(quantity, quantity_step)
                if min_notional is not None and quantity * buy_price < min_notional:
                    quantity = 0.0
                if quantity > 0.0:
                    if episode is None:
                        episode = _Episode(t, goal)
                    buy(episode, quantity, buy_price)
                    if episode.bought == quantity:
                        episode.peak = episode.entry_price
            elif desired < value:
                quantity = units - desired / price
                if quantity_step is not None:
                    quantity = floor_to_step(quantity, quantity_step)
                sell_price = price * (1.0 - slippage[t])
                small = min_notional is not None and quantity * sell_price < min_notional
                if quantity > 0.0 and not small:
                    sell(quantity, sell_price, fee, t, "signal")
        if episode is not None and stops.any:
            entry = episode.entry_price
            stop_level = -math.inf
            trailing = False
            if stops.stop_loss is not None:
                stop_level = entry * (1.0 - stops.stop_loss)
            if stops.trailing_stop is not None:
                trail_level = max(episode.peak, entry) * (1.0 - stops.trailing_stop)
                if trail_level > stop_level:
                    stop_level, trailing = trail_level, True
            take_level = math.inf
            if stops.take_profit is not None:
                take_level = entry * (1.0 + stops.take_profit)
            if low[t] <= stop_level:
                fill = min(open_[t], stop_level) * (1.0 - slippage[t])
                sell(units, fill, fee, t, "trailing_stop" if trailing else "stop_loss")
            elif high[t] >= take_level:
                sell(units, max(open_[t], take_level), maker, t, "take_profit")
            elif episode is not None:
                episode.peak = max(episode.peak, high[t])
        if t == n - 1 and units > 0.0:
            sell(units, close[t] * (1.0 - slippage[t]), fee, t, "end")
        equity[t] = cash + units * close[t]
        if units > 0.0:
            held[t] = units * close[t] / equity[t]

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
