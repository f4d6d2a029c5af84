"""Property-based run of schemathesis over every operation of /api/schema/ (in-process WSGI).

Each generated case is sent twice, anonymously and with a fresh API token. Every answer must
conform to the schema: no server error, a status code the operation documents, a documented
Content-Type, and a body matching the documented response schema (the Error component for
errors). Size: every operation but /api/health/ (55), the schema's examples plus at most
MAX_EXAMPLES generated cases each, two requests per case: about 700 requests, near 30 s on
two cores.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.services import token_issue
from quantum_trader.wsgi import application

MAX_EXAMPLES = 6
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# Loaded at collection through the WSGI app (the schema view needs no database).
# /api/health/ answers 503 by design when the worker or broker is down (none runs here).
schema = schemathesis.openapi.from_wsgi("/api/schema/", application).exclude(path="/api/health/")
# Hypothesis-generated cases plus the schema's examples; the exhaustive "coverage" phase
# would multiply the run time several times over.
schema.config.phases.update(phases=["examples", "fuzzing"])


@pytest.fixture(autouse=True)
def _unthrottled_in_one_transaction(db, settings):
    rates = dict.fromkeys(("anon", "user", "login"), "1000000/min")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    settings.QT_LOGIN_LOCKOUT_FAILURES = 1_000_000
    # As Django's test client does: keep the test's connection (and transaction) open
    # across requests instead of closing it when each request ends.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_documented(case, alice):
    case.call_and_validate(checks=CHECKS)
    key = token_issue(user=alice)
    case.call_and_validate(headers={"Authorization": f"Token {key}"}, checks=CHECKS)
