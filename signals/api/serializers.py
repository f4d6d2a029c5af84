"""Serializers of the signals API."""

from __future__ import annotations

from rest_framework import serializers

from signals.models import ModelVersion, Signal


class MarketRefSerializer(serializers.Serializer):
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


class ModelVersionListSerializer(serializers.ModelSerializer):
    markets = MarketRefSerializer(many=True, read_only=True)
    status = serializers.CharField(read_only=True, help_text="candidate, champion or retired")

    class Meta:
        model = ModelVersion
        fields = LIST_FIELDS


class ModelVersionDetailSerializer(ModelVersionListSerializer):
    class Meta(ModelVersionListSerializer.Meta):
        fields: tuple[str, ...] = (
            *LIST_FIELDS,
            "feature_config",
            "label_params",
            "hyperparameters",
            "fold_metrics",
            "feature_importance",
            "promotion",
            "artifact_sha256",
        )


class SignalSerializer(serializers.ModelSerializer):
    exchange = serializers.CharField(source="market.exchange.ccxt_id")
    symbol = serializers.CharField(source="market.symbol")
    model_version = serializers.IntegerField(source="model_version_id")
    is_demo = serializers.BooleanField(source="market.exchange.is_demo")
    probabilities = serializers.SerializerMethodField()

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

    def get_probabilities(self, obj: Signal) -> dict[str, float]:
        return {"BUY": obj.prob_buy, "HOLD": obj.prob_hold, "SELL": obj.prob_sell}
