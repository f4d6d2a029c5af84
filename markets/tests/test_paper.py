"""The paper exchange: fills, fees, slippage, partial fills, balances, its store and factory."""

from __future__ import annotations

import csv
import json
from decimal import Decimal

import pytest

from markets.core import errors
from markets.core.demo import DemoAdapter
from markets.core.factory import create_order_adapter, create_paper_adapter
from markets.core.orders import OrderAdapter, OrderRequest
from markets.core.paper import (
    AdapterPriceSource,
    MemoryPaperStore,
    MemoryPriceSource,
    PaperAdapter,
    PaperBook,
    PaperConfig,
)

T0_MS = 1606784400000  # 2020-12-01T01:00Z: the open of the file's second candle


def _paper(balances, prices, *, config=None, clock_ms=T0_MS):
    store = MemoryPaperStore(balances=balances)
    adapter = PaperAdapter(
        store,
        MemoryPriceSource(prices),
        exchange_id="binance",
        config=config or PaperConfig(),
        clock=lambda: clock_ms / 1000,
    )
    return store, adapter


def _request(client_id, side, type_, amount, price=None, symbol="BTC/USDT"):
    return OrderRequest(
        symbol, side, type_, Decimal(amount), client_id, Decimal(price) if price else None
    )


def test_paper_fills_on_shared_btc_candles_match_hand_computed_table(shared_data):
    # given the first six BTC/USDT 1h candles and an account of 100,000 USDT
    # fees: taker 0.1 %, maker 0.05 %; slippage 10 bps; at most 0.01 % of a candle's volume
    path = shared_data / "ohlcv" / "binance_BTCUSDT_1h.csv"
    with open(path, newline="") as f:
        rows = list(csv.reader(f))[1:7]
    config = PaperConfig(
        maker_fee=Decimal("0.0005"),
        taker_fee=Decimal("0.001"),
        slippage_bps=Decimal("10"),
        max_volume_share=Decimal("0.0001"),
    )
    store, paper = _paper({"USDT": "100000"}, {"BTC/USDT": rows[0][4]}, config=config)
    # when, at 01:00 (after candle 0 closed at 19565.47), three orders are placed
    market = paper.create_order(_request("qt-1", "buy", "market", "0.5"))
    buy = paper.create_order(_request("qt-2", "buy", "limit", "1", "19500"))
    sell = paper.create_order(_request("qt-3", "sell", "limit", "0.5", "19700"))
    # market buy: 19565.47 * (1 + 10/10000) = 19585.03547 per BTC
    #   cost 0.5 * 19585.03547 = 9792.517735, taker fee 0.1 % = 9.792517735
    assert (market.status, market.average_price) == ("closed", Decimal("19585.03547"))
    assert market.fee_cost == Decimal("9.792517735")
    # buy limit reserves 1 * 19500 * 1.0005 = 19509.75 USDT; sell limit reserves 0.5 BTC
    # free USDT = 100000 - 9792.517735 - 9.792517735 - 19509.75 = 70687.939747265
    assert paper.fetch_balance() == {"USDT": Decimal("70687.939747265")}
    assert (buy.status, sell.status) == ("open", "open")
    # and the candles are fed as they close
    fills = [paper.on_candle("BTC/USDT", int(r[0]), *r[1:6]) for r in rows]
    # then (capacity per candle = volume * 0.0001, oldest order first):
    # c0 00:00 opened before the orders were placed: nothing, although its low 19479.8 < 19500
    # c1 01:00 low 19433.15 <= 19500: buy 0.2702459235 (= 2702.459235 * 0.0001); high 19639.99
    #    < 19700: no sell
    # c2 02:00 low 19548.57 > 19500: no buy; high 19704.93 >= 19700: sell 0.2408229978
    # c3 03:00 low 19340.00: buy 0.2889848604
    # c4 04:00 low 19344.92: buy 0.3400857941
    # c5 05:00 low 19281.38: buy the rest, 1 - 0.2702459235 - 0.2889848604 - 0.3400857941
    #    = 0.1006834220 (capacity 0.2620883792 left 0.1614049572; the sell is not crossed)
    table = [[(t.side, t.amount, t.price, t.fee_cost, t.is_maker) for t in c] for c in fills]
    # maker fee = amount * price * 0.0005
    assert table == [
        [],
        [("buy", Decimal("0.2702459235"), Decimal("19500"), Decimal("2.634897754125"), True)],
        [("sell", Decimal("0.2408229978"), Decimal("19700"), Decimal("2.37210652833"), True)],
        [("buy", Decimal("0.2889848604"), Decimal("19500"), Decimal("2.81760238890"), True)],
        [("buy", Decimal("0.3400857941"), Decimal("19500"), Decimal("3.315836492475"), True)],
        [("buy", Decimal("0.1006834220"), Decimal("19500"), Decimal("0.98166336450"), True)],
    ]
    assert paper.fetch_order("BTC/USDT", client_order_id="qt-2").status == "closed"
    partial = paper.fetch_order("BTC/USDT", client_order_id="qt-3")
    assert (partial.status, partial.filled) == ("open", Decimal("0.2408229978"))
    # when the partly filled sell is canceled, its unfilled 0.2591770022 BTC comes back
    paper.cancel_order("BTC/USDT", client_order_id="qt-3")
    # USDT = 70687.939747265 + 0.2408229978 * 19700 * (1 - 0.0005)
    #      = 70687.939747265 + 4744.21305666 - 2.37210652833 = 75429.78069739667
    # BTC  = 0.5 + 1 - 0.2408229978 = 1.2591770022
    assert paper.fetch_balance() == {
        "USDT": Decimal("75429.78069739667"),
        "BTC": Decimal("1.2591770022"),
    }
    assert store.snapshot().reserved == {"USDT": Decimal("0"), "BTC": Decimal("0")}
    assert buy.exchange_order_id != sell.exchange_order_id


def test_paper_fetch_orders_lists_open_and_closed_orders_of_the_market():
    _, paper = _paper({"USDT": "100000"}, {"BTC/USDT": "20000", "ETH/USDT": "1000"})
    paper.create_order(_request("qt-1", "buy", "market", "0.1"))
    paper.create_order(_request("qt-2", "buy", "limit", "0.1", "19000"))
    paper.create_order(_request("qt-3", "buy", "limit", "1", "900", symbol="ETH/USDT"))

    listed = paper.fetch_orders("BTC/USDT")

    assert [(o.client_order_id, o.status) for o in listed] == [("qt-1", "closed"), ("qt-2", "open")]
    assert paper.fetch_orders("BTC/USDT", limit=1)[0].client_order_id == "qt-1"
    assert paper.fetch_orders("BTC/USDT", since_ms=T0_MS + 1) == []


def test_paper_insufficient_funds_changes_nothing():
    store, paper = _paper({"USDT": "100"}, {"BTC/USDT": "30000"})
    before = store.snapshot()
    with pytest.raises(errors.InsufficientFundsError) as caught:
        paper.create_order(_request("qt-1", "buy", "market", "0.01"))
    assert caught.value.field == "amount"
    with pytest.raises(errors.InsufficientFundsError):
        paper.create_order(_request("qt-2", "sell", "limit", "0.01", "40000"))
    assert store.snapshot() == before


def test_paper_unknown_symbol_and_bad_input_are_refused():
    _, paper = _paper({"USDT": "100"}, {"BTC/USDT": "30000"})
    with pytest.raises(errors.BadSymbolError):
        paper.create_order(_request("qt-1", "buy", "market", "1", symbol="DOGE/USDT"))
    with pytest.raises(errors.BadSymbolError):
        paper.create_order(_request("qt-1", "buy", "market", "1", symbol="BTCUSDT"))
    with pytest.raises(errors.InvalidOrderError) as caught:
        paper.create_order(_request("qt-1", "buy", "limit", "0.001"))
    assert caught.value.field == "price"
    with pytest.raises(errors.InvalidOrderError):
        paper.create_order(_request("qt-1", "buy", "market", "0"))
    with pytest.raises(errors.BadRequestError):
        paper.create_order(_request("qt 1", "buy", "market", "0.001"))
    assert paper.fetch_open_orders() == []


def test_paper_duplicate_client_id_among_open_orders_only():
    _, paper = _paper({"USDT": "10000"}, {"BTC/USDT": "30000"})
    first = paper.create_order(_request("qt-1", "buy", "limit", "0.01", "20000"))
    with pytest.raises(errors.DuplicateOrderError):
        paper.create_order(_request("qt-1", "buy", "limit", "0.01", "20000"))
    paper.cancel_order("BTC/USDT", exchange_order_id=first.exchange_order_id)
    second = paper.create_order(_request("qt-1", "buy", "limit", "0.01", "21000"))
    assert paper.fetch_order("BTC/USDT", client_order_id="qt-1") == second
    with pytest.raises(errors.OrderNotFoundError):
        paper.cancel_order("BTC/USDT", exchange_order_id=first.exchange_order_id)
    with pytest.raises(errors.OrderNotFoundError):
        paper.fetch_order("BTC/USDT", client_order_id="qt-404")


def test_paper_marketable_limit_fills_at_once_as_taker_within_its_limit():
    # slippage 5 bps: 30000 * 1.0005 = 30015 > 30010, so the limit caps the price
    _, paper = _paper({"USDT": "1000"}, {"BTC/USDT": "30000"})
    order = paper.create_order(_request("qt-1", "buy", "limit", "0.01", "30010"))
    assert (order.status, order.average_price) == ("closed", Decimal("30010"))
    (trade,) = paper.fetch_my_trades("BTC/USDT")
    assert (trade.is_maker, trade.fee_cost) == (False, Decimal("0.300100"))
    # sell market: 30000 * (1 - 0.0005) = 29985, fee 0.1 %
    sold = paper.create_order(_request("qt-2", "sell", "market", "0.01"))
    assert sold.average_price == Decimal("29985.0000")
    assert paper.fetch_balance()["USDT"] == Decimal("1000") - Decimal("300.1") - Decimal(
        "0.3001"
    ) + Decimal("299.85") - Decimal("0.29985")


def test_paper_candle_is_used_once_and_only_after_the_order():
    _, paper = _paper({"USDT": "10000"}, {"BTC/USDT": "30000"}, clock_ms=1_000_000)
    paper.create_order(_request("qt-1", "buy", "limit", "0.1", "29000"))
    # a candle that opened before the order does not fill it
    assert paper.on_candle("BTC/USDT", 999_000, 30000, 30000, 28000, 29500, 100) == []
    fills = paper.on_candle("BTC/USDT", 1_060_000, 30000, 30000, 28000, 29500, 100)
    assert [t.amount for t in fills] == [Decimal("0.1")]
    assert paper.on_candle("BTC/USDT", 1_060_000, 30000, 30000, 28000, 29500, 100) == []
    assert paper.fetch_open_orders() == []


def test_paper_zero_volume_candle_fills_nothing():
    _, paper = _paper({"BTC": "1"}, {"BTC/USDT": "30000"}, clock_ms=0)
    paper.create_order(_request("qt-1", "sell", "limit", "0.5", "31000"))
    assert paper.on_candle("BTC/USDT", 60_000, 31000, 32000, 30500, 31500, 0) == []
    assert paper.fetch_balance() == {"BTC": Decimal("0.5")}


def test_paper_book_json_round_trip_keeps_every_decimal():
    store, paper = _paper({"USDT": "10000"}, {"BTC/USDT": "30000"}, clock_ms=0)
    paper.create_order(_request("qt-1", "buy", "market", "0.01"))
    paper.create_order(_request("qt-2", "buy", "limit", "0.02", "29000.5"))
    paper.on_candle("BTC/USDT", 60_000, 30000, 30000, 29000, 29500, 0.1)
    book = store.snapshot()
    text = json.dumps(book.to_json())
    again = PaperBook.from_json(json.loads(text))
    assert again == book
    assert isinstance(again.orders["2"].filled, Decimal)
    assert '"0.01"' in text


def test_paper_store_error_inside_transaction_rolls_back():
    store = MemoryPaperStore(balances={"USDT": "5"})

    def spend_then_fail() -> None:
        with store.transaction() as book:
            book.add("USDT", Decimal("100"))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        spend_then_fail()
    assert store.snapshot().balances == {"USDT": Decimal("5")}


def test_factory_demo_paper_account_trades_on_demo_prices():
    # given a paper account on the offline demo exchange, built by the one factory
    store = MemoryPaperStore(balances={"USDT": "10000"})
    adapter = create_order_adapter("demo", paper_store=store)
    assert isinstance(adapter, OrderAdapter)
    assert isinstance(adapter, PaperAdapter)
    last = AdapterPriceSource(DemoAdapter(), timeframe="5m").last_price("BTC/USDT")
    # when it buys at market
    order = adapter.create_order(_request("qt-1", "buy", "market", "0.01"))
    # then it paid the demo's last price plus 5 bps (the demo path moves with the clock, so
    # allow the minute to have turned between the two reads)
    assert order.status == "closed"
    assert order.average_price is not None
    assert abs(order.average_price / last - Decimal("1.0005")) < Decimal("0.01")
    assert order.average_price == order.average_price.quantize(Decimal("0.0000001"))
    assert adapter.fetch_balance()["BTC"] == Decimal("0.01")
    with pytest.raises(errors.BadSymbolError):
        adapter.create_order(_request("qt-2", "buy", "market", "1", symbol="DOGE/USDT"))


def test_factory_chooses_venue_without_engine_branches():
    store = MemoryPaperStore(balances={"USDT": "1"})
    prices = MemoryPriceSource({"BTC/USDT": "1"})
    paper = create_order_adapter("binance", paper_store=store, price_source=prices)
    assert isinstance(paper, PaperAdapter)
    assert paper.exchange_id == "binance"
    with pytest.raises(errors.BadRequestError):
        create_order_adapter("demo")
    with pytest.raises(errors.AuthenticationError):
        create_order_adapter("binance")
    with pytest.raises(errors.UnknownExchangeError):
        create_paper_adapter(store=store, exchange_id="nasdaq", price_source=prices)
