"""Bots: a strategy on one market and timeframe, its risk profile, decisions and position.

Imported by `trading.models`, so these are models of the `trading` app. Other rows are named
by string ("trading.Order") to keep the import one way.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Bot(models.Model):
    """One user's autonomous strategy on one market and timeframe, trading through one account.

    Exactly one of `paper_account` and `exchange_account` is set; `mode` follows the account
    (paper, or the exchange account's testnet/live). `engine_state` is the decision core's
    `BotState` between candles (`trading.bots.state`); `booked_fill_id` is the newest of the
    bot's fills already booked into it and into its Position.
    """

    class Strategy(models.TextChoices):
        RULE = "rule", "Rule"
        MODEL = "model", "Model"
        CHAMPION = "champion", "Champion model"

    class Mode(models.TextChoices):
        PAPER = "paper", "Paper"
        TESTNET = "testnet", "Testnet"
        LIVE = "live", "Live"

    class State(models.TextChoices):
        RUNNING = "running", "Running"
        PAUSED = "paused", "Paused"
        STOPPED = "stopped", "Stopped"
        HALTED = "halted", "Halted"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bots"
    )
    name = models.CharField(max_length=64)
    market = models.ForeignKey("markets.Market", on_delete=models.PROTECT, related_name="+")
    timeframe = models.CharField(max_length=4)
    strategy = models.CharField(max_length=8, choices=Strategy.choices)
    rule_name = models.CharField(max_length=32, blank=True, default="")
    rule_params = models.JSONField(default=dict, blank=True)
    model_version = models.ForeignKey(
        "signals.ModelVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    buy_threshold = models.FloatField(default=0.5)
    sell_threshold = models.FloatField(default=0.5)
    paper_account = models.ForeignKey(
        "trading.PaperAccount", on_delete=models.PROTECT, null=True, blank=True, related_name="bots"
    )
    exchange_account = models.ForeignKey(
        "accounts.ExchangeAccount",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    mode = models.CharField(max_length=8, choices=Mode.choices, default=Mode.PAPER)
    capital = models.DecimalField(
        max_digits=36, decimal_places=18, help_text="Quote currency the bot trades with."
    )
    fee_rate = models.FloatField(default=0.001, help_text="Expected taker fee, a fraction.")
    slippage_bps = models.FloatField(default=5.0, help_text="Expected slippage, basis points.")
    live_opt_in = models.BooleanField(default=False)
    live_opt_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    live_opt_in_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.STOPPED)
    state_reason = models.TextField(blank=True, default="")
    engine_state = models.JSONField(default=dict, blank=True)
    booked_fill_id = models.BigIntegerField(default=0)
    # The one order allowed through a kill switch: the sale that closes the bot's position.
    closing_order = models.ForeignKey(
        "trading.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    last_tick_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("owner", "id")
        constraints = [
            models.UniqueConstraint(fields=("owner", "name"), name="bot_unique_name"),
            models.CheckConstraint(
                condition=(
                    Q(exchange_account__isnull=False, paper_account__isnull=True)
                    | Q(exchange_account__isnull=True, paper_account__isnull=False)
                ),
                name="bot_exactly_one_account",
            ),
            models.CheckConstraint(
                condition=Q(paper_account__isnull=True) | Q(mode="paper"),
                name="bot_paper_account_paper_mode",
            ),
            models.CheckConstraint(
                condition=Q(mode="live", live_opt_in=True) | ~Q(mode="live", state="running"),
                name="bot_live_running_needs_opt_in",
            ),
            models.CheckConstraint(condition=Q(capital__gt=0), name="bot_capital_positive"),
            models.CheckConstraint(
                condition=Q(fee_rate__gte=0, fee_rate__lt=1), name="bot_fee_rate_fraction"
            ),
            models.CheckConstraint(
                condition=Q(slippage_bps__gte=0, slippage_bps__lt=10_000),
                name="bot_slippage_range",
            ),
            models.CheckConstraint(
                condition=Q(buy_threshold__gte=0, buy_threshold__lte=1)
                & Q(sell_threshold__gte=0, sell_threshold__lte=1),
                name="bot_thresholds_fraction",
            ),
            models.CheckConstraint(
                condition=(
                    Q(strategy="rule", model_version__isnull=True) & ~Q(rule_name="")
                    | Q(strategy="model", model_version__isnull=False)
                    | Q(strategy="champion")
                ),
                name="bot_strategy_complete",
            ),
        ]
        indexes = [models.Index(fields=("state", "market", "timeframe"), name="bot_state_market")]

    def __str__(self) -> str:
        return f"Bot #{self.pk} {self.name} ({self.state})"


def _fraction_q(name: str, *, nullable: bool, one_allowed: bool) -> Q:
    upper = {f"{name}__lte" if one_allowed else f"{name}__lt": 1}
    q = Q(**{f"{name}__gt": 0}, **upper)
    return Q(**{f"{name}__isnull": True}) | q if nullable else q


class RiskProfile(models.Model):
    """A bot's risk rules, mirroring `trading.core.profile.RiskProfile`; None switches one off."""

    bot = models.OneToOneField(Bot, on_delete=models.CASCADE, related_name="risk_profile")
    max_position = models.FloatField(default=1.0, help_text="Share of equity, (0, 1].")
    max_open_positions = models.PositiveIntegerField(null=True, blank=True)
    risk_per_trade = models.FloatField(null=True, blank=True)
    atr_multiple = models.FloatField(default=2.0)
    atr_window = models.PositiveIntegerField(default=14)
    stop_loss = models.FloatField(null=True, blank=True)
    take_profit = models.FloatField(null=True, blank=True)
    trailing_stop = models.FloatField(null=True, blank=True)
    daily_loss_limit = models.FloatField(null=True, blank=True)
    max_drawdown = models.FloatField(null=True, blank=True)
    cooldown_seconds = models.PositiveIntegerField(null=True, blank=True)
    min_confidence = models.FloatField(null=True, blank=True)
    max_orders_per_hour = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=_fraction_q("max_position", nullable=False, one_allowed=True),
                name="risk_max_position_fraction",
            ),
            models.CheckConstraint(
                condition=_fraction_q("min_confidence", nullable=True, one_allowed=True),
                name="risk_min_confidence_fraction",
            ),
            *(
                models.CheckConstraint(
                    condition=_fraction_q(name, nullable=True, one_allowed=False),
                    name=f"risk_{name}_fraction",
                )
                for name in (
                    "risk_per_trade",
                    "stop_loss",
                    "take_profit",
                    "trailing_stop",
                    "daily_loss_limit",
                    "max_drawdown",
                )
            ),
            models.CheckConstraint(
                condition=Q(atr_multiple__gt=0, atr_multiple__lte=1000),
                name="risk_atr_multiple_range",
            ),
            models.CheckConstraint(condition=Q(atr_window__gte=1), name="risk_atr_window_min"),
            models.CheckConstraint(
                condition=Q(max_open_positions__isnull=True) | Q(max_open_positions__gte=1),
                name="risk_max_open_positions_min",
            ),
            models.CheckConstraint(
                condition=Q(max_orders_per_hour__isnull=True) | Q(max_orders_per_hour__gte=1),
                name="risk_max_orders_per_hour_min",
            ),
        ]

    def __str__(self) -> str:
        return f"Risk profile of bot #{self.bot_id}"


class BotTick(models.Model):
    """One decision of one bot on one closed candle: unique per bot and candle."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "Deciding"
        ORDERED = "ordered", "Order placed"
        NO_ORDER = "no_order", "No order"
        REFUSED = "refused", "Order refused"
        WAITING = "waiting", "Waiting for an order"
        STALE = "stale", "Stale candle skipped"
        HALTED = "halted", "Halted"
        KILLED = "killed", "Kill switch on"
        ERROR = "error", "Error"

    bot = models.ForeignKey(Bot, on_delete=models.CASCADE, related_name="ticks")
    candle_time = models.DateTimeField(help_text="Open time of the closed candle decided on.")
    signal = models.ForeignKey(
        "signals.Signal", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signal_target = models.FloatField(null=True, blank=True)
    target = models.FloatField(null=True, blank=True)
    equity = models.FloatField(null=True, blank=True)
    checks = models.JSONField(default=list, blank=True, help_text="[{name, passed, reason}]")
    order = models.ForeignKey(
        "trading.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    exit_order = models.ForeignKey(
        "trading.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.PENDING)
    reason = models.TextField(blank=True, default="", help_text="Why no order, or the error.")
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-candle_time", "-id")
        constraints = [
            models.UniqueConstraint(fields=("bot", "candle_time"), name="bot_tick_unique_candle")
        ]

    def __str__(self) -> str:
        return f"Tick of bot #{self.bot_id} at {self.candle_time:%Y-%m-%d %H:%M} ({self.outcome})"


def _decimal() -> models.DecimalField[Decimal, Decimal]:
    return models.DecimalField(max_digits=36, decimal_places=18, default=Decimal(0))


class Position(models.Model):
    """A bot's position, booked from its fills: amount, average entry and P&L (quote)."""

    bot = models.OneToOneField(Bot, on_delete=models.CASCADE, related_name="position")
    amount = _decimal()
    average_entry = models.DecimalField(max_digits=36, decimal_places=18, null=True, blank=True)
    cash = _decimal()
    realised_pnl = _decimal()
    unrealised_pnl = _decimal()
    last_price = models.DecimalField(max_digits=36, decimal_places=18, null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="position_amount_not_negative")
        ]

    def __str__(self) -> str:
        return f"Position of bot #{self.bot_id}: {self.amount}"


class BotFill(models.Model):
    """One fill of a bot's order as booked into its position, with the P&L a sale realised.

    `fee` is in the quote currency (the fill's fee, or the bot's expected rate when the venue
    charged another currency); `realised_pnl` is a sale's proceeds less the share of the
    position's cost (buy fees included) it sold, None for a buy; `position_amount` is what the
    bot held after it.
    """

    bot = models.ForeignKey(Bot, on_delete=models.CASCADE, related_name="booked_fills")
    fill = models.OneToOneField("trading.Fill", on_delete=models.CASCADE, related_name="booking")
    side = models.CharField(max_length=4)
    amount = _decimal()
    price = _decimal()
    fee = _decimal()
    realised_pnl = models.DecimalField(max_digits=36, decimal_places=18, null=True, blank=True)
    position_amount = _decimal()
    executed_at = models.DateTimeField()
    booked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-executed_at", "-id")
        indexes = [models.Index(fields=("bot", "executed_at"), name="bot_fill_bot_time")]

    def __str__(self) -> str:
        return f"Fill #{self.fill_id} of bot #{self.bot_id}: {self.side} {self.amount}"


class KillSwitch(models.Model):
    """A user's or the whole platform's kill switch: while on, no new order is sent."""

    class Scope(models.TextChoices):
        USER = "user", "User"
        GLOBAL = "global", "Global"

    scope = models.CharField(max_length=8, choices=Scope.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    active = models.BooleanField(default=False)
    reason = models.TextField(blank=True, default="")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(scope="user", user__isnull=False)
                | Q(scope="global", user__isnull=True),
                name="kill_switch_scope_user",
            ),
            models.UniqueConstraint(
                fields=("user",), condition=Q(scope="user"), name="kill_switch_one_per_user"
            ),
            models.UniqueConstraint(
                fields=("scope",), condition=Q(scope="global"), name="kill_switch_one_global"
            ),
        ]

    def __str__(self) -> str:
        who = "global" if self.user_id is None else f"user #{self.user_id}"
        return f"Kill switch {who}: {'on' if self.active else 'off'}"


class NoticeSent(models.Model):
    """A notice that must reach its users once (a day's P&L summary, one stall of a market).

    The key names the notice and what it is about; it is written in the same transaction as
    the notice, so two workers racing on it send it once.
    """

    key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return self.key
