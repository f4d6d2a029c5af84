"""API throttles that count atomically on the shared cache and key on the real address.

DRF's stock throttles read, change and write a list in the cache (updates get lost under
concurrency) and key anonymous clients on the raw X-Forwarded-For header (any client can
pick a new identity per request). These count in a sliding window with one atomic step
(`accounts.services.counters.window_hit`) and identify clients through
`accounts.services.client_address`. A refused request gets 429 with Retry-After.
"""

from __future__ import annotations

import math
from typing import Any

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from accounts.services.client_address import client_address
from accounts.services.counters import window_hit

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """`"10/min"` -> (10, 60). The period's first letter decides: s, m, h or d."""
    count, _, period = rate.partition("/")
    return int(count), _PERIODS[period.strip()[0]]


class AtomicRateThrottle(BaseThrottle):
    """Admit at most `rate` requests per identity in any sliding window of its period."""

    scope = ""

    def __init__(self) -> None:
        self._wait = 0.0

    def rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        return str(rate) if rate is not None else None

    def identity(self, request: Request, view: Any) -> str | None:
        """Whom to count; None skips this throttle for the request."""
        return client_address(request) or "unknown"

    def allow_request(self, request: Request, view: Any) -> bool:
        rate = self.rate()
        ident = self.identity(request, view)
        if rate is None or ident is None:
            return True
        limit, period = parse_rate(rate)
        admitted, wait = window_hit(f"qt:throttle:{self.scope}:{ident}", limit=limit, window=period)
        self._wait = wait
        return admitted

    def wait(self) -> float:
        return float(max(1, math.ceil(self._wait)))


class AnonThrottle(AtomicRateThrottle):
    """Anonymous requests, per client address (`API_THROTTLE_ANON`)."""

    scope = "anon"

    def identity(self, request: Request, view: Any) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return super().identity(request, view)


class UserThrottle(AtomicRateThrottle):
    """Signed-in requests, per user (`API_THROTTLE_USER`)."""

    scope = "user"

    def identity(self, request: Request, view: Any) -> str | None:
        if request.user and request.user.is_authenticated:
            return f"user-{request.user.pk}"
        return None


class LoginThrottle(AtomicRateThrottle):
    """Sign-in and password-reset attempts, per client address (`API_THROTTLE_LOGIN`)."""

    scope = "login"


def login_rate_admit(address: str | None) -> tuple[bool, float]:
    """Count one sign-in attempt from `address` outside DRF (the admin login form)."""
    rate = LoginThrottle().rate()
    if rate is None:
        return True, 0.0
    limit, period = parse_rate(rate)
    return window_hit(f"qt:throttle:login:{address or 'unknown'}", limit=limit, window=period)
