"""Thin Celery tasks of the accounts app: ids in, one service call, a log line out."""

from __future__ import annotations

import structlog
from celery import shared_task

from accounts.models import ExchangeAccount
from accounts.services import exchange_account_check
from markets.locks import task_lock

log = structlog.get_logger(__name__)

LOCK_SECONDS = 300


@shared_task(name="accounts.exchange_account_check_task", ignore_result=True)
def exchange_account_check_task(account_id: int) -> str:
    """Ask the exchange what one stored key may do, and record the answer."""
    lock = f"accounts:exchange-account-check:{int(account_id)}"
    with task_lock(lock, ttl=LOCK_SECONDS) as lease:
        if lease is None:
            return "locked"
        try:
            report = exchange_account_check(account_id=int(account_id))
        except ExchangeAccount.DoesNotExist:
            return "missing"
    log.info(
        "exchange_account.checked", account_id=account_id, ok=report.ok, failure=report.failure
    )
    return "ok" if report.ok else report.failure


@shared_task(name="accounts.exchange_accounts_check_all_task", ignore_result=True)
def exchange_accounts_check_all_task() -> int:
    """Queue the daily key-scope check of every stored exchange account (ids only)."""
    ids = list(ExchangeAccount.objects.order_by("pk").values_list("pk", flat=True))
    for account_id in ids:
        exchange_account_check_task.delay(account_id)
    return len(ids)


@shared_task(
    name="accounts.notification_deliver_task", ignore_result=True, soft_time_limit=60, time_limit=90
)
def notification_deliver_task(delivery_id: int) -> str:
    """Make one attempt at a notification delivery, and at other due ones (notify queue)."""
    from accounts.notifications.delivery import BATCH, delivery_attempt

    return delivery_attempt(delivery_id=int(delivery_id), limit=BATCH)


@shared_task(
    name="accounts.notification_deliver_batch_task",
    ignore_result=True,
    soft_time_limit=60,
    time_limit=90,
)
def notification_deliver_batch_task(delivery_ids: list[int]) -> int:
    """Make one attempt at each of these deliveries (and at other due ones, up to a batch)."""
    from accounts.notifications.delivery import BATCH, deliveries_attempt

    ids = [int(pk) for pk in delivery_ids]
    return len(deliveries_attempt(delivery_ids=ids, limit=max(BATCH, len(ids))))


@shared_task(name="accounts.notifications_sweep_task", ignore_result=True)
def notifications_sweep_task() -> int:
    """Re-queue deliveries whose task was lost, and drop notifications older than 30 days."""
    from accounts.notifications.delivery import deliveries_sweep
    from accounts.notifications.services import deliveries_enqueue, notifications_prune

    lost = deliveries_sweep()
    if lost:
        deliveries_enqueue(lost)
    pruned = notifications_prune()
    if lost or pruned:
        log.info("notifications.swept", requeued=len(lost), pruned=pruned)
    return len(lost)
