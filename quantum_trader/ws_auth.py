"""Websocket authentication: the session cookie (browsers) or a DRF token (scripts).

Scripts send `Authorization: Token <key>` as a handshake header. Tokens are never read
from the query string, which proxies and access logs record.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.security.websocket import OriginValidator
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http.request import split_domain_port, validate_host


@database_sync_to_async
def _user_for_token(key: str) -> tuple[Any, int | None]:
    from accounts.services import token_lookup

    sign_in = token_lookup(key) if len(key) <= 128 else None
    if sign_in is None or not sign_in.user.is_active:
        return AnonymousUser(), None
    return sign_in.user, sign_in.pk


@database_sync_to_async
def _session_sign_in_id(session_key: str) -> int | None:
    from accounts.services import session_sign_in

    sign_in = session_sign_in(session_key)
    return sign_in.pk if sign_in is not None else None


async def scope_sign_in_id(scope: dict[str, Any]) -> int | None:
    """The session or token a connection was opened with (its `UserSession` id), if known."""
    if "sign_in_id" in scope:  # a token header decided the user
        return scope["sign_in_id"]  # type: ignore[no-any-return]
    session_key = getattr(scope.get("session"), "session_key", None)
    return await _session_sign_in_id(session_key) if session_key else None


class _TokenHeaderMiddleware:
    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        headers = dict(scope.get("headers") or [])
        auth = headers.get(b"authorization", b"").decode("latin1")
        scheme, _, key = auth.partition(" ")
        if scheme.lower() == "token" and key.strip():
            user, sign_in_id = await _user_for_token(key.strip())
            scope = {**scope, "user": user, "sign_in_id": sign_in_id}
        return await self.inner(scope, receive, send)


def WebsocketAuthMiddleware(inner: Any) -> Any:
    """Session auth first; a token header, when present, decides the user instead."""
    return AuthMiddlewareStack(_TokenHeaderMiddleware(inner))


class SameOriginValidator(OriginValidator):
    """Accept a page's own origin (Origin matches Host, and Host is allowed), or a listed one.

    A page served by this server opens the stream from its own origin whatever port or name
    the server runs under; a page from any other site sends a foreign Origin and is refused.
    """

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if scope.get("type") == "websocket":
            headers = dict(scope.get("headers") or [])
            origin = headers.get(b"origin", b"").decode("latin1")
            host = headers.get(b"host", b"").decode("latin1")
            if origin and host and urlparse(origin).netloc == host:
                domain, _port = split_domain_port(host)
                if domain and validate_host(domain, settings.ALLOWED_HOSTS):
                    return await self.application(scope, receive, send)
        return await super().__call__(scope, receive, send)
