"""Between the database and the decision core: risk profiles and bot states both ways."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import date, datetime, timedelta
from typing import Any

from trading.core import profile as core
from trading.core.bot_state import BotState
from trading.core.profile import MarketLimits
from trading.models import Bot, RiskProfile

RISK_FIELDS = (
    "max_position",
    "max_open_positions",
    "risk_per_trade",
    "atr_multiple",
    "atr_window",
    "stop_loss",
    "take_profit",
    "trailing_stop",
    "daily_loss_limit",
    "max_drawdown",
    "cooldown_seconds",
    "min_confidence",
    "max_orders_per_hour",
)


def core_profile(values: dict[str, Any]) -> core.RiskProfile:
    """Build the core's RiskProfile from stored or submitted fields (RiskProfileError if bad)."""
    kwargs = {name: values[name] for name in RISK_FIELDS if name in values}
    seconds = kwargs.pop("cooldown_seconds", None)
    if seconds is not None:
        if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 0:
            raise core.RiskProfileError(
                f"cooldown_seconds must be a whole number >= 0, got {seconds!r}",
                field="cooldown_seconds",
            )
        kwargs["cooldown"] = timedelta(seconds=seconds)
    return core.RiskProfile(**kwargs)


def profile_values(profile: RiskProfile) -> dict[str, Any]:
    """Return the stored profile's fields by name."""
    return {name: getattr(profile, name) for name in RISK_FIELDS}


def market_limits(bot: Bot) -> MarketLimits:
    """Return the order rules of the bot's market."""
    market = bot.market
    return MarketLimits(
        lot_step=market.amount_precision or None,
        tick=market.price_precision or None,
        min_amount=market.min_amount,
        min_notional=market.min_notional,
    )


def state_dump(state: BotState) -> dict[str, Any]:
    """Return `state` as JSON-ready values (dates and times as ISO strings)."""
    out: dict[str, Any] = {}
    for name, value in asdict(state).items():
        out[name] = value.isoformat() if isinstance(value, date | datetime) else value
    return out


_DATETIMES = ("last_loss_at",)


def state_load(data: dict[str, Any], *, cash: float) -> BotState:
    """Return the BotState stored as `data`; a fresh one holding `cash` when there is none."""
    if not data:
        return BotState.start(cash)
    known = {item.name for item in fields(BotState)}
    values: dict[str, Any] = {k: v for k, v in data.items() if k in known}
    if values.get("day"):
        values["day"] = date.fromisoformat(values["day"])
    for name in _DATETIMES:
        if values.get(name):
            values[name] = datetime.fromisoformat(values[name])
    return BotState(**values)
