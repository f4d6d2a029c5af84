"""The Bot, RiskProfile, Position, BotTick and KillSwitch objects of the API and the stream."""

from __future__ import annotations

from typing import Any

from trading.bots.state import RISK_FIELDS
from trading.models import Bot, BotFill, BotTick, KillSwitch, Position, RiskProfile
from trading.orders.payloads import decimal_text, iso

BOT_RELATED = (
    "market__exchange",
    "risk_profile",
    "position",
    "paper_account__exchange",
    "exchange_account__exchange",
)


def _time(value: Any) -> str | None:
    return None if value is None else iso(value)


def risk_payload(profile: RiskProfile) -> dict[str, Any]:
    """The bot's risk profile, field by field (None: that rule is off)."""
    return {name: getattr(profile, name) for name in RISK_FIELDS}


def position_payload(position: Position) -> dict[str, Any]:
    """The bot's position: amounts and P&L as decimal strings in the quote currency."""
    return {
        "id": position.pk,
        "bot": position.bot_id,
        "amount": decimal_text(position.amount),
        "average_entry": decimal_text(position.average_entry),
        "cash": decimal_text(position.cash),
        "realised_pnl": decimal_text(position.realised_pnl),
        "unrealised_pnl": decimal_text(position.unrealised_pnl),
        "last_price": decimal_text(position.last_price),
        "updated_at": iso(position.updated_at),
    }


def bot_fill_payload(booked: BotFill) -> dict[str, Any]:
    """A fill of the bot's order as booked into its position, with the P&L a sale realised."""
    return {
        "id": booked.fill_id,
        "bot": booked.bot_id,
        "order": booked.fill.order_id,
        "side": booked.side,
        "amount": decimal_text(booked.amount),
        "price": decimal_text(booked.price),
        "fee": decimal_text(booked.fee),
        "realised_pnl": decimal_text(booked.realised_pnl),
        "position_amount": decimal_text(booked.position_amount),
        "executed_at": iso(booked.executed_at),
    }


def _account(bot: Bot) -> dict[str, Any]:
    if bot.paper_account is not None:
        paper = bot.paper_account
        return {"kind": "paper", "id": paper.pk, "label": paper.label}
    account = bot.exchange_account
    if account is None:  # the database constraint makes this unreachable
        raise ValueError(f"bot {bot.pk} has no account")
    return {"kind": account.mode, "id": account.pk, "label": account.label}


def bot_payload(bot: Bot) -> dict[str, Any]:
    """The Bot object: strategy, account and mode, state with its reason, risk, position."""
    profile = getattr(bot, "risk_profile", None)
    position = getattr(bot, "position", None)
    equity = (bot.engine_state or {}).get("last_equity")
    return {
        "id": bot.pk,
        "name": bot.name,
        "market": bot.market_id,
        "exchange": bot.market.exchange.ccxt_id,
        "symbol": bot.market.symbol,
        "timeframe": bot.timeframe,
        "strategy": bot.strategy,
        "rule_name": bot.rule_name,
        "rule_params": bot.rule_params,
        "model_version": bot.model_version_id,
        "buy_threshold": bot.buy_threshold,
        "sell_threshold": bot.sell_threshold,
        "account": _account(bot),
        "mode": bot.mode,
        "capital": decimal_text(bot.capital),
        "fee_rate": bot.fee_rate,
        "slippage_bps": bot.slippage_bps,
        "equity": None if equity is None else float(equity),
        "live_opt_in": bot.live_opt_in,
        "live_opt_in_at": _time(bot.live_opt_in_at),
        "state": bot.state,
        "state_reason": bot.state_reason,
        "risk_profile": None if profile is None else risk_payload(profile),
        "position": None if position is None else position_payload(position),
        "created_at": iso(bot.created_at),
        "started_at": _time(bot.started_at),
        "last_tick_at": _time(bot.last_tick_at),
    }


def tick_payload(tick: BotTick) -> dict[str, Any]:
    """One decision: candle, signal, target, every check, the order or why none."""
    return {
        "id": tick.pk,
        "bot": tick.bot_id,
        "candle_time": iso(tick.candle_time),
        "signal": tick.signal_id,
        "signal_target": tick.signal_target,
        "target": tick.target,
        "equity": tick.equity,
        "checks": tick.checks,
        "order": tick.order_id,
        "exit_order": tick.exit_order_id,
        "outcome": tick.outcome,
        "reason": tick.reason,
        "created_at": iso(tick.created_at),
    }


def kill_switch_payload(switch: KillSwitch) -> dict[str, Any]:
    """A kill switch: scope, user (None for global), on/off, reason, who and when."""
    return {
        "id": switch.pk,
        "scope": switch.scope,
        "user": switch.user_id,
        "active": switch.active,
        "reason": switch.reason,
        "changed_by": switch.changed_by_id,
        "changed_at": iso(switch.changed_at),
    }
