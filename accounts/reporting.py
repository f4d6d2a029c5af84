"""Error reports and debug pages that never show a secret, with DEBUG on or off."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, QueryDict
from django.views.debug import SafeExceptionReporterFilter

# Where the API's JSON parser leaves the decoded body for this filter (see
# quantum_trader.parsers); form bodies are in request.POST.
JSON_BODY_ATTRIBUTE = "_qt_json_body"
_SENSITIVE_NAME = re.compile(
    "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|COOKIE|CREDENTIAL|PRIVATE|OTP|PIN",
    flags=re.IGNORECASE,
)


def _sensitive_values(data: Any) -> Iterator[str]:
    """Values under credential-like names anywhere in a decoded body."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        name, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((str(k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((name, v) for v in value)
        elif _SENSITIVE_NAME.search(name) and value not in (None, "", True, False):
            yield str(value)


class AlwaysSafeExceptionReporterFilter(SafeExceptionReporterFilter):
    """Django's filter, active also when DEBUG is on (Django's own switches off then).

    `sensitive_variables` and `sensitive_post_parameters` are honoured on the debug page
    too, settings holding connection URLs (which may embed passwords) are hidden, and the
    request body is masked: form fields and JSON members with credential-like names show
    as stars, and so does any frame variable whose value contains one of those values
    (the raw body, a parsed dict, a serializer's data).
    """

    hidden_settings = re.compile(
        "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|URL|DSN|BROKER|LOCATION|"
        "CHANNEL_LAYERS|DATABASES",
        flags=re.IGNORECASE,
    )

    def is_active(self, request: Any) -> bool:
        return True

    def _body_secrets(self, request: HttpRequest | None) -> list[str]:
        if request is None:
            return []
        secrets: list[str] = []
        post = getattr(request, "_post", None)
        if isinstance(post, QueryDict):
            for name, values in post.lists():
                if _SENSITIVE_NAME.search(name):
                    secrets.extend(v for v in values if v)
        secrets.extend(_sensitive_values(getattr(request, JSON_BODY_ATTRIBUTE, None)))
        return [s for s in secrets if len(s) >= 3]

    def get_post_parameters(self, request: HttpRequest | None) -> Any:
        params = super().get_post_parameters(request)
        if request is None or not isinstance(params, QueryDict):
            return params
        cleansed = params.copy()
        for name in cleansed:
            if _SENSITIVE_NAME.search(name):
                cleansed[name] = self.cleansed_substitute
        return cleansed

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> Any:
        variables = super().get_traceback_frame_variables(request, tb_frame)
        secrets = self._body_secrets(request)
        cleansed = []
        for name, value in variables:
            if _SENSITIVE_NAME.search(name) and value is not None:
                value = self.cleansed_substitute
            elif secrets:
                try:
                    text = repr(value)
                except Exception:  # a broken __repr__ must not break the error page
                    text = ""
                if any(secret in text for secret in secrets):
                    value = self.cleansed_substitute
            cleansed.append((name, value))
        return cleansed
