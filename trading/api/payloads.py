"""The shapes of the backtest JSON the API returns, for the schema and the generated types.

A backtest's config, metrics and trades are stored as JSON and returned as stored; the
serializers here spell out their fields so the OpenAPI schema (and the TypeScript generated
from it) types every one. The `*Field` classes return the stored value unchanged and document it
with its serializer; quantum_trader/tests/test_api_payload_schema.py checks real responses
against the schema, undocumented keys included.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from trading.core.rules import EXIT_REASONS
from trading.models import BacktestRun
from trading.services import SIZING_METHODS


class BacktestStopsSerializer(serializers.Serializer[dict[str, float]]):
    stop_loss = serializers.FloatField(required=False)
    take_profit = serializers.FloatField(required=False)
    trailing_stop = serializers.FloatField(required=False)


class BacktestSizingSerializer(serializers.Serializer[dict[str, Any]]):
    method = serializers.ChoiceField(choices=SIZING_METHODS, required=False)
    fraction = serializers.FloatField(required=False)
    target_volatility = serializers.FloatField(required=False)
    window = serializers.IntegerField(required=False)
    risk_per_trade = serializers.FloatField(required=False)
    atr_multiple = serializers.FloatField(required=False)
    max_position = serializers.FloatField(required=False)


class BacktestStoredConfigSerializer(serializers.Serializer[dict[str, Any]]):
    """A run's configuration as checked and stored, every default filled in."""

    exchange = serializers.CharField()
    symbol = serializers.CharField()
    timeframe = serializers.CharField()
    strategy = serializers.CharField()
    params = serializers.DictField(child=serializers.FloatField())
    start = serializers.DateTimeField(allow_null=True)
    end = serializers.DateTimeField(allow_null=True)
    fee = serializers.FloatField()
    maker_fee = serializers.FloatField(allow_null=True)
    slippage_bps = serializers.FloatField()
    initial_cash = serializers.FloatField()
    stops = BacktestStopsSerializer()
    sizing = BacktestSizingSerializer()
    max_drawdown = serializers.FloatField(allow_null=True)
    market_limits = serializers.BooleanField()


def _metric(
    *, null: bool = False, integer: bool = False, help_text: str = ""
) -> serializers.Field[Any, Any, Any, Any]:
    # Every metric is absent until the run is done (its metrics are `{}` before).
    if integer:
        return serializers.IntegerField(required=False, allow_null=null, help_text=help_text)
    return serializers.FloatField(required=False, allow_null=null, help_text=help_text)


class BacktestMetricsSerializer(serializers.Serializer[dict[str, Any]]):
    """A run's metrics; empty until it is done. Null where a ratio is undefined."""

    start = serializers.DateTimeField(required=False, allow_null=True)
    end = serializers.DateTimeField(required=False, allow_null=True)
    candles = _metric(integer=True)
    initial_cash = _metric()
    final_equity = _metric()
    total_return = _metric()
    cagr = _metric(null=True)
    annual_volatility = _metric(null=True)
    sharpe = _metric(null=True)
    sortino = _metric(null=True)
    calmar = _metric(null=True)
    max_drawdown = _metric()
    max_drawdown_duration_candles = _metric(integer=True)
    max_drawdown_duration_days = _metric(null=True)
    trades = _metric(integer=True)
    win_rate = _metric(null=True)
    profit_factor = _metric(null=True)
    expectancy = _metric(null=True)
    expectancy_return = _metric(null=True)
    exposure = _metric()
    time_in_market = _metric()
    fees_paid = _metric()
    buy_and_hold_return = _metric()


class BacktestTradeSerializer(serializers.Serializer[dict[str, Any]]):
    """One closed trade; prices and amounts are null where not finite."""

    entry_time = serializers.DateTimeField()
    entry_price = serializers.FloatField(allow_null=True)
    exit_time = serializers.DateTimeField()
    exit_price = serializers.FloatField(allow_null=True)
    size = serializers.FloatField(allow_null=True)
    exposure = serializers.FloatField(allow_null=True)
    fees = serializers.FloatField(allow_null=True)
    pnl = serializers.FloatField(allow_null=True)
    # `return` is a Python keyword, hence the declared name.
    return_ = serializers.FloatField(allow_null=True, label="return")
    exit_reason = serializers.ChoiceField(choices=EXIT_REASONS)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        fields["return"] = fields.pop("return_")
        return fields


@extend_schema_field(BacktestStoredConfigSerializer)
class BacktestConfigField(serializers.JSONField):
    """The stored configuration, returned as stored."""


@extend_schema_field(BacktestMetricsSerializer)
class BacktestMetricsField(serializers.JSONField):
    """The stored metrics, returned as stored."""


@extend_schema_field(BacktestTradeSerializer(many=True))
class BacktestTradesField(serializers.JSONField):
    """The stored trades, returned as stored."""


class EquityCurveField(serializers.ListField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "[[epoch ms, equity], ...], at most about 2000 points")
        super().__init__(
            child=serializers.ListField(child=serializers.FloatField(), min_length=2, max_length=2),
            **kwargs,
        )


class BacktestCompareRunSerializer(serializers.Serializer[BacktestRun]):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=BacktestRun.Status.choices)
    config = BacktestConfigField()
    metrics = BacktestMetricsField()
    equity_curve = EquityCurveField()


class BacktestCompareSerializer(serializers.Serializer[dict[str, Any]]):
    runs = BacktestCompareRunSerializer(many=True)
