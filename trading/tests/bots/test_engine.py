"""The live engine: one decision per bot and candle, stale candles, halts, kill switches."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from markets.testing.fake_exchange import FakeExchange
from trading.bots.engine import TickContext, bot_tick, bots_tick_due
from trading.bots.kill import KillSwitchOnError, kill_switch_set
from trading.bots.services import bot_create, bot_start
from trading.models import Bot, BotTick, Order, Position
from trading.orders.services import order_place, order_submit
from trading.tests.bots.conftest import HOUR, add_candles, newest_closed_open, rising


def _bot(owner: Any, market: Any, **overrides: Any) -> Bot:
    fields: dict[str, Any] = {
        "name": "sma",
        "market_id": market.pk,
        "timeframe": "1h",
        "strategy": "rule",
        "rule_name": "sma_cross",
        "rule_params": {"fast": 2, "slow": 5},
        "capital": Decimal("1000"),
    }
    fields.update(overrides)
    bot = bot_create(owner=owner, **fields)
    return bot_start(owner=owner, bot_id=bot.pk)


def _after(candle_time: datetime) -> TickContext:
    return TickContext(now=candle_time + HOUR + timedelta(minutes=1))


def test_bot_tick_rising_market_places_one_buy_with_its_checks(alice, market):
    # given a running paper bot and a rising market
    last = newest_closed_open()
    add_candles(market, rising(), last_open=last)
    bot = _bot(alice, market, risk_profile={"max_position": 0.5, "max_orders_per_hour": 5})
    # when it ticks on the newest closed candle
    outcome = bot_tick(bot_id=bot.pk, candle_time=last)
    # then it bought half its capital's worth, through the order path, and says why
    assert outcome == BotTick.Outcome.ORDERED
    tick = BotTick.objects.get(bot=bot)
    order = Order.objects.get(bot=bot)
    assert tick.order_id == order.pk
    assert (order.side, order.type, order.status) == ("buy", "market", "new")
    assert order.paper_account_id == bot.paper_account_id
    assert tick.target == pytest.approx(0.5)
    assert {"name": "max_orders_per_hour", "passed": True, "reason": ""} in tick.checks
    notional = order.amount * Decimal(repr(rising()[-1]))
    assert Decimal("480") < notional < Decimal("500")


def test_bot_tick_same_candle_twice_decides_once(alice, market):
    last = newest_closed_open()
    add_candles(market, rising(), last_open=last)
    bot = _bot(alice, market)
    assert bot_tick(bot_id=bot.pk, candle_time=last) == BotTick.Outcome.ORDERED
    assert bot_tick(bot_id=bot.pk, candle_time=last) == "duplicate"
    assert BotTick.objects.filter(bot=bot).count() == 1
    assert Order.objects.filter(bot=bot).count() == 1


def test_bot_tick_stale_candle_is_skipped_and_recorded(alice, market):
    last = newest_closed_open()
    add_candles(market, rising(), last_open=last)
    bot = _bot(alice, market)
    old = last - 2 * HOUR
    assert bot_tick(bot_id=bot.pk, candle_time=old) == BotTick.Outcome.STALE
    tick = BotTick.objects.get(bot=bot)
    assert "stale" in tick.reason
    assert not Order.objects.filter(bot=bot).exists()


def test_bot_tick_open_candle_is_not_decided(alice, market):
    last = newest_closed_open()
    add_candles(market, rising(), last_open=last)
    bot = _bot(alice, market)
    assert bot_tick(bot_id=bot.pk, candle_time=last + HOUR) == "not_closed"
    assert not BotTick.objects.exists()


def test_bots_tick_due_ticks_each_running_bot_once(alice, bob, market):
    last = newest_closed_open()
    add_candles(market, rising(), last_open=last)
    first = _bot(alice, market, name="a")
    second = _bot(bob, market, name="b")
    paused = bot_create(
        owner=alice,
        name="paused",
        market_id=market.pk,
        timeframe="1h",
        strategy="rule",
        rule_name="sma_cross",
        rule_params={"fast": 2, "slow": 5},
    )
    report = bots_tick_due()
    assert report.outcomes == {"ordered": 2}
    assert set(BotTick.objects.values_list("bot_id", flat=True)) == {first.pk, second.pk}
    assert not BotTick.objects.filter(bot=paused).exists()
    assert bots_tick_due().outcomes == {}


@pytest.mark.django_db(transaction=True)
def test_bot_tick_delivered_to_two_workers_at_once_decides_once(alice, market):
    # given one tick delivered twice, to two workers (threads, their own connections)
    last = newest_closed_open()
    add_candles(market, rising(), last_open=last)
    bot = _bot(alice, market)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def worker() -> None:
        try:
            barrier.wait()
            outcomes.append(bot_tick(bot_id=bot.pk, candle_time=last))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    # then one decision and one order
    assert sorted(outcomes) == ["duplicate", "ordered"]
    assert BotTick.objects.filter(bot=bot).count() == 1
    assert Order.objects.filter(bot=bot).count() == 1


# --- against the fake exchange's ledger -------------------------------------------------------


def _testnet_bot(owner: Any, market: Any, factory: Any, **overrides: Any) -> Bot:
    account = factory(owner)
    return _bot(owner, market, exchange_account_id=account.pk, **overrides)


def _submit_all(bot: Bot) -> None:
    for order in Order.objects.filter(bot=bot, status="new").order_by("id"):
        order_submit(order_id=order.pk)


@pytest.mark.parametrize("scope", ["user", "global"])
def test_kill_switch_on_no_order_reaches_the_exchange_afterwards(
    alice, market, fake: FakeExchange, fake_account_factory, scope
):
    # given a testnet bot whose first order reached the fake exchange
    last = newest_closed_open()
    closes = rising()
    add_candles(market, closes[:-1], last_open=last - HOUR)
    fake.set_price("BTCUSDT", f"{closes[-2]:.2f}")
    bot = _testnet_bot(alice, market, fake_account_factory)
    assert (
        bot_tick(bot_id=bot.pk, candle_time=last - HOUR, context=_after(last - HOUR)) == "ordered"
    )
    _submit_all(bot)
    assert len(fake.ledger) == 1
    # and an order placed but not sent yet
    pending = order_place(
        owner=alice,
        symbol="BTC/USDT",
        side="buy",
        type="market",
        amount=Decimal("0.001"),
        exchange_account_id=bot.exchange_account_id,
    ).order
    # when the kill switch goes on
    actor = alice
    if scope == "global":
        alice.is_staff = True
        alice.save()
    kill_switch_set(actor=actor, scope=scope, active=True, reason="test")
    # then the pending order is refused before sending, new orders are refused, ticks stop
    order_submit(order_id=pending.pk)
    pending.refresh_from_db()
    assert pending.status == "rejected"
    assert "kill switch" in pending.reason.lower()
    with pytest.raises(KillSwitchOnError):
        order_place(
            owner=alice,
            symbol="BTC/USDT",
            side="buy",
            type="market",
            amount=Decimal("0.001"),
            exchange_account_id=bot.exchange_account_id,
        )
    add_candles(market, [closes[-1] * 0.8], last_open=last)
    assert bot_tick(bot_id=bot.pk, candle_time=last) == BotTick.Outcome.KILLED
    _submit_all(bot)
    assert len(fake.ledger) == 1
    assert not Order.objects.filter(bot=bot, status="new").exists()


@pytest.mark.parametrize(
    ("risk", "reason"),
    [
        ({"daily_loss_limit": 0.05}, "daily loss limit"),
        ({"max_drawdown": 0.05}, "max drawdown"),
    ],
)
def test_losing_run_halts_the_bot_with_the_reason(
    alice, market, fake: FakeExchange, fake_account_factory, risk, reason
):
    # given a testnet bot that bought on a rising market (filled on the fake exchange)
    last = newest_closed_open()
    closes = rising()
    add_candles(market, closes, last_open=last - HOUR)
    fake.set_price("BTCUSDT", f"{closes[-1]:.2f}")
    bot = _testnet_bot(alice, market, fake_account_factory, risk_profile=risk)
    assert (
        bot_tick(bot_id=bot.pk, candle_time=last - HOUR, context=_after(last - HOUR)) == "ordered"
    )
    _submit_all(bot)
    # when the price falls 10% in the next candle
    drop = closes[-1] * 0.9
    add_candles(market, [drop], last_open=last)
    fake.set_price("BTCUSDT", f"{drop:.2f}")
    outcome = bot_tick(bot_id=bot.pk, candle_time=last)
    # then the bot booked its fill, halted itself with the reason, and sells what it holds
    bot.refresh_from_db()
    assert outcome == BotTick.Outcome.HALTED
    assert bot.state == Bot.State.HALTED
    assert reason in bot.state_reason
    tick = BotTick.objects.get(bot=bot, candle_time=last)
    assert reason in tick.reason
    failed = [c for c in tick.checks if not c["passed"]]
    assert failed
    assert reason in failed[0]["reason"]
    assert tick.order_id is not None
    sale = Order.objects.get(pk=tick.order_id)
    assert sale.side == "sell"
    assert bot.closing_order_id == sale.pk
    _submit_all(bot)
    assert [o.side for o in fake.ledger.orders()] == ["BUY", "SELL"]
    # and decides nothing more
    assert bot_tick(bot_id=bot.pk, candle_time=last + HOUR) == "not_running"
    from trading.bots.engine import bot_fills_book

    bot_fills_book(bot_id=bot.pk)
    position = Position.objects.get(bot=bot)
    assert position.amount == 0
    assert position.realised_pnl < 0


def test_paper_bot_order_fills_on_the_paper_exchange_and_books_its_position(
    alice, market, fake: FakeExchange, monkeypatch
):
    # given a paper bot (last prices from the exchange adapter, here a fixed one) that bought
    # on the newest closed candle
    from markets.core.paper import AdapterPriceSource

    last = newest_closed_open()
    add_candles(market, rising(), last_open=last)
    market.exchange.api_base_url = fake.url
    market.exchange.save()
    price = Decimal(f"{rising()[-1]:.2f}")
    monkeypatch.setattr(AdapterPriceSource, "last_price", lambda self, symbol: price)
    bot = _bot(alice, market, risk_profile={"max_position": 0.5})
    assert bot_tick(bot_id=bot.pk, candle_time=last) == "ordered"
    # when the order is sent to the paper exchange and its fills are booked
    _submit_all(bot)
    order = Order.objects.get(bot=bot)
    assert order.status == "filled", order.reason
    from trading.bots.engine import bot_fills_book

    assert bot_fills_book(bot_id=bot.pk)
    # then the position holds what was bought, at the fill's price
    position = Position.objects.get(bot=bot)
    assert position.amount == order.filled_amount
    assert position.average_entry is not None
    assert order.average_price is not None
    assert abs(position.average_entry - order.average_price) < Decimal("0.000001")
    assert position.cash < Decimal(1000)
    assert not bot_fills_book(bot_id=bot.pk)


def test_bot_kill_cancels_and_closes_only_through_its_closing_order(
    alice, market, fake: FakeExchange, fake_account_factory
):
    # given a testnet bot holding a position bought on the fake exchange
    last = newest_closed_open()
    add_candles(market, rising(), last_open=last)
    fake.set_price("BTCUSDT", f"{rising()[-1]:.2f}")
    bot = _testnet_bot(alice, market, fake_account_factory)
    assert bot_tick(bot_id=bot.pk, candle_time=last) == "ordered"
    _submit_all(bot)
    from trading.bots.engine import bot_fills_book
    from trading.bots.services import bot_kill

    bot_fills_book(bot_id=bot.pk)
    held = Position.objects.get(bot=bot).amount
    assert held > 0
    # and the user's kill switch is on too
    kill_switch_set(actor=alice, scope="user", active=True, reason="stop all")
    # when the bot is killed with its position closed
    bot_kill(owner=alice, bot_id=bot.pk, reason="test", close_position=True)
    bot.refresh_from_db()
    assert bot.state == Bot.State.HALTED
    assert bot.closing_order is not None
    # then only the closing sale reaches the exchange, for the whole position
    _submit_all(bot)
    sides = [(o.side, o.amount) for o in fake.ledger.orders()]
    assert sides[-1] == ("SELL", held)
    assert len(sides) == 2
    bot_fills_book(bot_id=bot.pk)
    assert Position.objects.get(bot=bot).amount == 0


def test_model_bots_share_one_prediction_per_market_model_and_candle(
    alice, bob, market, monkeypatch
):
    # given three bots on one model and market, and a model that says BUY
    from signals import services as signal_services
    from signals.models import ModelVersion, Signal

    last = newest_closed_open()
    add_candles(market, rising(), last_open=last)
    version = ModelVersion.objects.create(
        scope="binance:BTC/USDT",
        timeframe="1h",
        feature_set_version="1",
        feature_config={},
        label_params={},
        hyperparameters={},
        train_start=last,
        train_end=last,
        summary_score=0.0,
        artifact_path="x",
        artifact_sha256="0" * 64,
    )
    version.markets.add(market)
    calls: list[datetime] = []

    def predict(*, market: Any, timeframe: str, model_version: Any, now: datetime) -> Any:
        calls.append(now)
        signal = Signal.objects.create(
            market=market,
            timeframe=timeframe,
            open_time=now - HOUR,
            model_version=model_version,
            action="BUY",
            prob_buy=0.7,
            prob_hold=0.2,
            prob_sell=0.1,
            confidence=0.7,
        )
        return signal, True

    monkeypatch.setattr(signal_services, "signal_predict", predict)
    bots = [
        _bot(owner, market, name=name, strategy="model", model_version_id=version.pk, rule_name="")
        for owner, name in ((alice, "m1"), (alice, "m2"), (bob, "m3"))
    ]
    # when they all tick on the newest closed candle
    report = bots_tick_due()
    # then one prediction served all three, each bought, and the ticks name the signal
    assert calls == [last + HOUR]
    assert report.predictions == 1
    assert report.outcomes == {"ordered": 3}
    ticks = BotTick.objects.filter(bot__in=bots)
    assert {t.signal_id for t in ticks} == {Signal.objects.get().pk}


def test_model_bot_below_min_confidence_keeps_flat(alice, market, monkeypatch):
    from signals import services as signal_services
    from signals.models import ModelVersion, Signal

    last = newest_closed_open()
    add_candles(market, rising(), last_open=last)
    version = ModelVersion.objects.create(
        scope="binance:BTC/USDT",
        timeframe="1h",
        feature_set_version="1",
        feature_config={},
        label_params={},
        hyperparameters={},
        train_start=last,
        train_end=last,
        summary_score=0.0,
        artifact_path="x",
        artifact_sha256="0" * 64,
    )
    version.markets.add(market)

    def predict(*, market: Any, timeframe: str, model_version: Any, now: datetime) -> Any:
        return Signal.objects.create(
            market=market,
            timeframe=timeframe,
            open_time=now - HOUR,
            model_version=model_version,
            action="BUY",
            prob_buy=0.55,
            prob_hold=0.3,
            prob_sell=0.15,
            confidence=0.55,
        ), True

    monkeypatch.setattr(signal_services, "signal_predict", predict)
    bot = _bot(
        alice,
        market,
        strategy="model",
        model_version_id=version.pk,
        rule_name="",
        risk_profile={"min_confidence": 0.6},
    )
    assert bot_tick(bot_id=bot.pk, candle_time=last) == BotTick.Outcome.NO_ORDER
    tick = BotTick.objects.get(bot=bot)
    assert tick.checks[-1]["name"] == "min_confidence"
    assert not tick.checks[-1]["passed"]
    assert not Order.objects.filter(bot=bot).exists()


@pytest.mark.django_db(transaction=True)
def test_bots_tick_due_sends_one_tick_event_per_bot_to_its_owner(alice, bob, market, settings):
    from markets.models import StreamEvent

    settings.STREAM_VIA_OUTBOX = True
    last = newest_closed_open()
    add_candles(market, rising(), last_open=last)
    first = _bot(alice, market, name="a")
    second = _bot(bob, market, name="b")
    StreamEvent.objects.all().delete()
    bots_tick_due()
    ticks = [
        (e.group, e.message["data"]["bot_id"])
        for e in StreamEvent.objects.order_by("pk")
        if e.message["type"] == "bot" and e.message["data"]["event"] == "tick"
    ]
    assert sorted(ticks) == sorted([(f"user.{alice.pk}", first.pk), (f"user.{bob.pk}", second.pk)])
    event = StreamEvent.objects.filter(message__data__event="tick").first()
    assert event is not None
    assert event.message["data"]["tick"]["outcome"] == "ordered"
    assert event.message["data"]["position"]["bot"] in (first.pk, second.pk)


# --- a pass over many bots ------------------------------------------------------------------


def falling(n: int = 60, start: float = 30000.0) -> list[float]:
    return [start * (1 - 0.001 * i) for i in range(n)]


@pytest.mark.django_db(transaction=True)
def test_two_passes_at_once_decide_each_bot_once_and_order_at_most_once(alice, bob, market):
    # given four running bots and one new candle, and two workers running a pass each at once
    last = newest_closed_open()
    add_candles(market, rising(), last_open=last)
    bots = [_bot(owner, market, name=f"b{i}") for i, owner in enumerate((alice, bob) * 2)]
    barrier = threading.Barrier(2)
    reports: list[dict[str, int]] = []

    def worker() -> None:
        try:
            barrier.wait()
            reports.append(bots_tick_due().outcomes)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    # then every bot decided once and placed one order, whichever worker did it
    assert len(reports) == 2
    assert sum(report.get("ordered", 0) for report in reports) == 4
    assert {outcome for report in reports for outcome in report} <= {"ordered", "duplicate"}
    for bot in bots:
        assert BotTick.objects.filter(bot=bot).count() == 1
        assert Order.objects.filter(bot=bot).count() == 1


def test_pass_reads_in_bulk_so_more_bots_make_no_more_queries(alice, bob, market):
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    # given bots on a falling market: none of them trades, each records its checks
    last = newest_closed_open()
    add_candles(market, falling(), last_open=last)
    risk = {"max_open_positions": 2, "max_orders_per_hour": 3}
    few = [_bot(alice, market, name=f"few{i}", risk_profile=risk) for i in range(2)]
    with CaptureQueriesContext(conn) as small:
        assert bots_tick_due().outcomes == {"no_order": 2}
    add_candles(market, [falling()[-1] * 0.999], last_open=last + HOUR)
    many = [
        _bot(owner, market, name=f"many{i}", risk_profile=risk)
        for i, owner in enumerate((alice, bob) * 5)
    ]
    # when one pass ticks 12 bots
    with CaptureQueriesContext(conn) as large:
        report = bots_tick_due(now=last + 2 * HOUR + timedelta(minutes=1))
    # then it ran as many statements as the pass over 2 bots
    assert report.outcomes == {"no_order": 12}
    assert len(large.captured_queries) == len(small.captured_queries)
    for bot in few + many:
        tick = BotTick.objects.filter(bot=bot).first()
        assert tick is not None
        assert tick.outcome == "no_order"
        assert tick.reason == "the target is unchanged"


def test_a_bot_that_fails_is_recorded_and_the_others_of_its_pass_decide(
    alice, bob, market, monkeypatch
):
    # given three bots, the second of which breaks its decision
    from trading.bots import engine

    last = newest_closed_open()
    add_candles(market, rising(), last_open=last)
    bots = [_bot(owner, market, name=f"b{i}") for i, owner in enumerate((alice, bob, alice))]
    original = engine.state_load

    def broken(data: dict[str, Any], *, cash: float) -> Any:
        if cash == 1234.0:
            raise RuntimeError("corrupt state")
        return original(data, cash=cash)

    Bot.objects.filter(pk=bots[1].pk).update(capital=Decimal("1234"))
    monkeypatch.setattr(engine, "state_load", broken)
    # when one pass ticks them
    report = bots_tick_due()
    # then the broken one has an error tick with the reason, the others decided and ordered
    assert report.outcomes == {"ordered": 2, "error": 1}
    failed = BotTick.objects.get(bot=bots[1])
    assert failed.outcome == "error"
    assert "corrupt state" in failed.reason
    assert not Order.objects.filter(bot=bots[1]).exists()
    for bot in (bots[0], bots[2]):
        assert BotTick.objects.get(bot=bot).outcome == "ordered"
        assert Order.objects.filter(bot=bot).count() == 1


def test_max_open_positions_counts_the_buys_of_the_owners_bots_in_the_same_pass(alice, bob, market):
    # given three of alice's bots and one of bob's, all allowed one open position elsewhere
    last = newest_closed_open()
    add_candles(market, rising(), last_open=last)
    risk = {"max_open_positions": 1}
    mine = [_bot(alice, market, name=f"a{i}", risk_profile=risk) for i in range(3)]
    theirs = _bot(bob, market, name="b", risk_profile=risk)
    # when they tick on the same candle
    report = bots_tick_due()
    # then alice's first bot buys, the next two see its buy as her open position and hold back;
    # bob's bot is not held back by alice's
    assert report.outcomes == {"ordered": 2, "no_order": 2}
    assert Order.objects.filter(bot=mine[0]).count() == 1
    assert Order.objects.filter(bot=theirs).count() == 1
    for bot in mine[1:]:
        tick = BotTick.objects.get(bot=bot)
        check = next(c for c in tick.checks if c["name"] == "max_open_positions")
        assert not check["passed"]
        assert "1 positions are open" in check["reason"]
        assert not Order.objects.filter(bot=bot).exists()


def test_the_claims_statement_and_order_kill_check_agree_on_every_switch_and_bot_state(
    alice, bob, market, fake: FakeExchange, fake_account_factory
):
    # given one order of a bot and one without a bot, never sent
    from trading.bots.kill import order_kill_check
    from trading.models import KillSwitch
    from trading.orders.services import order_claim

    bot = _testnet_bot(alice, market, fake_account_factory)
    Bot.objects.filter(pk=bot.pk).update(state=Bot.State.RUNNING)
    orders = [
        order_place(
            owner=alice,
            symbol="BTC/USDT",
            side="sell",
            type="market",
            amount=Decimal("0.001"),
            exchange_account_id=bot.exchange_account_id,
            bot_id=bot_id,
        ).order
        for bot_id in (bot.pk, None)
    ]
    bob.is_staff = True
    bob.save()
    seen: set[tuple[bool, bool]] = set()
    for state in (Bot.State.RUNNING, Bot.State.PAUSED, Bot.State.HALTED):
        for closing in (False, True):
            for switch in (None, "user", "other_user", "global", "global_off"):
                # when the bot, its closing order and the switches are set so
                KillSwitch.objects.all().delete()
                if switch == "user":
                    kill_switch_set(actor=alice, scope="user", active=True, reason="t")
                elif switch == "other_user":
                    kill_switch_set(actor=bob, scope="user", active=True, reason="t")
                elif switch in ("global", "global_off"):
                    kill_switch_set(actor=bob, scope="global", active=True, reason="t")
                    if switch == "global_off":
                        kill_switch_set(actor=bob, scope="global", active=False, reason="t")
                Bot.objects.filter(pk=bot.pk).update(
                    state=state, closing_order=orders[0] if closing else None
                )
                for order in orders:
                    Order.objects.filter(pk=order.pk).update(status="new", version=1)
                    order.refresh_from_db()
                    try:
                        order_kill_check(order)
                        expected = True
                    except KillSwitchOnError:
                        expected = False
                    # then the claim's own statement claims exactly the sendable orders
                    claimed = order_claim(order=order, cause="test") is not None
                    assert claimed == expected, (state, closing, switch, order.bot_id)
                    seen.add((order.bot_id is not None, claimed))
    # and both outcomes happened for bot orders and for orders without a bot
    assert seen == {(True, True), (True, False), (False, True), (False, False)}


def test_a_chunk_orders_the_bots_whose_orders_pass_and_refuses_the_others_with_the_reason(
    alice, bob, market, request, django_capture_on_commit_callbacks
):
    # given two bots on a rising market and one on a market the exchange no longer lists
    queued = request.getfixturevalue("_no_queue")
    from markets.models import Market
    from trading.tests.bots.conftest import make_market

    last = newest_closed_open()
    add_candles(market, rising(), last_open=last)
    delisted = make_market(symbol="ETH/USDT")
    add_candles(delisted, rising(start=2000.0), last_open=last)
    trading = [_bot(alice, market, name="a"), _bot(bob, market, name="b")]
    refused = _bot(alice, delisted, name="c")
    Market.objects.filter(pk=delisted.pk).update(active=False)
    # when one pass (one chunk) ticks them
    with django_capture_on_commit_callbacks(execute=True):
        report = bots_tick_due()
    # then the two order through the order path, each submission starting once committed,
    # and the third records the order path's refusal without an order
    assert report.outcomes == {"ordered": 2, "refused": 1}
    orders = []
    for bot in trading:
        order = Order.objects.get(bot=bot)
        assert BotTick.objects.get(bot=bot).order_id == order.pk
        assert order.client_order_id == f"qt-{order.pk}"
        assert order.status == "new"
        orders.append(order)
    submitted = sorted(args for name, args in queued if name == "order_submit_task")
    assert submitted == sorted((order.pk,) for order in orders)
    tick = BotTick.objects.get(bot=refused)
    assert tick.outcome == "refused"
    assert tick.order_id is None
    assert "(market_inactive)" in tick.reason
    assert not Order.objects.filter(bot=refused).exists()
    # and, nothing placed for its target, it tries again on the next candle
    Market.objects.filter(pk=delisted.pk).update(active=True)
    add_candles(delisted, [rising(start=2000.0)[-1] * 1.001], last_open=last + HOUR)
    assert bot_tick(bot_id=refused.pk, candle_time=last + HOUR, context=_after(last + HOUR)) == (
        "ordered"
    )
    assert Order.objects.filter(bot=refused).count() == 1


def test_a_pass_places_its_orders_in_bulk_so_more_trading_bots_make_no_more_queries(
    alice, bob, market
):
    from django.test.utils import CaptureQueriesContext

    # given two bots of two owners that buy on a rising market
    last = newest_closed_open()
    add_candles(market, rising(), last_open=last)
    [_bot(owner, market, name=f"few{i}") for i, owner in enumerate((alice, bob))]
    with CaptureQueriesContext(connection) as small:
        assert bots_tick_due().outcomes == {"ordered": 2}
    # when, on the next candle, those two wait for their orders and ten new bots of the same
    # owners buy
    add_candles(market, [rising()[-1] * 1.001], last_open=last + HOUR)
    many = [_bot(owner, market, name=f"many{i}") for i, owner in enumerate((alice, bob) * 5)]
    with CaptureQueriesContext(connection) as large:
        report = bots_tick_due(now=last + 2 * HOUR + timedelta(minutes=1))
    # then the pass that placed ten orders ran as many statements as the one that placed two
    assert report.outcomes == {"ordered": 10, "waiting": 2}
    assert Order.objects.filter(bot__in=many).count() == 10
    assert len(large.captured_queries) == len(small.captured_queries)
