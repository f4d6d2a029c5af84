"""A bot's fills carry the P&L they realise; its position the realised and unrealised P&L."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from markets.core.orders import VenueTrade
from trading.bots.engine import bot_fills_book, bot_tick
from trading.bots.services import bot_create, bot_start
from trading.models import Bot, BotFill, Order, Position
from trading.orders.services import order_fills_record, order_place
from trading.tests.bots.conftest import HOUR, add_candles, newest_closed_open

TOLERANCE = Decimal("1e-9")


def _close_to(text: str | None, expected: str) -> bool:
    return text is not None and abs(Decimal(text) - Decimal(expected)) < TOLERANCE


def _bot(owner: Any, market: Any) -> Bot:
    return bot_create(
        owner=owner,
        name="pnl",
        market_id=market.pk,
        timeframe="1h",
        strategy="rule",
        rule_name="sma_cross",
        rule_params={"fast": 2, "slow": 5},
        capital=Decimal("1000"),
    )


def _fill(bot: Bot, side: str, price: str, fee: str, trade_id: str, at_ms: int) -> Order:
    """Place the bot's order through the order path and record the venue's fill of it."""
    order = order_place(
        owner=bot.owner,
        symbol=bot.market.symbol,
        side=side,
        type="market",
        amount=Decimal("1"),
        paper_account_id=bot.paper_account_id,
        bot_id=bot.pk,
    ).order
    added = order_fills_record(
        order=order,
        trades=[
            VenueTrade(
                trade_id=trade_id,
                exchange_order_id="",
                symbol=bot.market.symbol,
                side="buy" if side == "buy" else "sell",
                amount=Decimal("1"),
                price=Decimal(price),
                fee_cost=Decimal(fee),
                fee_currency="USDT",
                timestamp_ms=at_ms,
            )
        ],
    )
    assert added == 1
    return order


def test_buy_then_sell_realises_the_hand_checked_pnl_in_position_fills_and_api(
    alice, alice_client, bob, market
):
    # given a paper bot with 1000 USDT and a market trading at 100
    last = newest_closed_open()
    add_candles(market, [100.0] * 10, last_open=last)
    bot = _bot(alice, market)
    at = int((last + HOUR).timestamp() * 1000)
    # when it buys 1 @ 100 with a 0.1 USDT fee (0.1 %): it pays 100.1, cash 899.9
    buy = _fill(bot, "buy", "100", "0.1", "t-1", at)
    assert bot_fills_book(bot_id=bot.pk)
    position = Position.objects.get(bot=bot)
    assert position.amount == Decimal("1")
    assert position.average_entry == Decimal("100")
    assert abs(position.cash - Decimal("899.9")) < TOLERANCE
    assert position.realised_pnl == 0
    # valued at the fill's price, 100 against a cost of 100.1: -0.1 unrealised (the buy fee)
    assert abs(position.unrealised_pnl - Decimal("-0.1")) < TOLERANCE
    # and sells 1 @ 110 with a 0.11 USDT fee: receives 109.89, realises 109.89 - 100.1 = 9.79
    sell = _fill(bot, "sell", "110", "0.11", "t-2", at + 60_000)
    assert bot_fills_book(bot_id=bot.pk)
    # then the position is flat with 9.79 realised, nothing unrealised, cash 1009.79
    position.refresh_from_db()
    assert position.amount == 0
    assert abs(position.realised_pnl - Decimal("9.79")) < TOLERANCE
    assert position.unrealised_pnl == 0
    assert abs(position.cash - Decimal("1009.79")) < TOLERANCE
    # each fill is booked once with what it realised (none for the buy)
    booked = {row.fill.order_id: row for row in BotFill.objects.select_related("fill")}
    assert booked[buy.pk].realised_pnl is None
    assert booked[buy.pk].position_amount == Decimal("1")
    assert abs(booked[sell.pk].realised_pnl - Decimal("9.79")) < TOLERANCE
    assert booked[sell.pk].fee == Decimal("0.11")
    assert booked[sell.pk].position_amount == 0
    assert not bot_fills_book(bot_id=bot.pk)
    assert BotFill.objects.count() == 2

    # the bot's fills over the API, newest first, with the P&L of the sale
    rows = alice_client.get(f"/api/bots/{bot.pk}/fills/").json()["results"]
    assert [(r["order"], r["side"]) for r in rows] == [(sell.pk, "sell"), (buy.pk, "buy")]
    assert _close_to(rows[0]["realised_pnl"], "9.79")
    assert rows[0]["fee"] == "0.11"
    assert rows[1]["realised_pnl"] is None
    sales = alice_client.get(f"/api/bots/{bot.pk}/fills/?side=sell").json()["results"]
    assert [r["order"] for r in sales] == [sell.pk]
    bad = alice_client.get(f"/api/bots/{bot.pk}/fills/?side=short")
    assert bad.status_code == 400
    assert bad.json()["field"] == "side"
    # the Trades list (all fills) shows the bot and the realised P&L per fill
    trades = alice_client.get(f"/api/fills/?bot={bot.pk}").json()["results"]
    by_order = {t["order"]: t for t in trades}
    assert by_order[sell.pk]["bot"] == bot.pk
    assert _close_to(by_order[sell.pk]["realised_pnl"], "9.79")
    assert by_order[buy.pk]["realised_pnl"] is None
    # the position over the API
    (shown,) = alice_client.get("/api/positions/").json()
    assert _close_to(shown["realised_pnl"], "9.79")
    assert _close_to(shown["unrealised_pnl"], "0")
    # nobody else sees the bot's fills
    from rest_framework.test import APIClient

    other = APIClient()
    other.force_authenticate(bob)
    assert other.get(f"/api/bots/{bot.pk}/fills/").status_code == 404
    assert other.get(f"/api/fills/?bot={bot.pk}").json()["results"] == []


def test_tick_values_the_open_position_at_the_candle_close(alice, market):
    # given a bot holding 1 bought @ 100 (fee 0.1) and a newer candle closing at 110
    last = newest_closed_open()
    add_candles(market, [100.0] * 9 + [110.0], last_open=last)
    bot = _bot(alice, market)
    _fill(bot, "buy", "100", "0.1", "t-1", int((last - HOUR).timestamp() * 1000))
    bot_start(owner=alice, bot_id=bot.pk)
    # when it ticks on that candle (booking the fill first)
    bot_tick(bot_id=bot.pk, candle_time=last)
    # then the position is valued at the close: 110 - 100.1 = 9.9 unrealised, none realised,
    # and realised + unrealised is the equity at the close less the capital
    position = Position.objects.get(bot=bot)
    assert position.amount == Decimal("1")
    assert position.last_price == Decimal("110")
    assert abs(position.unrealised_pnl - Decimal("9.9")) < TOLERANCE
    assert position.realised_pnl == 0
    equity = position.cash + position.amount * Decimal("110")
    total = position.realised_pnl + position.unrealised_pnl
    assert abs(total - (equity - Decimal("1000"))) < TOLERANCE
    assert BotFill.objects.filter(bot=bot).count() == 1


@pytest.mark.parametrize("side", ["buy", "sell"])
def test_fill_of_an_order_of_no_bot_has_no_realised_pnl(alice, alice_client, market, side):
    from trading.orders.paper_store import paper_account_create

    last = newest_closed_open()
    add_candles(market, [100.0] * 3, last_open=last)
    paper = paper_account_create(owner=alice, exchange_id="binance", label="manual")
    order = order_place(
        owner=alice,
        symbol="BTC/USDT",
        side=side,
        type="market",
        amount=Decimal("1"),
        paper_account_id=paper.pk,
    ).order
    order_fills_record(
        order=order,
        trades=[
            VenueTrade(
                trade_id="m-1",
                exchange_order_id="",
                symbol="BTC/USDT",
                side="buy" if side == "buy" else "sell",
                amount=Decimal("1"),
                price=Decimal("100"),
                fee_cost=Decimal("0.1"),
                fee_currency="USDT",
                timestamp_ms=int((last + timedelta(minutes=61)).timestamp() * 1000),
            )
        ],
    )
    (trade,) = alice_client.get("/api/fills/").json()["results"]
    assert (trade["bot"], trade["realised_pnl"]) == (None, None)
