"""Backtest runs; orders with their fills and state history; paper accounts; bots."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone


class BacktestRun(models.Model):
    """One backtest of one strategy over one market's stored candles, run by a worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="backtest_runs"
    )
    config = models.JSONField(
        help_text="exchange, symbol, timeframe, strategy, params, start, end, fee, maker_fee, "
        "slippage_bps, initial_cash, stops, sizing, max_drawdown, market_limits"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(default=0.0, help_text="0 to 1")
    error = models.TextField(blank=True)
    metrics = models.JSONField(default=dict, blank=True)
    equity_curve = models.JSONField(
        default=list, blank=True, help_text="[[epoch ms, equity], ...], at most ~2000 points"
    )
    trades = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=("owner", "-created_at"), name="backtest_owner_created")]

    def __str__(self) -> str:
        strategy = self.config.get("strategy", "?") if isinstance(self.config, dict) else "?"
        return f"Backtest #{self.pk} {strategy} ({self.status})"


def _money() -> models.DecimalField[Decimal, Decimal]:
    return models.DecimalField(max_digits=36, decimal_places=18)


class PaperAccount(models.Model):
    """A user's simulated account on one exchange's prices: its book of balances and orders.

    The paper exchange keeps its state in `book` (balances, resting orders, trades);
    `version` counts its writes. Every write runs in `paper_store.transaction()`, which locks
    this row, so two workers never interleave on one book.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="paper_accounts"
    )
    exchange = models.ForeignKey("markets.Exchange", on_delete=models.PROTECT, related_name="+")
    label = models.CharField(max_length=64)
    quote_currency = models.CharField(max_length=16, default="USDT")
    book = models.JSONField(default=dict, blank=True)
    version = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("owner", "id")
        constraints = [
            models.UniqueConstraint(fields=("owner", "label"), name="paper_account_unique_label")
        ]

    def __str__(self) -> str:
        return f"{self.label} (paper)"


class Order(models.Model):
    """One order: the intent is stored before anything is sent, then its life on the venue.

    Exactly one of `exchange_account` and `paper_account` is set. `status` changes only
    through `trading.services.orders.order_transition` (a conditional update on `status` and
    `version`), which records an OrderEvent for each change.
    """

    class Status(models.TextChoices):
        NEW = "new", "New"
        SUBMITTING = "submitting", "Submitting"
        OPEN = "open", "Open"
        PARTIALLY_FILLED = "partially_filled", "Partially filled"
        FILLED = "filled", "Filled"
        CANCELED = "canceled", "Canceled"
        REJECTED = "rejected", "Rejected"
        EXPIRED = "expired", "Expired"
        UNKNOWN = "unknown", "Unknown"

    class Side(models.TextChoices):
        BUY = "buy", "Buy"
        SELL = "sell", "Sell"

    class Type(models.TextChoices):
        MARKET = "market", "Market"
        LIMIT = "limit", "Limit"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    exchange_account = models.ForeignKey(
        "accounts.ExchangeAccount",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    paper_account = models.ForeignKey(
        PaperAccount, on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    # The bot that placed it (None for a manual order).
    bot = models.ForeignKey(
        "trading.Bot", on_delete=models.SET_NULL, null=True, blank=True, related_name="orders"
    )
    market = models.ForeignKey("markets.Market", on_delete=models.PROTECT, related_name="+")
    client_order_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    exchange_order_id = models.CharField(max_length=128, blank=True, default="")
    side = models.CharField(max_length=4, choices=Side.choices)
    type = models.CharField(max_length=6, choices=Type.choices)
    amount = _money()
    price = models.DecimalField(max_digits=36, decimal_places=18, null=True, blank=True)
    filled_amount = models.DecimalField(max_digits=36, decimal_places=18, default=Decimal(0))
    average_price = models.DecimalField(max_digits=36, decimal_places=18, null=True, blank=True)
    fee = models.DecimalField(max_digits=36, decimal_places=18, default=Decimal(0))
    fee_currency = models.CharField(max_length=16, blank=True, default="")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    reason = models.TextField(blank=True, default="")
    version = models.PositiveIntegerField(default=0)
    submit_attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was last sent to the venue."
    )

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(exchange_account__isnull=False, paper_account__isnull=True)
                    | models.Q(exchange_account__isnull=True, paper_account__isnull=False)
                ),
                name="order_exactly_one_account",
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="order_amount_positive"),
        ]
        indexes = [
            models.Index(fields=("owner", "-created_at"), name="order_owner_created"),
            models.Index(fields=("status", "updated_at"), name="order_status_updated"),
        ]

    def __str__(self) -> str:
        return f"Order #{self.pk} {self.side} {self.amount} {self.status}"


class Fill(models.Model):
    """One trade of an order on its venue; unique per venue and the venue's trade id.

    A venue is an exchange as seen by one account (`venue`: "exchange_account:<id>" or
    "paper_account:<id>") on one market: Binance numbers trades per symbol, testnet and live
    number them apart, and two of our users can be the two sides of one trade.
    """

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="fills")
    exchange = models.CharField(max_length=32, help_text="The exchange's ccxt id.")
    venue = models.CharField(max_length=48)
    symbol = models.CharField(max_length=32)
    trade_id = models.CharField(max_length=128)
    amount = _money()
    price = _money()
    fee = models.DecimalField(max_digits=36, decimal_places=18, default=Decimal(0))
    fee_currency = models.CharField(max_length=16, blank=True, default="")
    is_maker = models.BooleanField(null=True, blank=True)
    executed_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-executed_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("exchange", "venue", "symbol", "trade_id"), name="fill_unique_trade"
            )
        ]

    def __str__(self) -> str:
        return f"Fill {self.trade_id} of order #{self.order_id}"


class OrderEvent(models.Model):
    """One state change of an order, with its cause."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=16, choices=Order.Status.choices)
    to_status = models.CharField(max_length=16, choices=Order.Status.choices)
    cause = models.CharField(max_length=64)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"#{self.order_id} {self.from_status} -> {self.to_status} ({self.cause})"


class IdempotencyKey(models.Model):
    """An `Idempotency-Key` a user sent with an order: the same key and body give one order."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    body_hash = models.CharField(max_length=64)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("owner", "key"), name="idempotency_key_unique")
        ]

    def __str__(self) -> str:
        return f"Idempotency key of order #{self.order_id}"


from trading.alerts.models import AlertHook, AlertReceipt  # noqa: E402
from trading.bots.models import (  # noqa: E402
    Bot,
    BotFill,
    BotTick,
    KillSwitch,
    NoticeSent,
    Position,
    RiskProfile,
)

__all__ = [
    "AlertHook",
    "AlertReceipt",
    "BacktestRun",
    "Bot",
    "BotFill",
    "BotTick",
    "Fill",
    "IdempotencyKey",
    "KillSwitch",
    "NoticeSent",
    "Order",
    "OrderEvent",
    "PaperAccount",
    "Position",
    "RiskProfile",
]
