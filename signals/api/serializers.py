"""Serializers of the signals API."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from signals.api.payloads import (
    ClassValuesSerializer,
    EvaluationField,
    ExplanationField,
    FeatureConfigField,
    FeatureImportanceField,
    FoldMetricsField,
    HyperparametersField,
    LabelParamsField,
    PromotionField,
)
from signals.models import ModelVersion, Signal


class MarketRefSerializer(serializers.Serializer[Any]):
    exchange = serializers.CharField(source="exchange.ccxt_id")
    symbol = serializers.CharField()


LIST_FIELDS: tuple[str, ...] = (
    "id",
    "markets",
    "timeframe",
    "status",
    "feature_set_version",
    "summary_score",
    "train_start",
    "train_end",
    "is_demo",
    "created_at",
    "promoted_at",
)


class ModelVersionListSerializer(serializers.ModelSerializer[ModelVersion]):
    markets = MarketRefSerializer(many=True, read_only=True)
    status = serializers.ChoiceField(choices=ModelVersion.Status.choices, read_only=True)

    class Meta:
        model = ModelVersion
        fields = LIST_FIELDS


class ModelVersionDetailSerializer(ModelVersionListSerializer):
    feature_config = FeatureConfigField(read_only=True)
    label_params = LabelParamsField(read_only=True)
    hyperparameters = HyperparametersField(read_only=True)
    fold_metrics = FoldMetricsField(read_only=True)
    feature_importance = FeatureImportanceField(read_only=True)
    promotion = PromotionField(read_only=True)
    evaluation = EvaluationField(read_only=True)

    class Meta(ModelVersionListSerializer.Meta):
        fields: tuple[str, ...] = (
            *LIST_FIELDS,
            "feature_config",
            "label_params",
            "hyperparameters",
            "fold_metrics",
            "feature_importance",
            "promotion",
            "evaluation",
            "artifact_sha256",
        )


class SignalSerializer(serializers.ModelSerializer[Signal]):
    exchange = serializers.CharField(source="market.exchange.ccxt_id")
    symbol = serializers.CharField(source="market.symbol")
    model_version = serializers.IntegerField(source="model_version_id")
    is_demo = serializers.BooleanField(source="market.exchange.is_demo")
    probabilities = serializers.SerializerMethodField()
    explanation = ExplanationField(read_only=True)

    class Meta:
        model = Signal
        fields = (
            "id",
            "exchange",
            "symbol",
            "timeframe",
            "open_time",
            "action",
            "confidence",
            "probabilities",
            "model_version",
            "is_demo",
            "explanation",
            "created_at",
        )

    @extend_schema_field(ClassValuesSerializer)
    def get_probabilities(self, obj: Signal) -> dict[str, float]:
        return {"BUY": obj.prob_buy, "HOLD": obj.prob_hold, "SELL": obj.prob_sell}


class TuneRequestSerializer(serializers.Serializer[Any]):
    """Start a walk-forward hyperparameter search of one market and timeframe."""

    exchange = serializers.CharField()
    symbol = serializers.CharField()
    timeframe = serializers.CharField()
    trials = serializers.IntegerField(min_value=1, max_value=500, default=50)
    horizon = serializers.IntegerField(min_value=1, max_value=96, default=4)
    folds = serializers.IntegerField(min_value=2, max_value=10, default=5)
    pooled_with = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        default=list,
        max_length=9,
        help_text="Other symbols of the exchange: one model is searched over all the markets.",
    )


class TuneAcceptedSerializer(serializers.Serializer[Any]):
    exchange = serializers.CharField()
    symbol = serializers.CharField()
    timeframe = serializers.CharField()
    trials = serializers.IntegerField()
    horizon = serializers.IntegerField()
    folds = serializers.IntegerField()
    pooled_with = serializers.ListField(child=serializers.CharField())
    study = serializers.CharField()
    queue = serializers.CharField()
