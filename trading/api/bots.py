"""Bots, their ticks and positions, and kill switches over the API (owner-scoped; others 404).

Thin views: they validate, call a service or selector, and serialize the objects of
`trading.bots.payloads` (the same dicts the stream sends).
"""

from __future__ import annotations

from datetime import UTC, datetime
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
from trading.bots import services
from trading.bots.kill import kill_switch_list, kill_switch_set
from trading.bots.payloads import (
    bot_fill_payload,
    bot_payload,
    kill_switch_payload,
    position_payload,
    tick_payload,
)
from trading.bots.replay import ReplayError, bot_replay
from trading.bots.selectors import bot_fill_list, bot_get, bot_list, position_list, tick_list
from trading.core.profile import RiskProfileError
from trading.models import Bot, BotTick, KillSwitch

if TYPE_CHECKING:
    from accounts.models import User


def _user(request: Request) -> User:
    return cast("User", request.user)  # IsAuthenticated lets only a real user in


# Any error answer of these views: the documented error shape (its `code` says which).
_ERROR = OpenApiResponse(description="an error in the documented shape; see its code")

STATES = [choice for choice, _ in Bot.State.choices]
OUTCOMES = [choice for choice, _ in BotTick.Outcome.choices]


def _fraction(**kwargs: Any) -> serializers.FloatField:
    return serializers.FloatField(required=False, allow_null=True, **kwargs)


def _count(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(required=False, allow_null=True, **kwargs)


class RiskProfileSerializer(serializers.Serializer[Any]):
    max_position = serializers.FloatField(
        required=False, help_text="largest share of equity in the position, (0, 1]"
    )
    max_open_positions = _count(help_text="positions open at once across your bots")
    risk_per_trade = _fraction(help_text="share of equity risked per trade at the ATR stop")
    atr_multiple = serializers.FloatField(required=False, help_text="ATRs to the sizing stop")
    atr_window = serializers.IntegerField(required=False, help_text="candles of the ATR")
    stop_loss = _fraction(help_text="below the entry price, (0, 1)")
    take_profit = _fraction(help_text="above the entry price, (0, 1)")
    trailing_stop = _fraction(help_text="below the highest price since entry, (0, 1)")
    daily_loss_limit = _fraction(help_text="halts the bot at this loss since the UTC day began")
    max_drawdown = _fraction(help_text="halts the bot at this fall from its equity peak")
    cooldown_seconds = _count(help_text="no new exposure this long after a losing trade")
    min_confidence = _fraction(help_text="ignore model signals less sure than this")
    max_orders_per_hour = _count()


class BotAccountSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=["paper", "testnet", "live"])
    id = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]  # the API's name


class PositionSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    bot = serializers.IntegerField()
    amount = serializers.CharField(help_text="Decimal, base currency")
    average_entry = serializers.CharField(allow_null=True, help_text="Decimal")
    cash = serializers.CharField(help_text="Decimal, quote currency")
    realised_pnl = serializers.CharField(help_text="Decimal, quote currency")
    unrealised_pnl = serializers.CharField(help_text="Decimal, quote currency")
    last_price = serializers.CharField(allow_null=True, help_text="Decimal")
    updated_at = serializers.CharField(help_text="ISO 8601, UTC")


class BotSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    market = serializers.IntegerField()
    exchange = serializers.CharField()
    symbol = serializers.CharField()
    timeframe = serializers.CharField()
    strategy = serializers.ChoiceField(choices=[c for c, _ in Bot.Strategy.choices])
    rule_name = serializers.CharField(allow_blank=True)
    rule_params = serializers.DictField()
    model_version = serializers.IntegerField(allow_null=True)
    buy_threshold = serializers.FloatField()
    sell_threshold = serializers.FloatField()
    account = BotAccountSerializer()
    mode = serializers.ChoiceField(choices=[c for c, _ in Bot.Mode.choices])
    capital = serializers.CharField(help_text="Decimal, quote currency")
    fee_rate = serializers.FloatField()
    slippage_bps = serializers.FloatField()
    equity = serializers.FloatField(allow_null=True, help_text="at the last decision")
    live_opt_in = serializers.BooleanField()
    live_opt_in_at = serializers.CharField(allow_null=True)
    state = serializers.ChoiceField(choices=STATES)
    state_reason = serializers.CharField(allow_blank=True)
    risk_profile = RiskProfileSerializer(allow_null=True)
    position = PositionSerializer(allow_null=True)
    created_at = serializers.CharField()
    started_at = serializers.CharField(allow_null=True)
    last_tick_at = serializers.CharField(allow_null=True)


class BotCreateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=64)
    market = serializers.IntegerField(min_value=1)
    timeframe = serializers.CharField(max_length=4)
    strategy = serializers.ChoiceField(choices=[c for c, _ in Bot.Strategy.choices])
    rule_name = serializers.CharField(required=False, allow_blank=True, default="")
    rule_params = serializers.DictField(required=False, default=dict)
    model_version = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    buy_threshold = serializers.FloatField(required=False, default=0.5)
    sell_threshold = serializers.FloatField(required=False, default=0.5)
    paper_account = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    exchange_account = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    capital = serializers.DecimalField(
        max_digits=36,
        decimal_places=18,
        required=False,
        help_text="quote currency the bot trades with (default 1000)",
    )
    fee_rate = serializers.FloatField(required=False, default=0.001)
    slippage_bps = serializers.FloatField(required=False, default=5.0)
    risk_profile = RiskProfileSerializer(required=False)


class BotUpdateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=64, required=False)
    rule_params = serializers.DictField(required=False)
    buy_threshold = serializers.FloatField(required=False)
    sell_threshold = serializers.FloatField(required=False)
    fee_rate = serializers.FloatField(required=False)
    slippage_bps = serializers.FloatField(required=False)
    risk_profile = RiskProfileSerializer(required=False)


class TickSerializer(serializers.Serializer[Any]):
    class CheckSerializer(serializers.Serializer[Any]):
        name = serializers.CharField()
        passed = serializers.BooleanField()
        reason = serializers.CharField(allow_blank=True)

    id = serializers.IntegerField()
    bot = serializers.IntegerField()
    candle_time = serializers.CharField(help_text="open time of the candle, ISO 8601 UTC")
    signal = serializers.IntegerField(allow_null=True, help_text="the model signal's id")
    signal_target = serializers.FloatField(allow_null=True)
    target = serializers.FloatField(allow_null=True, help_text="exposure wanted, 0 to 1")
    equity = serializers.FloatField(allow_null=True)
    checks = CheckSerializer(many=True)
    order = serializers.IntegerField(allow_null=True)
    exit_order = serializers.IntegerField(allow_null=True, help_text="a stop's sale")
    outcome = serializers.ChoiceField(choices=OUTCOMES)
    reason = serializers.CharField(allow_blank=True, help_text="why no order, or the error")
    created_at = serializers.CharField()


class BotFillSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(help_text="the fill's id")
    bot = serializers.IntegerField()
    order = serializers.IntegerField()
    side = serializers.ChoiceField(choices=["buy", "sell"])
    amount = serializers.CharField(help_text="Decimal, as a string")
    price = serializers.CharField(help_text="Decimal, as a string")
    fee = serializers.CharField(help_text="Decimal, quote currency")
    realised_pnl = serializers.CharField(
        allow_null=True,
        help_text="Decimal, quote currency: a sale's proceeds less the share of the position's "
        "cost (buy fees included) it sold; null for a buy",
    )
    position_amount = serializers.CharField(help_text="Decimal: what the bot held after it")
    executed_at = serializers.CharField(help_text="ISO 8601, UTC")


class KillSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    cancel_orders = serializers.BooleanField(required=False, default=True)
    close_position = serializers.BooleanField(required=False, default=False)


class LiveOptInSerializer(serializers.Serializer[Any]):
    confirmation = serializers.CharField(
        max_length=64, help_text="the bot's name or its market's symbol, typed by the user"
    )


class ReplayRequestSerializer(serializers.Serializer[Any]):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()


class ReplaySerializer(serializers.Serializer[Any]):
    candles = serializers.IntegerField()
    replay_trades = serializers.IntegerField()
    backtest_trades = serializers.IntegerField()
    replay_final_equity = serializers.FloatField()
    backtest_final_equity = serializers.FloatField()
    final_equity_relative_difference = serializers.FloatField()
    same_trade_times = serializers.BooleanField()
    engine_only_rules = serializers.ListField(child=serializers.CharField())
    trades = serializers.ListField(child=serializers.DictField(), help_text="the replay's")
    equity_curve = serializers.ListField(
        child=serializers.ListField(), help_text="[[epoch ms, equity], ...], at most ~2000"
    )


class KillSwitchSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    scope = serializers.ChoiceField(choices=["user", "global"])
    user = serializers.IntegerField(allow_null=True)
    active = serializers.BooleanField()
    reason = serializers.CharField(allow_blank=True)
    changed_by = serializers.IntegerField(allow_null=True)
    changed_at = serializers.CharField()


class KillSwitchSetSerializer(serializers.Serializer[Any]):
    scope = serializers.ChoiceField(choices=["user", "global"], help_text="global: staff only")
    active = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    cancel_orders = serializers.BooleanField(required=False, default=False)
    close_positions = serializers.BooleanField(required=False, default=False)


ERRORS = {
    400: OpenApiResponse(description="bad input (the field is named)"),
    404: OpenApiResponse(description="no such bot of yours"),
}
ACTION_ERRORS = {
    **ERRORS,
    403: OpenApiResponse(description="live trading refused"),
    409: OpenApiResponse(description="not possible in the bot's state"),
}


def _owned(request: Request, bot_id: int) -> Bot:
    try:
        return bot_get(owner=_user(request), bot_id=bot_id)
    except Bot.DoesNotExist:
        raise Http404("No such bot.") from None


def _reloaded(request: Request, bot_id: int) -> Response:
    return Response(BotSerializer(bot_payload(_owned(request, bot_id))).data)


class BotListView(APIView):
    """The user's bots, or create one (stopped, paper by default)."""

    pagination_class = LimitOffsetPagination

    @extend_schema(
        parameters=[OpenApiParameter("state", OpenApiTypes.STR, enum=STATES)],
        responses={200: BotSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        state = request.query_params.get("state") or None
        if state is not None and state not in STATES:
            raise serializers.ValidationError({"state": [f"Use one of {STATES}."]})
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(
            bot_list(owner=_user(request), state=state), request, self
        )
        data = BotSerializer([bot_payload(bot) for bot in page or []], many=True).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        request=BotCreateSerializer,
        responses={201: BotSerializer, 400: _ERROR},
    )
    def post(self, request: Request) -> Response:
        serializer = BotCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        extra: dict[str, Any] = {}
        if data.get("capital") is not None:
            extra["capital"] = data["capital"]
        bot = services.bot_create(
            owner=_user(request),
            name=data["name"],
            market_id=data["market"],
            timeframe=data["timeframe"],
            strategy=data["strategy"],
            rule_name=data["rule_name"],
            rule_params=data["rule_params"],
            model_version_id=data.get("model_version"),
            buy_threshold=data["buy_threshold"],
            sell_threshold=data["sell_threshold"],
            paper_account_id=data.get("paper_account"),
            exchange_account_id=data.get("exchange_account"),
            fee_rate=data["fee_rate"],
            slippage_bps=data["slippage_bps"],
            risk_profile=dict(data.get("risk_profile") or {}),
            **extra,
        )
        return Response(BotSerializer(bot_payload(bot)).data, status=status.HTTP_201_CREATED)


class BotDetailView(APIView):
    """One of the user's bots: read, change (partially) or delete."""

    @extend_schema(responses={200: BotSerializer, 404: _ERROR})
    def get(self, request: Request, bot_id: int) -> Response:
        return Response(BotSerializer(bot_payload(_owned(request, bot_id))).data)

    @extend_schema(request=BotUpdateSerializer, responses={200: BotSerializer, **ERRORS})
    def patch(self, request: Request, bot_id: int) -> Response:
        _owned(request, bot_id)
        serializer = BotUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        if "risk_profile" in changes:
            changes["risk_profile"] = dict(changes["risk_profile"])
        services.bot_update(owner=_user(request), bot_id=bot_id, changes=changes)
        return _reloaded(request, bot_id)

    @extend_schema(
        responses={
            204: None,
            404: _ERROR,
            409: _ERROR,
        }
    )
    def delete(self, request: Request, bot_id: int) -> Response:
        _owned(request, bot_id)
        services.bot_delete(owner=_user(request), bot_id=bot_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class BotStartView(APIView):
    """Start or resume the bot (a halted one starts afresh); it decides on the next candle."""

    @extend_schema(request=None, responses={200: BotSerializer, **ACTION_ERRORS})
    def post(self, request: Request, bot_id: int) -> Response:
        _owned(request, bot_id)
        services.bot_start(owner=_user(request), bot_id=bot_id)
        return _reloaded(request, bot_id)


class BotPauseView(APIView):
    """Pause the bot (its position stays)."""

    @extend_schema(
        request=None,
        responses={200: BotSerializer, 404: _ERROR},
    )
    def post(self, request: Request, bot_id: int) -> Response:
        _owned(request, bot_id)
        services.bot_pause(owner=_user(request), bot_id=bot_id)
        return _reloaded(request, bot_id)


class BotStopView(APIView):
    """Stop the bot (its position stays)."""

    @extend_schema(
        request=None,
        responses={200: BotSerializer, 404: _ERROR},
    )
    def post(self, request: Request, bot_id: int) -> Response:
        _owned(request, bot_id)
        services.bot_stop(owner=_user(request), bot_id=bot_id)
        return _reloaded(request, bot_id)


class BotKillView(APIView):
    """Halt the bot at once; optionally cancel its open orders and sell its position."""

    @extend_schema(request=KillSerializer, responses={200: BotSerializer, **ERRORS})
    def post(self, request: Request, bot_id: int) -> Response:
        _owned(request, bot_id)
        serializer = KillSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.bot_kill(
            owner=_user(request),
            bot_id=bot_id,
            reason=data["reason"],
            cancel_orders=data["cancel_orders"],
            close_position=data["close_position"],
            ip_address=client_ip(request),
        )
        return _reloaded(request, bot_id)


class BotLiveOptInView(APIView):
    """Opt the bot into live trading with a typed confirmation (audited)."""

    @extend_schema(request=LiveOptInSerializer, responses={200: BotSerializer, **ACTION_ERRORS})
    def post(self, request: Request, bot_id: int) -> Response:
        _owned(request, bot_id)
        serializer = LiveOptInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.bot_live_opt_in(
            owner=_user(request),
            bot_id=bot_id,
            confirmation=serializer.validated_data["confirmation"],
            ip_address=client_ip(request),
        )
        return _reloaded(request, bot_id)


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class BotReplayView(APIView):
    """Replay the bot over stored candles through the live engine, beside the backtester."""

    @extend_schema(request=ReplayRequestSerializer, responses={200: ReplaySerializer, **ERRORS})
    def post(self, request: Request, bot_id: int) -> Response:
        bot = _owned(request, bot_id)
        serializer = ReplayRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        start = _utc(serializer.validated_data["start"])
        end = _utc(serializer.validated_data["end"])
        try:
            result = bot_replay(bot=bot, start=start, end=end)
        except (ReplayError, RiskProfileError) as e:
            raise serializers.ValidationError({"start": [str(e)]}) from None
        summary = result.summary()
        trades = result.replay.trades.head(500)
        summary["trades"] = [
            {
                "entry_time": int(row.entry_time.timestamp() * 1000),
                "exit_time": int(row.exit_time.timestamp() * 1000),
                "entry_price": float(row.entry_price),
                "exit_price": float(row.exit_price),
                "size": float(row.size),
                "pnl": float(row.pnl),
                "exit_reason": str(row.exit_reason),
            }
            for row in trades.itertuples()
        ]
        equity = result.replay.equity
        stride = max(1, len(equity) // 2000)
        summary["equity_curve"] = [
            [int(at.timestamp() * 1000), float(value)]
            for at, value in equity.iloc[::stride].items()
        ]
        return Response(ReplaySerializer(summary).data)


class BotTickListView(APIView):
    """The bot's decisions, newest first (paginated), each with its risk checks."""

    pagination_class = LimitOffsetPagination

    @extend_schema(
        parameters=[OpenApiParameter("outcome", OpenApiTypes.STR, enum=OUTCOMES)],
        responses={
            200: TickSerializer(many=True),
            404: _ERROR,
        },
    )
    def get(self, request: Request, bot_id: int) -> Response:
        bot = _owned(request, bot_id)
        outcome = request.query_params.get("outcome") or None
        if outcome is not None and outcome not in OUTCOMES:
            raise serializers.ValidationError({"outcome": [f"Use one of {OUTCOMES}."]})
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(tick_list(bot=bot, outcome=outcome), request, self)
        data = TickSerializer([tick_payload(tick) for tick in page or []], many=True).data
        return paginator.get_paginated_response(data)


class BotFillListView(APIView):
    """The bot's fills as booked into its position, newest first (paginated), with their P&L."""

    pagination_class = LimitOffsetPagination

    @extend_schema(
        parameters=[OpenApiParameter("side", OpenApiTypes.STR, enum=["buy", "sell"])],
        responses={200: BotFillSerializer(many=True), 404: _ERROR},
    )
    def get(self, request: Request, bot_id: int) -> Response:
        bot = _owned(request, bot_id)
        side = request.query_params.get("side") or None
        if side is not None and side not in ("buy", "sell"):
            raise serializers.ValidationError({"side": ["Use buy or sell."]})
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(bot_fill_list(bot=bot, side=side), request, self)
        data = BotFillSerializer([bot_fill_payload(row) for row in page or []], many=True).data
        return paginator.get_paginated_response(data)


class PositionListView(APIView):
    """The positions of the user's bots (`open=true`: only those holding something)."""

    @extend_schema(
        parameters=[OpenApiParameter("open", OpenApiTypes.BOOL)],
        responses={200: PositionSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        open_only = (request.query_params.get("open") or "").lower() in ("true", "1", "yes")
        rows = position_list(owner=_user(request), open_only=open_only)
        return Response(PositionSerializer([position_payload(p) for p in rows], many=True).data)


class KillSwitchView(APIView):
    """Your kill switch and the global one; turn yours (or, staff only, the global) on/off."""

    @extend_schema(responses={200: KillSwitchSerializer(many=True)})
    def get(self, request: Request) -> Response:
        rows = kill_switch_list(user=request.user)
        return Response(
            KillSwitchSerializer([kill_switch_payload(s) for s in rows], many=True).data
        )

    @extend_schema(
        request=KillSwitchSetSerializer,
        responses={
            200: KillSwitchSerializer,
            400: _ERROR,
            403: OpenApiResponse(description="global switch: staff only"),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = KillSwitchSetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        switch: KillSwitch = kill_switch_set(
            actor=request.user,
            scope=data["scope"],
            active=data["active"],
            reason=data["reason"],
            cancel_orders=data["cancel_orders"],
            close_positions=data["close_positions"],
            ip_address=client_ip(request),
        )
        return Response(KillSwitchSerializer(kill_switch_payload(switch)).data)
