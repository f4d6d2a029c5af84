"""Market data API: exchanges, markets and candles (compact arrays for charts and scripts)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import orjson
from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.views import APIView

from markets import selectors
from markets.core.adapter import TIMEFRAMES
from markets.models import Exchange, Market

MAX_CANDLES = 10_000
DEFAULT_CANDLES = 1_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class ExchangeSerializer(serializers.ModelSerializer[Exchange]):
    market_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Exchange
        fields = ("ccxt_id", "name", "enabled", "sandbox", "is_demo", "market_count")
        read_only_fields = fields


class MarketSerializer(serializers.ModelSerializer[Market]):
    exchange = serializers.CharField(source="exchange.ccxt_id", read_only=True)
    is_demo = serializers.BooleanField(source="exchange.is_demo", read_only=True)
    timeframes = serializers.ListField(child=serializers.CharField(), read_only=True)
    last_candle_at = serializers.SerializerMethodField()

    class Meta:
        model = Market
        fields = (
            "id",
            "exchange",
            "symbol",
            "base",
            "quote",
            "active",
            "enabled",
            "timeframes",
            "is_demo",
            "listing_verified",
            "last_candle_at",
        )
        read_only_fields = fields
        extra_kwargs = {
            "listing_verified": {
                "help_text": "False while the market's limits are unknown (created offline, "
                "e.g. by a CSV import); such a market takes no orders until its listing is read."
            }
        }

    def get_last_candle_at(self, obj: Market) -> datetime | None:
        value: datetime | None = getattr(obj, "last_candle_at", None)
        return value


class ExchangeListView(generics.ListAPIView[Exchange]):
    """The exchanges the platform knows, with how many markets each has."""

    serializer_class = ExchangeSerializer

    def get_queryset(self) -> Any:
        return selectors.exchanges_list()


class MarketQuerySerializer(serializers.Serializer[Any]):
    exchange = serializers.CharField(max_length=32, required=False, allow_blank=True)
    enabled = serializers.BooleanField(required=False, allow_null=True, default=None)


@extend_schema(
    parameters=[
        OpenApiParameter("exchange", str, description="ccxt id, e.g. `binance` or `demo`"),
        OpenApiParameter("enabled", bool, description="only markets ingested on schedule"),
    ]
)
class MarketListView(generics.ListAPIView[Market]):
    """Markets with their timeframes, demo flag and newest stored candle."""

    serializer_class = MarketSerializer

    def get_queryset(self) -> Any:
        query = MarketQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.markets_list(
            exchange=query.validated_data.get("exchange") or None,
            enabled=query.validated_data.get("enabled"),
        )


class TimeField(serializers.Field[datetime, str, str, Any]):
    """A time given as ISO 8601 (naive means UTC) or as epoch milliseconds."""

    default_error_messages = {"invalid": "Use ISO 8601 (2021-01-01T00:00:00Z) or epoch ms."}

    def to_internal_value(self, data: Any) -> datetime:
        text = str(data).strip()
        try:
            if text.lstrip("-").isdigit():
                return _EPOCH + timedelta(milliseconds=int(text))
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except (ValueError, OverflowError):
            self.fail("invalid")
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)

    def to_representation(self, value: datetime) -> str:
        return value.isoformat()


class CandleQuerySerializer(serializers.Serializer[Any]):
    exchange = serializers.CharField(max_length=32, required=False)
    symbol = serializers.CharField(max_length=32)
    timeframe = serializers.ChoiceField(choices=list(TIMEFRAMES))
    start = TimeField(required=False)
    end = TimeField(required=False)
    limit = serializers.IntegerField(min_value=1, max_value=MAX_CANDLES, default=DEFAULT_CANDLES)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs.setdefault("exchange", settings.DEFAULT_EXCHANGE)
        start, end = attrs.get("start"), attrs.get("end")
        if start is not None and end is not None and end <= start:
            raise serializers.ValidationError({"end": "Must be after start."})
        try:
            attrs["market"] = selectors.market_get(
                exchange=attrs["exchange"], symbol=attrs["symbol"]
            )
        except Market.DoesNotExist:
            if not Exchange.objects.filter(ccxt_id=attrs["exchange"]).exists():
                raise serializers.ValidationError(
                    {"exchange": f"Unknown exchange {attrs['exchange']!r}."}
                ) from None
            raise serializers.ValidationError(
                {"symbol": f"{attrs['exchange']} has no market {attrs['symbol']!r}."}
            ) from None
        return attrs


CANDLES_RESPONSE = inline_serializer(
    "CandlePage",
    fields={
        "exchange": serializers.CharField(),
        "symbol": serializers.CharField(),
        "timeframe": serializers.CharField(),
        "is_demo": serializers.BooleanField(),
        "columns": serializers.ListField(
            child=serializers.CharField(), help_text='always ["t","o","h","l","c","v"]'
        ),
        "candles": serializers.ListField(
            child=serializers.ListField(child=serializers.FloatField(), min_length=6, max_length=6),
            help_text="[open time in epoch ms, open, high, low, close, base volume], oldest first",
        ),
        "next_start": serializers.IntegerField(
            allow_null=True, help_text="epoch ms to pass as `start` for the next page, or null"
        ),
        "next": serializers.URLField(allow_null=True, help_text="the next page, or null"),
    },
)


class CandleListView(APIView):
    """Stored closed candles of one market and timeframe, as compact arrays."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "exchange", str, description="ccxt id, e.g. `binance`; default DEFAULT_EXCHANGE"
            ),
            OpenApiParameter("symbol", str, required=True, description="unified symbol `BTC/USDT`"),
            OpenApiParameter("timeframe", str, required=True, enum=list(TIMEFRAMES)),
            OpenApiParameter(
                "start", OpenApiTypes.STR, description="inclusive open time: ISO 8601 or epoch ms"
            ),
            OpenApiParameter(
                "end", OpenApiTypes.STR, description="exclusive open time: ISO 8601 or epoch ms"
            ),
            OpenApiParameter(
                "limit", int, description=f"1..{MAX_CANDLES}, default {DEFAULT_CANDLES}"
            ),
        ],
        responses={200: CANDLES_RESPONSE},
    )
    def get(self, request: Request) -> HttpResponse:
        query = CandleQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        market: Market = params["market"]
        rows, next_start = selectors.candles_page(
            market_id=market.pk,
            timeframe=params["timeframe"],
            start=params.get("start"),
            end=params.get("end"),
            limit=params["limit"],
        )
        next_url = None
        if next_start is not None:
            args = {k: v for k, v in request.query_params.items() if k != "start"}
            args["start"] = str(next_start)
            next_url = request.build_absolute_uri(f"{request.path}?{urlencode(args)}")
        body = {
            "exchange": market.exchange.ccxt_id,
            "symbol": market.symbol,
            "timeframe": params["timeframe"],
            "is_demo": market.exchange.is_demo,
            "columns": ["t", "o", "h", "l", "c", "v"],
            "candles": rows,
            "next_start": next_start,
            "next": next_url,
        }
        return HttpResponse(orjson.dumps(body), content_type="application/json")
