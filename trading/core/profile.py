"""A bot's risk profile and its market's order limits, checked when they are built.

Impossible values (fractions outside their range, negative limits, NaN or infinity) raise
`RiskProfileError`, a `QuantumTraderError` and `ValueError` whose `field` names the input.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from datetime import timedelta
from decimal import Decimal
from numbers import Real

from markets.core.errors import QuantumTraderError
from trading.core.rules import Stops


class RiskProfileError(QuantumTraderError, ValueError):
    """A risk profile or market limit with an impossible value; `field` names it."""

    code = "invalid_risk_profile"
    status = 400


def _number(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, Real | Decimal):
        raise RiskProfileError(f"{name} must be a number, got {value!r}", field=name)
    number = float(value)
    if not math.isfinite(number):
        raise RiskProfileError(f"{name} must be finite, got {value!r}", field=name)
    return number


def _fraction(name: str, value: object, *, one_allowed: bool) -> None:
    number = _number(name, value)
    if number <= 0.0 or number > 1.0 or (number == 1.0 and not one_allowed):
        bounds = "(0, 1]" if one_allowed else "(0, 1)"
        raise RiskProfileError(f"{name} must be a fraction in {bounds}, got {value!r}", field=name)


def _count(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise RiskProfileError(f"{name} must be a whole number >= 1, got {value!r}", field=name)


_FLOAT_FIELDS = (
    "max_position",
    "risk_per_trade",
    "atr_multiple",
    "stop_loss",
    "take_profit",
    "trailing_stop",
    "daily_loss_limit",
    "max_drawdown",
    "min_confidence",
)


@dataclass(frozen=True)
class RiskProfile:
    """A bot's risk rules. Fractions are of equity (stops: of the entry price); None is off.

    `max_position` caps the exposure, `max_open_positions` the positions open at once across
    the owner's bots, `risk_per_trade` sizes a new position to lose that share of equity at
    `atr_multiple` average true ranges (over `atr_window` candles) below its entry.
    `daily_loss_limit` halts the bot once equity falls that share below the day's start (UTC),
    `max_drawdown` once it falls that share below its peak. `cooldown` blocks new exposure for
    that long after a losing trade, `min_confidence` ignores model signals less sure than that,
    `max_orders_per_hour` caps the orders of the last hour.
    """

    max_position: float = 1.0
    max_open_positions: int | None = None
    risk_per_trade: float | None = None
    atr_multiple: float = 2.0
    atr_window: int = 14
    stop_loss: float | None = None
    take_profit: float | None = None
    trailing_stop: float | None = None
    daily_loss_limit: float | None = None
    max_drawdown: float | None = None
    cooldown: timedelta | None = None
    min_confidence: float | None = None
    max_orders_per_hour: int | None = None

    def __post_init__(self) -> None:
        _fraction("max_position", self.max_position, one_allowed=True)
        if self.min_confidence is not None:
            _fraction("min_confidence", self.min_confidence, one_allowed=True)
        for name in (
            "risk_per_trade",
            "stop_loss",
            "take_profit",
            "trailing_stop",
            "daily_loss_limit",
            "max_drawdown",
        ):
            value = getattr(self, name)
            if value is not None:
                _fraction(name, value, one_allowed=False)
        if _number("atr_multiple", self.atr_multiple) <= 0.0:
            raise RiskProfileError(
                f"atr_multiple must be positive, got {self.atr_multiple!r}", field="atr_multiple"
            )
        _count("atr_window", self.atr_window)
        for name in ("max_open_positions", "max_orders_per_hour"):
            value = getattr(self, name)
            if value is not None:
                _count(name, value)
        # Decimal fractions (from a form or the database) become floats for the float rules.
        for name in _FLOAT_FIELDS:
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, float(value))
        if self.cooldown is not None and (
            not isinstance(self.cooldown, timedelta) or self.cooldown < timedelta(0)
        ):
            raise RiskProfileError(
                f"cooldown must be a non-negative duration, got {self.cooldown!r}",
                field="cooldown",
            )

    @property
    def stops(self) -> Stops:
        """Return the profile's protective exits as the backtester's `Stops`."""
        return Stops(
            stop_loss=self.stop_loss,
            take_profit=self.take_profit,
            trailing_stop=self.trailing_stop,
        )


@dataclass(frozen=True)
class MarketLimits:
    """The exchange's order rules for one market (`Decimal`, None when the market has none)."""

    lot_step: Decimal | None = None
    tick: Decimal | None = None
    min_amount: Decimal | None = None
    min_notional: Decimal | None = None

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if value is None:
                continue
            if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
                raise RiskProfileError(
                    f"{item.name} must be a finite non-negative Decimal, got {value!r}",
                    field=item.name,
                )
            if item.name in ("lot_step", "tick") and value == 0:
                raise RiskProfileError(f"{item.name} must be positive", field=item.name)
