"""Channel URLs and secrets under master-key rotation, and bound to their own row and table."""

from __future__ import annotations

import os
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.core import crypto
from accounts.models import NotificationChannel
from accounts.notifications.services import channel_create, channel_secrets


def test_rotation_rewraps_channels_and_only_the_new_key_is_needed(alice, settings, canary):
    url = f"https://hooks.example.test/{canary('hook')}"
    settings.NOTIFY_ALLOW_PRIVATE_TARGETS = True
    channel, secret = channel_create(
        owner=alice, kind="webhook", label="ops", events=["order.filled"], url=url
    )
    old = settings.QT_ENCRYPTION_KEYS[0]
    settings.QT_ENCRYPTION_KEYS = [("k2", os.urandom(32)), old]

    out = StringIO()
    call_command("rotate_encryption_keys", stdout=out, stderr=StringIO())

    assert "Notification channels: 1 re-wrapped" in out.getvalue()
    settings.QT_ENCRYPTION_KEYS = settings.QT_ENCRYPTION_KEYS[:1]
    channel.refresh_from_db()
    assert channel.key_id == "k2"
    assert channel_secrets(channel).url == url
    assert channel_secrets(channel).secret == secret


def test_channel_ciphertext_moved_to_another_row_fails(alice, bob, settings):
    settings.NOTIFY_ALLOW_PRIVATE_TARGETS = True
    mine, _ = channel_create(
        owner=alice, kind="apprise", label="a", events=[], url="ntfy://127.0.0.1/alice-topic"
    )
    theirs, _ = channel_create(
        owner=bob, kind="apprise", label="b", events=[], url="ntfy://127.0.0.1/bob-topic"
    )
    NotificationChannel.objects.filter(pk=theirs.pk).update(
        url_ct=mine.url_ct, wrapped_key=mine.wrapped_key
    )
    theirs.refresh_from_db()
    with pytest.raises(crypto.DecryptionError):
        channel_secrets(theirs)
