"""Notification channels, preferences and the notification centre of the signed-in user.

Channel URLs and webhook secrets are write-only: a channel shows its target masked, and a
webhook's signing secret is shown once, in the answer that creates the channel.
"""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.core.notifications import EVENT_KINDS
from accounts.models import Delivery, Notification, NotificationChannel, User
from accounts.notifications import services

_EVENT_CHOICES = sorted(EVENT_KINDS)
_CHANNEL_FIELDS: tuple[str, ...] = (
    "id",
    "kind",
    "label",
    "events",
    "masked_target",
    "max_per_hour",
    "enabled",
    "paused",
    "paused_reason",
    "consecutive_failures",
    "last_success_at",
    "last_failure_at",
    "created_at",
)


class NotificationChannelSerializer(serializers.ModelSerializer[NotificationChannel]):
    """A channel as its owner sees it: the target masked, the secrets never."""

    events = serializers.ListField(child=serializers.ChoiceField(choices=_EVENT_CHOICES))

    class Meta:
        model = NotificationChannel
        fields: tuple[str, ...] = _CHANNEL_FIELDS
        read_only_fields: tuple[str, ...] = _CHANNEL_FIELDS


class NotificationChannelCreatedSerializer(NotificationChannelSerializer):
    secret = serializers.CharField(
        help_text="A webhook's signing secret, shown only now (empty for other kinds)."
    )

    class Meta(NotificationChannelSerializer.Meta):
        fields = (*_CHANNEL_FIELDS, "secret")
        read_only_fields = (*_CHANNEL_FIELDS, "secret")


class NotificationChannelCreateSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=NotificationChannel.Kind.choices)
    label = serializers.CharField(max_length=64)  # type: ignore[assignment]
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=_EVENT_CHOICES), max_length=len(_EVENT_CHOICES)
    )
    url = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        write_only=True,
        help_text="Webhook URL, or an Apprise URL (tgram://, discord://, ntfy://, ...).",
    )
    email = serializers.EmailField(required=False, allow_blank=True)
    max_per_hour = serializers.IntegerField(min_value=1, max_value=10_000, default=30)


class NotificationChannelUpdateSerializer(serializers.Serializer[Any]):
    label = serializers.CharField(max_length=64, required=False)  # type: ignore[assignment]
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=_EVENT_CHOICES),
        max_length=len(_EVENT_CHOICES),
        required=False,
    )
    url = serializers.CharField(max_length=2000, required=False, write_only=True)
    email = serializers.EmailField(required=False)
    max_per_hour = serializers.IntegerField(min_value=1, max_value=10_000, required=False)
    enabled = serializers.BooleanField(required=False)
    paused = serializers.BooleanField(required=False, help_text="false resumes a paused channel.")


class DeliverySerializer(serializers.ModelSerializer[Delivery]):
    class Meta:
        model = Delivery
        fields = (
            "id",
            "notification",
            "kind",
            "is_test",
            "status",
            "reason",
            "attempts",
            "next_attempt_at",
            "response_code",
            "response_excerpt",
            "error",
            "created_at",
            "delivered_at",
        )
        read_only_fields = fields


_ERRORS = {400: OpenApiResponse(description="Field errors (the body's `fields` names them).")}


def _owner(request: Request) -> User:
    return cast(User, request.user)  # IsAuthenticated lets only a real user in


@method_decorator(sensitive_post_parameters("url"), name="dispatch")
class NotificationChannelViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[NotificationChannel],
):
    """The signed-in user's notification channels. Another user's channel answers 404."""

    permission_classes = (IsAuthenticated,)
    serializer_class = NotificationChannelSerializer

    def get_queryset(self) -> QuerySet[NotificationChannel]:
        if getattr(self, "swagger_fake_view", False):  # the schema is built without a user
            return NotificationChannel.objects.none()
        return NotificationChannel.objects.filter(owner=_owner(self.request)).order_by("pk")

    @extend_schema(
        request=NotificationChannelCreateSerializer,
        responses={201: NotificationChannelCreatedSerializer, **_ERRORS},
    )
    @method_decorator(sensitive_variables())
    def create(self, request: Request) -> Response:
        """Add a channel; a webhook's signing secret is in this answer only."""
        serializer = NotificationChannelCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        channel, secret = services.channel_create(
            owner=_owner(request),
            kind=data["kind"],
            label=data["label"],
            events=data["events"],
            url=data.get("url", ""),
            email=data.get("email", ""),
            max_per_hour=data["max_per_hour"],
        )
        body = {**NotificationChannelSerializer(channel).data, "secret": secret}
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=NotificationChannelUpdateSerializer,
        responses={200: NotificationChannelSerializer, **_ERRORS},
    )
    @method_decorator(sensitive_variables())
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        """Change a channel; `paused: false` resumes one that was paused after failures."""
        channel = self.get_object()
        serializer = NotificationChannelUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        channel = services.channel_update(
            owner=_owner(request), channel_id=channel.pk, changes=dict(serializer.validated_data)
        )
        return Response(NotificationChannelSerializer(channel).data)

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        """Remove the channel and its delivery log."""
        channel = self.get_object()
        services.channel_delete(owner=_owner(request), channel_id=channel.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={202: DeliverySerializer})
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: str | None = None) -> Response:
        """Queue a test message to the channel; its delivery shows in the channel's log."""
        channel = self.get_object()
        delivery = services.channel_test(owner=_owner(request), channel_id=channel.pk)
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={200: DeliverySerializer(many=True)})
    @action(detail=True, methods=["get"])
    def deliveries(self, request: Request, pk: str | None = None) -> Response:
        """The channel's last 50 deliveries, newest first, with the receivers' answers."""
        channel = self.get_object()
        rows = Delivery.objects.filter(channel=channel).order_by("-created_at", "-id")[:50]
        return Response(DeliverySerializer(rows, many=True).data)


class EventKindSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]


class PreferenceSerializer(serializers.Serializer[Any]):
    quiet_start = serializers.TimeField(allow_null=True, required=False, format="%H:%M")
    quiet_end = serializers.TimeField(allow_null=True, required=False, format="%H:%M")
    timezone = serializers.CharField(max_length=64, required=False)
    event_kinds = EventKindSerializer(many=True, read_only=True)


def _preference_body(user: User) -> dict[str, Any]:
    preference = services.preference_get(user=user)
    kinds = [{"kind": k, "label": v} for k, v in EVENT_KINDS.items()]
    return dict(
        PreferenceSerializer(
            {
                "quiet_start": preference.quiet_start,
                "quiet_end": preference.quiet_end,
                "timezone": preference.timezone,
                "event_kinds": kinds,
            }
        ).data
    )


class NotificationPreferenceView(APIView):
    """Quiet hours (in the user's time zone) and the event kinds a channel can take."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(responses={200: PreferenceSerializer})
    def get(self, request: Request) -> Response:
        return Response(_preference_body(_owner(request)))

    @extend_schema(request=PreferenceSerializer, responses={200: PreferenceSerializer, **_ERRORS})
    def patch(self, request: Request) -> Response:
        serializer = PreferenceSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.preference_update(user=_owner(request), changes=dict(serializer.validated_data))
        return Response(_preference_body(_owner(request)))


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ("id", "kind", "title", "body", "data", "created_at", "read", "read_at")
        read_only_fields = fields

    def get_read(self, obj: Notification) -> bool:
        return obj.read_at is not None


class NotificationListView(generics.ListAPIView[Notification]):
    """The user's notifications of the last 30 days, newest first (`?unread=true` filters)."""

    permission_classes = (IsAuthenticated,)
    serializer_class = NotificationSerializer

    @extend_schema(parameters=[OpenApiParameter("unread", bool, required=False)])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Notification]:
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        rows = Notification.objects.filter(user=_owner(self.request))
        if self.request.query_params.get("unread") in ("true", "1"):
            rows = rows.filter(read_at__isnull=True)
        return rows.order_by("-created_at", "-id")


class UnreadCountSerializer(serializers.Serializer[Any]):
    unread = serializers.IntegerField()


class NotificationUnreadCountView(APIView):
    """How many of the user's notifications are unread (the header's badge)."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(responses={200: UnreadCountSerializer})
    def get(self, request: Request) -> Response:
        unread = Notification.objects.filter(user=_owner(request), read_at__isnull=True).count()
        return Response({"unread": unread})


class MarkReadSerializer(serializers.Serializer[Any]):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        max_length=1000,
        help_text="Which notifications; without it, all of them.",
    )


class MarkedSerializer(serializers.Serializer[Any]):
    marked = serializers.IntegerField()


class NotificationMarkReadView(APIView):
    """Mark some or all of the user's notifications read."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(request=MarkReadSerializer, responses={200: MarkedSerializer, **_ERRORS})
    def post(self, request: Request) -> Response:
        serializer = MarkReadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        marked = services.notifications_mark_read(
            user=_owner(request), ids=serializer.validated_data.get("ids")
        )
        return Response({"marked": marked})
