"""Wiring-level request guards: bounded query parameters on the API, Permissions-Policy."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

# An ISO 8601 date or date-time, as the API's time parameters take them.
_ISO_DATE = re.compile(r"^\s*([+-]?\d{4,})-\d{2}-\d{2}([T ].*)?$")
MIN_YEAR, MAX_YEAR = 1900, 2999
MAX_INT = 2**63 - 1  # the database's largest integer (ids, epoch milliseconds)
_INTEGER = re.compile(r"^\s*[+-]?[0-9]+\s*$")

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "usb",
        "xr-spatial-tracking",
    )
)


def _problem(name: str, message: str) -> JsonResponse:
    """A 400 in the API's error shape (see the API contract), naming the parameter."""
    return JsonResponse(
        {
            "code": "validation_error",
            "message": f"{name}: {message}",
            "field": name,
            "fields": {name: [message]},
        },
        status=400,
    )


def _too_big_for(text: str, high: int) -> bool:
    digits = text.strip().lstrip("+")
    return len(digits.lstrip("-")) > 19 or int(digits) > high


def _too_big(text: str) -> bool:
    """An integer (ASCII digits) beyond what any id or timestamp column can hold."""
    if _INTEGER.match(text) is None:
        return False
    digits = text.strip().lstrip("+-")
    return len(digits) > 19 or int(digits) > MAX_INT


def query_problem(request: HttpRequest) -> JsonResponse | None:
    """Refuse out-of-range paging and dates before any view sees them."""
    # Too large is refused here (the database cannot take it); other bad values (0, -1,
    # text) are left to each view, whose own validation or defaults handle them.
    bounds = {"limit": settings.API_MAX_PAGE_SIZE, "offset": settings.API_MAX_OFFSET}
    for name, high in bounds.items():
        for value in request.GET.getlist(name):
            if _INTEGER.match(value) is not None and _too_big_for(value, high):
                return _problem(name, f"Must be at most {high}.")
    for name, values in request.GET.lists():
        for value in values:
            if any(_too_big(part) for part in value.split(",")):
                return _problem(name, f"Whole numbers must be within ±{MAX_INT}.")
            match = _ISO_DATE.match(value)
            if match is None:
                continue
            year = int(match.group(1)) if len(match.group(1).lstrip("+-")) <= 6 else 0
            if not MIN_YEAR <= year <= MAX_YEAR:
                return _problem(name, f"Dates must be between the years {MIN_YEAR} and {MAX_YEAR}.")
    return None


class ApiQueryBoundsMiddleware:
    """Range-check `limit`, `offset`, every integer and every date in /api/ query strings."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            problem = query_problem(request)
            if problem is not None:
                return problem
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Turn off browser features the app never uses, on every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
