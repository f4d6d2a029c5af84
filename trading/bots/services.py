"""Writes of bots: create and update with their risk profile, start, pause, stop, kill, live opt-in.

Every bad input raises a QuantumTraderError whose `field` names it (the API renders a 400).
The kill switches (per user, global) are in `trading.bots.kill`; the engine in
`trading.bots.engine`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

import structlog
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.events import user_group
from accounts.selectors import exchange_account_get
from accounts.services import AuditAction, audit_record
from markets import stream
from markets.core.adapter import timeframe_ms
from markets.core.errors import QuantumTraderError
from markets.selectors import market_get_by_id
from signals.selectors import champion_get, model_version_find
from trading.bots.notices import bot_event_notice
from trading.bots.payloads import bot_payload, position_payload
from trading.bots.state import RISK_FIELDS, core_profile, profile_values
from trading.core.profile import RiskProfileError
from trading.core.strategies import RULE_PARAMETERS, RULE_STRATEGIES
from trading.models import Bot, Order, PaperAccount, Position, RiskProfile
from trading.orders.paper_store import paper_account_create

if TYPE_CHECKING:
    from accounts.models import ExchangeAccount
    from markets.models import Market
    from signals.models import ModelVersion

log = structlog.get_logger(__name__)

OPEN_STATUSES = ("new", "submitting", "open", "partially_filled", "unknown")
DEFAULT_CAPITAL = Decimal("1000")


class BotError(QuantumTraderError):
    """A bot request with an impossible value; `field` names it."""

    code = "invalid_bot"
    status = 400


class BotStateError(QuantumTraderError):
    """The bot cannot do that in its current state."""

    code = "bot_state_conflict"
    status = 409


class LiveTradingRefusedError(QuantumTraderError):
    """A live bot that may not trade: the server switch, the opt-in or the key's scope."""

    code = "live_trading_refused"
    status = 403


def _finite(name: str, value: Any, *, low: float, high: float, high_open: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise BotError(f"{name} must be a number.", field=name)
    number = float(value)
    too_high = number >= high if high_open else number > high
    if not math.isfinite(number) or number < low or too_high:
        bracket = ")" if high_open else "]"
        raise BotError(f"{name} must be a number in [{low}, {high}{bracket}.", field=name)
    return number


def _capital(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise BotError("capital must be a number.", field="capital") from None
    if not amount.is_finite() or amount <= 0:
        raise BotError("capital must be a positive amount.", field="capital")
    return amount


def _market(market_id: Any) -> Market:
    try:
        market = market_get_by_id(market_id=int(market_id))
    except (ObjectDoesNotExist, TypeError, ValueError):
        raise BotError("There is no market with this id.", field="market") from None
    if not (market.active and market.enabled and market.exchange.enabled):
        raise BotError(
            f"{market.symbol} on {market.exchange.ccxt_id} is disabled; bots need an enabled "
            "market.",
            field="market",
        )
    return market


def _timeframe(value: Any, market: Market) -> str:
    try:
        timeframe_ms(str(value))
    except ValueError:
        raise BotError(f"Unknown timeframe {value!r}.", field="timeframe") from None
    if market.timeframes and value not in market.timeframes:
        raise BotError(
            f"{market.symbol} stores no {value} candles (it has {', '.join(market.timeframes)}).",
            field="timeframe",
        )
    return str(value)


def _rule_params(name: str, params: Any) -> dict[str, Any]:
    if name not in RULE_STRATEGIES:
        raise BotError(
            f"Unknown rule strategy {name!r}; known: {', '.join(sorted(RULE_STRATEGIES))}.",
            field="rule_name",
        )
    if not isinstance(params, dict):
        raise BotError("rule_params must be an object.", field="rule_params")
    allowed = RULE_PARAMETERS[name]
    out: dict[str, Any] = {}
    for key, value in params.items():
        if key not in allowed:
            raise BotError(
                f"Unknown parameter {key!r} for {name}; allowed: {', '.join(sorted(allowed))}.",
                field=f"rule_params.{key}",
            )
        number = _finite(f"rule_params.{key}", value, low=0, high=1e9)
        if allowed[key] is int and number != int(number):
            raise BotError(f"{key} must be a whole number.", field=f"rule_params.{key}")
        out[key] = allowed[key](number)
    if name == "sma_cross" and out.get("fast", 20) >= out.get("slow", 50):
        raise BotError("fast must be smaller than slow.", field="rule_params.fast")
    if name == "sma_cross" and out.get("fast", 20) < 1:
        raise BotError("fast must be at least 1.", field="rule_params.fast")
    if name == "rsi_bands":
        lower, upper = out.get("lower", 30.0), out.get("upper", 70.0)
        if not 0 < lower < upper < 100:
            raise BotError("Need 0 < lower < upper < 100.", field="rule_params.lower")
        if out.get("window", 14) < 2:
            raise BotError("window must be at least 2.", field="rule_params.window")
    return out


def _model_version(value: Any, market: Market, timeframe: str) -> ModelVersion:
    try:
        found = model_version_find(model_version_id=int(value))
    except (TypeError, ValueError, OverflowError):
        found = None
    if found is None:
        raise BotError("There is no model version with this id.", field="model_version")
    version = found
    if version.timeframe != timeframe:
        raise BotError(
            f"Model #{version.pk} predicts {version.timeframe} candles, not {timeframe}.",
            field="model_version",
        )
    if not version.markets.filter(pk=market.pk).exists():
        raise BotError(
            f"Model #{version.pk} was not trained for {market.symbol} on "
            f"{market.exchange.ccxt_id}.",
            field="model_version",
        )
    return version


def _risk(values: Any) -> dict[str, Any]:
    if values is None:
        values = {}
    if not isinstance(values, dict):
        raise BotError("risk_profile must be an object.", field="risk_profile")
    unknown = sorted(set(values) - set(RISK_FIELDS))
    if unknown:
        raise BotError(f"Unknown risk setting {unknown[0]!r}.", field=f"risk_profile.{unknown[0]}")
    for name, value in values.items():
        if isinstance(value, float) and not math.isfinite(value):
            raise BotError(f"{name} must be finite.", field=f"risk_profile.{name}")
    try:
        core_profile(values)
    except RiskProfileError as e:
        raise BotError(e.message, field=f"risk_profile.{e.field or ''}".rstrip(".")) from None
    except TypeError as e:
        raise BotError(str(e), field="risk_profile") from None
    return values


@dataclass(frozen=True)
class _Account:
    paper_account: PaperAccount | None
    exchange_account: ExchangeAccount | None
    mode: str


def _account(
    *, owner: Any, market: Market, paper_account_id: Any, exchange_account_id: Any
) -> _Account:
    if paper_account_id is not None and exchange_account_id is not None:
        raise BotError(
            "Give one of paper_account and exchange_account, not both.", field="exchange_account"
        )
    exchange_id = market.exchange.ccxt_id
    if exchange_account_id is not None:
        try:
            account = exchange_account_get(account_id=int(exchange_account_id), owner_id=owner.pk)
        except (ObjectDoesNotExist, TypeError, ValueError):
            raise BotError(
                "You have no exchange account with this id.", field="exchange_account"
            ) from None
        if account.exchange_id != market.exchange_id:
            raise BotError(
                f"This exchange account is on {account.exchange.ccxt_id}, the market on "
                f"{exchange_id}.",
                field="exchange_account",
            )
        if account.status == "unusable":
            raise BotError("This exchange account is unusable.", field="exchange_account")
        return _Account(None, account, account.mode)
    if paper_account_id is not None:
        paper = PaperAccount.objects.filter(pk=paper_account_id, owner=owner).first()
        if paper is None:
            raise BotError("You have no paper account with this id.", field="paper_account")
        if paper.exchange_id != market.exchange_id:
            raise BotError(
                "This paper account trades on another exchange than the market's.",
                field="paper_account",
            )
        return _Account(paper, None, Bot.Mode.PAPER)
    # Paper is the default: the owner's paper account on the market's exchange.
    paper = PaperAccount.objects.filter(owner=owner, exchange=market.exchange).first()
    if paper is None:
        paper = paper_account_create(
            owner=owner, exchange_id=exchange_id, label=f"Paper {exchange_id}"
        )
    return _Account(paper, None, Bot.Mode.PAPER)


def _publish(bot: Bot, event: str, **extra: Any) -> None:
    stream.publish(
        group=user_group(bot.owner_id),
        type="bot",
        id=bot.pk,
        data={"event": event, "bot": bot_payload(bot), **extra},
    )
    bot_event_notice(bot, event, extra)


def bot_get_owned(*, owner: Any, bot_id: int, lock: bool = False) -> Bot:
    """Return one of the owner's bots (DoesNotExist for anyone else's)."""
    rows = Bot.objects.select_related(
        "market__exchange", "risk_profile", "exchange_account", "paper_account", "position"
    )
    if lock:
        rows = rows.select_for_update(of=("self",))
    return rows.get(pk=bot_id, owner=owner)


@transaction.atomic
def bot_create(
    *,
    owner: Any,
    name: str,
    market_id: int,
    timeframe: str,
    strategy: str,
    rule_name: str = "",
    rule_params: dict[str, Any] | None = None,
    model_version_id: int | None = None,
    buy_threshold: float = 0.5,
    sell_threshold: float = 0.5,
    paper_account_id: int | None = None,
    exchange_account_id: int | None = None,
    capital: Decimal | str | float = DEFAULT_CAPITAL,
    fee_rate: float = 0.001,
    slippage_bps: float = 5.0,
    risk_profile: dict[str, Any] | None = None,
) -> Bot:
    """Create a stopped bot with its risk profile and an empty position; paper by default."""
    name = (name or "").strip()
    if not name or len(name) > 64:
        raise BotError("Give the bot a name of 1 to 64 characters.", field="name")
    if Bot.objects.filter(owner=owner, name=name).exists():
        raise BotError("You already have a bot with this name.", field="name")
    market = _market(market_id)
    timeframe = _timeframe(timeframe, market)
    version: ModelVersion | None = None
    params: dict[str, Any] = {}
    if strategy == Bot.Strategy.RULE:
        params = _rule_params(rule_name, rule_params or {})
    elif strategy == Bot.Strategy.MODEL:
        if model_version_id is None:
            raise BotError("A model bot needs a model_version.", field="model_version")
        version = _model_version(model_version_id, market, timeframe)
        rule_name = ""
    elif strategy == Bot.Strategy.CHAMPION:
        if (
            champion_get(
                exchange=market.exchange.ccxt_id, symbol=market.symbol, timeframe=timeframe
            )
            is None
        ):
            raise BotError(
                f"{market.symbol} {timeframe} has no champion model yet.", field="strategy"
            )
        rule_name = ""
    else:
        raise BotError("strategy must be one of rule, model, champion.", field="strategy")
    buy = _finite("buy_threshold", buy_threshold, low=0, high=1)
    sell = _finite("sell_threshold", sell_threshold, low=0, high=1)
    fee = _finite("fee_rate", fee_rate, low=0, high=1, high_open=True)
    slip = _finite("slippage_bps", slippage_bps, low=0, high=10_000, high_open=True)
    money = _capital(capital)
    risk = _risk(risk_profile)
    account = _account(
        owner=owner,
        market=market,
        paper_account_id=paper_account_id,
        exchange_account_id=exchange_account_id,
    )
    try:
        with transaction.atomic():
            bot = Bot.objects.create(
                owner=owner,
                name=name,
                market=market,
                timeframe=timeframe,
                strategy=strategy,
                rule_name=rule_name,
                rule_params=params,
                model_version=version,
                buy_threshold=buy,
                sell_threshold=sell,
                paper_account=account.paper_account,
                exchange_account=account.exchange_account,
                mode=account.mode,
                capital=money,
                fee_rate=fee,
                slippage_bps=slip,
            )
    except IntegrityError:
        raise BotError("You already have a bot with this name.", field="name") from None
    RiskProfile.objects.create(bot=bot, **risk)
    Position.objects.create(bot=bot, cash=money)
    log.info("bot.created", bot_id=bot.pk, owner_id=owner.pk, mode=bot.mode)
    bot = bot_get_owned(owner=owner, bot_id=bot.pk)
    _publish(bot, "created")
    return bot


UPDATABLE = (
    "name",
    "rule_params",
    "buy_threshold",
    "sell_threshold",
    "fee_rate",
    "slippage_bps",
    "risk_profile",
)


def _update_numbers(bot: Bot, changes: dict[str, Any]) -> None:
    for name in ("buy_threshold", "sell_threshold"):
        if name in changes:
            setattr(bot, name, _finite(name, changes[name], low=0, high=1))
    if "fee_rate" in changes:
        bot.fee_rate = _finite("fee_rate", changes["fee_rate"], low=0, high=1, high_open=True)
    if "slippage_bps" in changes:
        bot.slippage_bps = _finite(
            "slippage_bps", changes["slippage_bps"], low=0, high=10_000, high_open=True
        )


@transaction.atomic
def bot_update(*, owner: Any, bot_id: int, changes: dict[str, Any]) -> Bot:
    """Change a bot's name, parameters, thresholds, costs or risk profile (partial)."""
    bot = bot_get_owned(owner=owner, bot_id=bot_id, lock=True)
    for key in changes:
        if key not in UPDATABLE:
            raise BotError(f"{key} cannot be changed; create a new bot instead.", field=key)
    if "name" in changes:
        name = (changes["name"] or "").strip()
        if not name or len(name) > 64:
            raise BotError("Give the bot a name of 1 to 64 characters.", field="name")
        if Bot.objects.filter(owner=owner, name=name).exclude(pk=bot.pk).exists():
            raise BotError("You already have a bot with this name.", field="name")
        bot.name = name
    if "rule_params" in changes:
        if bot.strategy != Bot.Strategy.RULE:
            raise BotError("Only a rule bot has rule_params.", field="rule_params")
        bot.rule_params = _rule_params(bot.rule_name, changes["rule_params"])
    _update_numbers(bot, changes)
    if "risk_profile" in changes:
        profile = bot.risk_profile
        merged = {**profile_values(profile), **(changes["risk_profile"] or {})}
        _risk(merged)
        for key, value in merged.items():
            setattr(profile, key, value)
        profile.save()
    bot.updated_at = timezone.now()
    bot.save()
    _publish(bot, "updated")
    return bot


def live_refusal(bot: Bot) -> str:
    """Return why a live bot may not trade now ('' when it may): switch, opt-in, key scope."""
    if bot.mode != Bot.Mode.LIVE:
        return ""
    if not settings.LIVE_TRADING_ENABLED:
        return "Live trading is switched off on this server (LIVE_TRADING_ENABLED)."
    if not bot.live_opt_in:
        return "This bot has no live opt-in; confirm live trading for it first."
    return key_scope_refusal(bot.exchange_account)


def key_scope_refusal(account: ExchangeAccount | None) -> str:
    """Return why the key may not trade live ('' when its scope check passed)."""
    if account is None:
        return "A live bot needs an exchange account."
    if not account.permissions_known:
        return "The key's permissions are unknown; check the key before trading live."
    if not account.can_trade:
        return "The key has no trading permission."
    if account.can_withdraw or account.can_transfer:
        return "The key allows withdrawals or transfers; use a trade-only key for live trading."
    return ""


def bot_live_opt_in(
    *, owner: Any, bot_id: int, confirmation: str, ip_address: str | None = None
) -> Bot:
    """Opt a bot on a live exchange account into live trading, after every check; audited.

    `confirmation` must equal the bot's name or its market's symbol.
    """
    with transaction.atomic():
        bot = bot_get_owned(owner=owner, bot_id=bot_id, lock=True)
        if not settings.LIVE_TRADING_ENABLED:
            raise LiveTradingRefusedError(
                "Live trading is switched off on this server (LIVE_TRADING_ENABLED).",
                code="live_trading_disabled",
            )
        account = bot.exchange_account
        if account is None or account.mode != "live":
            raise BotError(
                "Only a bot on a live exchange account can trade live.", field="exchange_account"
            )
        if (confirmation or "").strip() not in (bot.name, bot.market.symbol):
            raise BotError(
                "Type the bot's name or its market's symbol to confirm live trading.",
                field="confirmation",
            )
        refusal = key_scope_refusal(account)
        if refusal:
            raise LiveTradingRefusedError(refusal, field="exchange_account", code="key_scope")
        now = timezone.now()
        bot.live_opt_in, bot.live_opt_in_by, bot.live_opt_in_at = True, owner, now
        bot.mode = Bot.Mode.LIVE
        bot.updated_at = now
        bot.save()
        audit_record(
            action=AuditAction.BOT_MODE_CHANGED,
            actor=owner,
            target=bot,
            ip_address=ip_address,
            details={"mode": "live", "opt_in": True, "exchange_account": account.pk},
        )
        _publish(bot, "live_opt_in")
    return bot


def bot_start(*, owner: Any, bot_id: int) -> Bot:
    """Start (or resume) a bot; a halted one starts afresh from its halt. Ticks at once."""
    from trading.bots.kill import kill_switch_reason

    with transaction.atomic():
        bot = bot_get_owned(owner=owner, bot_id=bot_id, lock=True)
        refusal = live_refusal(bot)
        if refusal:
            raise LiveTradingRefusedError(refusal)
        if not (bot.market.enabled and bot.market.exchange.enabled):
            raise BotError("The bot's market is disabled.", field="market")
        killed = kill_switch_reason(owner_id=bot.owner_id)
        if killed:
            raise BotStateError(killed, code="kill_switch_on")
        now = timezone.now()
        if bot.state == Bot.State.HALTED and bot.engine_state:
            bot.engine_state = {**bot.engine_state, "halted": ""}
        bot.state, bot.state_reason = Bot.State.RUNNING, ""
        bot.started_at = bot.started_at or now
        bot.updated_at = now
        bot.save()
        _publish(bot, "started")
        from trading.tasks import bots_tick_due_task

        transaction.on_commit(lambda: bots_tick_due_task.delay(bot.pk))
    log.info("bot.started", bot_id=bot.pk)
    return bot


def _set_state(*, owner: Any, bot_id: int, state: str, event: str, reason: str = "") -> Bot:
    with transaction.atomic():
        bot = bot_get_owned(owner=owner, bot_id=bot_id, lock=True)
        bot.state, bot.state_reason = state, reason
        bot.updated_at = timezone.now()
        bot.save(update_fields=["state", "state_reason", "updated_at"])
        _publish(bot, event)
    log.info(f"bot.{event}", bot_id=bot.pk)
    return bot


def bot_pause(*, owner: Any, bot_id: int) -> Bot:
    """Pause a bot: no decisions until started again; its position stays."""
    return _set_state(owner=owner, bot_id=bot_id, state=Bot.State.PAUSED, event="paused")


def bot_stop(*, owner: Any, bot_id: int) -> Bot:
    """Stop a bot: no decisions until started again; its position stays."""
    return _set_state(owner=owner, bot_id=bot_id, state=Bot.State.STOPPED, event="stopped")


def bot_halt(*, bot: Bot, reason: str) -> None:
    """Halt a bot by itself (daily loss limit, max drawdown) with the reason."""
    Bot.objects.filter(pk=bot.pk).update(
        state=Bot.State.HALTED, state_reason=reason, updated_at=timezone.now()
    )
    bot.state, bot.state_reason = Bot.State.HALTED, reason
    _publish(bot, "halted", reason=reason)
    log.warning("bot.halted", bot_id=bot.pk, reason=reason)


def bot_open_orders(*, bot: Bot) -> list[Order]:
    """Return the bot's orders that are not finished."""
    return list(Order.objects.filter(bot=bot, status__in=OPEN_STATUSES).order_by("id"))


def bot_cancel_open_orders(*, bot: Bot) -> int:
    """Request the cancel of every open order of the bot; return how many were asked."""
    from trading.orders.services import OrderNotCancelableError, order_cancel_request

    asked = 0
    for order in bot_open_orders(bot=bot):
        if order.pk == bot.closing_order_id:
            continue
        try:
            order_cancel_request(owner=bot.owner, order_id=order.pk)
            asked += 1
        except OrderNotCancelableError as e:
            log.info("bot.cancel_skipped", bot_id=bot.pk, order_id=order.pk, reason=e.message)
    return asked


@transaction.atomic
def bot_close_position(*, bot: Bot) -> Order | None:
    """Sell the bot's whole position at market through the order path (allowed through kill
    switches as the bot's closing order); None when flat or the sale is refused."""
    from trading.orders.services import order_place

    position = Position.objects.get(bot=bot)
    if position.amount <= 0:
        return None
    try:
        placed = order_place(
            owner=bot.owner,
            symbol=bot.market.symbol,
            side="sell",
            type="market",
            amount=position.amount,
            paper_account_id=bot.paper_account_id,
            exchange_account_id=bot.exchange_account_id,
            bot_id=bot.pk,
            kill_exempt=True,
        )
    except QuantumTraderError as e:
        log.warning("bot.close_refused", bot_id=bot.pk, error=e.code, reason=e.message)
        return None
    Bot.objects.filter(pk=bot.pk).update(closing_order=placed.order)
    bot.closing_order = placed.order
    return placed.order


def bot_kill(
    *,
    owner: Any,
    bot_id: int,
    reason: str = "",
    cancel_orders: bool = True,
    close_position: bool = False,
    ip_address: str | None = None,
) -> Bot:
    """Halt a bot at once (no new order is sent for it); optionally cancel and close; audited."""
    why = f"Killed: {reason.strip()}" if reason.strip() else "Killed by its owner."
    with transaction.atomic():
        bot = bot_get_owned(owner=owner, bot_id=bot_id, lock=True)
        bot.state, bot.state_reason = Bot.State.HALTED, why
        bot.updated_at = timezone.now()
        bot.save(update_fields=["state", "state_reason", "updated_at"])
        audit_record(
            action=AuditAction.KILL_SWITCH,
            actor=owner,
            target=bot,
            ip_address=ip_address,
            details={
                "scope": "bot",
                "reason": reason[:200],
                "cancel_orders": cancel_orders,
                "close_position": close_position,
            },
        )
        _publish(bot, "halted", reason=why)
    if cancel_orders:
        bot_cancel_open_orders(bot=bot)
    if close_position:
        with transaction.atomic():
            bot_close_position(bot=bot)
    log.warning("bot.killed", bot_id=bot.pk)
    return bot


def position_publish(*, bot: Bot, position: Position) -> None:
    """Send the bot's position to its owner's stream."""
    stream.publish(
        group=user_group(bot.owner_id),
        type="bot",
        id=bot.pk,
        data={"event": "position", "bot_id": bot.pk, "position": position_payload(position)},
    )


def bot_delete(*, owner: Any, bot_id: int) -> None:
    """Delete a bot that is not running and has no unfinished order (its orders stay)."""
    with transaction.atomic():
        bot = bot_get_owned(owner=owner, bot_id=bot_id, lock=True)
        if bot.state == Bot.State.RUNNING:
            raise BotStateError("Stop the bot before deleting it.")
        if bot_open_orders(bot=bot):
            raise BotStateError("The bot has unfinished orders; wait for them or cancel them.")
        bot.delete()
