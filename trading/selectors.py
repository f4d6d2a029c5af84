"""Reads of the trading app: a user's backtest runs, orders, fills and paper accounts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from trading.core.orders import OPEN_STATES, UNRESOLVED, OrderStatus
from trading.models import BacktestRun, Fill, Order, PaperAccount
from trading.orders.payloads import ORDER_RELATED

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


def order_list(
    *,
    owner: User,
    status: str | None = None,
    symbol: str | None = None,
    side: str | None = None,
    is_open: bool | None = None,
    paper_account_id: int | None = None,
    exchange_account_id: int | None = None,
    bot_id: int | None = None,
) -> QuerySet[Order]:
    """Return the owner's orders, newest first, filtered as asked."""
    rows = Order.objects.filter(owner=owner).select_related(*ORDER_RELATED)
    if status:
        rows = rows.filter(status=status)
    if symbol:
        rows = rows.filter(market__symbol=symbol)
    if side:
        rows = rows.filter(side=side)
    if is_open is not None:
        open_states = [s.value for s in (*OPEN_STATES, *UNRESOLVED, OrderStatus.NEW)]
        rows = (
            rows.filter(status__in=open_states) if is_open else rows.exclude(status__in=open_states)
        )
    if paper_account_id is not None:
        rows = rows.filter(paper_account_id=paper_account_id)
    if exchange_account_id is not None:
        rows = rows.filter(exchange_account_id=exchange_account_id)
    if bot_id is not None:
        rows = rows.filter(bot_id=bot_id)
    return rows.order_by("-created_at", "-id")


def order_get(*, owner: User, order_id: int) -> Order:
    """Return one of the owner's orders; raises Order.DoesNotExist for anyone else's."""
    return order_list(owner=owner).get(pk=order_id)


def fill_list(
    *,
    owner: User,
    symbol: str | None = None,
    order_id: int | None = None,
    bot_id: int | None = None,
) -> QuerySet[Fill]:
    """Return the fills of the owner's orders, newest first, with their bot booking if any."""
    rows = Fill.objects.filter(order__owner=owner).select_related("order", "booking")
    if symbol:
        rows = rows.filter(symbol=symbol)
    if order_id is not None:
        rows = rows.filter(order_id=order_id)
    if bot_id is not None:
        rows = rows.filter(order__bot_id=bot_id)
    return rows.order_by("-executed_at", "-id")


def paper_account_list(*, owner: User) -> QuerySet[PaperAccount]:
    """Return the owner's paper accounts."""
    return PaperAccount.objects.filter(owner=owner).select_related("exchange").order_by("id")
