"""Django's debug error pages (DEBUG on) show stars, never a secret."""

from __future__ import annotations

import sys

import pytest
from django.test import RequestFactory
from django.views.debug import technical_500_response
from rest_framework.test import APIClient

from accounts.services import exchange_accounts


class Boom(RuntimeError):
    pass


@pytest.fixture
def exploding_exchange(monkeypatch):
    def create(exchange_id, *, credentials=None, base_url=None, sandbox=False):
        raise Boom("unexpected failure inside the adapter factory")

    monkeypatch.setattr(exchange_accounts, "adapter_create", create)


@pytest.mark.parametrize("body_format", ["json", "multipart"])
def test_debug_500_page_during_create_hides_secrets(
    alice, binance, exploding_exchange, creds, settings, body_format
):
    settings.DEBUG = True
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(alice)

    response = client.post(
        "/api/exchange-accounts/",
        {"exchange": "binance", "label": "main", "mode": "testnet", **creds},
        format=body_format,
        HTTP_ACCEPT="text/html",
    )

    page = response.content.decode()
    assert response.status_code == 500
    assert "Boom" in page  # it is the technical page, with tracebacks and local variables
    assert "exchange_account_create" in page
    for secret in creds.values():
        assert secret not in page
    assert "********************" in page


def test_technical_500_with_secret_in_locals_of_sensitive_function(creds, settings):
    from django.views.decorators.debug import sensitive_variables

    settings.DEBUG = True

    @sensitive_variables()
    def handle_keys(api_key, secret):
        raise Boom("failed while holding keys")

    @sensitive_variables("keys")
    def call(keys):
        try:
            handle_keys(keys["api_key"], keys["secret"])
        except Boom:
            return sys.exc_info()

    request = RequestFactory().post("/x", {"secret": creds["secret"]})
    request.sensitive_post_parameters = "__ALL__"
    response = technical_500_response(request, *call(creds))

    page = response.content.decode()
    assert "handle_keys" in page
    assert creds["api_key"] not in page
    assert creds["secret"] not in page


def test_technical_500_without_the_decorator_would_show_locals(canary, canary_sweep, settings):
    """The control: an undecorated frame's locals do appear, so the checks above can fail."""
    settings.DEBUG = True
    value = canary("secret")

    def careless(secret):
        raise Boom("oops")

    def call():
        try:
            careless(value)
        except Boom:
            return sys.exc_info()

    response = technical_500_response(RequestFactory().get("/x"), *call())

    assert value in response.content.decode()
    canary_sweep.take_leaks()  # nothing was sent anywhere; the page stayed in this test


def test_debug_page_hides_master_keys_and_connection_urls(settings):
    settings.DEBUG = True
    password = "-".join(["hunter2", "redis", "password"])  # not literal in the shown source
    settings.REDIS_URL = f"redis://:{password}@127.0.0.1:6379/0"

    def call():
        try:
            raise Boom("x")
        except Boom:
            return sys.exc_info()

    page = technical_500_response(RequestFactory().get("/x"), *call()).content.decode()

    assert "QT_ENCRYPTION_KEYS" in page
    assert "test-master-key" not in page
    assert settings.QT_ENCRYPTION_KEYS[0][1].decode() not in page
    assert password not in page
