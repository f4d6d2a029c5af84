"""Apprise channels (Telegram, Discord, ntfy) and e-mail, against local fakes only."""

from __future__ import annotations

import json

import pytest
from apprise.plugins.discord import NotifyDiscord
from apprise.plugins.telegram import NotifyTelegram

from accounts.models import Delivery, NotificationChannel
from accounts.notifications.services import NotificationError, channel_create
from accounts.services import notify
from accounts.tests.notify_fakes import SmtpSink

TELEGRAM_TOKEN = "123456789:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQr"


@pytest.fixture
def telegram_at(receiver, monkeypatch):
    monkeypatch.setattr(NotifyTelegram, "notify_url", receiver.base + "/bot")
    return receiver


@pytest.fixture
def discord_at(receiver, monkeypatch):
    monkeypatch.setattr(NotifyDiscord, "notify_url", receiver.base + "/api/webhooks")
    return receiver


def test_telegram_channel_gets_the_event_once(alice, telegram_at, deliver_now):
    channel, secret = channel_create(
        owner=alice,
        kind="apprise",
        label="telegram",
        events=["bot.halted"],
        url=f"tgram://{TELEGRAM_TOKEN}/987654321",
    )
    assert secret == ""
    with deliver_now():
        notify(user_id=alice.pk, kind="bot.halted", title="Bot halted", body="drawdown limit")
        notify(user_id=alice.pk, kind="order.filled", title="not subscribed")
    got = telegram_at.wait_for(1)
    assert len(got) == 1
    assert got[0].path == f"/bot{TELEGRAM_TOKEN}/sendMessage"
    sent = json.loads(got[0].body)
    assert sent["chat_id"] == "987654321" or sent["chat_id"] == 987654321
    assert "drawdown limit" in sent["text"]
    assert Delivery.objects.get(channel=channel).status == "sent"
    # The token is never shown
    assert TELEGRAM_TOKEN not in channel.masked_target
    assert channel.masked_target.startswith("tgram://")


def test_discord_channel_with_a_canary_token(alice, discord_at, deliver_now, canary):
    token = canary("discord").replace("-", "")
    channel, _ = channel_create(
        owner=alice,
        kind="apprise",
        label="discord",
        events=["order.rejected"],
        url=f"discord://4174216298/{token}",
    )
    with deliver_now():
        notify(user_id=alice.pk, kind="order.rejected", title="Order rejected", body="min notional")
    got = discord_at.wait_for(1)
    assert len(got) == 1
    assert got[0].path.startswith(f"/api/webhooks/4174216298/{token}")
    assert "min notional" in got[0].body.decode()
    assert Delivery.objects.get(channel=channel).status == "sent"


def test_apprise_failures_are_logged_without_the_url(alice, discord_at, deliver_now, canary):
    discord_at.status = 500
    token = canary("discord").replace("-", "")
    channel, _ = channel_create(
        owner=alice,
        kind="apprise",
        label="discord",
        events=["order.rejected"],
        url=f"discord://4174216298/{token}",
    )
    with deliver_now():
        notify(user_id=alice.pk, kind="order.rejected", title="Order rejected")
    delivery = Delivery.objects.get(channel=channel)
    assert (delivery.status, delivery.reason, delivery.attempts) == ("failed", "gave_up", 4)
    assert delivery.error
    assert token not in delivery.error
    # (the canary sweep also scans every log line and the database dump for the token)


def test_ntfy_channel_on_a_custom_host(alice, receiver, deliver_now):
    channel, _ = channel_create(
        owner=alice,
        kind="apprise",
        label="ntfy",
        events=["order.filled"],
        url=f"ntfy://127.0.0.1:{receiver.port}/qt-alerts",
    )
    with deliver_now():
        notify(user_id=alice.pk, kind="order.filled", title="Filled", body="0.1 BTC at 50000")
    got = receiver.wait_for(1)
    assert len(got) == 1
    assert "0.1 BTC at 50000" in got[0].body.decode()
    assert Delivery.objects.get(channel=channel).status == "sent"


def test_unknown_apprise_url_is_refused(alice):
    with pytest.raises(NotificationError) as e:
        channel_create(owner=alice, kind="apprise", label="x", events=[], url="nope://what")
    assert e.value.field == "url"
    assert not NotificationChannel.objects.exists()


@pytest.fixture
def smtp(settings):
    sink = SmtpSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = False
    yield sink
    sink.stop()


def test_email_channel_sends_through_smtp(alice, smtp, deliver_now):
    channel, _ = channel_create(
        owner=alice,
        kind="email",
        label="mail",
        events=["bot.kill_switch"],
        email="alice@example.test",
    )
    with deliver_now():
        notify(user_id=alice.pk, kind="bot.kill_switch", title="Kill switch on", body="by you")
        notify(user_id=alice.pk, kind="order.filled", title="not subscribed")
    assert len(smtp.messages) == 1
    _, recipients, content = smtp.messages[0]
    assert recipients == ["alice@example.test"]
    assert b"Kill switch on" in content
    assert Delivery.objects.get(channel=channel).status == "sent"


def test_email_with_the_smtp_server_down_fails_and_counts(alice, settings, deliver_now):
    from accounts.tests.notify_fakes import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    channel, _ = channel_create(
        owner=alice, kind="email", label="mail", events=["order.filled"], email="a@example.test"
    )
    with deliver_now():
        notify(user_id=alice.pk, kind="order.filled", title="x")
    channel.refresh_from_db()
    assert channel.consecutive_failures == 4
    assert "ConnectionRefused" in Delivery.objects.get(channel=channel).error
