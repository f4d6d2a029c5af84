"""Inbound alerts over the API: a bot's hook settings (owner only) and the hook itself.

`POST /api/hooks/<bot id>/` takes no sign-in: the hook's secret (header `X-QT-Secret` or
the body's `secret`) is the credential. Every alert it receives is logged with its outcome,
which the owner reads at `/api/bots/<id>/alerts/`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.http import Http404
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.services import client_ip
from trading.alerts import services
from trading.alerts.models import AlertHook, AlertReceipt
from trading.bots.selectors import bot_get
from trading.models import Bot

if TYPE_CHECKING:
    from accounts.models import User

_ERROR = OpenApiResponse(description="an error in the documented shape; see its code")


def _owned(request: Request, bot_id: int) -> Bot:
    try:
        return bot_get(owner=cast("User", request.user), bot_id=bot_id)
    except Bot.DoesNotExist:
        raise Http404("No such bot.") from None


_HOOK_FIELDS: tuple[str, ...] = (
    "url",
    "enabled",
    "secret_hint",
    "allowed_addresses",
    "max_per_minute",
    "window_seconds",
    "created_at",
    "updated_at",
)


class AlertHookSerializer(serializers.ModelSerializer[AlertHook]):
    url = serializers.SerializerMethodField(help_text="Where to send alerts.")
    secret_hint = serializers.SerializerMethodField(help_text="The secret's last 4 characters.")

    class Meta:
        model = AlertHook
        fields: tuple[str, ...] = _HOOK_FIELDS
        read_only_fields: tuple[str, ...] = _HOOK_FIELDS

    def get_url(self, obj: AlertHook) -> str:
        return f"/api/hooks/{obj.bot_id}/"

    def get_secret_hint(self, obj: AlertHook) -> str:
        return f"…{obj.secret_last4}" if obj.secret_last4 else ""


class AlertHookCreatedSerializer(AlertHookSerializer):
    secret = serializers.CharField(help_text="The new secret, shown only now ('' if kept).")

    class Meta(AlertHookSerializer.Meta):
        fields = (*_HOOK_FIELDS, "secret")
        read_only_fields = (*_HOOK_FIELDS, "secret")


class AlertHookUpdateSerializer(serializers.Serializer[Any]):
    enabled = serializers.BooleanField(required=False)
    allowed_addresses = serializers.ListField(
        child=serializers.CharField(max_length=50), required=False, max_length=50
    )
    max_per_minute = serializers.IntegerField(min_value=1, max_value=600, required=False)
    window_seconds = serializers.IntegerField(min_value=10, max_value=3600, required=False)
    rotate_secret = serializers.BooleanField(required=False, default=False)


class AlertReceiptSerializer(serializers.ModelSerializer[AlertReceipt]):
    class Meta:
        model = AlertReceipt
        fields = (
            "id",
            "received_at",
            "source_address",
            "alert_id",
            "action",
            "symbol",
            "price",
            "accepted",
            "reason",
            "message",
            "outcome",
            "order",
            "checks",
        )
        read_only_fields = fields


class AlertHookView(APIView):
    """A bot's inbound alert hook: read, set up (PUT; the secret is shown once), remove."""

    @extend_schema(responses={200: AlertHookSerializer, 404: _ERROR})
    def get(self, request: Request, bot_id: int) -> Response:
        """The hook's settings; a bot without one shows a disabled hook with no secret."""
        bot = _owned(request, bot_id)
        hook = services.hook_get(bot=bot) or AlertHook(bot=bot, enabled=False)
        return Response(AlertHookSerializer(hook).data)

    @extend_schema(
        request=AlertHookUpdateSerializer,
        responses={200: AlertHookCreatedSerializer, 400: _ERROR, 404: _ERROR},
    )
    def put(self, request: Request, bot_id: int) -> Response:
        bot = _owned(request, bot_id)
        serializer = AlertHookUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        rotate = bool(changes.pop("rotate_secret", False))
        hook, secret = services.hook_configure(bot=bot, changes=changes, rotate_secret=rotate)
        return Response({**AlertHookSerializer(hook).data, "secret": secret})

    @extend_schema(responses={204: None, 404: _ERROR})
    def delete(self, request: Request, bot_id: int) -> Response:
        services.hook_delete(bot=_owned(request, bot_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class AlertReceiptListView(APIView):
    """The last 100 alerts a bot's hook received, accepted or refused, with why."""

    @extend_schema(responses={200: AlertReceiptSerializer(many=True), 404: _ERROR})
    def get(self, request: Request, bot_id: int) -> Response:
        bot = _owned(request, bot_id)
        rows = AlertReceipt.objects.filter(hook__bot=bot).order_by("-received_at", "-id")[:100]
        return Response(AlertReceiptSerializer(rows, many=True).data)


class AlertAcceptedSerializer(serializers.Serializer[Any]):
    receipt = serializers.IntegerField()
    outcome = serializers.CharField()
    reason = serializers.CharField()
    order = serializers.IntegerField(allow_null=True)


@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(sensitive_post_parameters("secret"), name="dispatch")
class AlertInboundView(APIView):
    """Receive one alert for a bot: `{"action", "symbol", "price", "id", "timestamp", "secret"}`.

    Answers 202 when accepted (the outcome says whether an order was placed), and the error
    shape with the reason's code when refused: 403 wrong_secret or address_refused, 429
    rate_limited, 409 replayed or the bot cannot act, 400 malformed, stale_timestamp,
    missing_alert_id, bad_action or unknown_symbol. 404 when the bot has no enabled hook.
    """

    authentication_classes = ()
    permission_classes = (AllowAny,)

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={
            202: AlertAcceptedSerializer,
            400: _ERROR,
            403: _ERROR,
            404: _ERROR,
            409: _ERROR,
            429: _ERROR,
        },
        auth=[],
    )
    def post(self, request: Request, bot_id: int) -> Response:
        try:
            result = services.alert_receive(
                bot_id=bot_id,
                raw=request.body,
                address=client_ip(request),
                secret_header=request.META.get(services.SECRET_HEADER),
                timestamp_header=request.META.get("HTTP_X_QT_TIMESTAMP"),
            )
        except AlertHook.DoesNotExist:
            raise Http404("No alert hook here.") from None
        receipt, refused = result.receipt, result.refused
        if refused is not None:
            # Answered, not raised: the refusal's log entry is already committed and stays.
            body = {
                "code": refused.code,
                "message": refused.message,
                "field": refused.field,
                "fields": refused.field_errors(),
            }
            return Response(body, status=refused.status)
        return Response(
            {
                "receipt": receipt.pk,
                "outcome": receipt.outcome,
                "reason": receipt.message,
                "order": receipt.order_id,
            },
            status=status.HTTP_202_ACCEPTED,
        )
