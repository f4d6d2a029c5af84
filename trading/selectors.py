"""Reads of the trading app: a user's backtest runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from trading.models import BacktestRun

if TYPE_CHECKING:
    from accounts.models import User


def backtest_run_list(*, owner: User) -> QuerySet[BacktestRun]:
    """Return the owner's runs, newest first."""
    return BacktestRun.objects.filter(owner=owner).order_by("-created_at", "-id")


def backtest_run_get(*, owner: User, run_id: int) -> BacktestRun:
    """Return one of the owner's runs; raises BacktestRun.DoesNotExist for anyone else's."""
    return backtest_run_list(owner=owner).get(pk=run_id)


def backtest_run_compare(*, owner: User, run_ids: list[int]) -> list[BacktestRun]:
    """Return the owner's runs among `run_ids`, in the order asked; others are left out."""
    runs = {run.pk: run for run in backtest_run_list(owner=owner).filter(pk__in=run_ids)}
    return [runs[run_id] for run_id in run_ids if run_id in runs]
