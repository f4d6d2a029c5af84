"""One exception handler for the whole API, and the error shape it documents.

Every non-2xx JSON answer under /api/ has the same body:

    {"code": "<stable_snake_case>", "message": "<a sentence for the user>",
     "field": "<the offending input, or null>", "fields": {"<input>": ["<message>", ...]}}

`fields` is {} without per-field errors. DRF validation errors become code
"validation_error", with the first field's message (prefixed by its name) as `message` and
every field's messages in `fields` (nested names joined with "."; errors about the input as a
whole under "non_field_errors", which is not a field, so `field` is then null). Project errors
(`QuantumTraderError`) carry their own code, status and field. DRF's headers are kept:
`WWW-Authenticate` on 401, `Retry-After` on 429 (and on exchange rate limits).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.views import csrf, defaults
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from markets.core.errors import QuantumTraderError

NON_FIELD = "non_field_errors"

ERROR_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    429: "throttled",
}


def error_body(
    *,
    code: str,
    message: str,
    field: str | None = None,
    fields: Mapping[str, list[str]] | None = None,
) -> dict[str, Any]:
    """The documented error body."""
    return {"code": code, "message": message, "field": field, "fields": dict(fields or {})}


def flatten_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"a.b": [messages]}; list positions become name parts."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == NON_FIELD and prefix:
                name = prefix
            for k, v in flatten_errors(value, name).items():
                out.setdefault(k, []).extend(v)
    elif isinstance(detail, list | tuple):
        if all(not isinstance(item, Mapping | list | tuple) for item in detail):
            out[prefix or NON_FIELD] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                if item in ({}, [], None):
                    continue  # a list item without errors
                name = f"{prefix}.{index}" if prefix else str(index)
                for k, v in flatten_errors(item, name).items():
                    out.setdefault(k, []).extend(v)
    elif detail is not None:
        out[prefix or NON_FIELD] = [str(detail)]
    return out


def validation_body(detail: Any) -> dict[str, Any]:
    """The body of a validation error from DRF's error detail."""
    fields = flatten_errors(detail)
    if not fields:
        fields = {NON_FIELD: ["Invalid input."]}
    first, messages = next(iter(fields.items()))
    message = messages[0] if messages else "Invalid input."
    if first == NON_FIELD:
        return error_body(code="validation_error", message=message, field=None, fields=fields)
    return error_body(
        code="validation_error", message=f"{first}: {message}", field=first, fields=fields
    )


def _project_error(exc: QuantumTraderError) -> Response:
    set_rollback()
    headers: dict[str, str] = {}
    retry_after = getattr(exc, "retry_after", None)  # exchange rate limits, login lockouts
    if isinstance(retry_after, int | float) and retry_after > 0:
        headers["Retry-After"] = str(math.ceil(retry_after))
    body = error_body(
        code=exc.code, message=exc.message, field=exc.field, fields=exc.field_errors()
    )
    return Response(body, status=exc.status, headers=headers)


def api_exception_handler(exc: Exception, context: Mapping[str, Any]) -> Response | None:
    """Render every API error in the documented shape (REST_FRAMEWORK EXCEPTION_HANDLER)."""
    if isinstance(exc, QuantumTraderError):
        return _project_error(exc)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    # DRF sets WWW-Authenticate, Retry-After and the transaction rollback.
    response = drf_exception_handler(exc, dict(context))
    if response is None:
        return None  # not an API error: a bug, left to Django's 500 handling
    if isinstance(exc, exceptions.ValidationError):
        response.data = validation_body(exc.detail)
        return response
    assert isinstance(exc, exceptions.APIException)  # noqa: S101 - the DRF handler's contract
    code = exc.get_codes()
    if not isinstance(code, str) or code in ("error", "invalid"):
        code = ERROR_CODES.get(response.status_code, str(exc.default_code))
    detail = exc.detail
    message = str(detail) if not isinstance(detail, Mapping | list) else str(exc.default_detail)
    response.data = error_body(code=str(code), message=message)
    return response


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def not_found(request: HttpRequest, exception: Exception) -> HttpResponseBase:
    """handler404: the error shape for /api/ paths no route matches, Django's page elsewhere."""
    if _is_api(request):
        body = error_body(code="not_found", message="No API endpoint at this address.")
        return JsonResponse(body, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponseBase:
    """handler400: Django refused the request itself (too many form fields, a suspicious
    header): the error shape for /api/ paths, Django's page elsewhere."""
    if _is_api(request):
        body = error_body(
            code="bad_request",
            message="The request could not be read (too many fields or a malformed header).",
        )
        return JsonResponse(body, status=400)
    return defaults.bad_request(request, exception)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponseBase:
    """CSRF_FAILURE_VIEW: a 403 in the error shape for /api/ requests, Django's page elsewhere."""
    if _is_api(request):
        body = error_body(
            code="permission_denied",
            message="The CSRF check failed: send the csrftoken cookie's value "
            "in the X-CSRFToken header (GET /api/auth/csrf/ sets the cookie).",
        )
        return JsonResponse(body, status=403)
    return csrf.csrf_failure(request, reason)


def server_error(request: HttpRequest) -> HttpResponseBase:
    """handler500: the error shape for /api/ requests; the details stay in the logs."""
    if _is_api(request):
        body = error_body(code="server_error", message="Something went wrong on the server.")
        return JsonResponse(body, status=500)
    return defaults.server_error(request)


class ErrorSerializer(serializers.Serializer[Any]):
    """The one error body every API error has (documented as the `Error` component)."""

    code = serializers.CharField(
        help_text="Stable machine-readable code, e.g. validation_error, not_authenticated, "
        "permission_denied, not_found, throttled, market_not_verified."
    )
    message = serializers.CharField(help_text="A sentence to show the user.")
    field = serializers.CharField(
        allow_null=True, help_text="The input that caused the error, or null."
    )


# A declared field named "fields" would hide Serializer.fields, so it is added this way.
ErrorSerializer._declared_fields["fields"] = serializers.DictField(
    child=serializers.ListField(child=serializers.CharField()),
    help_text="Messages per input name (nested names joined with '.'); {} when none.",
)


ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": ErrorSerializer.__doc__,
    "properties": {
        "code": {
            "type": "string",
            "description": ErrorSerializer._declared_fields["code"].help_text,
        },
        "message": {"type": "string", "description": "A sentence to show the user."},
        "field": {
            "type": "string",
            "nullable": True,
            "description": "The input that caused the error, or null.",
        },
        "fields": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "Messages per input name (nested names joined with '.'); {} when none.",
        },
    },
    "required": ["code", "message", "field", "fields"],
}

DOCUMENTED_ERRORS = {
    "400": "Bad input: `validation_error` with per-field messages, or a specific code.",
    "401": "Not signed in (`not_authenticated`).",
    "403": "Signed in but not allowed (`permission_denied`), or a missing CSRF token.",
    "404": "No such object, or it belongs to someone else (`not_found`).",
    "429": "Too many requests (`throttled`); see the Retry-After header.",
}


def error_responses_hook(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular postprocessing: the Error component on every operation's errors."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in ("get", "put", "post", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            for status, description in DOCUMENTED_ERRORS.items():
                responses.setdefault(status, {"description": description})
            for status, response in responses.items():
                if status.startswith(("4", "5")) and not response.get("content"):
                    response["content"] = reference
    return result
