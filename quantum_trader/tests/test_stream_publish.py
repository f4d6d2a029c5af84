from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from markets import stream
from markets.models import StreamCursor, StreamEvent, StreamTopic
from markets.stream import build_message, dispatch_round, publish, replay


def _seqs(topic: str) -> list[int | None]:
    return list(
        StreamEvent.objects.filter(group=topic)
        .order_by("sequence")
        .values_list("sequence", flat=True)
    )


def test_build_message_rejects_unknown_type():
    with pytest.raises(ValueError, match="unknown event type"):
        build_message(type="gossip", topic="asset.BTC", id=1, data={})


def test_build_message_has_design_shape():
    message = build_message(type="news", topic="asset.BTC", id=3, data={"title": "t"})

    assert set(message) == {"type", "topic", "id", "ts", "data"}
    assert isinstance(message["ts"], int)
    assert message["ts"] > 1_600_000_000_000


@pytest.mark.django_db(transaction=True)
def test_publish_writes_inside_the_callers_transaction():
    with transaction.atomic():
        publish(group="asset.BTC", type="news", id=1, data={})
        # In the same transaction as the change, not after it.
        assert StreamEvent.objects.count() == 1

    event = StreamEvent.objects.get()
    assert event.message["topic"] == "asset.BTC"
    assert event.message["seq"] == event.sequence == 1


@pytest.mark.django_db(transaction=True)
def test_rolled_back_publish_leaves_no_event_and_no_gap():
    def failing_work() -> None:
        with transaction.atomic():
            publish(group="asset.BTC", type="news", id=2, data={})
            raise RuntimeError("work failed")

    publish(group="asset.BTC", type="news", id=1, data={})
    with pytest.raises(RuntimeError):
        failing_work()
    publish(group="asset.BTC", type="news", id=3, data={})

    assert _seqs("asset.BTC") == [1, 2]
    assert [e.message["id"] for e in StreamEvent.objects.order_by("sequence")] == [1, 3]


@pytest.mark.django_db(transaction=True)
def test_each_topic_counts_on_its_own_and_batches_keep_their_order():
    events = [
        ("asset.BTC", build_message(type="news", topic="asset.BTC", id=i, data={}))
        for i in range(3)
    ]
    events.insert(1, ("asset.ETH", build_message(type="news", topic="asset.ETH", id=9, data={})))

    assert stream.send_now(events) is None
    publish(group="asset.ETH", type="news", id=10, data={})

    assert _seqs("asset.BTC") == [1, 2, 3]
    assert [
        e.message["id"] for e in StreamEvent.objects.filter(group="asset.BTC").order_by("sequence")
    ] == [0, 1, 2]
    assert _seqs("asset.ETH") == [1, 2]
    assert StreamCursor.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_an_oversized_event_is_stored_as_a_refetch_hint(settings):
    settings.STREAM_MAX_EVENT_BYTES = 200

    publish(group="asset.BTC", type="news", id=1, data={"body": "x" * 500})

    assert StreamEvent.objects.get().message["data"] == {"too_big": True}


@pytest.mark.django_db(transaction=True)
def test_concurrent_publishers_on_one_topic_get_gapless_sequences():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(40):
                with transaction.atomic():
                    publish(group="asset.BTC", type="news", id=n * 1000 + i, data={})
                    if i % 7 == 3:
                        transaction.set_rollback(True)
        except BaseException as e:  # reported below
            errors.append(e)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    committed = 4 * (40 - len([i for i in range(40) if i % 7 == 3]))
    assert _seqs("asset.BTC") == list(range(1, committed + 1))
    assert StreamTopic.objects.get(name="asset.BTC").last_sequence == committed


@pytest.mark.django_db(transaction=True)
def test_transactions_publishing_two_topics_in_opposite_orders_both_commit():
    """A then B in one transaction, B then A in another, each holding its first while the other
    publishes its second: numbering topics as they are published would deadlock them."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks between connections need PostgreSQL")
    both_published_first = threading.Barrier(2, timeout=10)
    errors: list[BaseException] = []

    def writer(first: str, second: str, n: int) -> None:
        try:
            with transaction.atomic():
                publish(group=first, type="news", id=n, data={})
                both_published_first.wait()
                publish(group=second, type="news", id=n, data={})
        except BaseException as e:  # reported below
            errors.append(e)
        finally:
            connection.close()

    for round_ in range(3):
        threads = [
            threading.Thread(target=writer, args=("asset.AAA", "asset.BBB", 2 * round_)),
            threading.Thread(target=writer, args=("asset.BBB", "asset.AAA", 2 * round_ + 1)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)

    assert errors == []
    for topic in ("asset.AAA", "asset.BBB"):
        assert _seqs(topic) == [1, 2, 3, 4, 5, 6]
        assert [e.message["seq"] for e in StreamEvent.objects.filter(group=topic)] == sorted(
            e.message["seq"] for e in StreamEvent.objects.filter(group=topic)
        )
        assert StreamTopic.objects.get(name=topic).last_sequence == 6


@pytest.mark.django_db(transaction=True)
def test_dispatch_round_sends_in_order_and_moves_the_cursor():
    for i in range(5):
        publish(group="asset.BTC", type="news", id=i, data={})
    publish(group="asset.ETH", type="news", id=100, data={})
    sent: list[tuple[str, int]] = []

    report = dispatch_round(lambda events: sent.extend((g, m["seq"]) for g, m in events))

    assert [s for g, s in sent if g == "asset.BTC"] == [1, 2, 3, 4, 5]
    assert [s for g, s in sent if g == "asset.ETH"] == [1]
    assert report.events == 6
    assert dispatch_round(lambda events: sent.extend(events)).events == 0
    assert stream.backlog()["pending_events"] == 0


@pytest.mark.django_db(transaction=True)
def test_a_failed_send_marks_nothing_sent():
    publish(group="asset.BTC", type="news", id=1, data={})

    def broken(events):
        raise ConnectionError("redis went away")

    with pytest.raises(ConnectionError):
        dispatch_round(broken)

    assert stream.backlog()["pending_events"] == 1
    sent: list = []
    dispatch_round(sent.extend)
    assert [m["seq"] for _, m in sent] == [1]


@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_never_send_a_topic_out_of_order_or_twice():
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED needs PostgreSQL")
    topics = [f"asset.C{i}" for i in range(12)]
    for round_ in range(20):
        stream.send_now(
            [(t, build_message(type="news", topic=t, id=round_, data={})) for t in topics]
        )
    sent: list[list[tuple[str, int]]] = [[], []]
    barrier = threading.Barrier(2)

    def dispatcher(k: int) -> None:
        try:
            barrier.wait()
            while True:
                report = dispatch_round(
                    lambda events: sent[k].extend((g, m["seq"]) for g, m in events),
                    max_topics=2,
                    max_events=15,
                )
                if report.events == 0 and stream.backlog()["pending_events"] == 0:
                    return
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatcher, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    merged = sent[0] + sent[1]
    assert sorted(merged) == sorted((t, s) for t in topics for s in range(1, 21))
    assert sent[0], "the first dispatcher took part"
    assert sent[1], "the second dispatcher took part"
    for k in range(2):
        for t in topics:
            mine = [s for g, s in sent[k] if g == t]
            assert mine == sorted(mine)


@pytest.mark.django_db(transaction=True)
def test_replay_returns_what_was_missed_or_says_too_old(settings):
    for i in range(6):
        publish(group="asset.BTC", type="news", id=i, data={})
    dispatch_round(lambda events: None)

    assert [m["seq"] for m in replay("asset.BTC", 3).events] == [4, 5, 6]
    assert replay("asset.BTC", 6).events == []
    assert replay("asset.BTC", None).head == 6
    assert replay("asset.BTC", 99).too_old  # numbered by another database
    assert replay("asset.BTC", 0, limit=5).too_old  # too far behind

    StreamEvent.objects.filter(sequence__lte=2).update(
        created_at=timezone.now() - timedelta(days=2)
    )
    assert stream.prune() == 2
    assert replay("asset.BTC", 1).too_old
    assert [m["seq"] for m in replay("asset.BTC", 2).events] == [3, 4, 5, 6]


@pytest.mark.django_db(transaction=True)
def test_prune_keeps_unsent_events_and_bounds_rows(settings):
    for i in range(10):
        publish(group="asset.BTC", type="news", id=i, data={})
    StreamEvent.objects.update(created_at=timezone.now() - timedelta(days=2))

    assert stream.prune() == 0  # none sent yet: none may go
    dispatch_round(lambda events: None)
    settings.STREAM_RETENTION = timedelta(days=30)
    settings.STREAM_RETENTION_ROWS = 4

    assert stream.prune() == 6
    assert _seqs("asset.BTC") == [7, 8, 9, 10]
