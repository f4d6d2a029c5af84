"""The notifications API: channels with masked targets, test sends, the centre, preferences."""

from __future__ import annotations

import json

from accounts.models import Notification, NotificationChannel
from accounts.services import notify


def _create_webhook(client, receiver, path, **extra):
    body = {
        "kind": "webhook",
        "label": "my hook",
        "events": ["order.filled", "bot.halted"],
        "url": receiver.base + path,
        **extra,
    }
    return client.post("/api/notification-channels/", body, format="json")


def test_channel_create_shows_secret_once_and_never_the_url(
    alice_client, receiver, deliver_now, canary
):
    # Given a webhook URL holding a secret token
    path = f"/hooks/{canary('hookpath')}"
    created = _create_webhook(alice_client, receiver, path)
    assert created.status_code == 201, created.content
    secret = created.json()["secret"]
    assert len(secret) >= 32
    receiver.secrets[path] = secret
    channel_id = created.json()["id"]
    assert created.json()["masked_target"].startswith("http://127.0.0.1/…")
    # Then later answers never carry the secret or the URL
    listed = alice_client.get("/api/notification-channels/")
    one = alice_client.get(f"/api/notification-channels/{channel_id}/")
    for response in (listed, one):
        assert response.status_code == 200
        assert secret not in response.content.decode()
        assert "secret" not in json.dumps(response.json())
    # And "send a test" reaches the receiver, signed
    with deliver_now():
        tested = alice_client.post(f"/api/notification-channels/{channel_id}/test/")
    assert tested.status_code == 202
    got = receiver.wait_for(1)
    assert len(got) == 1
    assert got[0].signature_ok is True
    assert json.loads(got[0].body)["test"] is True
    log = alice_client.get(f"/api/notification-channels/{channel_id}/deliveries/").json()
    assert [(d["status"], d["response_code"], d["is_test"]) for d in log] == [("sent", 200, True)]


def test_another_users_channel_is_404(alice_client, bob_client, receiver):
    channel_id = _create_webhook(alice_client, receiver, "/a").json()["id"]
    for response in (
        bob_client.get(f"/api/notification-channels/{channel_id}/"),
        bob_client.patch(
            f"/api/notification-channels/{channel_id}/", {"label": "x"}, format="json"
        ),
        bob_client.post(f"/api/notification-channels/{channel_id}/test/"),
        bob_client.get(f"/api/notification-channels/{channel_id}/deliveries/"),
        bob_client.delete(f"/api/notification-channels/{channel_id}/"),
    ):
        assert response.status_code == 404
    assert bob_client.get("/api/notification-channels/").json()["results"] == []
    assert NotificationChannel.objects.filter(pk=channel_id, label="my hook").exists()


def test_channel_create_with_bad_fields_names_them(alice_client, settings):
    settings.NOTIFY_ALLOW_PRIVATE_TARGETS = True
    bad_event = alice_client.post(
        "/api/notification-channels/",
        {"kind": "webhook", "label": "x", "events": ["nope"], "url": "http://127.0.0.1/x"},
        format="json",
    )
    assert bad_event.status_code == 400
    assert any(name.startswith("events") for name in bad_event.json()["fields"])
    bad_url = alice_client.post(
        "/api/notification-channels/",
        {"kind": "apprise", "label": "x", "events": [], "url": "nope://x"},
        format="json",
    )
    assert bad_url.status_code == 400
    assert bad_url.json()["field"] == "url"
    assert not NotificationChannel.objects.exists()


def test_paused_channel_resumes_through_patch(alice, alice_client, receiver):
    channel_id = _create_webhook(alice_client, receiver, "/p").json()["id"]
    NotificationChannel.objects.filter(pk=channel_id).update(
        paused=True, paused_reason="Paused after 5 failed deliveries", consecutive_failures=5
    )
    response = alice_client.patch(
        f"/api/notification-channels/{channel_id}/", {"paused": False}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["paused"], response.json()["consecutive_failures"]) == (False, 0)


def test_notification_centre_lists_counts_and_marks_read(alice, bob, alice_client):
    first = notify(user_id=alice.pk, kind="order.filled", title="Bought")
    notify(user_id=alice.pk, kind="bot.halted", title="Halted")
    notify(user_id=bob.pk, kind="bot.halted", title="Bob's")
    assert alice_client.get("/api/notifications/unread-count/").json() == {"unread": 2}
    listed = alice_client.get("/api/notifications/").json()["results"]
    assert [n["title"] for n in listed] == ["Halted", "Bought"]
    marked = alice_client.post(
        "/api/notifications/mark-read/", {"ids": [first.pk]}, format="json"
    ).json()
    assert marked == {"marked": 1}
    assert alice_client.get("/api/notifications/unread-count/").json() == {"unread": 1}
    unread = alice_client.get("/api/notifications/?unread=true").json()["results"]
    assert [n["title"] for n in unread] == ["Halted"]
    # Marking all touches only alice's
    assert alice_client.post("/api/notifications/mark-read/", {}, format="json").json() == {
        "marked": 1
    }
    assert Notification.objects.get(user=bob).read_at is None


def test_notifications_older_than_30_days_are_pruned(alice):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.notifications.services import notifications_prune

    old = notify(user_id=alice.pk, kind="order.filled", title="old")
    notify(user_id=alice.pk, kind="order.filled", title="new")
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    assert notifications_prune() == 1
    assert list(Notification.objects.values_list("title", flat=True)) == ["new"]


def test_preferences_set_quiet_hours(alice_client):
    response = alice_client.patch(
        "/api/notification-preferences/",
        {"quiet_start": "22:00", "quiet_end": "07:00", "timezone": "Europe/Berlin"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["quiet_start"], body["quiet_end"], body["timezone"]) == (
        "22:00",
        "07:00",
        "Europe/Berlin",
    )
    assert {"kind": "order.filled", "label": "Order filled"} in body["event_kinds"]
    bad = alice_client.patch(
        "/api/notification-preferences/", {"timezone": "Mars/Base"}, format="json"
    )
    assert bad.status_code == 400
    assert bad.json()["field"] == "timezone"
    half = alice_client.patch(
        "/api/notification-preferences/", {"quiet_start": None}, format="json"
    )
    assert half.status_code == 400


def test_notification_is_pushed_on_the_users_stream(alice, settings):
    from unittest import mock

    with mock.patch("accounts.notifications.services.publish") as publish:
        notification = notify(user_id=alice.pk, kind="order.filled", title="Bought")
    publish.assert_called_once()
    kwargs = publish.call_args.kwargs
    assert (kwargs["group"], kwargs["type"], kwargs["id"]) == (
        f"user.{alice.pk}",
        "notification",
        notification.pk,
    )
    assert kwargs["data"]["title"] == "Bought"
