"""The backtest engine: target exposures in, equity, trades and metrics out.

Rules (the same ones the live engine follows; each is a public function of
`trading.core.rules`, called by both simulation paths and by `trading.core.engine`):

* `target[t]` is the wanted exposure in [0, 1] (long/flat), decided at the close of candle t.
  A change of target trades at the open of candle t + 1; an unchanged target does not trade
  (a held fractional position drifts with the price).
* Market orders fill at the open moved against the trader by the slippage; the fee is charged on
  the traded notional. Rebalancing to exposure `g` from equity `E` (valued at the open):
  a buy spends `min(cash, g * E - position value)` on `spent / (price * (1 + fee))` units (so a
  buy to full exposure spends all cash), a sale of `u` units receives `u * price * (1 - fee)`.
* Stops are checked inside each held candle against its low and high: the stop-loss and the
  trailing stop fill at their level, or at the open when the candle gaps through them; the
  take-profit is a resting limit order (maker fee, no slippage). When a stop and the
  take-profit both lie inside one candle the stop is assumed to have been hit first. After a
  stop the position stays flat until the target changes again.
* A position still open at the end is sold at the last close, with slippage and fee.
* `equity[t]` is cash plus the position marked at the close of candle t.

Two paths compute the same thing: a vectorised one over position episodes when every change of
target goes through flat (long/flat signals, sized at entry), and a sequential one for direct
rebalances between two non-zero exposures, quantity steps and minimum notionals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from trading.core.metrics import compute_metrics, periods_per_year_of
from trading.core.risk import first_drawdown_breach
from trading.core.rules import (
    EXIT_END,
    EXIT_REASONS,
    EXIT_SIGNAL,
    EXIT_STOP_LOSS,
    EXIT_TAKE_PROFIT,
    EXIT_TRAILING_STOP,
    Costs,
    Stops,
    affordable_amount,
    buy_cost,
    buy_fill_price,
    fee_paid,
    sale_proceeds,
    sell_fill_price,
    stop_loss_level,
    take_profit_level,
    trailing_stop_level,
)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

REQUIRED_COLUMNS = ("open", "high", "low", "close")
# Costs assumed when a backtest (or a model's walk-forward trading) is not told otherwise:
# Binance's base taker fee and a few basis points of slippage on market orders.
DEFAULT_FEE_RATE = 0.001
DEFAULT_SLIPPAGE_BPS = 5.0
TRADE_COLUMNS = [
    "entry_time",
    "entry_price",
    "exit_time",
    "exit_price",
    "size",
    "exposure",
    "fees",
    "pnl",
    "return",
    "exit_reason",
]
_REASON_CODES = {reason: code for code, reason in enumerate(EXIT_REASONS)}


@dataclass(frozen=True)
class BacktestResult:
    """What a backtest produced: the equity curve, the closed trades and the metrics."""

    equity: pd.Series
    trades: pd.DataFrame
    metrics: dict[str, Any]
    exposure: pd.Series = field(repr=False)


def run_backtest(
    candles: pd.DataFrame,
    target: pd.Series,
    *,
    fee_rate: float,
    slippage_bps: float | pd.Series = 0.0,
    initial_cash: float = 10_000.0,
    maker_fee_rate: float | None = None,
    stop_loss: float | None = None,
    take_profit: float | None = None,
    trailing_stop: float | None = None,
    max_drawdown: float | None = None,
    quantity_step: float | None = None,
    min_notional: float | None = None,
    periods_per_year: float | None = None,
) -> BacktestResult:
    """Simulate trading `target` exposures over `candles` and return equity, trades and metrics.

    `candles` has `open, high, low, close` (and usually `volume`) on a sorted, unique
    DatetimeIndex; `target` is a Series on exactly that index with values in [0, 1].
    `fee_rate` is the taker fee (market orders), `maker_fee_rate` the fee of take-profit limit
    orders (default: `fee_rate`). `slippage_bps` is a number or a Series of basis points per
    candle (see `trading.core.sizing.volatility_slippage_bps`). `stop_loss`, `take_profit` and
    `trailing_stop` are fractions of the entry price (trailing: of the highest price since
    entry). `max_drawdown` is a kill switch: once equity at a close is that fraction below its
    peak, the position is closed at the next open and nothing more is traded.
    `quantity_step` and `min_notional` apply the exchange's lot size and minimum order value to
    buys. Raises ValueError on malformed input.
    """
    frame = validated_candles(candles)
    exposure = _validated_target(target, frame.index)
    if not np.isfinite(fee_rate) or not 0.0 <= fee_rate < 1.0:
        raise ValueError(f"fee_rate must be in [0, 1), got {fee_rate!r}")
    maker = fee_rate if maker_fee_rate is None else float(maker_fee_rate)
    if not np.isfinite(maker) or not 0.0 <= maker < 1.0:
        raise ValueError(f"maker_fee_rate must be in [0, 1), got {maker_fee_rate!r}")
    if not np.isfinite(initial_cash) or initial_cash <= 0:
        raise ValueError(f"initial_cash must be a positive number, got {initial_cash!r}")
    slippage = slippage_fractions(slippage_bps, frame.index)
    for name, value in (
        ("stop_loss", stop_loss),
        ("take_profit", take_profit),
        ("trailing_stop", trailing_stop),
        ("max_drawdown", max_drawdown),
    ):
        if value is not None and (not np.isfinite(value) or not 0.0 < value < 1.0):
            raise ValueError(f"{name} must be a fraction in (0, 1), got {value!r}")
    for name, value in (("quantity_step", quantity_step), ("min_notional", min_notional)):
        if value is not None and (not np.isfinite(value) or value <= 0):
            raise ValueError(f"{name} must be a positive number, got {value!r}")

    costs = Costs(taker_fee=float(fee_rate), maker_fee=maker, slippage=slippage)
    stops = Stops(stop_loss=stop_loss, take_profit=take_profit, trailing_stop=trailing_stop)
    prices = {name: frame[name].to_numpy(dtype=np.float64) for name in REQUIRED_COLUMNS}
    if stops.any:
        _check_ranges(prices)

    settings = (costs, stops, float(initial_cash), quantity_step, min_notional)
    equity, held, trades = _simulate(prices, exposure, *settings)
    if max_drawdown is not None:
        cut = first_drawdown_breach(equity, max_drawdown)
        if cut is not None:
            # The kill switch acts on information at that close, so everything before it is
            # unchanged; from then on the wanted exposure is zero.
            exposure = exposure.copy()
            exposure[cut:] = 0.0
            equity, held, trades = _simulate(prices, exposure, *settings)

    index = frame.index
    equity_series = pd.Series(equity, index=index, name="equity")
    exposure_series = pd.Series(held, index=index, name="exposure")
    trades_frame = _trades_frame(trades, index)
    ppy = periods_per_year if periods_per_year is not None else periods_per_year_of(index)
    metrics = compute_metrics(
        equity=equity,
        close=prices["close"],
        exposure=held,
        trade_returns=trades["return"],
        trade_pnl=trades["pnl"],
        fees=float(trades["fees"].sum()),
        initial_cash=float(initial_cash),
        periods_per_year=ppy,
        start=index[0],
        end=index[-1],
    )
    return BacktestResult(
        equity=equity_series, trades=trades_frame, metrics=metrics, exposure=exposure_series
    )


# ---------------------------------------------------------------------------------------------
# validation


def validated_candles(candles: pd.DataFrame) -> pd.DataFrame:
    """Return `candles` after checking their columns, index and prices; ValueError if bad."""
    if not isinstance(candles, pd.DataFrame):
        raise ValueError("candles must be a pandas DataFrame")
    missing = [name for name in REQUIRED_COLUMNS if name not in candles.columns]
    if missing:
        raise ValueError(f"candles lack the columns {missing}")
    if len(candles) == 0:
        raise ValueError("candles are empty")
    index = candles.index
    if not isinstance(index, pd.DatetimeIndex):
        raise ValueError("candles must be indexed by a DatetimeIndex of candle open times")
    if index.has_duplicates:
        duplicated = index[index.duplicated()][:3].tolist()
        raise ValueError(f"candles have duplicate timestamps, e.g. {duplicated}")
    if not index.is_monotonic_increasing:
        raise ValueError("candles are not sorted by time (oldest first)")
    for name in REQUIRED_COLUMNS:
        values = candles[name].to_numpy(dtype=np.float64)
        bad = ~np.isfinite(values)
        if bad.any():
            where = index[np.flatnonzero(bad)[0]]
            raise ValueError(f"candles have NaN or infinite {name} prices, first at {where}")
        if (values <= 0).any():
            where = index[np.flatnonzero(values <= 0)[0]]
            raise ValueError(f"candles have non-positive {name} prices, first at {where}")
    return candles


def _validated_target(target: pd.Series, index: pd.DatetimeIndex) -> FloatArray:
    if not isinstance(target, pd.Series):
        raise ValueError("target must be a pandas Series on the candles' index")
    if len(target) != len(index) or not target.index.equals(index):
        raise ValueError(
            "target is not aligned with the candles: it must have exactly the candles' index "
            f"({len(index)} timestamps), got {len(target)} values on a different index"
        )
    try:
        values = target.to_numpy(dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise ValueError(f"target must be numeric: {e}") from e
    if np.isnan(values).any():
        where = index[np.flatnonzero(np.isnan(values))[0]]
        raise ValueError(f"target has NaN values, first at {where}")
    outside = (values < 0.0) | (values > 1.0)
    if outside.any():
        first = int(np.flatnonzero(outside)[0])
        raise ValueError(
            "target must lie in [0, 1] (long/flat exposure); "
            f"got {values[first]!r} at {index[first]}"
        )
    return np.array(values, dtype=np.float64)


def slippage_fractions(slippage_bps: float | pd.Series, index: pd.DatetimeIndex) -> FloatArray:
    """Return the slippage of each candle as a fraction from basis points (a number or Series)."""
    if isinstance(slippage_bps, pd.Series):
        if not slippage_bps.index.equals(index):
            raise ValueError("slippage_bps as a Series must have exactly the candles' index")
        values = slippage_bps.to_numpy(dtype=np.float64) / 10_000.0
    else:
        values = np.full(len(index), float(slippage_bps) / 10_000.0)
    if not np.isfinite(values).all() or (values < 0).any() or (values >= 1).any():
        raise ValueError("slippage_bps must be finite, non-negative and below 10000")
    return np.asarray(values, dtype=np.float64)


def _check_ranges(prices: dict[str, FloatArray]) -> None:
    top = np.maximum(prices["open"], prices["close"])
    bottom = np.minimum(prices["open"], prices["close"])
    if (prices["high"] < top).any() or (prices["low"] > bottom).any():
        raise ValueError("candles have high below open/close or low above open/close")


# ---------------------------------------------------------------------------------------------
# simulation


def _simulate(
    prices: dict[str, FloatArray],
    target: FloatArray,
    costs: Costs,
    stops: Stops,
    initial_cash: float,
    quantity_step: float | None,
    min_notional: float | None,
) -> tuple[FloatArray, FloatArray, dict[str, Any]]:
    # The exposure wanted at the open of candle t is the one decided at the close of t - 1.
    wanted = np.empty_like(target)
    wanted[0] = 0.0
    wanted[1:] = target[:-1]
    changes = np.flatnonzero(np.diff(wanted, prepend=0.0))
    before = np.where(changes > 0, wanted[changes - 1], 0.0)
    through_flat = bool(np.all((wanted[changes] == 0.0) | (before == 0.0)))
    if through_flat and quantity_step is None and min_notional is None:
        return _simulate_episodes(prices, wanted, changes, costs, stops, initial_cash)
    from trading.core.sequential import simulate_sequential

    return simulate_sequential(
        prices, wanted, changes, costs, stops, initial_cash, quantity_step, min_notional
    )


def _simulate_episodes(
    prices: dict[str, FloatArray],
    wanted: FloatArray,
    changes: IntArray,
    costs: Costs,
    stops: Stops,
    initial_cash: float,
) -> tuple[FloatArray, FloatArray, dict[str, Any]]:
    """Vectorised path: every change of exposure goes from flat to `g` or from `g` to flat.

    An episode opened with exposure g from equity E spends g * E, so it ends with
    E * (1 - g + g * r) where r = sell price * (1 - fee) / (buy price * (1 + fee)):
    equity before each episode is a cumulative product.
    """
    open_, close = prices["open"], prices["close"]
    n = len(close)
    fee = costs.taker_fee
    slip = costs.slippage
    entries = changes[wanted[changes] > 0.0]
    flats = changes[wanted[changes] == 0.0]
    # Each entry ends at the next change to flat, or at the end of the data.
    next_flat = np.searchsorted(flats, entries, side="right")
    has_flat = next_flat < len(flats)
    exit_bar = np.append(flats, n - 1)[next_flat]
    exposure = wanted[entries]
    buy_price = buy_fill_price(price=open_[entries], slippage=slip[entries])
    exit_price = np.where(
        has_flat, sell_fill_price(price=open_[exit_bar], slippage=slip[exit_bar]), 0.0
    )
    exit_price[~has_flat] = sell_fill_price(price=float(close[n - 1]), slippage=float(slip[n - 1]))
    exit_fee = np.full(len(entries), fee)
    reason = np.where(has_flat, _REASON_CODES[EXIT_SIGNAL], _REASON_CODES[EXIT_END])
    # Candles held: from the entry candle up to the one before the exit (open exits) or the
    # last one (the final close exit happens inside it). An episode "finishes" (ends flat at
    # the close) in the candle in which it is sold.
    last_held = np.where(has_flat, exit_bar - 1, n - 1)
    finished_at = exit_bar.copy()

    if stops.any and len(entries):
        hit_bar, hit_price, hit_fee, hit_reason = _first_stop_hits(
            prices, entries, last_held, buy_price, stops, costs
        )
        stopped = hit_bar >= 0
        exit_bar[stopped] = hit_bar[stopped]
        finished_at[stopped] = hit_bar[stopped]
        exit_price[stopped] = hit_price[stopped]
        exit_fee[stopped] = hit_fee[stopped]
        reason[stopped] = hit_reason[stopped]

    ratio = exit_price * (1.0 - exit_fee) / (buy_price * (1.0 + fee))
    growth = 1.0 - exposure + exposure * ratio
    equity_after = initial_cash * np.cumprod(growth)
    equity_before = np.empty_like(equity_after)
    if len(entries):
        equity_before[0] = initial_cash
        equity_before[1:] = equity_after[:-1]
    units = affordable_amount(spend=exposure * equity_before, price=buy_price, fee_rate=fee)
    cash_rest = (1.0 - exposure) * equity_before

    # The candles split into intervals: flat [0, entry_0), held [entry_0, finished_0),
    # flat [finished_0, entry_1), ... flat [finished_last, n). Each carries its cash and units.
    k = len(entries)
    bounds = np.empty(2 * k + 2, dtype=np.int64)
    bounds[0] = 0
    bounds[1 : 2 * k : 2] = entries
    bounds[2 : 2 * k + 1 : 2] = finished_at
    bounds[-1] = n
    lengths = np.diff(bounds)
    cash_values = np.empty(2 * k + 1)
    cash_values[0::2] = np.concatenate(([initial_cash], equity_after))
    cash_values[1::2] = cash_rest
    unit_values = np.zeros(2 * k + 1)
    unit_values[1::2] = units
    held_units = np.repeat(unit_values, lengths)
    position_value = held_units * close
    equity = np.repeat(cash_values, lengths) + position_value
    held = position_value / equity

    fees = fee_paid(amount=units, price=buy_price, fee_rate=fee) + fee_paid(
        amount=units, price=exit_price, fee_rate=exit_fee
    )
    cost = buy_cost(amount=units, price=buy_price, fee_rate=fee)
    proceeds = sale_proceeds(amount=units, price=exit_price, fee_rate=exit_fee)
    trades = {
        "entry_bar": entries,
        "entry_price": buy_price,
        "exit_bar": exit_bar,
        "exit_price": exit_price,
        "size": units,
        "exposure": exposure,
        "fees": fees,
        "pnl": proceeds - cost,
        "return": ratio - 1.0,
        "exit_reason": reason,
    }
    return equity, held, trades


def _first_stop_hits(
    prices: dict[str, FloatArray],
    entries: IntArray,
    last_held: IntArray,
    buy_price: FloatArray,
    stops: Stops,
    costs: Costs,
) -> tuple[IntArray, FloatArray, FloatArray, IntArray]:
    """Find, per episode, the first candle in [entry, last_held] where a stop or target trades.

    Works on whole-length arrays: `episode[t]` is the latest episode entered at or before t,
    and `holding[t]` tells whether t lies inside it.
    """
    open_, high, low = prices["open"], prices["high"], prices["low"]
    n = len(open_)
    # Episodes never overlap and a flat candle separates them, so the marks never collide.
    marks = np.zeros(n + 1, dtype=np.int32)
    marks[entries] = 1
    marks[last_held + 1] = -1
    holding = np.cumsum(marks[:n]) > 0
    marks[last_held + 1] = 0
    episode = np.cumsum(marks[:n]) - 1
    entry_px = buy_price[np.maximum(episode, 0)]
    stop_level = np.full(n, -np.inf)
    if stops.stop_loss is not None:
        stop_level = stop_loss_level(entry_price=entry_px, stop_loss=stops.stop_loss)
    is_trail: npt.NDArray[np.bool_] | None = None
    if stops.trailing_stop is not None:
        # Highest price known before this candle: the entry fill, then the highs of the
        # candles already held (within a candle the order of high and low is unknown).
        peak = pd.Series(high).groupby(episode).cummax().to_numpy()
        before = np.empty(n)
        before[0] = -np.inf
        before[1:] = peak[:-1]
        before[entries] = -np.inf
        trail_level = trailing_stop_level(
            highest=np.maximum(before, entry_px), trailing_stop=stops.trailing_stop
        )
        is_trail = trail_level > stop_level
        stop_level = np.maximum(stop_level, trail_level)
    stop_hit = low <= stop_level
    hit = stop_hit
    target_level = None
    if stops.take_profit is not None:
        target_level = take_profit_level(entry_price=entry_px, take_profit=stops.take_profit)
        hit = hit | (high >= target_level)
    hit &= holding
    # First hit at or after each candle, read at each entry.
    marker = np.where(hit, np.arange(n), n)
    first = np.minimum.accumulate(marker[::-1])[::-1][entries]
    found = first <= last_held
    pick = np.where(found, first, 0)
    hit_bar = np.where(found, pick, -1)
    o = open_[pick]
    by_stop = stop_hit[pick]
    stop_fill = sell_fill_price(
        price=np.minimum(o, stop_level[pick]), slippage=costs.slippage[pick]
    )
    target_fill = o if target_level is None else np.maximum(o, target_level[pick])
    hit_price = np.where(by_stop, stop_fill, target_fill)
    hit_fee = np.where(by_stop, costs.taker_fee, costs.maker_fee)
    trailing = np.zeros(len(pick), dtype=bool) if is_trail is None else is_trail[pick]
    stop_reason = np.where(
        trailing, _REASON_CODES[EXIT_TRAILING_STOP], _REASON_CODES[EXIT_STOP_LOSS]
    )
    hit_reason = np.where(by_stop, stop_reason, _REASON_CODES[EXIT_TAKE_PROFIT])
    return hit_bar.astype(np.int64), hit_price, hit_fee, hit_reason


def _trades_frame(trades: dict[str, Any], index: pd.DatetimeIndex) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "entry_time": index[np.asarray(trades["entry_bar"], dtype=np.int64)],
            "entry_price": trades["entry_price"],
            "exit_time": index[np.asarray(trades["exit_bar"], dtype=np.int64)],
            "exit_price": trades["exit_price"],
            "size": trades["size"],
            "exposure": trades["exposure"],
            "fees": trades["fees"],
            "pnl": trades["pnl"],
            "return": trades["return"],
            "exit_reason": _reason_labels(trades["exit_reason"]),
        },
        columns=TRADE_COLUMNS,
    )
    return frame


def _reason_labels(reasons: npt.NDArray[Any]) -> npt.NDArray[np.object_]:
    if reasons.dtype == object:
        return reasons
    labels = np.array(EXIT_REASONS, dtype=object)
    return np.asarray(labels[reasons.astype(np.int64)], dtype=object)
