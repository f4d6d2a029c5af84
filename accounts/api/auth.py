"""Session login for the dashboard and token login for scripts."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_protect, ensure_csrf_cookie
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.throttling import LoginThrottle
from accounts.models import User, UserSession
from accounts.services import (
    client_ip,
    guarded_attempt,
    password_change,
    password_reset_confirm,
    password_reset_request,
    session_forget,
    session_rekey,
    token_issue,
    token_revoke,
    user_register,
)

_sensitive = method_decorator(
    sensitive_post_parameters("password", "old_password", "new_password", "token"),
    name="dispatch",
)


class UserSerializer(serializers.ModelSerializer[User]):
    class Meta:
        model = User
        fields = ("id", "username", "email", "is_staff")
        read_only_fields = fields


class CredentialsSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(
        max_length=128, write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )

    @method_decorator(sensitive_variables("attrs"))
    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        request = self.context["request"]
        username = attrs["username"]
        # The same answer whether or not the username exists: no account enumeration.
        user = guarded_attempt(
            username=username,
            ip_address=client_ip(request),
            attempt=lambda: authenticate(request, username=username, password=attrs["password"]),
            door=self.context.get("door", "api"),
        )
        if user is None:
            raise serializers.ValidationError("Wrong username or password.", code="authorization")
        attrs["user"] = user
        return attrs


class _LoginThrottled(APIView):
    permission_classes = (AllowAny,)
    throttle_classes = (LoginThrottle,)


@_sensitive
@method_decorator(csrf_protect, name="dispatch")
class LoginView(_LoginThrottled):
    """Start a browser session (CSRF-protected); answers with the user."""

    authentication_classes = ()

    @extend_schema(request=CredentialsSerializer, responses={200: UserSerializer})
    def post(self, request: Request) -> Response:
        serializer = CredentialsSerializer(
            data=request.data, context={"request": request, "door": "api_session"}
        )
        serializer.is_valid(raise_exception=True)
        login(request._request, serializer.validated_data["user"])
        return Response(UserSerializer(serializer.validated_data["user"]).data)


@_sensitive
class TokenView(_LoginThrottled):
    """Exchange a username and password for an API token (for scripts)."""

    authentication_classes = ()

    @extend_schema(
        request=CredentialsSerializer,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
    )
    def post(self, request: Request) -> Response:
        serializer = CredentialsSerializer(
            data=request.data, context={"request": request, "door": "api_token"}
        )
        serializer.is_valid(raise_exception=True)
        token = token_issue(user=serializer.validated_data["user"], request=request)
        return Response({"token": token})


class LogoutView(APIView):
    """Sign out: revoke the token the request came with, or end the browser session."""

    permission_classes = (AllowAny,)

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        if isinstance(request.auth, UserSession):
            token_revoke(request.auth)
        else:
            session_forget(request._request.session.session_key)
            logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    """The signed-in user."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(responses={200: UserSerializer})
    def get(self, request: Request) -> Response:
        user = cast(User, request.user)  # IsAuthenticated lets only a real user in
        return Response(UserSerializer(user).data)


@method_decorator(ensure_csrf_cookie, name="dispatch")
class CsrfView(APIView):
    """Set the CSRF cookie for a client that has none yet."""

    permission_classes = (AllowAny,)
    authentication_classes = ()

    @extend_schema(request=None, responses={204: None})
    def get(self, request: Request) -> Response:
        return Response(status=status.HTTP_204_NO_CONTENT)


def _password_errors(error: DjangoValidationError, field: str) -> serializers.ValidationError:
    return serializers.ValidationError({field: list(error.messages)})


def _password_field() -> serializers.CharField:
    return serializers.CharField(
        max_length=128, write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )


class PasswordChangeSerializer(serializers.Serializer[Any]):
    old_password = _password_field()
    new_password = _password_field()


@_sensitive
class PasswordChangeView(APIView):
    """Change the signed-in user's password (the old one is required); revokes API tokens."""

    permission_classes = (IsAuthenticated,)
    throttle_classes = (LoginThrottle,)

    @extend_schema(request=PasswordChangeSerializer, responses={204: None})
    def post(self, request: Request) -> Response:
        serializer = PasswordChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = cast(User, request.user)
        if not user.check_password(serializer.validated_data["old_password"]):
            raise serializers.ValidationError(
                {"old_password": ["The current password is wrong."]}, code="authorization"
            )
        try:
            password_change(
                user=user,
                new_password=serializer.validated_data["new_password"],
                ip_address=client_ip(request),
            )
        except DjangoValidationError as e:
            raise _password_errors(e, "new_password") from None
        old_key = request._request.session.session_key
        update_session_auth_hash(request._request, user)
        session_rekey(old_key=old_key, new_key=request._request.session.session_key)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordResetSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField(max_length=254)


class PasswordResetView(_LoginThrottled):
    """E-mail a reset link. Always answers 202, whether or not the address is known."""

    authentication_classes = ()

    @extend_schema(request=PasswordResetSerializer, responses={202: None})
    def post(self, request: Request) -> Response:
        serializer = PasswordResetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        password_reset_request(
            email=serializer.validated_data["email"], link_base=request.build_absolute_uri("/")
        )
        return Response(status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmSerializer(serializers.Serializer[Any]):
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128, write_only=True)
    new_password = _password_field()


@_sensitive
class PasswordResetConfirmView(_LoginThrottled):
    """Set a new password from the e-mailed link's uid and token."""

    authentication_classes = ()

    @extend_schema(request=PasswordResetConfirmSerializer, responses={204: None})
    def post(self, request: Request) -> Response:
        serializer = PasswordResetConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            password_reset_confirm(
                uid=serializer.validated_data["uid"],
                token=serializer.validated_data["token"],
                new_password=serializer.validated_data["new_password"],
                ip_address=client_ip(request),
            )
        except DjangoValidationError as e:
            raise _password_errors(e, "new_password") from None
        return Response(status=status.HTTP_204_NO_CONTENT)


class RegisterSerializer(serializers.Serializer[Any]):
    username = serializers.RegexField(r"^[\w.@+-]+$", max_length=150)
    email = serializers.EmailField(max_length=254)
    password = _password_field()


@_sensitive
class RegisterView(_LoginThrottled):
    """Create an ordinary account, when the server allows self-registration (QT_ALLOW_SIGNUP)."""

    authentication_classes = ()

    @extend_schema(request=RegisterSerializer, responses={201: UserSerializer})
    def post(self, request: Request) -> Response:
        if not settings.QT_ALLOW_SIGNUP:
            raise NotFound("Self-registration is turned off on this server.")
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if User.objects.filter(username__iexact=data["username"]).exists():
            raise serializers.ValidationError(
                {"username": ["This username is taken."]}, code="unique"
            )
        try:
            user = user_register(
                username=data["username"],
                email=data["email"],
                password=data["password"],
                ip_address=client_ip(request),
            )
        except DjangoValidationError as e:
            raise _password_errors(e, "password") from None
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)
