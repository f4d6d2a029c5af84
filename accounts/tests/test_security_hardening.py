"""Sign-in doors, sessions and tokens, the audit list, client addresses, throttles, error pages."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import RequestFactory
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient

from accounts.models import AuditEvent, UserSession
from accounts.services import client_address, lockout_message, token_issue

WRONG = "definitely-not-the-password"


def _token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _fail_api(username: str, times: int) -> list:
    client = APIClient()
    return [
        client.post("/api/auth/token/", {"username": username, "password": WRONG}, format="json")
        for _ in range(times)
    ]


def _admin_login(client, username: str, password: str):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


@pytest.fixture
def staff(db, password):
    from accounts.services import user_create

    return user_create(username="operator", password=password, is_staff=True)


# --- tokens and sessions ---------------------------------------------------------------------


def test_logged_out_token_answers_401(alice, password):
    key = (
        APIClient()
        .post("/api/auth/token/", {"username": "alice", "password": password}, format="json")
        .json()["token"]
    )
    client = _token_client(key)
    assert client.get("/api/auth/me/").status_code == 200

    assert client.post("/api/auth/logout/").status_code == 204
    after = client.get("/api/auth/me/")

    assert after.status_code == 401
    assert after.headers["WWW-Authenticate"] == "Token"


def test_each_token_login_is_its_own_revocable_token(alice, password):
    keys = [token_issue(user=alice) for _ in range(2)]

    _token_client(keys[0]).post("/api/auth/logout/")

    assert _token_client(keys[0]).get("/api/auth/me/").status_code == 401
    assert _token_client(keys[1]).get("/api/auth/me/").status_code == 200


def test_tokens_are_stored_as_digests_only(alice):
    key = token_issue(user=alice)

    row = UserSession.objects.get(user=alice, kind=UserSession.Kind.TOKEN)

    assert key not in str(list(UserSession.objects.values()))
    assert row.token_last4 == key[-4:]


def test_sessions_list_shows_sessions_and_tokens_with_when_and_where(alice, password):
    browser = APIClient(REMOTE_ADDR="198.51.100.7", HTTP_USER_AGENT="Firefox/140")
    assert browser.login(username="alice", password=password)
    key = token_issue(user=alice)

    listed = _token_client(key).get("/api/auth/sessions/").json()

    rows = listed["results"]
    assert {row["kind"] for row in rows} == {"session", "token"}
    token_row = next(row for row in rows if row["kind"] == "token")
    assert token_row["current"] is True
    assert token_row["token_hint"] == "…" + key[-4:]
    for row in rows:
        assert row["created_at"]
        assert row["last_used_at"]
    assert key not in str(listed)


def test_revoking_one_session_ends_it_and_is_audited(alice, password):
    browser = APIClient()
    assert browser.login(username="alice", password=password)
    assert browser.get("/api/auth/me/").status_code == 200
    key = token_issue(user=alice)
    session_row = UserSession.objects.get(user=alice, kind=UserSession.Kind.SESSION)

    response = _token_client(key).delete(f"/api/auth/sessions/{session_row.pk}/")

    assert response.status_code == 204
    assert browser.get("/api/auth/me/").status_code in (401, 403)
    assert _token_client(key).get("/api/auth/me/").status_code == 200
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.SESSION_REVOKED, subject=alice
    ).exists()


def test_another_users_session_cannot_be_revoked(alice, bob, bob_client):
    alices = UserSession.objects.get(pk=_row_of(token_issue(user=alice)))

    response = bob_client.delete(f"/api/auth/sessions/{alices.pk}/")

    assert response.status_code == 404
    assert UserSession.objects.filter(pk=alices.pk).exists()


def _row_of(key: str) -> int:
    from accounts.services import token_lookup

    row = token_lookup(key)
    assert row is not None
    return row.pk


def test_logout_everywhere_revokes_every_session_and_token(alice, bob, password):
    browser = APIClient()
    assert browser.login(username="alice", password=password)
    keys = [token_issue(user=alice) for _ in range(2)]
    bobs = token_issue(user=bob)

    response = _token_client(keys[0]).post("/api/auth/logout-everywhere/")

    assert response.status_code == 200
    assert response.json()["revoked"] == 3
    assert browser.get("/api/auth/me/").status_code in (401, 403)
    for key in keys:
        assert _token_client(key).get("/api/auth/me/").status_code == 401
    assert _token_client(bobs).get("/api/auth/me/").status_code == 200
    assert not UserSession.objects.filter(user=alice).exists()


def test_password_change_keeps_this_session_listed(alice, password):
    browser = APIClient()
    assert browser.login(username="alice", password=password)
    csrf = browser.get("/api/auth/csrf/").cookies["csrftoken"].value
    browser.post(
        "/api/auth/password/change/",
        {"old_password": password, "new_password": "an-entirely-new-passphrase-9"},
        format="json",
        HTTP_X_CSRFTOKEN=csrf,
    )

    assert browser.get("/api/auth/me/").status_code == 200
    assert UserSession.objects.filter(user=alice, kind=UserSession.Kind.SESSION).count() == 1


# --- one lockout for every door --------------------------------------------------------------


def test_staff_locked_through_the_api_cannot_sign_in_to_the_admin(staff, password, client):
    answers = _fail_api("operator", 5)

    page = _admin_login(client, "operator", password)

    assert [a.status_code for a in answers] == [400] * 4 + [429]
    assert page.status_code == 200  # the form again, not a redirect into the admin
    assert lockout_message() in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_staff_locked_through_the_admin_cannot_get_a_token(staff, password, client):
    for _ in range(5):
        assert _admin_login(client, "operator", WRONG).status_code == 200

    response = APIClient().post(
        "/api/auth/token/", {"username": "operator", "password": password}, format="json"
    )

    assert response.status_code == 429
    assert lockout_message() in response.content.decode()
    assert int(response.headers["Retry-After"]) > 0


def test_admin_login_works_when_not_locked(staff, password, client):
    response = _admin_login(client, "operator", password)

    assert response.status_code == 302
    assert UserSession.objects.filter(user=staff, kind=UserSession.Kind.SESSION).exists()


def test_admin_login_is_throttled_per_address(staff, client, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login": "3/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}

    pages = [_admin_login(client, f"user{i}", WRONG).content.decode() for i in range(4)]

    assert "Too many sign-in attempts from your address" in pages[3]
    assert "Too many sign-in attempts from your address" not in pages[2]


def test_wrong_reset_tokens_count_towards_the_same_lockout(alice, password):
    uid = urlsafe_base64_encode(force_bytes(alice.pk))
    client = APIClient()
    answers = [
        client.post(
            "/api/auth/password/reset/confirm/",
            {"uid": uid, "token": f"bad-{i}", "new_password": "a-fresh-passphrase-77"},
            format="json",
        )
        for i in range(5)
    ]
    good = client.post(
        "/api/auth/password/reset/confirm/",
        {
            "uid": uid,
            "token": default_token_generator.make_token(alice),
            "new_password": "a-fresh-passphrase-77",
        },
        format="json",
    )

    assert [a.status_code for a in answers] == [400] * 4 + [429]
    assert good.status_code == 429
    assert lockout_message() in good.content.decode()
    login = client.post(
        "/api/auth/token/", {"username": "alice", "password": password}, format="json"
    )
    assert login.status_code == 429


def test_every_429_carries_retry_after(alice, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login": "2/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}

    answers = _fail_api("alice", 3)

    assert answers[2].status_code == 429
    assert 0 < int(answers[2].headers["Retry-After"]) <= 60


# --- the audit list --------------------------------------------------------------------------


def test_audit_list_shows_own_sign_in_activity_only(alice, bob, password, bob_client):
    _fail_api("alice", 5)
    APIClient().post("/api/auth/token/", {"username": "bob", "password": password}, format="json")
    client = APIClient()
    client.force_authenticate(alice)

    alices = client.get("/api/audit-events/?limit=50").json()
    bobs = bob_client.get("/api/audit-events/").json()

    actions = [row["action"] for row in alices["results"]]
    assert actions.count("auth.login_failed") == 5
    assert "auth.login_locked" in actions
    assert {row["action"] for row in bobs["results"]} == {"auth.login"}
    assert alices["count"] == len(alices["results"])
    assert WRONG not in str(alices)


# --- the real client address -----------------------------------------------------------------


def _request(remote, forwarded=""):
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


def test_forwarded_for_is_ignored_unless_behind_a_proxy(settings):
    settings.BEHIND_TLS_PROXY = False

    assert client_address(_request("10.0.0.1", "6.6.6.6")) == "10.0.0.1"


def test_trusted_proxies_decide_which_hops_are_believed(settings):
    settings.BEHIND_TLS_PROXY = True
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "fd00::/8"]

    # From the proxy: the right-most hop that is not a trusted proxy is the client.
    assert client_address(_request("10.0.0.2", "6.6.6.6, 203.0.113.9, 10.0.0.3")) == "203.0.113.9"
    # Not from a trusted proxy: its header is the client's own words.
    assert client_address(_request("198.51.100.1", "6.6.6.6")) == "198.51.100.1"
    # A garbled hop stops the walk at the last address we can vouch for.
    assert client_address(_request("10.0.0.2", "junk")) == "10.0.0.2"
    assert client_address(_request("::ffff:10.0.0.2", "203.0.113.5:4431")) == "203.0.113.5"


# --- the DEBUG error page --------------------------------------------------------------------


def test_debug_error_page_masks_a_submitted_password(alice, settings, monkeypatch, canary):
    settings.DEBUG = True
    secret = canary("password")

    def explode(*args, **kwargs):
        raise RuntimeError("boom while checking")

    monkeypatch.setattr("accounts.api.auth.authenticate", explode)
    client = APIClient(raise_request_exception=False)
    response = client.post(
        "/api/auth/token/", {"username": "alice", "password": secret}, format="json"
    )

    html = response.content.decode()
    assert response.status_code == 500
    assert "boom while checking" in html
    assert secret not in html
    assert re.search(r"\*{10,}", html)


def test_events_recorded_before_subjects_existed_are_given_theirs(
    alice, bob, fake_exchange, canary
):
    from importlib import import_module

    from django.apps import apps

    from accounts.tests.factories import exchange_account_make

    account = exchange_account_make(alice, canary)
    AuditEvent.objects.update(subject=None)
    lock = AuditEvent.objects.create(
        action=AuditEvent.Action.LOGIN_LOCKED, target_type="accounts.user", target_id=str(bob.pk)
    )
    migration = import_module("accounts.migrations.0004_audit_subject_backfill")

    migration.backfill(apps, None)

    created = AuditEvent.objects.get(action=AuditEvent.Action.EXCHANGE_KEY_CREATED)
    assert created.target_id == str(account.pk)
    assert created.subject == alice
    lock.refresh_from_db()
    assert lock.subject == bob
