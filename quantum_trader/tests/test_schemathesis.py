"""Property-based run of schemathesis over every operation of /api/schema/ (in-process WSGI).

Each generated case is sent twice, anonymously and with a fresh API token, and no answer
may be a server error. Examples per operation are bounded so the run stays near a minute.
Response-schema and status-code conformance are not checked here yet: the schema does not
document the error responses on this branch.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from accounts.services import token_issue
from quantum_trader.wsgi import application

MAX_EXAMPLES = 6

# Loaded at collection through the WSGI app (the schema view needs no database).
# /api/health/ and /api/ready/ answer 503 by design when the worker or broker is down (none
# runs here).
schema = (
    schemathesis.openapi.from_wsgi("/api/schema/", application)
    .exclude(path="/api/health/")
    .exclude(path="/api/ready/")
)
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
def test_no_operation_answers_with_a_server_error(case, alice):
    case.call_and_validate(checks=[not_a_server_error])
    key = token_issue(user=alice)
    case.call_and_validate(headers={"Authorization": f"Token {key}"}, checks=[not_a_server_error])
