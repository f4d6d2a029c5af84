"""Beat entries of the signals app: daily retraining and a per-minute closed-candle check."""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "signals-retrain-daily": {
        "task": "signals.retrain_models_task",
        "schedule": crontab(hour=2, minute=17),
        "options": {"expires": 6 * 3600},
    },
    "signals-predict-closed-candles": {
        "task": "signals.predict_signals_task",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
}
