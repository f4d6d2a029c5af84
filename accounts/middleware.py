"""Request middleware of the accounts app: the client address in logs, session bookkeeping."""

from __future__ import annotations

from collections.abc import Callable

import structlog
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from accounts.services.client_address import client_address
from accounts.services.sessions import session_sign_in, sign_in_touch


class ClientAddressMiddleware:
    """Bind the real client address (see client_address) to every log line of the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with structlog.contextvars.bound_contextvars(client_ip=client_address(request)):
            return self.get_response(request)


class SessionSignInMiddleware:
    """Keep each browser session's "last used" fresh; end a session whose record is gone.

    Revoking deletes the session itself, so this is a backstop: a signed-in session with
    no record (revoked, or started before records existed) is signed out.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is not None and user.is_authenticated and session is not None:
            sign_in = session_sign_in(session.session_key)
            if sign_in is None or sign_in.user_id != user.pk:
                logout(request)
            else:
                sign_in_touch(sign_in, request=request)
        return self.get_response(request)
