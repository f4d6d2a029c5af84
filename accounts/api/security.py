"""The user's own security: sign-ins (sessions and tokens) and the audit log about them."""

from __future__ import annotations

from typing import cast

from django.contrib.auth import logout
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import AuditEvent, User, UserSession
from accounts.services import client_ip, sign_in_revoke, sign_out_everywhere

MAX_ID = 2**63 - 1


def object_id(text: str) -> int:
    """An id from the URL: ASCII digits within the database's range, else 404."""
    if not (text.isascii() and text.isdigit()) or len(text) > 19 or int(text) > MAX_ID:
        raise NotFound("No such session or token.")
    return int(text)


class SignInSerializer(serializers.ModelSerializer[UserSession]):
    current = serializers.SerializerMethodField(help_text="The sign-in this request came with.")
    token_hint = serializers.SerializerMethodField(help_text="A token's last 4 characters.")

    class Meta:
        model = UserSession
        fields = (
            "id",
            "kind",
            "created_at",
            "last_used_at",
            "ip_address",
            "last_used_ip",
            "user_agent",
            "current",
            "token_hint",
        )
        read_only_fields = fields

    def get_current(self, obj: UserSession) -> bool:
        request = self.context["request"]
        if isinstance(request.auth, UserSession):
            return obj.pk == request.auth.pk
        return bool(obj.session_key) and obj.session_key == request._request.session.session_key

    def get_token_hint(self, obj: UserSession) -> str | None:
        return f"…{obj.token_last4}" if obj.kind == UserSession.Kind.TOKEN else None


class SignInListView(generics.ListAPIView[UserSession]):
    """The signed-in user's browser sessions and API tokens, most recently used first."""

    permission_classes = (IsAuthenticated,)
    serializer_class = SignInSerializer

    def get_queryset(self) -> QuerySet[UserSession]:
        return UserSession.objects.filter(user=cast(User, self.request.user))


class SignInDetailView(APIView):
    """Revoke one of the user's sessions or tokens (another user's is 404)."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, pk: str) -> Response:
        user = cast(User, request.user)
        sign_in_id = object_id(pk)
        try:
            sign_in_revoke(user=user, sign_in_id=sign_in_id, ip_address=client_ip(request))
        except UserSession.DoesNotExist:
            raise NotFound("No such session or token.") from None
        if (
            request._request.user.is_authenticated
            and not UserSession.objects.filter(
                session_key=request._request.session.session_key
            ).exists()
        ):
            logout(request._request)  # the current session was the one revoked
        return Response(status=status.HTTP_204_NO_CONTENT)


class SignOutEverywhereView(APIView):
    """Revoke every session and token of the user, this one included."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(
        request=None,
        responses={
            200: inline_serializer("SignOutEverywhere", {"revoked": serializers.IntegerField()})
        },
    )
    def post(self, request: Request) -> Response:
        revoked = sign_out_everywhere(user=cast(User, request.user), ip_address=client_ip(request))
        if request._request.user.is_authenticated:
            logout(request._request)
        return Response({"revoked": revoked})


class AuditEventSerializer(serializers.ModelSerializer[AuditEvent]):
    action_label = serializers.CharField(source="get_action_display", read_only=True)
    by_staff = serializers.SerializerMethodField(
        help_text="Done by someone else (a staff member), not by the user."
    )

    class Meta:
        model = AuditEvent
        fields = (
            "id",
            "created_at",
            "action",
            "action_label",
            "target_type",
            "target_repr",
            "ip_address",
            "by_staff",
            "details",
        )
        read_only_fields = fields

    def get_by_staff(self, obj: AuditEvent) -> bool:
        return obj.actor_id is not None and obj.actor_id != obj.subject_id


class AuditEventListView(generics.ListAPIView[AuditEvent]):
    """The user's own security activity: sign-ins, failures, lockouts, keys, live trading."""

    permission_classes = (IsAuthenticated,)
    serializer_class = AuditEventSerializer

    def get_queryset(self) -> QuerySet[AuditEvent]:
        return AuditEvent.objects.filter(subject=cast(User, self.request.user))
