"""Exchanges, markets, candles, and the outbox that carries stream events between processes."""

from __future__ import annotations

from django.db import models


class Exchange(models.Model):
    """A venue, keyed by its ccxt id (`binance`, `coinbase`, `kucoin`, or `demo`)."""

    ccxt_id = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=64)
    enabled = models.BooleanField(default=True)
    sandbox = models.BooleanField(default=False, help_text="Use the exchange's testnet URLs.")
    api_base_url = models.URLField(
        blank=True, help_text="Override the REST base URL (testnets, local fakes)."
    )
    is_demo = models.BooleanField(
        default=False, help_text="Generated offline market data, not a real venue."
    )

    class Meta:
        ordering = ("ccxt_id",)

    def __str__(self) -> str:
        return self.name


class Market(models.Model):
    """A spot market on one exchange, in ccxt's unified symbol form (`BTC/USDT`)."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="markets")
    symbol = models.CharField(max_length=32)
    base = models.CharField(max_length=16)
    quote = models.CharField(max_length=16)
    active = models.BooleanField(default=True)
    enabled = models.BooleanField(default=False, help_text="Ingest candles on schedule.")
    timeframes = models.JSONField(default=list, blank=True, help_text='e.g. ["1h", "5m"]')
    price_precision = models.DecimalField(max_digits=30, decimal_places=18, null=True, blank=True)
    amount_precision = models.DecimalField(max_digits=30, decimal_places=18, null=True, blank=True)
    min_amount = models.DecimalField(max_digits=30, decimal_places=18, null=True, blank=True)
    min_notional = models.DecimalField(max_digits=30, decimal_places=18, null=True, blank=True)
    last_ingested_at = models.DateTimeField(
        null=True, blank=True, help_text="When candles were last ingested for this market."
    )
    listing_verified = models.BooleanField(
        default=False,
        help_text="The limits and precision come from the exchange's own listing. False for a "
        "market created offline (a CSV import): its limits are unknown and it cannot trade.",
    )
    listing_checked_at = models.DateTimeField(
        null=True, blank=True, help_text="When the exchange's listing was last read."
    )

    class Meta:
        ordering = ("exchange__ccxt_id", "symbol")
        constraints = [
            models.UniqueConstraint(fields=("exchange", "symbol"), name="market_unique_symbol"),
        ]

    def __str__(self) -> str:
        return f"{self.exchange.ccxt_id}:{self.symbol}"


class Candle(models.Model):
    """One OHLCV bar keyed by its open time (UTC). Prices are floats: analysis, not money."""

    market = models.ForeignKey(Market, on_delete=models.CASCADE, related_name="candles")
    timeframe = models.CharField(max_length=4)
    open_time = models.DateTimeField()
    open = models.FloatField()
    high = models.FloatField()
    low = models.FloatField()
    close = models.FloatField()
    volume = models.FloatField()

    class Meta:
        ordering = ("market", "timeframe", "open_time")
        constraints = [
            models.UniqueConstraint(
                fields=("market", "timeframe", "open_time"), name="candle_unique_open_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.market} {self.timeframe} {self.open_time:%Y-%m-%d %H:%M}"


class StreamTopic(models.Model):
    """One stream topic (a Channels group) and the last sequence number given to its events.

    `last_sequence` is raised with one upsert inside the publishing transaction, at its commit
    on PostgreSQL (all its topics at once, in name order): the row stays locked until that
    transaction ends, so sequences of a topic are given in commit order and a rolled-back event
    takes no number (no gaps).
    """

    name = models.CharField(max_length=100, unique=True)
    last_sequence = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name} @{self.last_sequence}"


class StreamCursor(models.Model):
    """How far the dispatchers have sent a topic's events to the channel layer.

    A dispatcher claims cursor rows with `SELECT ... FOR UPDATE SKIP LOCKED` (PostgreSQL), so
    several can run at once, each topic sent by one of them at a time, in sequence order.
    Kept apart from `StreamTopic` so dispatching never waits on publishers, nor they on it.
    """

    topic = models.OneToOneField(
        StreamTopic, on_delete=models.CASCADE, primary_key=True, related_name="cursor"
    )
    dispatched_sequence = models.BigIntegerField(default=0)
    dispatched_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.topic_id} sent to {self.dispatched_sequence}"


class StreamEvent(models.Model):
    """The transactional outbox: one row per stream event, written in the publisher's transaction.

    Rows exist if and only if the change they describe committed. The dispatcher sends them to
    the channel layer in `sequence` order per topic; they stay (bounded by time and rows) so a
    client that reconnects can be sent what it missed.
    """

    group = models.CharField(max_length=100)
    # On PostgreSQL given at commit (a deferred trigger, see migration 0006): null only inside
    # the transaction that wrote the row, never once it committed.
    sequence = models.BigIntegerField(null=True)
    message = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "sequence"], name="stream_event_topic_seq")
        ]

    def __str__(self) -> str:
        return f"{self.group} #{self.sequence}"


class TaskLease(models.Model):
    """A named "one run at a time" lease, used when there is no Redis (see markets/locks.py).

    Whoever holds `token` owns the lease until `expires_at`; rows are claimed, extended and
    released only by conditional updates on (name, token, expires_at).
    """

    name = models.CharField(max_length=200, unique=True)
    token = models.CharField(max_length=64)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} until {self.expires_at:%Y-%m-%d %H:%M:%S}"
