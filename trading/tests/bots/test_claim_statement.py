"""The submit path's one statement (read and claim) against the rules it mirrors in Python."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from accounts.models import ExchangeAccount
from markets.testing.fake_exchange import FakeExchange
from trading.bots.kill import KillSwitchOnError, kill_switch_set, order_kill_check
from trading.bots.services import bot_create, bot_start
from trading.models import Bot, KillSwitch, Order
from trading.orders.services import (
    LiveTradingDisabledError,
    live_check,
    order_load_claim,
    order_place,
)

pytestmark = pytest.mark.django_db


def _running_bot(owner: Any, market: Any, account_id: int, *, mode: str = "testnet") -> Bot:
    """A running bot on the account, the account then put in `mode` (a live bot's opt-in is
    not what these tests are about)."""
    bot = bot_create(
        owner=owner,
        name="sma",
        market_id=market.pk,
        timeframe="1h",
        strategy="rule",
        rule_name="sma_cross",
        rule_params={"fast": 2, "slow": 5},
        capital=Decimal("1000"),
        exchange_account_id=account_id,
    )
    bot = bot_start(owner=owner, bot_id=bot.pk)
    ExchangeAccount.objects.filter(pk=account_id).update(mode=mode)
    return bot


def _set_switch(switch: str | None, alice: Any, bob: Any) -> None:
    KillSwitch.objects.all().delete()
    if switch == "user":
        kill_switch_set(actor=alice, scope="user", active=True, reason="t")
    elif switch == "other_user":
        kill_switch_set(actor=bob, scope="user", active=True, reason="t")
    elif switch in ("global", "global_off"):
        kill_switch_set(actor=bob, scope="global", active=True, reason="t")
        if switch == "global_off":
            kill_switch_set(actor=bob, scope="global", active=False, reason="t")


def _sendable(order: Order) -> bool:
    try:
        order_kill_check(order)
        live_check(order)
    except (KillSwitchOnError, LiveTradingDisabledError):
        return False
    return True


@pytest.mark.parametrize("mode", ["testnet", "live"])
def test_read_and_claim_claims_exactly_what_the_kill_and_live_checks_let_through(
    alice, bob, market, fake: FakeExchange, fake_account_factory, settings, mode
):
    # given one order of a bot and one without a bot, never sent, on a testnet or live account
    settings.LIVE_TRADING_ENABLED = True
    account = fake_account_factory(alice)
    bot = _running_bot(alice, market, account.pk, mode=mode)
    orders = [
        order_place(
            owner=alice,
            symbol="BTC/USDT",
            side="sell",
            type="market",
            amount=Decimal("0.001"),
            exchange_account_id=account.pk,
            bot_id=bot_id,
        ).order
        for bot_id in (bot.pk, None)
    ]
    bob.is_staff = True
    bob.save()
    seen: set[tuple[bool, bool]] = set()
    for live in (True, False):
        for state in (Bot.State.RUNNING, Bot.State.PAUSED, Bot.State.HALTED):
            for closing in (False, True):
                for switch in (None, "user", "other_user", "global", "global_off"):
                    # when live trading, the bot, its closing order and the switches are so
                    settings.LIVE_TRADING_ENABLED = live
                    _set_switch(switch, alice, bob)
                    Bot.objects.filter(pk=bot.pk).update(
                        state=state, closing_order=orders[0] if closing else None
                    )
                    for order in orders:
                        Order.objects.filter(pk=order.pk).update(status="new", version=1)
                        order.refresh_from_db()
                        expected = _sendable(order)
                        # then the one statement claims exactly the sendable orders
                        _, claim = order_load_claim(order_id=order.pk, cause="test")
                        where = (live, state, closing, switch, order.bot_id)
                        assert (claim is not None) == expected, where
                        stored = Order.objects.get(pk=order.pk)
                        assert (stored.status, stored.version) == (
                            ("submitting", 2) if expected else ("new", 1)
                        ), where
                        seen.add((order.bot_id is not None, claim is not None))
    # and both outcomes happened for bot orders and for orders without a bot
    assert seen == {(True, True), (True, False), (False, True), (False, False)}


def test_read_and_claim_elsewhere_than_postgresql_claims_the_same_orders(
    alice, bob, market, fake: FakeExchange, fake_account_factory, settings, monkeypatch
):
    # given a live account's order and one of a paused bot, on a database without UPDATE
    # inside WITH (the two statements in turn)
    monkeypatch.setattr(connection, "vendor", "sqlite")
    settings.LIVE_TRADING_ENABLED = True
    live = fake_account_factory(alice)
    bot = _running_bot(alice, market, live.pk, mode="live")
    orders = [
        order_place(
            owner=alice,
            symbol="BTC/USDT",
            side="sell",
            type="market",
            amount=Decimal("0.001"),
            exchange_account_id=live.pk,
            bot_id=bot_id,
        ).order
        for bot_id in (bot.pk, None)
    ]
    Bot.objects.filter(pk=bot.pk).update(state=Bot.State.PAUSED)
    settings.LIVE_TRADING_ENABLED = False
    # when both are read and claimed, then neither is claimed
    assert [order_load_claim(order_id=o.pk, cause="test")[1] for o in orders] == [None, None]
    # and with live trading on, only the order without a bot is
    settings.LIVE_TRADING_ENABLED = True
    claims = [order_load_claim(order_id=o.pk, cause="test")[1] for o in orders]
    assert claims[0] is None
    assert claims[1] is not None
    assert Order.objects.get(pk=orders[1].pk).status == "submitting"
