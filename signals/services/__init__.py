"""Writes of the signals app, by concern: training and promotion, prediction.

Other apps use these names (and `selectors`) only. Reads (artifacts, feature sets, sentiment)
are in `signals.selectors`.
"""

from signals.services.predict import (
    PREDICTION_HISTORY,
    PredictReport,
    SignalError,
    latest_closed_open,
    signal_predict,
    signals_backfill,
    signals_predict_all,
)
from signals.services.training import (
    MIN_TRAIN_CANDLES,
    PooledTrainOutcome,
    SearchRecord,
    TrainOutcome,
    model_contest,
    model_promote,
    model_train,
    model_train_pooled,
    walk_forward_fit_predict,
)
from signals.services.tuning import (
    TuneOutcome,
    TuneRequestError,
    model_tune,
    model_tune_enqueue,
    optuna_storage_url,
)

__all__ = [
    "MIN_TRAIN_CANDLES",
    "PREDICTION_HISTORY",
    "PooledTrainOutcome",
    "PredictReport",
    "SearchRecord",
    "SignalError",
    "TrainOutcome",
    "TuneOutcome",
    "TuneRequestError",
    "latest_closed_open",
    "model_contest",
    "model_promote",
    "model_train",
    "model_train_pooled",
    "model_tune",
    "model_tune_enqueue",
    "optuna_storage_url",
    "signal_predict",
    "signals_backfill",
    "signals_predict_all",
    "walk_forward_fit_predict",
]
