"""Beat schedule of the sentiment app (installed into django-celery-beat on start)."""

from __future__ import annotations

from typing import Any

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "sentiment-poll-cryptopanic": {
        "task": "sentiment.poll_cryptopanic_task",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
    "sentiment-poll-x": {
        "task": "sentiment.poll_x_task",
        "schedule": 900.0,
        "options": {"expires": 880},
    },
    "sentiment-poll-demo": {
        "task": "sentiment.poll_demo_task",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "sentiment-aggregates-refresh": {
        "task": "sentiment.aggregates_refresh_task",
        "schedule": 3600.0,
        "options": {"expires": 3000},
    },
}
