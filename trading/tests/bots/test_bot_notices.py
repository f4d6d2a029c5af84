"""Bot starts, halts and kill switches reach the owner's notifications."""

from __future__ import annotations

import pytest

from accounts.models import Notification
from trading.bots.kill import kill_switch_set
from trading.bots.services import bot_create, bot_halt
from trading.tests.bots.conftest import make_market

pytestmark = pytest.mark.django_db


def _bot(owner):
    market = make_market()
    return bot_create(
        owner=owner,
        name="trend",
        market_id=market.pk,
        timeframe="1h",
        strategy="rule",
        rule_name="sma_cross",
        rule_params={"fast": 5, "slow": 20},
    )


def test_bot_halt_notifies_the_owner_with_the_reason(alice, bob):
    bot = _bot(alice)
    bot_halt(bot=bot, reason="Daily loss limit reached")
    halted = Notification.objects.get(user=alice, kind="bot.halted")
    assert halted.title == "Bot trend halted"
    assert halted.data == {
        "bot_id": bot.pk,
        "event": "halted",
        "reason": "Daily loss limit reached",
    }
    assert not Notification.objects.filter(user=bob).exists()
    # Creating a bot is not an event anyone is told about
    assert not Notification.objects.filter(kind="bot.started").exists()


def test_kill_switch_notifies_its_owner(alice):
    kill_switch_set(actor=alice, scope="user", active=True, reason="market crash")
    told = Notification.objects.get(user=alice, kind="bot.kill_switch")
    assert (told.title, told.body) == ("Kill switch on", "market crash")
