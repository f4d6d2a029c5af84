"""The shapes of the model-registry and signal JSON the API returns, for the schema.

Stored JSON (feature sets, fold metrics, promotion contests, explanations) is returned as
stored; these serializers spell out its fields so the OpenAPI schema, and the TypeScript
generated from it, types every one. quantum_trader/tests/test_api_payload_schema.py checks
real responses against the schema.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

LABEL_METHODS = ("fixed", "volatility", "triple_barrier")


class ClassValuesSerializer(serializers.Serializer[dict[str, float]]):
    """One number per class."""

    BUY = serializers.FloatField()
    HOLD = serializers.FloatField()
    SELL = serializers.FloatField()


class FeatureConfigSerializer(serializers.Serializer[dict[str, Any]]):
    timeframe = serializers.CharField()
    return_horizons = serializers.ListField(child=serializers.IntegerField())
    volatility_windows = serializers.ListField(child=serializers.IntegerField())
    zscore_window = serializers.IntegerField()
    volume_window = serializers.IntegerField()
    slope_lag = serializers.IntegerField()
    higher_timeframe = serializers.CharField(allow_null=True)
    use_sentiment = serializers.BooleanField()
    max_gap_candles = serializers.IntegerField()


class LabelParamsSerializer(serializers.Serializer[dict[str, Any]]):
    horizon = serializers.IntegerField()
    fee_rate = serializers.FloatField()
    slippage_bps = serializers.FloatField()
    margin = serializers.FloatField()
    method = serializers.ChoiceField(choices=LABEL_METHODS)
    # Absent from models trained before volatility labels existed.
    vol_window = serializers.IntegerField(
        required=False,
        help_text="volatility labels: candles of one-candle returns the volatility is taken over",
    )
    vol_multiple = serializers.FloatField(
        required=False, help_text="volatility labels: the barrier as a multiple of that volatility"
    )
    threshold = serializers.FloatField(help_text="the return a move must exceed")


class HyperparametersSerializer(serializers.Serializer[dict[str, Any]]):
    max_depth = serializers.IntegerField()
    learning_rate = serializers.FloatField()
    num_boost_round = serializers.IntegerField()
    early_stopping_rounds = serializers.IntegerField()
    subsample = serializers.FloatField()
    colsample_bytree = serializers.FloatField()
    min_child_weight = serializers.FloatField()
    reg_lambda = serializers.FloatField()
    valid_fraction = serializers.FloatField()
    nthread = serializers.IntegerField()
    seed = serializers.IntegerField()


class CalibrationSerializer(serializers.Serializer[dict[str, Any]]):
    coef = serializers.ListField(child=serializers.ListField(child=serializers.FloatField()))
    intercept = serializers.ListField(child=serializers.FloatField())
    rows = serializers.IntegerField()


class FoldMetricsSerializer(serializers.Serializer[dict[str, Any]]):
    """One walk-forward fold; the trading figures are there when the fold was backtested."""

    fold = serializers.IntegerField()
    train_start = serializers.DateTimeField()
    train_end = serializers.DateTimeField()
    test_start = serializers.DateTimeField()
    test_end = serializers.DateTimeField()
    train_rows = serializers.IntegerField()
    test_rows = serializers.IntegerField()
    best_iteration = serializers.IntegerField()
    log_loss = serializers.FloatField()
    prior_log_loss = serializers.FloatField()
    log_loss_skill = serializers.FloatField()
    accuracy = serializers.FloatField()
    macro_f1 = serializers.FloatField()
    precision = ClassValuesSerializer()
    recall = ClassValuesSerializer()
    class_mix = ClassValuesSerializer()
    predicted_mix = ClassValuesSerializer()
    trades = serializers.IntegerField(required=False)
    net_return = serializers.FloatField(required=False)
    buy_hold_return = serializers.FloatField(required=False)
    random_return = serializers.FloatField(required=False)
    # Calibration, in-fold thresholds and costs (models trained since calibration was added).
    calibration_start = serializers.DateTimeField(required=False)
    calibration_rows = serializers.IntegerField(required=False)
    raw_log_loss = serializers.FloatField(
        required=False, help_text="log loss of the uncalibrated (class-weighted) probabilities"
    )
    brier = serializers.FloatField(required=False)
    prior_brier = serializers.FloatField(required=False)
    ece = serializers.FloatField(required=False, help_text="expected calibration error")
    prior_ece = serializers.FloatField(required=False)
    prior = ClassValuesSerializer(required=False, help_text="class prior of the training window")
    mean_predicted = ClassValuesSerializer(required=False)
    calibration = CalibrationSerializer(required=False)
    buy_threshold = serializers.FloatField(required=False)
    sell_threshold = serializers.FloatField(required=False)
    fee_rate = serializers.FloatField(required=False)
    slippage_bps = serializers.FloatField(required=False)


class ReliabilityPointSerializer(serializers.Serializer[dict[str, Any]]):
    bin = serializers.IntegerField()
    predicted = serializers.FloatField(help_text="mean predicted probability in the bin")
    observed = serializers.FloatField(help_text="share of rows of the class in the bin")
    rows = serializers.IntegerField()


class ReliabilitySerializer(serializers.Serializer[dict[str, Any]]):
    BUY = ReliabilityPointSerializer(many=True)
    HOLD = ReliabilityPointSerializer(many=True)
    SELL = ReliabilityPointSerializer(many=True)


class ThresholdsSerializer(serializers.Serializer[dict[str, float]]):
    buy = serializers.FloatField()
    sell = serializers.FloatField()


class SearchSerializer(serializers.Serializer[dict[str, Any]]):
    trials = serializers.IntegerField()
    sharpe_variance = serializers.FloatField()
    pbo = serializers.FloatField(allow_null=True)
    study = serializers.CharField()


class EvaluationSerializer(serializers.Serializer[dict[str, Any]]):
    """Pooled out-of-sample evaluation and the champion verdict; empty for older models."""

    log_loss = serializers.FloatField(required=False)
    prior_log_loss = serializers.FloatField(required=False)
    log_loss_t = serializers.FloatField(required=False)
    brier = serializers.FloatField(required=False)
    ece = serializers.FloatField(required=False)
    reliability = ReliabilitySerializer(required=False)
    fee_rate = serializers.FloatField(required=False)
    slippage_bps = serializers.FloatField(required=False)
    trials = serializers.IntegerField(required=False)
    net_return = serializers.FloatField(required=False)
    buy_hold_return = serializers.FloatField(required=False)
    trades = serializers.IntegerField(required=False)
    random_percentile = serializers.FloatField(required=False)
    random_median_return = serializers.FloatField(required=False)
    random_p95_return = serializers.FloatField(required=False)
    random_draws = serializers.IntegerField(required=False)
    sharpe = serializers.FloatField(required=False)
    benchmark = serializers.FloatField(required=False, help_text="expected best-of-N Sharpe")
    deflated_sharpe = serializers.FloatField(required=False)
    pbo = serializers.FloatField(required=False, allow_null=True)
    search = SearchSerializer(required=False)
    eligible = serializers.BooleanField(required=False)
    reasons = serializers.ListField(child=serializers.CharField(), required=False)
    thresholds = ThresholdsSerializer(required=False)


class PromotionSerializer(serializers.Serializer[dict[str, Any]]):
    """The champion contest; empty when the model was not entered in one."""

    window_start = serializers.DateTimeField(required=False)
    window_end = serializers.DateTimeField(required=False)
    champion = serializers.IntegerField(
        required=False, allow_null=True, help_text="the champion's id, null when there was none"
    )
    rows = serializers.IntegerField(required=False)
    candidate_skill = serializers.FloatField(required=False)
    champion_skill = serializers.FloatField(required=False)
    champion_error = serializers.CharField(required=False)
    winner = serializers.ChoiceField(
        choices=["candidate", "champion", "none"],
        required=False,
        help_text="none: the candidate failed the skill checks and did not enter the contest",
    )
    reasons = serializers.ListField(child=serializers.CharField(), required=False)


@extend_schema_field(
    {
        "oneOf": [{"type": "number", "format": "double"}, {"type": "string", "enum": ["NaN"]}],
        "description": 'the feature\'s value, "NaN" when missing',
    }
)
class FeatureValueField(serializers.JSONField):
    pass


class FeatureContributionSerializer(serializers.Serializer[dict[str, Any]]):
    feature = serializers.CharField()
    value = FeatureValueField()
    contribution = serializers.FloatField(help_text="SHAP contribution, margin units")


class HeadlineSerializer(serializers.Serializer[dict[str, Any]]):
    title = serializers.CharField()
    url = serializers.CharField()
    compound = serializers.FloatField()
    available_at = serializers.DateTimeField()
    is_demo = serializers.BooleanField()


class ExplanationSerializer(serializers.Serializer[dict[str, Any]]):
    top_features = FeatureContributionSerializer(many=True)
    headlines = HeadlineSerializer(many=True)
    feature_set_version = serializers.CharField()


@extend_schema_field(FeatureConfigSerializer)
class FeatureConfigField(serializers.JSONField):
    pass


@extend_schema_field(LabelParamsSerializer)
class LabelParamsField(serializers.JSONField):
    pass


@extend_schema_field(HyperparametersSerializer)
class HyperparametersField(serializers.JSONField):
    pass


@extend_schema_field(FoldMetricsSerializer(many=True))
class FoldMetricsField(serializers.JSONField):
    pass


@extend_schema_field(serializers.DictField(child=serializers.FloatField()))
class FeatureImportanceField(serializers.JSONField):
    """Share of the total gain per feature."""


@extend_schema_field(PromotionSerializer)
class PromotionField(serializers.JSONField):
    pass


@extend_schema_field(EvaluationSerializer)
class EvaluationField(serializers.JSONField):
    pass


@extend_schema_field(ExplanationSerializer)
class ExplanationField(serializers.JSONField):
    pass
