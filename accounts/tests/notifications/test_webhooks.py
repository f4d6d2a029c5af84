"""Signed webhooks: the right events arrive once, quiet hours, the hourly limit, pausing."""

from __future__ import annotations

import json
from datetime import time, timedelta

import pytest
from django.utils import timezone

from accounts.models import Delivery, Notification, NotificationChannel
from accounts.notifications.delivery import FAILURE_LIMIT
from accounts.notifications.services import channel_create, preference_update
from accounts.services import notify


def _webhook(owner, receiver, path="/hook", events=("order.filled",), **extra):
    channel, secret = channel_create(
        owner=owner,
        kind="webhook",
        label=f"hook {path}",
        events=list(events),
        url=receiver.base + path,
        **extra,
    )
    receiver.secrets[path] = secret
    return channel, secret


def test_webhook_subscribed_event_arrives_once_signed(alice, receiver, deliver_now):
    # Given a webhook channel for fills only
    channel, _ = _webhook(alice, receiver)
    # When a fill and a bot start happen
    with deliver_now():
        notify(user_id=alice.pk, kind="order.filled", title="Bought 0.1 BTC", data={"order": 7})
        notify(user_id=alice.pk, kind="bot.started", title="Bot started")
    # Then the receiver got the fill once, correctly signed, and nothing else
    got = receiver.wait_for(1)
    assert len(got) == 1
    assert got[0].signature_ok is True
    body = json.loads(got[0].body)
    assert (body["kind"], body["title"], body["data"]) == (
        "order.filled",
        "Bought 0.1 BTC",
        {"order": 7},
    )
    assert got[0].headers["x-qt-event"] == "order.filled"
    delivery = Delivery.objects.get(channel=channel)
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("sent", 1, 200)
    assert Notification.objects.filter(user=alice).count() == 2


def test_webhook_signature_fails_with_another_secret(alice, receiver, deliver_now):
    # Given a receiver that knows a different secret than the channel's
    channel, _ = _webhook(alice, receiver)
    receiver.secrets["/hook"] = "not-the-channel-secret"
    with deliver_now():
        notify(user_id=alice.pk, kind="order.filled", title="x")
    # Then the receiver's check fails (it answers 401) and the delivery is retried as a failure
    assert receiver.wait_for(1)[0].signature_ok is False
    assert Delivery.objects.get(channel=channel).status == "failed"


def test_webhook_in_quiet_hours_sends_nothing(alice, receiver, deliver_now):
    now = timezone.now()
    _webhook(alice, receiver)
    preference_update(
        user=alice,
        changes={
            "quiet_start": (now - timedelta(hours=1)).time().replace(microsecond=0).isoformat(),
            "quiet_end": (now + timedelta(hours=1)).time().replace(microsecond=0).isoformat(),
            "timezone": "UTC",
        },
    )
    with deliver_now():
        notify(user_id=alice.pk, kind="order.filled", title="x")
    assert receiver.wait_for(1, timeout=0.5) == []
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.reason) == ("skipped", "quiet_hours")
    # The notification centre still has it
    assert Notification.objects.filter(user=alice, kind="order.filled").count() == 1


def test_webhook_outside_quiet_hours_sends(alice, receiver, deliver_now):
    now = timezone.now()
    _webhook(alice, receiver)
    start = (now + timedelta(hours=2)).time().replace(microsecond=0)
    end = (now + timedelta(hours=3)).time().replace(microsecond=0)
    preference_update(user=alice, changes={"quiet_start": start, "quiet_end": end})
    with deliver_now():
        notify(user_id=alice.pk, kind="order.filled", title="x")
    assert len(receiver.wait_for(1)) == 1


def test_webhook_hourly_limit_holds(alice, receiver, deliver_now):
    channel, _ = _webhook(alice, receiver, max_per_hour=3)
    with deliver_now():
        for i in range(5):
            notify(user_id=alice.pk, kind="order.filled", title=f"fill {i}")
    assert len(receiver.wait_for(3)) == 3
    assert len(receiver.wait_for(4, timeout=0.3)) == 3
    statuses = sorted(Delivery.objects.filter(channel=channel).values_list("status", "reason"))
    assert statuses == [("sent", "")] * 3 + [("skipped", "rate_limited")] * 2


def test_webhook_failing_five_times_is_paused_and_user_told(alice, receiver, deliver_now):
    # Given a receiver that always answers 500
    receiver.status = 500
    channel, _ = _webhook(alice, receiver)
    # When two events are sent (the first retried until it gives up, the second fails once)
    with deliver_now():
        notify(user_id=alice.pk, kind="order.filled", title="one")
        notify(user_id=alice.pk, kind="order.filled", title="two")
    # Then exactly 5 attempts reached the receiver and the channel is paused
    assert len(receiver.wait_for(FAILURE_LIMIT)) == FAILURE_LIMIT
    channel.refresh_from_db()
    assert channel.paused is True
    assert "HTTP 500" in channel.paused_reason
    told = Notification.objects.get(user=alice, kind="channel.paused")
    assert told.data == {"channel_id": channel.pk, "label": channel.label}
    # And later events are not sent to it
    with deliver_now():
        notify(user_id=alice.pk, kind="order.filled", title="three")
    assert len(receiver.wait_for(FAILURE_LIMIT + 1, timeout=0.3)) == FAILURE_LIMIT
    third = Delivery.objects.filter(channel=channel).latest("pk")
    assert (third.status, third.reason, third.attempts) == ("skipped", "channel_paused", 0)
    assert not Delivery.objects.filter(channel=channel, status="sent").exists()


def test_webhook_success_resets_the_failure_count(alice, receiver, deliver_now):
    channel, _ = _webhook(alice, receiver)
    receiver.status = 500
    with deliver_now():
        notify(user_id=alice.pk, kind="order.filled", title="one")
    receiver.status = 200
    with deliver_now():
        notify(user_id=alice.pk, kind="order.filled", title="two")
    channel.refresh_from_db()
    assert (channel.paused, channel.consecutive_failures) == (False, 0)
    assert len(receiver.requests) == 5  # 4 failed attempts, then 1 success


def test_other_users_channels_get_nothing(alice, bob, receiver, deliver_now):
    _webhook(bob, receiver, path="/bob")
    with deliver_now():
        notify(user_id=alice.pk, kind="order.filled", title="alice's fill")
    assert receiver.wait_for(1, timeout=0.3) == []


def test_webhook_to_a_private_address_is_refused_by_default(alice, settings):
    from accounts.notifications.services import NotificationError

    settings.NOTIFY_ALLOW_PRIVATE_TARGETS = False
    with pytest.raises(NotificationError) as e:
        channel_create(
            owner=alice, kind="webhook", label="x", events=[], url="https://127.0.0.1/hook"
        )
    assert e.value.field == "url"
    assert not NotificationChannel.objects.exists()


def test_quiet_hours_over_midnight():
    from datetime import UTC, datetime

    from accounts.core.notifications import in_quiet_hours

    late = datetime(2026, 1, 1, 23, 30, tzinfo=UTC)
    early = datetime(2026, 1, 1, 6, 59, tzinfo=UTC)
    noon = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    window = (time(22, 0), time(7, 0))
    assert in_quiet_hours(late, *window, "UTC")
    assert in_quiet_hours(early, *window, "UTC")
    assert not in_quiet_hours(noon, *window, "UTC")
    # 12:00 UTC is 21:00 in Tokyo, outside; 14:00 UTC is 23:00 there, inside
    assert not in_quiet_hours(noon, *window, "Asia/Tokyo")
    assert in_quiet_hours(noon.replace(hour=14), *window, "Asia/Tokyo")
