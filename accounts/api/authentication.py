"""Token authentication for scripts: `Authorization: Token <key>`, revocable per token."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from accounts.models import User, UserSession
from accounts.services.sessions import sign_in_touch, token_lookup

KEYWORD = "Token"


class TokenAuthentication(BaseAuthentication):
    """Look the token up by its digest; answer 401 for an unknown or revoked one."""

    def authenticate(self, request: Request) -> tuple[User, UserSession] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send exactly `Authorization: Token <key>`.")
        try:
            key = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("The token is not valid.") from None
        sign_in = token_lookup(key) if len(key) <= 128 else None
        if sign_in is None or not sign_in.user.is_active:
            raise exceptions.AuthenticationFailed("The token is not valid or was revoked.")
        sign_in_touch(sign_in, request=request)
        return sign_in.user, sign_in

    def authenticate_header(self, request: Any) -> str:
        return KEYWORD


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """Describe the token scheme in the OpenAPI schema."""

    target_class = "accounts.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`, from POST /api/auth/token/.",
        }
