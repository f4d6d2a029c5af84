"""Websocket authentication: the session cookie (browsers) or a DRF token (scripts).

Scripts send `Authorization: Token <key>` as a handshake header. Tokens are never read
from the query string, which proxies and access logs record.
"""

from __future__ import annotations

from typing import Any

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser


@database_sync_to_async
def _user_for_token(key: str) -> Any:
    from rest_framework.authtoken.models import Token

    try:
        token = Token.objects.select_related("user").get(key=key)
    except Token.DoesNotExist:
        return AnonymousUser()
    return token.user if token.user.is_active else AnonymousUser()


class _TokenHeaderMiddleware:
    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        headers = dict(scope.get("headers") or [])
        auth = headers.get(b"authorization", b"").decode("latin1")
        scheme, _, key = auth.partition(" ")
        if scheme.lower() == "token" and key.strip():
            scope = {**scope, "user": await _user_for_token(key.strip())}
        return await self.inner(scope, receive, send)


def WebsocketAuthMiddleware(inner: Any) -> Any:
    """Session auth first; a token header, when present, decides the user instead."""
    return AuthMiddlewareStack(_TokenHeaderMiddleware(inner))
