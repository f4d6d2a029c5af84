"""Periodic work of the accounts app, installed into django-celery-beat on start."""

from __future__ import annotations

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "accounts-check-exchange-keys-daily": {
        "task": "accounts.exchange_accounts_check_all_task",
        "schedule": crontab(minute=17, hour=3),
        "options": {"expires": 6 * 3600},
    },
    "accounts-notifications-sweep": {
        "task": "accounts.notifications_sweep_task",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
}
