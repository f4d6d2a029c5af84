from __future__ import annotations

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def _csrf(client: APIClient) -> str:
    response = client.get("/api/auth/csrf/")
    assert response.status_code == 204
    return response.cookies["csrftoken"].value


def test_login_with_csrf_starts_session_and_me_answers(alice, password, api_client):
    token = _csrf(api_client)

    response = api_client.post(
        "/api/auth/login/",
        {"username": "alice", "password": password},
        format="json",
        HTTP_X_CSRFTOKEN=token,
    )

    assert response.status_code == 200
    assert response.json() == {
        "id": alice.pk,
        "username": "alice",
        "email": "alice@example.com",
        "is_staff": False,
    }
    assert api_client.get("/api/auth/me/").json()["username"] == "alice"


def test_login_without_csrf_token_is_refused(alice, password, api_client):
    response = api_client.post(
        "/api/auth/login/", {"username": "alice", "password": password}, format="json"
    )

    assert response.status_code == 403
    assert api_client.get("/api/auth/me/").status_code in (401, 403)


def test_login_wrong_password_gives_clear_error_without_echo(alice, api_client):
    token = _csrf(api_client)

    response = api_client.post(
        "/api/auth/login/",
        {"username": "alice", "password": "guess-123"},
        format="json",
        HTTP_X_CSRFTOKEN=token,
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": "validation_error",
        "message": "Wrong username or password.",
        "field": None,
        "fields": {"non_field_errors": ["Wrong username or password."]},
    }
    assert "guess-123" not in response.content.decode()


def test_login_missing_fields_are_named(api_client):
    token = _csrf(api_client)

    response = api_client.post("/api/auth/login/", {}, format="json", HTTP_X_CSRFTOKEN=token)

    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"username", "password"}


def test_logout_ends_session(alice, password, api_client):
    token = _csrf(api_client)
    api_client.post(
        "/api/auth/login/",
        {"username": "alice", "password": password},
        format="json",
        HTTP_X_CSRFTOKEN=token,
    )
    token = api_client.cookies["csrftoken"].value

    assert api_client.post("/api/auth/logout/", HTTP_X_CSRFTOKEN=token).status_code == 204
    assert api_client.get("/api/auth/me/").status_code in (401, 403)


def test_token_login_then_token_auth(alice, password):
    client = APIClient()

    token = client.post(
        "/api/auth/token/", {"username": "alice", "password": password}, format="json"
    ).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert client.get("/api/auth/me/").json()["id"] == alice.pk


def test_login_is_throttled(alice, settings):
    client = APIClient()
    limit = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["login"].split("/")[0])
    # A different username each time, so the per-username lockout stays out of the way.
    statuses = [
        client.post(
            "/api/auth/token/", {"username": f"user{i}", "password": "nope-nope"}, format="json"
        ).status_code
        for i in range(limit + 1)
    ]

    assert statuses[:limit] == [400] * limit
    assert statuses[limit] == 429


def test_schema_and_docs_are_served(alice_client):
    schema = alice_client.get("/api/schema/")
    docs = alice_client.get("/api/docs/")

    assert schema.status_code == 200
    assert b"/api/auth/login/" in schema.content
    assert docs.status_code == 200


def test_spa_served_at_root_with_csrf_cookie(client, settings, tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><div id=root></div>")
    settings.FRONTEND_DIST = tmp_path

    root = client.get("/")
    deep = client.get("/signals")

    assert root.status_code == 200
    assert b"<div id=root>" in root.content
    assert "csrftoken" in root.cookies
    assert deep.status_code == 200


def test_spa_missing_build_explains_what_to_do(client, settings, tmp_path):
    settings.FRONTEND_DIST = tmp_path / "absent"

    response = client.get("/")

    assert response.status_code == 503
    assert b"make frontend" in response.content


def test_unknown_api_route_is_json_404_not_spa(alice_client):
    response = alice_client.get("/api/no-such-thing/")

    assert response.status_code == 404
    assert b"<div id=root>" not in response.content


def test_models_and_migrations_agree():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)

    assert "No changes detected" in out.getvalue()
