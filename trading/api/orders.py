"""Orders, fills and paper accounts over the API (the owner's only; anyone else's is a 404).

Thin views: they validate, call a service or selector, and serialize the contract's objects
(`trading.orders.payloads`, the same dicts the stream sends).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.services import client_ip
from trading.models import Fill, Order
from trading.orders.paper_store import paper_account_balances, paper_accounts_ensure
from trading.orders.payloads import decimal_text, fill_payload, iso, order_payload
from trading.orders.services import order_cancel_request, order_place
from trading.selectors import fill_list, order_get, order_list

if TYPE_CHECKING:
    from accounts.models import User

STATUSES = [choice for choice, _ in Order.Status.choices]
MONEY = {"max_digits": 36, "decimal_places": 18}


def _user(request: Request) -> User:
    return cast("User", request.user)  # IsAuthenticated lets only a real user in


class OrderAccountSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=["paper", "testnet", "live"])
    id = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]  # the contract's name
    exchange = serializers.CharField()


class OrderSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    client_order_id = serializers.CharField()
    exchange_order_id = serializers.CharField(allow_null=True)
    account = OrderAccountSerializer()
    bot = serializers.IntegerField(allow_null=True)
    exchange = serializers.CharField()
    symbol = serializers.CharField()
    side = serializers.ChoiceField(choices=["buy", "sell"])
    type = serializers.ChoiceField(choices=["market", "limit"])
    amount = serializers.CharField(help_text="Decimal, as a string")
    price = serializers.CharField(allow_null=True, help_text="Decimal, as a string")
    filled_amount = serializers.CharField(help_text="Decimal, as a string")
    average_price = serializers.CharField(allow_null=True, help_text="Decimal, as a string")
    fee = serializers.CharField(help_text="Decimal, as a string")
    fee_currency = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=Order.Status.choices)
    reason = serializers.CharField(allow_blank=True)
    created_at = serializers.CharField(help_text="ISO 8601, UTC")
    updated_at = serializers.CharField(help_text="ISO 8601, UTC")


class OrderEventSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    from_status = serializers.ChoiceField(choices=Order.Status.choices)
    to_status = serializers.ChoiceField(choices=Order.Status.choices)
    cause = serializers.CharField()
    created_at = serializers.CharField(help_text="ISO 8601, UTC")


class FillSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    trade_id = serializers.CharField()
    exchange = serializers.CharField()
    symbol = serializers.CharField()
    side = serializers.ChoiceField(choices=["buy", "sell"])
    amount = serializers.CharField(help_text="Decimal, as a string")
    price = serializers.CharField(help_text="Decimal, as a string")
    fee = serializers.CharField(help_text="Decimal, as a string")
    fee_currency = serializers.CharField(allow_null=True)
    is_maker = serializers.BooleanField(allow_null=True)
    executed_at = serializers.CharField(help_text="ISO 8601, UTC")


class TradeSerializer(FillSerializer):
    bot = serializers.IntegerField(allow_null=True, help_text="the bot whose order it filled")
    realised_pnl = serializers.CharField(
        allow_null=True,
        help_text="Decimal, quote currency: what a bot's sale realised (its proceeds less the "
        "share of the position's cost, buy fees included, it sold); null for a buy or a fill "
        "of no bot",
    )


def _trade_payload(fill: Fill) -> dict[str, Any]:
    booking = getattr(fill, "booking", None)
    pnl = None if booking is None else booking.realised_pnl
    return {
        **fill_payload(fill),
        "bot": fill.order.bot_id,
        "realised_pnl": None if pnl is None else decimal_text(pnl),
    }


class OrderDetailSerializer(OrderSerializer):
    events = OrderEventSerializer(many=True)
    fills = FillSerializer(many=True)


class OrderCreateSerializer(serializers.Serializer[Any]):
    paper_account = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    exchange_account = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    symbol = serializers.CharField(max_length=32)
    side = serializers.ChoiceField(choices=["buy", "sell"])
    type = serializers.ChoiceField(choices=["market", "limit"])
    amount = serializers.DecimalField(**MONEY, min_value=0, help_text="base currency")  # type: ignore[arg-type]
    price = serializers.DecimalField(
        **MONEY,  # type: ignore[arg-type]
        required=False,
        allow_null=True,
        min_value=0,
        help_text="limit orders only; must lie on the market's price tick",
    )
    client_order_id = serializers.CharField(
        required=False,
        allow_null=True,
        max_length=40,
        help_text="optional; must fit the exchange's rules and not start with 'qt-'",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        paper, exchange = attrs.get("paper_account"), attrs.get("exchange_account")
        if (paper is None) == (exchange is None):
            raise serializers.ValidationError(
                {"paper_account": ["Give exactly one of paper_account and exchange_account."]}
            )
        if attrs["type"] == "limit" and attrs.get("price") is None:
            raise serializers.ValidationError({"price": ["A limit order needs a price."]})
        if attrs["type"] == "market" and attrs.get("price") is not None:
            raise serializers.ValidationError({"price": ["A market order takes no price."]})
        return attrs


class PaperAccountSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]  # the contract's name
    exchange = serializers.CharField()
    quote_currency = serializers.CharField()
    balances = serializers.DictField(child=serializers.CharField(), help_text="asset -> amount")
    created_at = serializers.CharField(help_text="ISO 8601, UTC")


ERRORS = {
    400: OpenApiResponse(description="bad input (the field is named)"),
    403: OpenApiResponse(description="live trading is disabled"),
    409: OpenApiResponse(description="Idempotency-Key reused with another body"),
}


def _bool(value: str | None) -> bool | None:
    if value is None or value == "":
        return None
    if value.lower() in ("true", "1", "yes"):
        return True
    if value.lower() in ("false", "0", "no"):
        return False
    raise serializers.ValidationError({"open": ["Use true or false."]})


def _int(request: Request, name: str) -> int | None:
    value = request.query_params.get(name)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise serializers.ValidationError({name: ["A whole number is required."]}) from None


def _owned(request: Request, order_id: int) -> Order:
    try:
        return order_get(owner=_user(request), order_id=order_id)
    except Order.DoesNotExist:
        raise Http404("No such order.") from None


LIST_FILTERS = [
    OpenApiParameter("status", OpenApiTypes.STR, enum=STATUSES),
    OpenApiParameter("symbol", OpenApiTypes.STR, description="e.g. BTC/USDT"),
    OpenApiParameter("side", OpenApiTypes.STR, enum=["buy", "sell"]),
    OpenApiParameter("open", OpenApiTypes.BOOL, description="not finished yet (or finished)"),
    OpenApiParameter("paper_account", OpenApiTypes.INT),
    OpenApiParameter("exchange_account", OpenApiTypes.INT),
    OpenApiParameter("bot", OpenApiTypes.INT),
]


class OrderListView(APIView):
    """The user's orders (filtered, paginated), or place a manual order."""

    pagination_class = LimitOffsetPagination

    @extend_schema(parameters=LIST_FILTERS, responses={200: OrderSerializer(many=True)})
    def get(self, request: Request) -> Response:
        status_filter = request.query_params.get("status") or None
        if status_filter is not None and status_filter not in STATUSES:
            raise serializers.ValidationError({"status": [f"Use one of {STATUSES}."]})
        rows = order_list(
            owner=_user(request),
            status=status_filter,
            symbol=request.query_params.get("symbol") or None,
            side=request.query_params.get("side") or None,
            is_open=_bool(request.query_params.get("open")),
            paper_account_id=_int(request, "paper_account"),
            exchange_account_id=_int(request, "exchange_account"),
            bot_id=_int(request, "bot"),
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, self) or []
        data = OrderSerializer([order_payload(order) for order in page], many=True).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        request=OrderCreateSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="the same key and body within 24 h return the same order (200)",
            )
        ],
        responses={201: OrderSerializer, 200: OrderSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        serializer = OrderCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        key = request.headers.get("Idempotency-Key") or None
        if key is not None and len(key) > 255:
            raise serializers.ValidationError({"Idempotency-Key": ["At most 255 characters."]})
        placed = order_place(
            owner=_user(request),
            exchange_account_id=data.get("exchange_account"),
            paper_account_id=data.get("paper_account"),
            symbol=data["symbol"],
            side=data["side"],
            type=data["type"],
            amount=data["amount"],
            price=data.get("price"),
            client_order_id=data.get("client_order_id"),
            idempotency_key=key,
            ip_address=client_ip(request),
        )
        return Response(
            OrderSerializer(order_payload(placed.order)).data,
            status=status.HTTP_201_CREATED if placed.created else status.HTTP_200_OK,
        )


class OrderDetailView(APIView):
    """One of the user's orders with its state history and fills."""

    @extend_schema(
        responses={200: OrderDetailSerializer, 404: OpenApiResponse(description="no such order")}
    )
    def get(self, request: Request, order_id: int) -> Response:
        order = _owned(request, order_id)
        payload = order_payload(order)
        payload["events"] = [
            {
                "id": event.pk,
                "from_status": event.from_status,
                "to_status": event.to_status,
                "cause": event.cause,
                "created_at": iso(event.created_at),
            }
            for event in order.events.order_by("created_at", "id")
        ]
        payload["fills"] = [
            fill_payload(fill, order=order) for fill in order.fills.order_by("executed_at", "id")
        ]
        return Response(OrderDetailSerializer(payload).data)


class OrderCancelView(APIView):
    """Cancel one of the user's orders: 200 when done, 202 while the exchange is asked."""

    @extend_schema(
        request=None,
        responses={
            200: OrderSerializer,
            202: OrderSerializer,
            404: OpenApiResponse(description="no such order"),
            409: OpenApiResponse(description="the order cannot be canceled now"),
        },
    )
    def post(self, request: Request, order_id: int) -> Response:
        _owned(request, order_id)
        order = order_cancel_request(
            owner=_user(request), order_id=order_id, ip_address=client_ip(request)
        )
        done = order.status == Order.Status.CANCELED
        return Response(
            OrderSerializer(order_payload(order)).data,
            status=status.HTTP_200_OK if done else status.HTTP_202_ACCEPTED,
        )


class FillListView(APIView):
    """Fills of the user's orders, newest first (paginated), with a bot sale's realised P&L."""

    pagination_class = LimitOffsetPagination

    @extend_schema(
        parameters=[
            OpenApiParameter("symbol", OpenApiTypes.STR),
            OpenApiParameter("order", OpenApiTypes.INT),
            OpenApiParameter("bot", OpenApiTypes.INT),
        ],
        responses={200: TradeSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        rows = fill_list(
            owner=_user(request),
            symbol=request.query_params.get("symbol") or None,
            order_id=_int(request, "order"),
            bot_id=_int(request, "bot"),
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, self) or []
        data = TradeSerializer([_trade_payload(fill) for fill in page], many=True).data
        return paginator.get_paginated_response(data)


class PaperAccountListView(APIView):
    """The user's paper accounts; the demo exchange's one is created on first visit."""

    @extend_schema(responses={200: PaperAccountSerializer(many=True)})
    def get(self, request: Request) -> Response:
        accounts = paper_accounts_ensure(owner=_user(request))
        rows = [
            {
                "id": account.pk,
                "label": account.label,
                "exchange": account.exchange.ccxt_id,
                "quote_currency": account.quote_currency,
                "balances": paper_account_balances(account=account),
                "created_at": iso(account.created_at),
            }
            for account in accounts
        ]
        return Response(PaperAccountSerializer(rows, many=True).data)
