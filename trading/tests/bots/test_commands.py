"""run_bots and bot_replay."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from trading.bots.replay import bot_replay
from trading.bots.services import bot_create, bot_start
from trading.models import BotTick, Order
from trading.tests.bots.conftest import add_candles, newest_closed_open, rising
from trading.tests.factories import START, market_with_candles


def test_run_bots_once_ticks_running_bots(alice, market):
    add_candles(market, rising(), last_open=newest_closed_open())
    bot = bot_create(
        owner=alice,
        name="sma",
        market_id=market.pk,
        timeframe="1h",
        strategy="rule",
        rule_name="sma_cross",
        rule_params={"fast": 2, "slow": 5},
    )
    bot_start(owner=alice, bot_id=bot.pk)
    out = StringIO()
    call_command("run_bots", "--once", stdout=out)
    assert "1 ticks (ordered 1)" in out.getvalue()
    assert BotTick.objects.filter(bot=bot).count() == 1
    assert Order.objects.filter(bot=bot).count() == 1


@pytest.fixture
def walk_bot(alice):
    market = market_with_candles(
        count=600, amount_precision=Decimal("0.0001"), min_notional=Decimal("10")
    )
    market.enabled = True
    market.timeframes = ["1h"]
    market.save()
    return bot_create(
        owner=alice,
        name="walk",
        market_id=market.pk,
        timeframe="1h",
        strategy="rule",
        rule_name="sma_cross",
        rule_params={"fast": 5, "slow": 20},
        capital=Decimal("10000"),
        risk_profile={"stop_loss": 0.02, "take_profit": 0.03, "max_position": 0.8},
    )


def test_bot_replay_matches_backtest_of_the_same_targets(walk_bot):
    result = bot_replay(bot=walk_bot, start=START, end=datetime(2030, 1, 1, tzinfo=UTC))
    summary = result.summary()
    assert summary["replay_trades"] > 10
    assert summary["same_trade_times"]
    assert summary["replay_trades"] == summary["backtest_trades"]
    assert summary["final_equity_relative_difference"] < 1e-9


def test_bot_replay_command_prints_both_sides(walk_bot):
    out = StringIO()
    call_command(
        "bot_replay", str(walk_bot.pk), "--start", "2024-01-01", "--end", "2024-02-01", stdout=out
    )
    text = out.getvalue()
    assert "final equity: replay" in text
    assert "same times: True" in text


def test_bot_replay_command_empty_range_is_an_error(walk_bot):
    with pytest.raises(CommandError, match="stored candles"):
        call_command("bot_replay", str(walk_bot.pk), "--start", "2020-01-01", "--end", "2020-02-01")
