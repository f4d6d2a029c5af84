"""Notifications in the admin: channels show their masked target only, the logs are read-only.

The channel URLs and the webhook secret are canaries: the sweep fails the test if any of them
shows up in an admin page, a log line or the database dump (ciphertext aside).
"""

from __future__ import annotations

import pytest

from accounts.models import Delivery, NotificationChannel
from accounts.notifications.services import channel_create
from accounts.services import notify

BASE = "/admin/accounts"


@pytest.fixture
def staff_client(client, db):
    from accounts.services import user_create

    root = user_create(username="root", password="root-pass-123456", is_staff=True)
    root.is_superuser = True
    root.save()
    client.force_login(root)
    return client


@pytest.fixture
def channels(alice, canary, canary_sweep, settings):
    settings.NOTIFY_ALLOW_PRIVATE_TARGETS = True
    webhook, secret = channel_create(
        owner=alice,
        kind="webhook",
        label="ops hook",
        events=["order.filled"],
        url=f"https://hooks.example.test/in/{canary('hookpath')}?token={canary('hooktoken')}",
    )
    canary_sweep.register(secret)
    apprise, _ = channel_create(
        owner=alice,
        kind="apprise",
        label="phone",
        events=["order.filled"],
        url=f"ntfy://127.0.0.1/{canary('topic')}",
    )
    return webhook, apprise


def test_channel_pages_show_the_masked_target_and_no_secret(staff_client, channels):
    webhook, apprise = channels
    listing = staff_client.get(f"{BASE}/notificationchannel/")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert webhook.masked_target in page
    assert apprise.masked_target in page
    for channel in channels:
        change = staff_client.get(f"{BASE}/notificationchannel/{channel.pk}/change/")
        assert change.status_code == 200
        html = change.content.decode()
        assert channel.masked_target in html
        assert 'name="url_ct"' not in html
        assert 'name="secret_ct"' not in html
        assert channel.url_ct not in html
        assert channel.wrapped_key not in html
    # channels are made by their owners, where the URL is checked and encrypted
    assert staff_client.get(f"{BASE}/notificationchannel/add/").status_code == 403


def test_staff_resume_a_paused_channel(staff_client, channels):
    webhook, _ = channels
    NotificationChannel.objects.filter(pk=webhook.pk).update(
        paused=True, paused_reason="Paused after 5 failed deliveries", consecutive_failures=5
    )
    response = staff_client.post(
        f"{BASE}/notificationchannel/",
        {"action": "resume", "_selected_action": [webhook.pk]},
    )
    assert response.status_code == 302
    webhook.refresh_from_db()
    assert (webhook.paused, webhook.paused_reason, webhook.consecutive_failures) == (False, "", 0)


def test_delivery_and_notification_pages_are_read_only(staff_client, alice, channels):
    webhook, _ = channels
    notify(user_id=alice.pk, kind="order.filled", title="Order filled", body="buy 0.1 BTC")
    delivery = Delivery.objects.get(channel=webhook)
    Delivery.objects.filter(pk=delivery.pk).update(
        status="failed", response_code=500, response_excerpt="upstream said ***", error="HTTP 500"
    )
    for path in ("delivery", "notification"):
        listing = staff_client.get(f"{BASE}/{path}/")
        assert listing.status_code == 200
        assert staff_client.get(f"{BASE}/{path}/add/").status_code == 403
    page = staff_client.get(f"{BASE}/delivery/{delivery.pk}/change/")
    assert page.status_code == 200
    assert "upstream said ***" in page.content.decode()
    assert 'name="status"' not in page.content.decode()
    note = delivery.notification
    page = staff_client.get(f"{BASE}/notification/{note.pk}/change/")
    assert page.status_code == 200
    assert "buy 0.1 BTC" in page.content.decode()
    assert 'name="title"' not in page.content.decode()
