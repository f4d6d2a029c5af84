"""A bot set to "the champion" of a market trades only while the market has one."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from signals.models import ModelVersion
from trading.bots.engine import bot_tick
from trading.bots.services import BotError, bot_create, bot_start
from trading.models import BotTick, Order
from trading.tests.bots.conftest import add_candles, newest_closed_open, rising


def _champion(market, status=ModelVersion.Status.CHAMPION) -> ModelVersion:
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
        summary_score=0.0,
        artifact_path="x",
        artifact_sha256="0" * 64,
        status=status,
    )
    version.markets.add(market)
    return version


def _champion_bot(owner, market):
    bot = bot_create(
        owner=owner,
        name="follows the champion",
        market_id=market.pk,
        timeframe="1h",
        strategy="champion",
        capital=Decimal("1000"),
    )
    return bot_start(owner=owner, bot_id=bot.pk)


def test_champion_bot_cannot_be_created_for_a_market_without_one(alice, market):
    _champion(market, status=ModelVersion.Status.CANDIDATE)  # a model that failed its checks
    with pytest.raises(BotError, match="no champion model"):
        _champion_bot(alice, market)


def test_champion_bot_of_a_market_that_lost_its_champion_does_not_trade_and_says_why(alice, market):
    # given a champion bot, and then the market's champion retired with none in its place
    version = _champion(market)
    bot = _champion_bot(alice, market)
    version.status = ModelVersion.Status.RETIRED
    version.save(update_fields=["status"])
    last = newest_closed_open()
    add_candles(market, rising(), last_open=last)
    # when it ticks
    outcome = bot_tick(bot_id=bot.pk, candle_time=last)
    # then it places nothing and its tick says the market has no champion
    assert outcome == BotTick.Outcome.NO_ORDER
    assert "has no champion model" in BotTick.objects.get(bot=bot).reason
    assert not Order.objects.filter(bot=bot).exists()
