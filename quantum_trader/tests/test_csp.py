"""A Content-Security-Policy and a Permissions-Policy on every page; no inline code where the
policy forbids it."""

from __future__ import annotations

import re

import pytest

ADMIN_PAGES = [
    "/admin/",
    "/admin/login/",
    "/admin/accounts/exchangeaccount/",
    "/admin/accounts/exchangeaccount/add/",
    "/admin/accounts/user/",
    "/admin/accounts/auditevent/",
    "/admin/accounts/usersession/",
    "/admin/markets/exchange/",
    "/admin/markets/market/",
    "/admin/django_celery_beat/periodictask/add/",
]


def _policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {
        part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
        for part in (p.strip() for p in header.split(";"))
        if part
    }


def _inline_code(html: str) -> list[str]:
    scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
    handlers = re.findall(r"<[^>]+\son[a-z]+=\"", html)
    styles = re.findall(r"<[^>]+\sstyle=\"", html) + re.findall(r"<style", html)
    return scripts + handlers + styles


@pytest.mark.django_db
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_carry_a_strict_policy_and_no_inline_code(admin_client, path):
    response = admin_client.get(path)

    policy = _policy(response)
    assert response.status_code in (200, 302)
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert _inline_code(response.content.decode()) == []


def test_dashboard_carries_the_policy(client, settings, tmp_path):
    (tmp_path / "index.html").write_text(
        '<!doctype html><html><head><script type="module" src="/assets/app.js"></script>'
        '<link rel="stylesheet" href="/assets/app.css"></head><body><div id="root"></div>'
        "</body></html>"
    )
    settings.FRONTEND_DIST = tmp_path

    response = client.get("/dashboard")

    policy = _policy(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["connect-src"] == "'self'"
    assert "Permissions-Policy" in response.headers


def test_dashboard_source_has_no_inline_script_or_style():
    from django.conf import settings

    html = (settings.BASE_DIR / "frontend" / "index.html").read_text()

    assert _inline_code(html) == []


@pytest.mark.django_db
def test_api_docs_get_only_what_swagger_ui_needs(alice_client):
    page = alice_client.get("/api/docs/")
    script = alice_client.get("/api/docs/?script")

    policy = _policy(page)
    assert page.status_code == 200
    assert policy["script-src"] == "'self'"  # the start-up script is a separate file
    assert "'unsafe-inline'" in policy["style-src"]
    assert "data:" in policy["img-src"]
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page.content.decode()) == []
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


@pytest.mark.django_db
def test_api_responses_carry_the_headers_too(alice_client):
    response = alice_client.get("/api/auth/me/")

    assert "Content-Security-Policy" in response.headers
    assert "Permissions-Policy" in response.headers
