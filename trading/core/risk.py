"""Risk rules shared by the backtest and the live engine.

Exposure rules act on target Series (the backtest) or single values (the live engine); order
rules act on `Decimal` quantities and prices, before an order reaches an exchange.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import numpy.typing as npt
import pandas as pd

from trading.core.sizing import round_quantity


def cap_exposure(target: pd.Series, max_position: float) -> pd.Series:
    """Limit the wanted exposure to `max_position` (a fraction of equity)."""
    if not 0.0 < max_position <= 1.0:
        raise ValueError(f"max_position must be in (0, 1], got {max_position}")
    return target.astype("float64").clip(upper=max_position)


def cap_exposure_value(target: float, max_position: float) -> float:
    """Single-value form of `cap_exposure`, for the live engine on one closed candle."""
    if not 0.0 < max_position <= 1.0:
        raise ValueError(f"max_position must be in (0, 1], got {max_position}")
    return min(float(target), max_position)


def drawdown_breached(equity: float, peak: float, max_drawdown: float) -> bool:
    """Tell whether equity has fallen `max_drawdown` (a fraction) below its peak.

    The kill switch: once true, close the position and stop trading.
    """
    if not 0.0 < max_drawdown < 1.0:
        raise ValueError(f"max_drawdown must be in (0, 1), got {max_drawdown}")
    return bool(equity <= peak * (1.0 - max_drawdown))


def first_drawdown_breach(equity: npt.NDArray[np.float64], max_drawdown: float) -> int | None:
    """Return the first index at which `drawdown_breached` holds along an equity curve."""
    if not 0.0 < max_drawdown < 1.0:
        raise ValueError(f"max_drawdown must be in (0, 1), got {max_drawdown}")
    peak = np.maximum.accumulate(equity)
    breached = np.flatnonzero(equity <= peak * (1.0 - max_drawdown))
    return int(breached[0]) if breached.size else None


@dataclass(frozen=True)
class OrderCheck:
    """The outcome of checking an order: the quantity to send, or why it was refused."""

    quantity: Decimal
    accepted: bool
    reason: str = ""


def check_order(
    *,
    quantity: Decimal,
    price: Decimal,
    step: Decimal | None = None,
    min_amount: Decimal | None = None,
    min_notional: Decimal | None = None,
) -> OrderCheck:
    """Round a quantity to the lot step and refuse it below the minimum amount or notional."""
    if price <= 0:
        return OrderCheck(Decimal(0), False, "price must be positive")
    rounded = round_quantity(quantity, step) if step is not None else quantity
    if rounded <= 0:
        return OrderCheck(rounded, False, "quantity rounds to zero")
    if min_amount is not None and rounded < min_amount:
        return OrderCheck(rounded, False, f"quantity {rounded} is below the minimum {min_amount}")
    if min_notional is not None and rounded * price < min_notional:
        return OrderCheck(
            rounded, False, f"notional {rounded * price} is below the minimum {min_notional}"
        )
    return OrderCheck(rounded, True)
