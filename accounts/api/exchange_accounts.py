"""`/api/exchange-accounts/`: a user's exchange keys. Secrets are write-only; keys show masked."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts import selectors, services
from accounts.core.credentials import MAX_API_KEY, MAX_PASSPHRASE, MAX_SECRET
from accounts.models import ExchangeAccount, User

_SECRET_FIELDS = ("api_key", "secret", "passphrase")


class PermissionsSerializer(serializers.Serializer[Any]):
    known = serializers.BooleanField(source="permissions_known")
    can_trade = serializers.BooleanField()
    can_withdraw = serializers.BooleanField()
    can_transfer = serializers.BooleanField()
    ip_restricted = serializers.BooleanField(allow_null=True)
    checked_at = serializers.DateTimeField(allow_null=True)


class ExchangeAccountSerializer(serializers.ModelSerializer[ExchangeAccount]):
    """The stored account as shown to its owner: the key masked, secrets never."""

    exchange = serializers.CharField(source="exchange.ccxt_id")
    api_key = serializers.CharField(source="masked_api_key", help_text="Last four characters.")
    has_passphrase = serializers.BooleanField()
    warnings = serializers.ListField(child=serializers.CharField())
    permissions = PermissionsSerializer(source="*")

    class Meta:
        model = ExchangeAccount
        fields = (
            "id",
            "exchange",
            "label",
            "mode",
            "api_key",
            "has_passphrase",
            "status",
            "status_message",
            "warnings",
            "permissions",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


def _secret_field(max_length: int, *, required: bool) -> serializers.CharField:
    return serializers.CharField(
        write_only=True,
        required=required,
        allow_blank=not required,
        max_length=max_length,
        style={"input_type": "password"},
    )


class ExchangeAccountCreateSerializer(serializers.Serializer[Any]):
    exchange = serializers.SlugField(max_length=32, help_text="ccxt id, e.g. binance")
    label = serializers.CharField(max_length=64)  # type: ignore[assignment]
    mode = serializers.ChoiceField(choices=ExchangeAccount.Mode.choices)
    api_key = _secret_field(MAX_API_KEY, required=True)
    secret = _secret_field(MAX_SECRET, required=True)
    passphrase = _secret_field(MAX_PASSPHRASE, required=False)


class ExchangeAccountUpdateSerializer(serializers.Serializer[Any]):
    """Blank or missing credential fields keep the stored values."""

    label = serializers.CharField(max_length=64, required=False)  # type: ignore[assignment]
    api_key = _secret_field(MAX_API_KEY, required=False)
    secret = _secret_field(MAX_SECRET, required=False)
    passphrase = _secret_field(MAX_PASSPHRASE, required=False)


ConnectionReportSerializer = inline_serializer(
    "ConnectionReport",
    {
        "ok": serializers.BooleanField(),
        "failure": serializers.ChoiceField(
            choices=[
                "",
                "auth",
                "permission",
                "rate_limited",
                "exchange_down",
                "network",
                "unknown_exchange",
                "exchange_error",
                "decryption",
                "key_scope",
            ]
        ),
        "detail": serializers.CharField(),
        "exchange_message": serializers.CharField(),
        "warnings": serializers.ListField(child=serializers.CharField()),
        "permissions": serializers.DictField(allow_null=True),
    },
)

_ERRORS = {
    400: OpenApiResponse(
        description="Field errors: malformed key, unknown exchange, key refused by the "
        "exchange or allowed to withdraw or transfer, live mode without IP restriction."
    ),
    409: OpenApiResponse(description="The stored credentials cannot be decrypted."),
    503: OpenApiResponse(description="The exchange could not be reached; nothing was stored."),
}

_hide_secrets = method_decorator(sensitive_post_parameters(*_SECRET_FIELDS), name="dispatch")


@_hide_secrets
class ExchangeAccountViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[ExchangeAccount],
):
    """The signed-in user's exchange accounts. Another user's account answers 404."""

    permission_classes = (IsAuthenticated,)
    serializer_class = ExchangeAccountSerializer

    def get_queryset(self) -> QuerySet[ExchangeAccount]:
        return selectors.exchange_account_list(owner_id=self._owner().pk)

    def _owner(self) -> User:
        return cast(User, self.request.user)  # IsAuthenticated lets only a real user in

    @extend_schema(
        request=ExchangeAccountCreateSerializer,
        responses={201: ExchangeAccountSerializer, **_ERRORS},
    )
    @method_decorator(sensitive_variables())
    def create(self, request: Request) -> Response:
        """Check the key with the exchange, then store it encrypted."""
        serializer = ExchangeAccountCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        account = services.exchange_account_create(
            owner=self._owner(),
            exchange_id=serializer.validated_data["exchange"],
            label=serializer.validated_data["label"],
            mode=serializer.validated_data["mode"],
            api_key=serializer.validated_data["api_key"],
            secret=serializer.validated_data["secret"],
            passphrase=serializer.validated_data.get("passphrase", ""),
            ip_address=services.client_ip(request),
        )
        return Response(ExchangeAccountSerializer(account).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ExchangeAccountUpdateSerializer,
        responses={200: ExchangeAccountSerializer, **_ERRORS},
    )
    @method_decorator(sensitive_variables())
    def update(self, request: Request, pk: str | None = None) -> Response:
        """Rename, or replace credentials (checked with the exchange first)."""
        account = self.get_object()
        serializer = ExchangeAccountUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        account = services.exchange_account_update(
            account_id=account.pk,
            owner=self._owner(),
            label=serializer.validated_data.get("label"),
            api_key=serializer.validated_data.get("api_key", ""),
            secret=serializer.validated_data.get("secret", ""),
            passphrase=serializer.validated_data.get("passphrase", ""),
            ip_address=services.client_ip(request),
        )
        return Response(ExchangeAccountSerializer(account).data)

    @extend_schema(
        request=ExchangeAccountUpdateSerializer,
        responses={200: ExchangeAccountSerializer, **_ERRORS},
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        """Same as update: every field is optional."""
        return self.update(request, pk=pk)

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        """Delete the account and its encrypted key."""
        account = self.get_object()
        services.exchange_account_delete(
            account_id=account.pk, owner=self._owner(), ip_address=services.client_ip(request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={200: ConnectionReportSerializer})
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: str | None = None) -> Response:
        """Ask the exchange what the key may do, and report exactly what failed if anything."""
        account = self.get_object()
        report = services.exchange_account_check(
            account_id=account.pk,
            owner_id=self._owner().pk,
            actor=self._owner(),
            ip_address=services.client_ip(request),
        )
        return Response(report.as_dict())
