"""Sources, news items, posts, their scores and point-in-time aggregates.

Every item carries `available_at`, when the platform could first have known it: the ingest
time for live collection, the publication time for historical imports. Aggregates for a
bucket use only items that became available inside it, so they are known at the bucket's end.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import models

from markets.core.adapter import timeframe_ms


class Source(models.Model):
    """A place items come from, with its polling settings. Tokens stay in settings."""

    class Kind(models.TextChoices):
        CRYPTOPANIC = "cryptopanic", "CryptoPanic"
        X = "x", "X (Twitter)"
        DEMO = "demo", "Demo (offline)"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=64, unique=True)
    enabled = models.BooleanField(default=True)
    is_demo = models.BooleanField(
        default=False, help_text="Headlines written for the project, not real news."
    )
    assets = models.JSONField(
        default=list, blank=True, help_text='Assets to collect for, e.g. ["BTC", "ETH"].'
    )
    queries = models.JSONField(
        default=dict,
        blank=True,
        help_text='X only: search query per asset, e.g. {"BTC": "(bitcoin OR $BTC) lang:en"}.',
    )
    max_pages = models.PositiveSmallIntegerField(default=3, help_text="Pages per poll.")
    page_size = models.PositiveSmallIntegerField(default=100, help_text="X only: 10 to 100.")
    poll_interval_seconds = models.PositiveIntegerField(
        default=300, help_text="Minimum time between two polls of this source."
    )
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=32, blank=True)
    last_error = models.TextField(blank=True)
    paused_until = models.DateTimeField(
        null=True, blank=True, help_text="Set after a 429: no poll before this time."
    )

    class Meta:
        ordering = ("kind", "name")

    def __str__(self) -> str:
        return self.name


class NewsItem(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="news")
    external_id = models.CharField(max_length=64)
    title = models.TextField()
    url = models.CharField(max_length=2000, blank=True)
    domain = models.CharField(max_length=255, blank=True)
    currencies = models.JSONField(default=list, blank=True, help_text="Asset codes.")
    # ",BTC,ETH," so that an asset filter works on every database (SQLite has no JSON contains).
    asset_tags = models.CharField(max_length=512, blank=True, db_index=True, editable=False)
    votes = models.JSONField(default=dict, blank=True)
    published_at = models.DateTimeField()
    ingested_at = models.DateTimeField()
    available_at = models.DateTimeField(db_index=True)
    raw = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ("-available_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("source", "external_id"), name="newsitem_unique_external_id"
            ),
        ]

    def __str__(self) -> str:
        return self.title[:80]


class Post(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="posts")
    external_id = models.CharField(max_length=64, unique=True)
    author = models.CharField(max_length=255, blank=True)
    text = models.TextField()
    language = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField()
    ingested_at = models.DateTimeField()
    available_at = models.DateTimeField(db_index=True)
    public_metrics = models.JSONField(default=dict, blank=True)
    query = models.CharField(max_length=512, blank=True, help_text="The search that found it.")
    assets = models.JSONField(default=list, blank=True, help_text="Assets whose query found it.")
    asset_tags = models.CharField(max_length=512, blank=True, db_index=True, editable=False)
    raw = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ("-available_at", "-id")

    def __str__(self) -> str:
        return self.text[:80]


class SentimentScore(models.Model):
    """The current score of one news item or one post (exactly one of the two)."""

    news = models.OneToOneField(
        NewsItem, null=True, blank=True, on_delete=models.CASCADE, related_name="score"
    )
    post = models.OneToOneField(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="score"
    )
    compound = models.FloatField()
    positive = models.FloatField()
    negative = models.FloatField()
    neutral = models.FloatField()
    votes_score = models.FloatField(
        null=True, blank=True, help_text="CryptoPanic readers' votes in [-1, 1], news only."
    )
    weight = models.FloatField(default=1.0, help_text="Vote or engagement weight.")
    scorer_version = models.CharField(max_length=64)
    scored_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(news__isnull=False, post__isnull=True)
                    | models.Q(news__isnull=True, post__isnull=False)
                ),
                name="sentimentscore_exactly_one_item",
            ),
            models.CheckConstraint(
                condition=models.Q(compound__gte=-1.0, compound__lte=1.0),
                name="sentimentscore_compound_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.compound:+.3f} ({self.scorer_version})"


class SentimentAggregate(models.Model):
    """Scores of the items that became available in `[bucket_start, bucket_end)`."""

    asset = models.CharField(max_length=16)
    interval = models.CharField(max_length=4)
    bucket_start = models.DateTimeField()
    item_count = models.PositiveIntegerField()
    mean_compound = models.FloatField()
    weighted_compound = models.FloatField()
    share_positive = models.FloatField()
    share_negative = models.FloatField()
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ("asset", "interval", "bucket_start")
        constraints = [
            models.UniqueConstraint(
                fields=("asset", "interval", "bucket_start"), name="aggregate_unique_bucket"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.asset} {self.interval} {self.bucket_start:%Y-%m-%d %H:%M}"

    @property
    def bucket_end(self) -> datetime:
        return self.bucket_start + timedelta(milliseconds=timeframe_ms(self.interval))
