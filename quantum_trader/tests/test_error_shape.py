"""Every error the API answers has the documented shape, on every route, for bad input.

Walks every operation of the OpenAPI schema (and every /api/ route of the resolver, as the
isolation matrix does) with: no credentials, unknown ids, malformed bodies, bodies of the
wrong type, wrong field types, garbage query parameters, unsupported methods and media types,
and a session without its CSRF token. No answer may be a 500, and every non-2xx answer must
be `{"code", "message", "field", "fields"}` as documented in the schema's Error component.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accounts.services import exchange_accounts
from accounts.tests.factories import FakeExchange
from quantum_trader.exceptions import ERROR_SCHEMA, ErrorSerializer, error_body, flatten_errors
from quantum_trader.tests.test_isolation_matrix import ROUTES, resolver_routes

CODE = re.compile(r"^[a-z][a-z0-9_]*$")
UNKNOWN_ID = "987654321"
WRONG_TYPE = {"nested": [1, 2.5, None]}
DOCUMENTATION = ("/api/docs/", "/api/schema/")


def assert_error_shape(response: Any, what: object) -> dict[str, Any]:
    """Check one non-2xx answer against the contract and return its body."""
    assert response.status_code != 500, what
    assert response["Content-Type"].startswith("application/json"), (what, response.status_code)
    body = json.loads(response.content)
    assert isinstance(body, dict), what
    assert set(body) >= {"code", "message", "field", "fields"}, (what, body)
    if "status" not in body:  # only the health check adds its own keys
        assert set(body) == {"code", "message", "field", "fields"}, (what, body)
    assert isinstance(body["code"], str), what
    assert CODE.match(body["code"]), (what, body["code"])
    assert isinstance(body["message"], str), what
    assert body["message"].strip(), (what, body)
    assert body["field"] is None or isinstance(body["field"], str), what
    assert isinstance(body["fields"], dict), what
    for name, messages in body["fields"].items():
        assert isinstance(name, str), what
        assert isinstance(messages, list), what
        assert messages, what
        assert all(isinstance(m, str) and m for m in messages), (what, messages)
    if body["field"] is not None:
        assert body["field"] in body["fields"], (what, body)
    if response.status_code == 401:
        assert response.has_header("WWW-Authenticate"), what
        assert body["code"] == "not_authenticated" or body["code"].startswith("authentication"), (
            what,
            body,
        )
    if response.status_code == 403:
        assert body["code"], what
    if response.status_code == 404:
        assert body["code"] in ("not_found", "signup_closed"), (what, body)
    if response.status_code == 405:
        assert body["code"] == "method_not_allowed", (what, body)
    if response.status_code == 429:
        assert response.has_header("Retry-After"), what
    if response.status_code == 400 and body["code"] == "validation_error":
        assert body["fields"], (what, body)
        if body["field"] is not None:
            assert body["message"].startswith(f"{body['field']}: "), (what, body)
    return body


def _schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def _request_properties(schema: dict[str, Any], operation: dict[str, Any]) -> list[str]:
    content: dict[str, Any] = (operation.get("requestBody") or {}).get("content") or {}
    media: dict[str, Any] = content.get("application/json") or next(iter(content.values()), {})
    ref = (media.get("schema") or {}).get("$ref", "")
    if not ref:
        return []
    component = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    return list(component.get("properties", {}))


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = _schema()
    out = []
    for path, item in sorted(schema["paths"].items()):
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                out.append((path, method.upper(), operation))
    return out


def _concrete(path: str, ident: str = UNKNOWN_ID) -> str:
    return re.sub(r"\{[^}]*\}", ident, path)


def _send(client: APIClient, method: str, path: str, **kwargs: Any) -> Any:
    return client.generic(method, path, **kwargs)


@pytest.fixture
def fake_exchange(monkeypatch: pytest.MonkeyPatch) -> FakeExchange:
    fake = FakeExchange()
    monkeypatch.setattr(exchange_accounts, "adapter_create", fake.create)
    return fake


@pytest.fixture
def bad_requests(alice, bob):
    """Every (label, client, method, path, kwargs) the walk sends."""

    def build(alice_client: APIClient, anonymous: APIClient) -> list[tuple[Any, ...]]:
        schema = _schema()
        requests: list[tuple[Any, ...]] = []
        for path, method, operation in _operations():
            target = _concrete(path)
            # no credentials at all
            requests.append(("anonymous", anonymous, method, target, {}))
            # an unknown id
            if "{" in path:
                requests.append(("unknown id", alice_client, method, target, {}))
            if method in ("POST", "PUT", "PATCH"):
                json_kw = {"content_type": "application/json"}
                requests += [
                    ("malformed json", alice_client, method, target, {"data": '{"oops', **json_kw}),
                    ("a list body", alice_client, method, target, {"data": "[1, 2]", **json_kw}),
                    ("a number body", alice_client, method, target, {"data": "42", **json_kw}),
                    ("empty object", alice_client, method, target, {"data": "{}", **json_kw}),
                    (
                        "plain text",
                        alice_client,
                        method,
                        target,
                        {"data": "hello", "content_type": "text/plain"},
                    ),
                ]
                names = _request_properties(schema, operation)
                if names:
                    wrong = json.dumps(dict.fromkeys(names, WRONG_TYPE))
                    requests.append(
                        ("wrong types", alice_client, method, target, {"data": wrong, **json_kw})
                    )
                    numbers = json.dumps(dict.fromkeys(names, -1))
                    requests.append(
                        ("numbers", alice_client, method, target, {"data": numbers, **json_kw})
                    )
            params = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
            if params:
                garbage = "&".join(f"{name}=%25%00not-valid" for name in params)
                requests.append(("garbage query", alice_client, method, f"{target}?{garbage}", {}))
                huge = "&".join(f"{name}=99999999999999999999999" for name in params)
                requests.append(("huge query", alice_client, method, f"{target}?{huge}", {}))
            # a method the route does not have
            requests.append(("unknown method", alice_client, "TRACE", target, {}))
        for route in sorted(resolver_routes()):
            requests.append(("resolver route", anonymous, "GET", _concrete(route), {}))
            requests.append(("resolver route", alice_client, "PATCH", _concrete(route), {}))
        requests.append(("no such route", alice_client, "GET", "/api/no-such-thing/", {}))
        requests.append(("no such route", anonymous, "POST", "/api/v0/orders/", {}))
        return requests

    return build


def test_every_route_answers_bad_input_in_the_documented_error_shape(
    alice, alice_client, api_client, bad_requests, fake_exchange, settings
):
    settings.QT_ALLOW_SIGNUP = True
    anonymous = APIClient()
    seen_statuses: set[int] = set()
    seen_codes: set[str] = set()
    sent = 0
    for label, client, method, path, kwargs in bad_requests(alice_client, anonymous):
        response = _send(client, method, path, **kwargs)
        sent += 1
        what = (label, method, path, response.status_code)
        assert response.status_code != 500, what
        if path.startswith(DOCUMENTATION) and not response["Content-Type"].startswith(
            "application/json"
        ):
            continue  # the schema (YAML) and its HTML viewer answer in their own format
        if response.status_code >= 400:
            body = assert_error_shape(response, what)
            seen_statuses.add(response.status_code)
            seen_codes.add(body["code"])
    # the walk really met the errors it is about
    assert sent > 100
    assert {400, 401, 404, 405, 415} <= seen_statuses, seen_statuses
    assert {
        "validation_error",
        "not_authenticated",
        "not_found",
        "method_not_allowed",
        "parse_error",
        "unsupported_media_type",
    } <= seen_codes, seen_codes


def test_session_without_csrf_token_gets_403_in_the_error_shape(alice, password):
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username="alice", password=password)
    response = client.post("/api/backtests/", {}, format="json")
    body = assert_error_shape(response, "csrf")
    assert response.status_code == 403
    assert body["code"] == "permission_denied"
    assert "CSRF" in body["message"]


def test_login_without_csrf_cookie_gets_403_in_the_error_shape_not_a_page(db):
    client = APIClient(enforce_csrf_checks=True)
    response = client.post("/api/auth/login/", {"username": "a", "password": "b"}, format="json")
    body = assert_error_shape(response, "login without csrf")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert body["code"] == "permission_denied"
    assert "CSRF" in body["message"]


def test_page_without_csrf_token_keeps_djangos_page(db):
    client = APIClient(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")


def test_missing_credentials_get_401_with_www_authenticate(api_client):
    response = api_client.get("/api/markets/")
    body = assert_error_shape(response, "anonymous")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert body == {
        "code": "not_authenticated",
        "message": "Authentication credentials were not provided.",
        "field": None,
        "fields": {},
    }


def test_bad_token_gets_401_authentication_failed(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get("/api/markets/")
    body = assert_error_shape(response, "bad token")
    assert response.status_code == 401
    assert body["code"] == "authentication_failed"


def test_validation_error_names_first_field_and_lists_all(alice_client):
    response = alice_client.get("/api/candles/", {"timeframe": "2h", "limit": "0"})
    body = assert_error_shape(response, "candles")
    assert response.status_code == 400
    assert body["code"] == "validation_error"
    assert set(body["fields"]) == {"symbol", "timeframe", "limit"}
    assert body["field"] == "symbol"
    assert body["message"] == "symbol: This field is required."


def test_project_error_renders_its_code_status_and_field(alice_client, monkeypatch):
    from trading.api import backtests
    from trading.services import BacktestConfigError

    def refuse(**kwargs: Any) -> None:
        raise BacktestConfigError({"sizing": "window must be at least 2"})

    monkeypatch.setattr(backtests, "backtest_run_create", refuse)
    response = alice_client.post(
        "/api/backtests/",
        {"exchange": "binance", "symbol": "BTC/USDT", "timeframe": "1h", "strategy": "sma_cross"},
        format="json",
    )
    body = assert_error_shape(response, "backtest")
    assert response.status_code == 400
    assert body == {
        "code": "backtest_config_invalid",
        "message": "sizing: window must be at least 2",
        "field": "sizing",
        "fields": {"sizing": ["window must be at least 2"]},
    }


def test_flatten_errors_joins_nested_names_and_keeps_non_field_errors():
    detail = {
        "sizing": {"window": ["Too small."], "non_field_errors": ["Pick a method."]},
        "legs": [{}, {"amount": ["Must be positive."]}],
        "non_field_errors": ["Give start or end."],
        "tags": ["Not a list."],
    }
    assert flatten_errors(detail) == {
        "sizing.window": ["Too small."],
        "sizing": ["Pick a method."],
        "legs.1.amount": ["Must be positive."],
        "non_field_errors": ["Give start or end."],
        "tags": ["Not a list."],
    }
    assert error_body(code="x", message="y") == {
        "code": "x",
        "message": "y",
        "field": None,
        "fields": {},
    }


def test_schema_documents_the_error_component_on_every_operation():
    schema = _schema()
    component = schema["components"]["schemas"]["Error"]
    assert component == ERROR_SCHEMA
    assert set(component["properties"]) == set(ErrorSerializer().get_fields())
    reference = {"$ref": "#/components/schemas/Error"}
    for path, method, operation in _operations():
        responses = operation["responses"]
        for status in ("400", "401", "403", "404"):
            assert status in responses, (method, path, status)
        for status, response in responses.items():
            if status.startswith("4"):
                assert response["content"]["application/json"]["schema"] == reference, (
                    method,
                    path,
                    status,
                )
    assert ROUTES  # the matrix's classification is shared with this walk


@pytest.mark.django_db
def test_a_request_django_refuses_to_read_answers_the_error_shape(client, settings):
    # given a form body with more fields than Django reads
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    body = "&".join(f"ids={i}" for i in range(50))
    # when it is posted to an API route
    response = client.post(
        "/api/auth/login/", body, content_type="application/x-www-form-urlencoded"
    )
    # then the answer is a 400 in the error shape, not Django's HTML page
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "bad_request"
