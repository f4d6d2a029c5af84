"""The API's JSON parser: bounded size and depth, finite numbers only, clear 400s."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from rest_framework import exceptions
from rest_framework.parsers import JSONParser

from accounts.reporting import JSON_BODY_ATTRIBUTE
from quantum_trader import safejson


class SafeJSONParser(JSONParser):
    """Refuse bodies over `API_JSON_MAX_BYTES` or nested deeper than `API_JSON_MAX_DEPTH`,
    numbers that are not finite (NaN, Infinity, 1e999) and integers beyond 64 bits."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        limit = settings.API_JSON_MAX_BYTES
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise exceptions.ParseError(f"The JSON body is larger than {limit} bytes.")
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise exceptions.ParseError(f"The body is not {encoding} text.") from None
        try:
            data = safejson.loads(text, max_depth=settings.API_JSON_MAX_DEPTH)
        except safejson.JSONProblem as e:
            if e.path:
                raise exceptions.ValidationError({e.path: [str(e).split(": ", 1)[-1]]}) from None
            raise exceptions.ParseError(str(e)) from None
        # Let the error-page filter find credential values of this body to mask them.
        django_request = getattr((parser_context or {}).get("request"), "_request", None)
        if django_request is not None:
            setattr(django_request, JSON_BODY_ATTRIBUTE, data)
        return data
