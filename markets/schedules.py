"""Beat entries of the markets app (installed into django-celery-beat on start)."""

BEAT_SCHEDULE = {
    "markets-ingest-enabled": {
        "task": "markets.tasks.ingest_enabled_markets_task",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
}
