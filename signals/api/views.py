"""Read-only API of the model registry and the signals."""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from signals import selectors, services
from signals.api.serializers import (
    ModelVersionDetailSerializer,
    ModelVersionListSerializer,
    SignalSerializer,
    TuneAcceptedSerializer,
    TuneRequestSerializer,
)
from signals.models import ModelVersion, Signal


class ModelVersionListView(generics.ListAPIView[ModelVersion]):
    """List model versions, newest first."""

    serializer_class = ModelVersionListSerializer

    def get_queryset(self) -> Any:
        return selectors.model_version_list()


class ModelVersionDetailView(generics.RetrieveAPIView[ModelVersion]):
    """One model version with its fold table, metrics and feature importance."""

    serializer_class = ModelVersionDetailSerializer

    def get_queryset(self) -> Any:
        return selectors.model_version_list()


class SignalFilterSerializer(serializers.Serializer[Any]):
    exchange = serializers.CharField(required=False)
    symbol = serializers.CharField(required=False)
    timeframe = serializers.CharField(required=False)
    start = serializers.DateTimeField(required=False)
    end = serializers.DateTimeField(required=False)
    action = serializers.ChoiceField(choices=Signal.Action.choices, required=False)
    model = serializers.IntegerField(required=False, min_value=1)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("start"), attrs.get("end")
        if start is not None and end is not None and start >= end:
            raise serializers.ValidationError({"end": "must be after start"})
        return attrs


@extend_schema(
    parameters=[
        OpenApiParameter("exchange", OpenApiTypes.STR, description="ccxt id, e.g. binance"),
        OpenApiParameter("symbol", OpenApiTypes.STR, description="unified symbol, e.g. BTC/USDT"),
        OpenApiParameter("timeframe", OpenApiTypes.STR, description="e.g. 1h"),
        OpenApiParameter("start", OpenApiTypes.DATETIME, description="open time >= start"),
        OpenApiParameter("end", OpenApiTypes.DATETIME, description="open time < end"),
        OpenApiParameter("action", OpenApiTypes.STR, enum=["BUY", "SELL", "HOLD"]),
        OpenApiParameter("model", OpenApiTypes.INT, description="model version id"),
    ]
)
class SignalListView(generics.ListAPIView[Signal]):
    """Signals, newest candle first, filtered by market, timeframe, time, action and model."""

    serializer_class = SignalSerializer

    def get_queryset(self) -> Any:
        filters = SignalFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        return selectors.signal_list(
            exchange=data.get("exchange"),
            symbol=data.get("symbol"),
            timeframe=data.get("timeframe"),
            start=data.get("start"),
            end=data.get("end"),
            action=data.get("action"),
            model_version_id=data.get("model"),
        )


class ModelTuneView(APIView):
    """Start a walk-forward hyperparameter search (Optuna) of one market and timeframe.

    It runs on the ml queue; `model_tuning` events on the user's stream report its progress
    (trials done, best score) and its end (the registered model, champion or why not).
    """

    @extend_schema(request=TuneRequestSerializer, responses={202: TuneAcceptedSerializer})
    def post(self, request: Request) -> Response:
        serializer = TuneRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        accepted = services.model_tune_enqueue(
            user_id=cast(int, request.user.pk), **serializer.validated_data
        )
        return Response(TuneAcceptedSerializer(accepted).data, status=status.HTTP_202_ACCEPTED)
