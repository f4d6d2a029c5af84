"""Property-based run of schemathesis over every operation of /api/schema/ (in-process WSGI).

Each generated case is sent twice, anonymously and with a fresh API token. Every answer must
conform to the schema: no server error, a status code the operation documents, a documented
Content-Type, and a body matching the documented response schema (the Error component for
errors). Size: every operation (56), the schema's examples plus at most MAX_EXAMPLES
generated cases each, two requests per case: about 700 requests.

A stateful run then follows the links schemathesis infers between operations (an id a POST
or a list answers with, used by the GET, PATCH, DELETE and actions of that object) as a
signed-in user, with the same checks: STATEFUL_SCENARIOS scenarios of at most STATEFUL_STEPS
calls (about 90 calls; with no markets in the test database most creations are refused with
a 400, so the linked calls mostly meet 404s). Both together take near 50 s on two cores.
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
from quantum_trader.celery import heartbeat_task
from quantum_trader.wsgi import application

MAX_EXAMPLES = 6
STATEFUL_SCENARIOS = 15
STATEFUL_STEPS = 6
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# Loaded at collection through the WSGI app (the schema view needs no database).
# /api/ready/ answers 503 by design when the worker, beat or broker is down (none runs here).
schema = schemathesis.openapi.from_wsgi("/api/schema/", application).exclude(path="/api/ready/")
# Hypothesis-generated cases plus the schema's examples, and the linked scenarios; the
# exhaustive "coverage" phase would multiply the run time several times over.
schema.config.phases.update(phases=["examples", "fuzzing", "stateful"])


@pytest.fixture(autouse=True)
def _unthrottled_in_one_transaction(db, settings):
    rates = dict.fromkeys(("anon", "user", "login"), "1000000/min")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    settings.QT_LOGIN_LOCKOUT_FAILURES = 1_000_000
    # No worker runs here: its heartbeat is written once, so /api/health/ reports ok (its
    # documented 503 is a server error to this run; test_health covers it).
    heartbeat_task()
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


def test_linked_operations_answer_as_documented(alice):
    class SignedInWorkflow(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            # A fresh token each call: a step that signs out must not end the scenario.
            return {"headers": {"Authorization": f"Token {token_issue(user=alice)}"}}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)

    SignedInWorkflow.run(
        settings=settings(
            max_examples=STATEFUL_SCENARIOS,
            stateful_step_count=STATEFUL_STEPS,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
    )
