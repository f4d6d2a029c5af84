"""The daily P&L summary, a new champion and a stalled ingestion: told once, to the right users,
and sent only to the channels that take the event."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from accounts.models import Delivery, Notification
from accounts.notifications.services import channel_create
from markets.models import Candle
from signals.models import ModelVersion
from signals.services import model_promote
from trading.bots.engine import bot_fills_book
from trading.bots.notices import daily_pnl_summaries, ingestion_stall_notices
from trading.bots.services import bot_create, bot_start
from trading.models import NoticeSent, Position
from trading.tests.bots.conftest import HOUR, add_candles, newest_closed_open
from trading.tests.bots.test_pnl import _fill

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _local_targets(settings):
    settings.NOTIFY_ALLOW_PRIVATE_TARGETS = True


def _channels(owner, kind):
    """A webhook taking `kind` and one taking only order fills; return both."""
    wanted, _ = channel_create(
        owner=owner, kind="webhook", label="wanted", events=[kind], url="http://127.0.0.1:9/a"
    )
    other, _ = channel_create(
        owner=owner,
        kind="webhook",
        label="other",
        events=["order.filled"],
        url="http://127.0.0.1:9/b",
    )
    return wanted, other


def _queued(channel):
    return list(Delivery.objects.filter(channel=channel).values_list("kind", "status"))


def _rule_bot(owner, market, name="pnl"):
    return bot_create(
        owner=owner,
        name=name,
        market_id=market.pk,
        timeframe="1h",
        strategy="rule",
        rule_name="sma_cross",
        rule_params={"fast": 2, "slow": 5},
        capital=Decimal("1000"),
    )


# --- the daily P&L summary ------------------------------------------------------------------


def test_daily_summary_tells_each_bot_owner_yesterdays_pnl_once(alice, bob, market, settings):
    settings.NOTIFY_DAILY_SUMMARY_HOUR = 6
    wanted, other = _channels(alice, "pnl.daily_summary")
    bob_wanted, _ = _channels(bob, "pnl.daily_summary")  # bob has no bot
    last = newest_closed_open()
    add_candles(market, [100.0] * 10, last_open=last)
    bot = _rule_bot(alice, market)
    at = int(last.timestamp() * 1000)
    # a round trip on the day: buy 1 @ 100 (fee 0.1), sell 1 @ 110 (fee 0.11) realises 9.79
    _fill(bot, "buy", "100", "0.1", "t-1", at)
    _fill(bot, "sell", "110", "0.11", "t-2", at + 1000)
    assert bot_fills_book(bot_id=bot.pk)
    day = last.date()
    next_day = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=1)
    # before the chosen hour nothing goes out
    assert daily_pnl_summaries(now=next_day + timedelta(hours=5, minutes=59)) == 0
    assert not Notification.objects.filter(kind="pnl.daily_summary").exists()
    # from it on, alice (the only one with a bot) is told once, however often the task runs
    assert daily_pnl_summaries(now=next_day + timedelta(hours=6)) == 1
    assert daily_pnl_summaries(now=next_day + timedelta(hours=7)) == 0
    told = Notification.objects.get(kind="pnl.daily_summary")
    assert told.user_id == alice.pk
    assert told.data["day"] == day.isoformat()
    (row,) = told.data["bots"]
    position = Position.objects.get(bot=bot)
    assert (row["bot_id"], row["fills"], row["quote"]) == (bot.pk, 2, "USDT")
    assert abs(Decimal(row["realised_day"]) - Decimal("9.79")) < Decimal("1e-9")
    assert Decimal(row["realised_total"]) == position.realised_pnl
    assert Decimal(row["unrealised"]) == position.unrealised_pnl
    assert "realised +9.79 USDT" in told.title
    # it reaches alice's channel that takes the summary, not her other one nor bob's
    assert _queued(wanted) == [("pnl.daily_summary", "pending")]
    assert _queued(other) == []
    assert _queued(bob_wanted) == []


def test_daily_summary_already_sent_by_another_worker_is_not_sent_again(alice, market):
    bot = _rule_bot(alice, market)
    bot_start(owner=alice, bot_id=bot.pk)
    now = datetime(2026, 3, 2, 9, tzinfo=UTC)
    # the other worker wrote the day's key in the transaction that sent the summary
    NoticeSent.objects.create(key=f"pnl.daily_summary:{alice.pk}:2026-03-01")
    assert daily_pnl_summaries(now=now) == 0
    assert not Notification.objects.filter(kind="pnl.daily_summary").exists()
    # the next day is a new summary: a running bot without fills still reports its position
    assert daily_pnl_summaries(now=now + timedelta(days=1)) == 1
    told = Notification.objects.get(kind="pnl.daily_summary")
    assert told.data["day"] == "2026-03-02"
    assert told.data["bots"][0]["fills"] == 0


# --- a new champion model ---------------------------------------------------------------------


def _version(market, status):
    moment = datetime(2024, 1, 1, tzinfo=UTC)
    version = ModelVersion.objects.create(
        scope=f"{market.exchange.ccxt_id}:{market.symbol}",
        timeframe="1h",
        feature_set_version="1",
        feature_config={},
        label_params={},
        hyperparameters={},
        train_start=moment,
        train_end=moment,
        summary_score=0.0123,
        artifact_path="x",
        artifact_sha256="0" * 64,
        status=status,
    )
    version.markets.add(market)
    return version


def test_new_champion_tells_owners_of_champion_bots_once(
    alice, bob, market, django_capture_on_commit_callbacks
):
    from accounts.tests.factories import UserFactory

    staff = UserFactory(username="operator", is_staff=True)
    old = _version(market, ModelVersion.Status.CHAMPION)
    bot_create(
        owner=alice,
        name="champ",
        market_id=market.pk,
        timeframe="1h",
        strategy="champion",
        capital=Decimal("1000"),
    )
    _rule_bot(bob, market)  # bob's bot follows a rule, not the champion
    wanted, other = _channels(alice, "model.champion")
    bob_wanted, _ = _channels(bob, "model.champion")
    new = _version(market, ModelVersion.Status.CANDIDATE)
    with django_capture_on_commit_callbacks(execute=True):
        model_promote(model_version=new)
    told = Notification.objects.filter(kind="model.champion")
    assert sorted(told.values_list("user_id", flat=True)) == sorted([alice.pk, staff.pk])
    note = told.get(user=alice)
    assert note.data == {
        "model_version_id": new.pk,
        "scope": new.scope,
        "timeframe": "1h",
        "retired_ids": [old.pk],
    }
    assert _queued(wanted) == [("model.champion", "pending")]
    assert _queued(other) == []
    assert _queued(bob_wanted) == []
    # the same promotion announced again (a repeated signal) tells no one twice
    from trading.bots.notices import champion_notice

    champion_notice(model_version_id=new.pk, retired_ids=[old.pk])
    assert Notification.objects.filter(kind="model.champion").count() == 2


# --- ingestion stalled ------------------------------------------------------------------------


def test_stalled_ingestion_is_told_once_per_stall_to_bot_owners_and_staff(
    alice, bob, market, settings
):
    from accounts.tests.factories import UserFactory

    settings.INGESTION_STALL_PERIODS = 3
    staff = UserFactory(username="operator", is_staff=True)
    bot = _rule_bot(alice, market)
    bot_start(owner=alice, bot_id=bot.pk)
    _rule_bot(bob, market, name="stopped")  # bob's bot on it is stopped: not told
    wanted, other = _channels(alice, "ingestion.stalled")
    bob_wanted, _ = _channels(bob, "ingestion.stalled")
    last = datetime(2026, 3, 1, 12, tzinfo=UTC)
    add_candles(market, [100.0] * 5, last_open=last)
    # three periods after the newest candle closed is still patience; past that, a stall
    assert ingestion_stall_notices(now=last + HOUR + 3 * HOUR) == 0
    assert ingestion_stall_notices(now=last + HOUR + 3 * HOUR + timedelta(minutes=1)) == 1
    assert ingestion_stall_notices(now=last + 10 * HOUR) == 0  # the same stall, not again
    told = Notification.objects.filter(kind="ingestion.stalled")
    assert sorted(told.values_list("user_id", flat=True)) == sorted([alice.pk, staff.pk])
    assert told.get(user=alice).data["last_candle_open"] == "2026-03-01T12:00:00Z"
    assert _queued(wanted) == [("ingestion.stalled", "pending")]
    assert _queued(other) == []
    assert _queued(bob_wanted) == []
    # candles come again, then stop again: a new stall, told again
    add_candles(market, [101.0], last_open=last + 10 * HOUR)
    assert ingestion_stall_notices(now=last + 11 * HOUR) == 0
    assert ingestion_stall_notices(now=last + 15 * HOUR) == 1
    assert Notification.objects.filter(kind="ingestion.stalled", user=alice).count() == 2


def test_disabled_market_or_one_never_ingested_is_not_a_stall(alice, market):
    bot = _rule_bot(alice, market)
    bot_start(owner=alice, bot_id=bot.pk)
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    assert not Candle.objects.filter(market=market).exists()
    assert ingestion_stall_notices(now=now) == 0
    add_candles(market, [100.0] * 5, last_open=now - 10 * HOUR)
    market.enabled = False
    market.save(update_fields=["enabled"])
    assert ingestion_stall_notices(now=now) == 0
    assert not Notification.objects.filter(kind="ingestion.stalled").exists()
