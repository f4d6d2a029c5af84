"""Backtest runs over the API: create, list, detail, compare, delete (the owner's only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from trading.api.payloads import (
    BacktestCompareSerializer,
    BacktestConfigField,
    BacktestMetricsField,
    BacktestTradesField,
    EquityCurveField,
)
from trading.core.backtest import DEFAULT_FEE_RATE, DEFAULT_SLIPPAGE_BPS
from trading.core.strategies import RULE_STRATEGIES
from trading.models import BacktestRun
from trading.selectors import backtest_run_compare, backtest_run_get, backtest_run_list
from trading.services import backtest_run_create, backtest_run_delete

if TYPE_CHECKING:
    from accounts.models import User

MAX_COMPARE = 10


def _user(request: Request) -> User:
    return cast("User", request.user)  # IsAuthenticated lets only a real user in


class StopsSerializer(serializers.Serializer[Any]):
    stop_loss = serializers.FloatField(required=False, allow_null=True, min_value=0, max_value=1)
    take_profit = serializers.FloatField(required=False, allow_null=True, min_value=0, max_value=1)
    trailing_stop = serializers.FloatField(
        required=False, allow_null=True, min_value=0, max_value=1
    )


class SizingSerializer(serializers.Serializer[Any]):
    method = serializers.ChoiceField(
        choices=["all_in", "fixed_fraction", "volatility_target", "atr"], default="all_in"
    )
    fraction = serializers.FloatField(required=False, min_value=0, max_value=1)
    target_volatility = serializers.FloatField(required=False, min_value=0)
    window = serializers.IntegerField(required=False, min_value=2, max_value=10_000)
    risk_per_trade = serializers.FloatField(required=False, min_value=0, max_value=1)
    atr_multiple = serializers.FloatField(required=False, min_value=0)
    max_position = serializers.FloatField(required=False, min_value=0, max_value=1)


class BacktestConfigSerializer(serializers.Serializer[Any]):
    exchange = serializers.CharField(max_length=32)
    symbol = serializers.CharField(max_length=32)
    timeframe = serializers.CharField(max_length=4)
    strategy = serializers.CharField(
        max_length=40,
        help_text=f"one of {sorted(RULE_STRATEGIES)}, walk_forward, or model:<model version id>",
    )
    params = serializers.DictField(required=False, default=dict)
    start = serializers.DateTimeField(required=False, allow_null=True)
    end = serializers.DateTimeField(required=False, allow_null=True)
    fee = serializers.FloatField(default=DEFAULT_FEE_RATE, min_value=0, max_value=0.1)
    maker_fee = serializers.FloatField(required=False, allow_null=True, min_value=0, max_value=0.1)
    slippage_bps = serializers.FloatField(
        default=DEFAULT_SLIPPAGE_BPS, min_value=0, max_value=1_000
    )
    initial_cash = serializers.FloatField(default=10_000.0, min_value=1, max_value=1e12)
    stops = StopsSerializer(required=False)
    sizing = SizingSerializer(required=False)
    max_drawdown = serializers.FloatField(
        required=False, allow_null=True, min_value=0.001, max_value=0.999
    )
    market_limits = serializers.BooleanField(
        default=True, help_text="Apply the market's lot step and minimum notional."
    )


class BacktestRunSerializer(serializers.ModelSerializer[BacktestRun]):
    status = serializers.ChoiceField(choices=BacktestRun.Status.choices, read_only=True)
    config = BacktestConfigField(read_only=True)
    metrics = BacktestMetricsField(read_only=True)

    class Meta:
        model = BacktestRun
        fields: tuple[str, ...] = (
            "id",
            "status",
            "progress",
            "error",
            "config",
            "metrics",
            "created_at",
            "started_at",
            "finished_at",
        )
        read_only_fields: tuple[str, ...] = fields


class BacktestRunDetailSerializer(BacktestRunSerializer):
    equity_curve = EquityCurveField(read_only=True)
    trades = BacktestTradesField(read_only=True)

    class Meta(BacktestRunSerializer.Meta):
        fields = (*BacktestRunSerializer.Meta.fields, "equity_curve", "trades")
        read_only_fields = fields


class BacktestListView(APIView):
    """List the user's backtest runs (paginated) or start a new one."""

    pagination_class = LimitOffsetPagination

    @extend_schema(responses={200: BacktestRunSerializer(many=True)})
    def get(self, request: Request) -> Response:
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(backtest_run_list(owner=_user(request)), request, self)
        return paginator.get_paginated_response(BacktestRunSerializer(page, many=True).data)

    @extend_schema(request=BacktestConfigSerializer, responses={201: BacktestRunSerializer})
    def post(self, request: Request) -> Response:
        serializer = BacktestConfigSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        run = backtest_run_create(owner=_user(request), config=dict(serializer.validated_data))
        return Response(BacktestRunSerializer(run).data, status=status.HTTP_201_CREATED)


def _owned(request: Request, run_id: int) -> BacktestRun:
    try:
        return backtest_run_get(owner=_user(request), run_id=run_id)
    except BacktestRun.DoesNotExist:
        raise Http404("No such backtest.") from None


class BacktestDetailView(APIView):
    """One backtest run with its metrics, equity curve and trades; or delete it."""

    @extend_schema(responses={200: BacktestRunDetailSerializer})
    def get(self, request: Request, run_id: int) -> Response:
        return Response(BacktestRunDetailSerializer(_owned(request, run_id)).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, run_id: int) -> Response:
        backtest_run_delete(run=_owned(request, run_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class BacktestCompareView(APIView):
    """Metrics side by side and equity curves of up to 10 of the user's runs."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "ids",
                OpenApiTypes.STR,
                required=True,
                description="comma-separated run ids, e.g. 1,2,3",
            )
        ],
        responses={200: BacktestCompareSerializer},
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("ids", "")
        try:
            run_ids = [int(part) for part in raw.split(",") if part.strip()]
        except ValueError:
            raise serializers.ValidationError({"ids": ["comma-separated integers"]}) from None
        if not run_ids:
            raise serializers.ValidationError({"ids": ["give at least one run id"]})
        if len(run_ids) > MAX_COMPARE:
            raise serializers.ValidationError({"ids": [f"at most {MAX_COMPARE} runs"]})
        runs = backtest_run_compare(owner=_user(request), run_ids=run_ids)
        if len(runs) != len(set(run_ids)):
            raise Http404("No such backtest.")
        return Response(
            {
                "runs": [
                    {
                        "id": run.pk,
                        "status": run.status,
                        "config": run.config,
                        "metrics": run.metrics,
                        "equity_curve": run.equity_curve,
                    }
                    for run in runs
                ]
            }
        )
