"""The API error shape of the contract, for the order views.

{"code", "message", "field", "fields"}: project errors (QuantumTraderError) carry their own
code, field and status; validation errors become "validation_error" with every field's
messages (nested names joined with "."); other DRF errors keep their status with a stable
code. Other views get the same shape once one project-wide handler renders it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import Http404
from drf_spectacular.utils import inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

from markets.core.errors import QuantumTraderError

_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    415: "unsupported_media_type",
    429: "throttled",
}


# The body of every error response ("fields" would shadow Serializer.fields in a class).
ApiError = inline_serializer(
    "ApiError",
    {
        "code": serializers.CharField(),
        "message": serializers.CharField(),
        "field": serializers.CharField(allow_null=True),
        "fields": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
    },
)


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    if isinstance(detail, Mapping):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            flat.update(_flatten(value, name))
        return flat
    if isinstance(detail, list) and detail and all(isinstance(d, str) for d in detail):
        return {prefix or "non_field_errors": [str(d) for d in detail]}
    if isinstance(detail, list):
        flat = {}
        for index, value in enumerate(detail):
            flat.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    return {prefix or "non_field_errors": [str(detail)]}


def error_body(
    code: str, message: str, field: str | None, fields: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    return {"code": code, "message": message, "field": field, "fields": fields or {}}


def contract_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Render an error in the contract's shape."""
    if isinstance(exc, QuantumTraderError):
        fields = {exc.field: [exc.message]} if exc.field else {}
        return Response(error_body(exc.code, exc.message, exc.field, fields), status=exc.status)
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        first = next(iter(fields), None)
        message = f"{first}: {fields[first][0]}" if first else "Invalid input."
        return Response(error_body("validation_error", message, first, fields), status=400)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, Http404):
        message = str(exc) or "Not found."
    else:
        detail = getattr(exc, "detail", "")
        message = str(detail) if detail else response.status_text
    code = _CODES.get(response.status_code, "error")
    response.data = error_body(code, message, None)
    return response


class ContractAPIView(APIView):
    """An APIView whose errors follow the contract's shape."""

    def get_exception_handler(self) -> Any:
        return contract_exception_handler
