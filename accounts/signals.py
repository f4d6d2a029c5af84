"""Signal receivers: record browser sessions as they start and end."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from accounts.services.sessions import session_forget, session_track


@receiver(user_logged_in, dispatch_uid="accounts.session_track")
def _session_started(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and user is not None:
        session_track(user=user, request=request)


@receiver(user_logged_out, dispatch_uid="accounts.session_forget")
def _session_ended(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        session_forget(session.session_key)
