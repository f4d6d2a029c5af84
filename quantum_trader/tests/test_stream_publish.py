from __future__ import annotations

import pytest

from markets.models import StreamEvent
from markets.stream import build_message, publish


def test_build_message_rejects_unknown_type():
    with pytest.raises(ValueError, match="unknown event type"):
        build_message(type="gossip", topic="asset.BTC", id=1, data={})


def test_build_message_has_design_shape():
    message = build_message(type="news", topic="asset.BTC", id=3, data={"title": "t"})

    assert set(message) == {"type", "topic", "id", "ts", "data"}
    assert isinstance(message["ts"], int)
    assert message["ts"] > 1_600_000_000_000


@pytest.mark.django_db(transaction=True)
def test_publish_in_outbox_mode_writes_only_after_commit(settings):
    from django.db import transaction

    settings.STREAM_VIA_OUTBOX = True
    with transaction.atomic():
        publish(group="asset.BTC", type="news", id=1, data={})
        assert StreamEvent.objects.count() == 0

    assert StreamEvent.objects.get().message["topic"] == "asset.BTC"


@pytest.mark.django_db(transaction=True)
def test_publish_rolled_back_sends_nothing(settings):
    from django.db import transaction

    settings.STREAM_VIA_OUTBOX = True

    def failing_work() -> None:
        with transaction.atomic():
            publish(group="asset.BTC", type="news", id=1, data={})
            raise RuntimeError("work failed")

    with pytest.raises(RuntimeError):
        failing_work()

    assert StreamEvent.objects.count() == 0
