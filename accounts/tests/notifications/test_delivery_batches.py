"""Deliveries drained in batches: each sent once, pausing and the time budget still hold."""

from __future__ import annotations

import json

from accounts.models import Delivery, Notification, NotificationChannel
from accounts.notifications import delivery as sender
from accounts.notifications.delivery import FAILURE_LIMIT, deliveries_attempt, delivery_attempt
from accounts.notifications.services import channel_create


def _webhook(owner, receiver, path):
    channel, secret = channel_create(
        owner=owner, kind="webhook", label=path, events=["order.filled"], url=receiver.base + path
    )
    receiver.secrets[path] = secret
    return channel


def _pending(channel, count):
    notes = [
        Notification.objects.create(user_id=channel.owner_id, kind="order.filled", title=f"n{i}")
        for i in range(count)
    ]
    return [
        Delivery.objects.create(notification=n, channel=channel, kind="order.filled").pk
        for n in notes
    ]


def test_one_task_drains_due_deliveries_each_sent_once(alice, bob, receiver, settings):
    settings.NOTIFY_HTTP_TIMEOUT = 3
    ids = _pending(_webhook(alice, receiver, "/a"), 3) + _pending(_webhook(bob, receiver, "/b"), 2)
    # When the task of the first delivery runs, it takes the other due ones too
    results = deliveries_attempt(delivery_ids=[ids[0]], limit=50)
    assert results == dict.fromkeys(ids, "sent")
    # And the tasks of the others, arriving later, send nothing again
    assert [delivery_attempt(delivery_id=pk, limit=50) for pk in ids[1:]] == ["not_pending"] * 4
    arrived = receiver.wait_for(6, timeout=0.5)
    assert sorted(json.loads(r.body)["delivery"] for r in arrived) == ids
    assert all(r.signature_ok for r in arrived)
    assert set(Delivery.objects.values_list("status", "attempts", "response_code")) == {
        ("sent", 1, 200)
    }


def test_a_batch_leaves_deliveries_not_yet_due_alone(alice, receiver, settings):
    from datetime import timedelta

    from django.utils import timezone

    first, waiting = _pending(_webhook(alice, receiver, "/a"), 2)
    later = timezone.now() + timedelta(minutes=5)
    Delivery.objects.filter(pk=waiting).update(next_attempt_at=later, reason="retrying")
    assert deliveries_attempt(delivery_ids=[first], limit=50) == {first: "sent"}
    assert Delivery.objects.get(pk=waiting).status == "pending"
    assert len(receiver.wait_for(2, timeout=0.3)) == 1


def test_a_channel_paused_in_a_batch_gets_nothing_more_from_it(alice, receiver, settings):
    receiver.status = 500
    channel = _webhook(alice, receiver, "/a")
    NotificationChannel.objects.filter(pk=channel.pk).update(consecutive_failures=FAILURE_LIMIT - 1)
    ids = _pending(channel, 3)
    results = deliveries_attempt(delivery_ids=[ids[0]], limit=50)
    # The first failure is the fifth in a row: the channel is paused, the rest are skipped
    assert results == {ids[0]: "paused", ids[1]: "skipped", ids[2]: "skipped"}
    assert len(receiver.wait_for(2, timeout=0.3)) == 1
    assert sorted(Delivery.objects.values_list("status", "reason")) == [
        ("failed", "channel_paused"),
        ("skipped", "channel_paused"),
        ("skipped", "channel_paused"),
    ]
    assert Notification.objects.filter(user=alice, kind="channel.paused").count() == 1


def test_successes_before_a_failure_reset_the_count_first(alice, receiver, settings):
    settings.NOTIFY_RETRY_BASE_SECONDS = 3600
    good = _webhook(alice, receiver, "/good")
    bad = _webhook(alice, receiver, "/bad")
    receiver.secrets["/bad"] = "not the channel's secret"  # the receiver answers 401
    NotificationChannel.objects.filter(pk=good.pk).update(consecutive_failures=3)
    ids = _pending(good, 1) + _pending(bad, 1)
    results = deliveries_attempt(delivery_ids=ids, limit=50)
    assert results == {ids[0]: "sent", ids[1]: "retrying"}
    good.refresh_from_db()
    bad.refresh_from_db()
    assert (good.consecutive_failures, bad.consecutive_failures) == (0, 1)
    retry = Delivery.objects.get(pk=ids[1])
    assert (retry.status, retry.reason, retry.attempts, retry.response_code) == (
        "pending",
        "retrying",
        1,
        401,
    )


def test_what_a_batch_cannot_reach_in_its_budget_goes_back_to_pending(
    alice, receiver, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(sender, "BATCH_BUDGET_SECONDS", -1.0)
    monkeypatch.setattr(
        "accounts.notifications.services.deliveries_enqueue", lambda ids: queued.append(ids)
    )
    ids = _pending(_webhook(alice, receiver, "/a"), 3)
    # The task's own delivery is always attempted; the others wait for the next task
    assert deliveries_attempt(delivery_ids=[ids[1]], limit=50) == {ids[1]: "sent"}
    rows = dict(Delivery.objects.values_list("pk", "status"))
    assert rows == {ids[0]: "pending", ids[1]: "sent", ids[2]: "pending"}
    assert set(Delivery.objects.filter(status="pending").values_list("attempts", flat=True)) == {0}
    assert queued == [[ids[0], ids[2]]]


def test_without_row_locks_a_batch_claims_by_conditional_update(alice, receiver, monkeypatch):
    from django.db import connection

    ids = _pending(_webhook(alice, receiver, "/a"), 3)
    monkeypatch.setattr(connection.features, "has_select_for_update_skip_locked", False)
    real_update = type(Delivery.objects.all()).update

    def racing_update(self, **kwargs):
        # another worker claims the second delivery just before this one's claim of it
        if kwargs.get("status") == "sending" and self.filter(pk=ids[1]).exists():
            real_update(Delivery.objects.filter(pk=ids[1]), status="sending")
        return real_update(self, **kwargs)

    monkeypatch.setattr(type(Delivery.objects.all()), "update", racing_update)
    results = deliveries_attempt(delivery_ids=[ids[0]], limit=50)
    assert results == {ids[0]: "sent", ids[2]: "sent"}
    assert len(receiver.wait_for(3, timeout=0.3)) == 2
