"""Backtest runs: a user's configuration, its progress and its results."""

from __future__ import annotations

from django.conf import settings
from django.db import models


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
