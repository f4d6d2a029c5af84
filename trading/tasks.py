"""Celery tasks of the trading app: thin wrappers over services."""

from __future__ import annotations

import structlog
from celery import shared_task

from trading.services import backtest_run_execute

log = structlog.get_logger(__name__)


@shared_task(name="trading.backtest_run", ignore_result=True)
def backtest_run_task(run_id: int) -> None:
    """Run one queued backtest; a run already claimed by another worker is skipped."""
    if not backtest_run_execute(run_id=int(run_id)):
        log.info("backtest.skipped", run_id=run_id, reason="not queued")
