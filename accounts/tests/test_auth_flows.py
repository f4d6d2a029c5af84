"""Lockout, password change and reset, self-registration, CORS, client addresses."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import RequestFactory
from rest_framework.test import APIClient

from accounts.models import AuditEvent, User, UserSession
from accounts.services import client_ip, token_issue

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed sign-in attempts. Try again in 15 minutes."


def _token_login(client, username, password, **extra):
    return client.post(
        "/api/auth/token/", {"username": username, "password": password}, format="json", **extra
    )


def _csrf(client) -> str:
    return client.get("/api/auth/csrf/").cookies["csrftoken"].value


# --- lockout --------------------------------------------------------------------------------


def test_lockout_after_five_failures_refuses_even_right_password(alice, password):
    client = APIClient()

    statuses = [_token_login(client, "alice", "wrong-guess").status_code for _ in range(5)]
    locked = _token_login(client, "alice", password)

    assert statuses == [400, 400, 400, 400, 429]
    assert locked.status_code == 429
    assert locked.json() == {"code": "login_locked", "message": LOCKED, "field": None, "fields": {}}
    assert int(locked["Retry-After"]) > 0
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_LOCKED)
    assert (event.target_id, event.ip_address) == (str(alice.pk), "127.0.0.1")


def test_lockout_answer_is_the_same_for_unknown_usernames(alice):
    client = APIClient()

    known = [_token_login(client, "alice", "wrong-guess") for _ in range(6)][-1]
    # From another address, so the per-address throttle (10/min) stays out of the way.
    unknown = [
        _token_login(client, "nobody-here", "wrong-guess", REMOTE_ADDR="10.0.0.2") for _ in range(6)
    ][-1]

    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())
    events = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_LOCKED)
    assert events.count() == 2
    assert not events.filter(target_repr__icontains="nobody").exists()


def test_lockout_is_per_address_and_per_username(alice, bob, password):
    client = APIClient()
    for _ in range(5):
        _token_login(client, "alice", "wrong-guess")

    other_address = _token_login(client, "alice", password, REMOTE_ADDR="10.0.0.9")
    other_user = _token_login(client, "bob", password)

    assert other_address.status_code == 200
    assert other_user.status_code == 200


def test_lockout_applies_to_session_login(alice, password):
    client = APIClient(enforce_csrf_checks=True)
    token = _csrf(client)
    for _ in range(5):
        client.post(
            "/api/auth/login/",
            {"username": "alice", "password": "wrong-guess"},
            format="json",
            HTTP_X_CSRFTOKEN=token,
        )

    response = client.post(
        "/api/auth/login/",
        {"username": "alice", "password": password},
        format="json",
        HTTP_X_CSRFTOKEN=token,
    )

    assert response.status_code == 429
    assert client.get("/api/auth/me/").status_code in (401, 403)


def test_success_resets_failure_count(alice, password):
    client = APIClient()
    for _ in range(4):
        _token_login(client, "alice", "wrong-guess")
    assert _token_login(client, "alice", password).status_code == 200

    after = [_token_login(client, "alice", "wrong-guess").status_code for _ in range(4)]

    assert after == [400] * 4


def test_lock_expires(alice, password, settings):
    from django.core.cache import cache

    settings.QT_LOGIN_LOCKOUT_FAILURES = 2
    client = APIClient()
    for _ in range(2):
        _token_login(client, "alice", "wrong-guess")
    assert _token_login(client, "alice", password).status_code == 429

    cache.clear()  # what the lock's expiry does

    assert _token_login(client, "alice", password).status_code == 200


# --- password change ------------------------------------------------------------------------


def test_password_change_needs_old_password_and_revokes_tokens(alice, password):
    client = APIClient()
    client.force_authenticate(alice)
    token_issue(user=alice)

    wrong = client.post(
        "/api/auth/password/change/",
        {"old_password": "not-it", "new_password": "a-new-long-passphrase-42"},
        format="json",
    )
    weak = client.post(
        "/api/auth/password/change/",
        {"old_password": password, "new_password": "123"},
        format="json",
    )
    good = client.post(
        "/api/auth/password/change/",
        {"old_password": password, "new_password": "a-new-long-passphrase-42"},
        format="json",
    )

    assert wrong.status_code == 400
    assert "old_password" in wrong.json()["fields"]
    assert weak.status_code == 400
    assert "new_password" in weak.json()["fields"]
    assert "123" not in weak.content.decode().replace("\\u", "")
    assert good.status_code == 204
    alice.refresh_from_db()
    assert alice.check_password("a-new-long-passphrase-42")
    assert not UserSession.objects.filter(user=alice, kind=UserSession.Kind.TOKEN).exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PASSWORD_CHANGED).count() == 1


def test_password_change_keeps_session_alive(alice, password):
    client = APIClient()
    assert client.login(username="alice", password=password)
    token = _csrf(client)

    response = client.post(
        "/api/auth/password/change/",
        {"old_password": password, "new_password": "a-new-long-passphrase-42"},
        format="json",
        HTTP_X_CSRFTOKEN=token,
    )

    assert response.status_code == 204
    assert client.get("/api/auth/me/").status_code == 200


def test_password_change_anonymous_is_refused(api_client):
    response = api_client.post("/api/auth/password/change/", {}, format="json")

    assert response.status_code in (401, 403)


# --- password reset -------------------------------------------------------------------------


def test_password_reset_answers_the_same_for_unknown_address(alice):
    client = APIClient()

    known = client.post("/api/auth/password/reset/", {"email": "alice@example.com"}, format="json")
    unknown = client.post("/api/auth/password/reset/", {"email": "who@example.com"}, format="json")

    assert (known.status_code, known.content) == (unknown.status_code, unknown.content)
    assert known.status_code == 202
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.com"]


def test_password_reset_link_sets_new_password_once(alice):
    client = APIClient()
    client.post("/api/auth/password/reset/", {"email": "ALICE@example.com"}, format="json")
    link = re.search(r"uid=(\S+)&token=(\S+)", mail.outbox[0].body)
    uid, token = link.group(1), link.group(2)

    bad = client.post(
        "/api/auth/password/reset/confirm/",
        {"uid": uid, "token": "nope-nope", "new_password": "brand-new-passphrase-7"},
        format="json",
    )
    good = client.post(
        "/api/auth/password/reset/confirm/",
        {"uid": uid, "token": token, "new_password": "brand-new-passphrase-7"},
        format="json",
    )
    again = client.post(
        "/api/auth/password/reset/confirm/",
        {"uid": uid, "token": token, "new_password": "another-passphrase-8"},
        format="json",
    )

    assert bad.status_code == 400
    assert bad.json() == {
        "code": "reset_link_invalid",
        "message": "This reset link is not valid or has expired.",
        "field": "token",
        "fields": {"token": ["This reset link is not valid or has expired."]},
    }
    assert good.status_code == 204
    assert again.status_code == 400
    alice.refresh_from_db()
    assert alice.check_password("brand-new-passphrase-7")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PASSWORD_RESET).count() == 1


@pytest.mark.parametrize("uid", ["!!!", "MTIzNDU2Nzg5", ""])
def test_password_reset_confirm_bad_uid_is_a_clear_error(uid):
    response = APIClient().post(
        "/api/auth/password/reset/confirm/",
        {"uid": uid, "token": "x", "new_password": "brand-new-passphrase-7"},
        format="json",
    )

    assert response.status_code == 400


# --- self-registration ----------------------------------------------------------------------


def test_registration_is_off_by_default(settings):
    assert settings.QT_ALLOW_SIGNUP is False

    response = APIClient().post(
        "/api/auth/register/",
        {"username": "carol", "email": "c@example.com", "password": "a-long-passphrase-9"},
        format="json",
    )

    assert response.status_code == 404
    assert not User.objects.filter(username="carol").exists()


def test_registration_when_on_creates_ordinary_user(settings, alice):
    settings.QT_ALLOW_SIGNUP = True
    client = APIClient()

    created = client.post(
        "/api/auth/register/",
        {"username": "carol", "email": "c@example.com", "password": "a-long-passphrase-9"},
        format="json",
    )
    taken = client.post(
        "/api/auth/register/",
        {"username": "ALICE", "email": "a2@example.com", "password": "a-long-passphrase-9"},
        format="json",
    )
    weak = client.post(
        "/api/auth/register/",
        {"username": "dave", "email": "d@example.com", "password": "password"},
        format="json",
    )

    assert created.status_code == 201
    carol = User.objects.get(username="carol")
    assert (carol.is_staff, carol.is_superuser) == (False, False)
    assert taken.status_code == 400
    assert "username" in taken.json()["fields"]
    assert weak.status_code == 400
    assert "password" in weak.json()["fields"]
    assert not User.objects.filter(username="dave").exists()


# --- CORS, addresses ------------------------------------------------------------------------


def test_cross_origin_request_gets_no_cors_allowance(alice_client):
    response = alice_client.get("/api/auth/me/", HTTP_ORIGIN="https://evil.example")
    preflight = alice_client.options(
        "/api/exchange-accounts/",
        HTTP_ORIGIN="https://evil.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )

    for answer in (response, preflight):
        assert "Access-Control-Allow-Origin" not in answer.headers
        assert "Access-Control-Allow-Credentials" not in answer.headers


def test_client_ip_ignores_forwarded_header_unless_behind_proxy(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )

    settings.BEHIND_TLS_PROXY = False
    assert client_ip(request) == "10.0.0.1"
    settings.BEHIND_TLS_PROXY = True
    assert client_ip(request) == "203.0.113.7"
    request.META["HTTP_X_FORWARDED_FOR"] = "not-an-address"
    assert client_ip(request) == "10.0.0.1"


def test_session_cookies_are_secure_and_hsts_on_when_debug_off():
    from django.conf import settings

    assert settings.SESSION_COOKIE_HTTPONLY is True
    # The test run has DEBUG off: production's defaults apply (SSL redirect is off for tests).
    assert settings.DEBUG is False
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.CSRF_COOKIE_SECURE is True
    assert settings.SECURE_HSTS_SECONDS >= 31_536_000
