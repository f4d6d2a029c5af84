"""Model registry and the signals the champion models write."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class ModelVersion(models.Model):
    """One trained model: what it was fitted on, how it validated, and its artifact."""

    class Status(models.TextChoices):
        CANDIDATE = "candidate"
        CHAMPION = "champion"
        RETIRED = "retired"

    markets = models.ManyToManyField("markets.Market", related_name="model_versions")
    scope = models.CharField(
        max_length=200, help_text="Sorted `exchange:symbol` keys of the markets it serves."
    )
    timeframe = models.CharField(max_length=4)
    feature_set_version = models.CharField(max_length=32)
    feature_config = models.JSONField()
    label_params = models.JSONField()
    hyperparameters = models.JSONField()
    train_start = models.DateTimeField()
    train_end = models.DateTimeField()
    fold_metrics = models.JSONField(default=list)
    summary_score = models.FloatField(help_text="Mean walk-forward log-loss skill over the prior.")
    evaluation = models.JSONField(
        default=dict,
        blank=True,
        help_text=(
            "Pooled walk-forward evaluation: calibration, baselines, Deflated Sharpe, search, "
            "and whether (or why not) the model may be champion."
        ),
    )
    feature_importance = models.JSONField(default=dict)
    promotion = models.JSONField(
        default=dict, blank=True, help_text="The champion contest on the recent window."
    )
    artifact_path = models.CharField(max_length=255, help_text="Relative to ARTIFACTS_DIR.")
    artifact_sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CANDIDATE)
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    promoted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=("scope", "timeframe"),
                condition=Q(status="champion"),
                name="model_one_champion_per_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"model #{self.pk} {self.scope} {self.timeframe} ({self.status})"


class Signal(models.Model):
    """A BUY / SELL / HOLD call for one closed candle, with its probabilities and reasons."""

    class Action(models.TextChoices):
        BUY = "BUY"
        SELL = "SELL"
        HOLD = "HOLD"

    market = models.ForeignKey("markets.Market", on_delete=models.CASCADE, related_name="signals")
    timeframe = models.CharField(max_length=4)
    open_time = models.DateTimeField(help_text="Open time of the closed candle it is for.")
    model_version = models.ForeignKey(
        ModelVersion, on_delete=models.CASCADE, related_name="signals"
    )
    action = models.CharField(max_length=4, choices=Action.choices)
    prob_buy = models.FloatField()
    prob_hold = models.FloatField()
    prob_sell = models.FloatField()
    confidence = models.FloatField()
    explanation = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-open_time", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=("model_version", "market", "timeframe", "open_time"),
                name="signal_unique_per_model_candle",
            ),
        ]
        indexes = [models.Index(fields=("market", "timeframe", "-open_time"))]

    def __str__(self) -> str:
        return f"{self.market} {self.timeframe} {self.open_time:%Y-%m-%d %H:%M} {self.action}"
