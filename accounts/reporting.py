"""Error reports and debug pages that never show a secret, with DEBUG on or off."""

from __future__ import annotations

import re
from typing import Any

from django.views.debug import SafeExceptionReporterFilter


class AlwaysSafeExceptionReporterFilter(SafeExceptionReporterFilter):
    """Django's filter, active also when DEBUG is on (Django's own switches off then).

    `sensitive_variables` and `sensitive_post_parameters` are honoured on the debug page
    too, and settings holding connection URLs (which may embed passwords) are hidden.
    """

    hidden_settings = re.compile(
        "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|URL|DSN|BROKER|LOCATION|"
        "CHANNEL_LAYERS|DATABASES",
        flags=re.IGNORECASE,
    )

    def is_active(self, request: Any) -> bool:
        return True
