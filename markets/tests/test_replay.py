"""Recorded exchange responses replayed through ccxt offline (ccxt's own static-test mechanism)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from markets.core.ccxt_adapter import CcxtAdapter

FILES = {
    "binance": "ccxt_static_response_binance_subset.json",
    "kucoin": "ccxt_static_response_kucoin_subset.json",
    "coinbase": "ccxt_static_response_coinbase_subset.json",
}
SYMBOL_IDS = {
    "binance": lambda b, q: f"{b}{q}",
    "kucoin": lambda b, q: f"{b}-{q}",
    "coinbase": lambda b, q: f"{b}-{q}",
}
SYMBOLS = ("BTC/USDT", "LTC/USDT", "SOL/USDT", "ADA/USDT", "BTC/USDC")


def _market(exchange_id: str, symbol: str) -> dict:
    base, quote = symbol.split("/")
    return {
        "id": SYMBOL_IDS[exchange_id](base, quote),
        "symbol": symbol,
        "base": base,
        "quote": quote,
        "baseId": base,
        "quoteId": quote,
        "type": "spot",
        "spot": True,
        "margin": False,
        "swap": False,
        "future": False,
        "option": False,
        "linear": None,
        "inverse": None,
        "contract": False,
        "active": True,
        "precision": {"amount": 0.00001, "price": 0.01},
        "limits": {"amount": {"min": 0.00001}, "cost": {"min": 5}},
        "info": {"orderTypes": ["LIMIT", "MARKET", "LIMIT_MAKER"], "permissions": ["SPOT"]},
    }


def _offline_adapter(exchange_id: str, fixture: dict, http_response) -> CcxtAdapter:
    adapter = CcxtAdapter(exchange_id)
    client = adapter.client
    client.apiKey, client.secret, client.password = "key", "secret", "passphrase"
    client.options.update(fixture.get("options", {}))
    client.set_markets([_market(exchange_id, s) for s in SYMBOLS])
    adapter._markets_loaded = True
    client.fetch = lambda url, method="GET", headers=None, body=None: http_response
    return adapter


def _entries(shared_data, exchange_id):
    fixture = json.loads((shared_data / "exchange-responses" / FILES[exchange_id]).read_text())
    for method, entries in fixture["methods"].items():
        for entry in entries:
            yield fixture, method, entry


def _strip(value, skip):
    if isinstance(value, dict):
        return {k: _strip(v, skip) for k, v in value.items() if k not in skip and k != "info"}
    if isinstance(value, list):
        return [_strip(v, skip) for v in value]
    return value


@pytest.mark.parametrize("exchange_id", ["binance", "kucoin", "coinbase"])
def test_replay_recorded_responses_through_ccxt_reproduce_parsed_results(shared_data, exchange_id):
    # given every recorded entry of the exchange, replayed through ccxt with no network
    checked = 0
    for fixture, method, entry in _entries(shared_data, exchange_id):
        adapter = _offline_adapter(exchange_id, fixture, entry["httpResponse"])
        skip = (
            set(fixture.get("skipKeys", [])) | {"datetime"}
            if exchange_id == "coinbase"
            else set(fixture.get("skipKeys", []))
        )
        # when ccxt parses it
        result = getattr(adapter.client, method)(*entry["input"])
        # then it equals what ccxt's own tests expect
        assert _strip(json.loads(json.dumps(result)), skip) == _strip(
            entry["parsedResponse"], skip
        ), (
            method,
            entry["description"],
        )
        checked += 1
    assert checked >= 2


def test_adapter_fetch_ohlcv_kucoin_fixture_lands_like_binance(shared_data):
    # given the same BTC/USDT 1h window recorded from Binance and KuCoin (KuCoin newest first,
    # in seconds)
    candles = {}
    for exchange_id in ("binance", "kucoin"):
        for fixture, method, entry in _entries(shared_data, exchange_id):
            if method != "fetchOHLCV":
                continue
            raw = entry["httpResponse"]
            adapter = _offline_adapter(exchange_id, fixture, raw)
            symbol, timeframe, since, limit = entry["input"]
            # when the adapter fetches it
            candles[exchange_id] = adapter.fetch_ohlcv(
                symbol, timeframe, since_ms=since, limit=limit
            )
    kucoin_raw_times = [int(r[0]) for r in _entries_raw(shared_data, "kucoin")]
    assert kucoin_raw_times == sorted(kucoin_raw_times, reverse=True)  # newest first, seconds
    assert kucoin_raw_times[0] < 10**10
    # then both are oldest first, in milliseconds, on the same open times
    binance_times = [c.open_time_ms for c in candles["binance"]]
    kucoin_times = [c.open_time_ms for c in candles["kucoin"]]
    assert binance_times == kucoin_times == sorted(binance_times)
    assert binance_times == [1706630400000, 1706634000000, 1706637600000]
    # and the prices are each exchange's own, close to each other
    for b, k in zip(candles["binance"], candles["kucoin"], strict=True):
        assert abs(b.close - k.close) / b.close < 0.005
        assert k.low <= min(k.open, k.close) <= max(k.open, k.close) <= k.high


def _entries_raw(shared_data, exchange_id):
    for _, method, entry in _entries(shared_data, exchange_id):
        if method == "fetchOHLCV":
            return entry["httpResponse"]["data"]
    return []


def test_adapter_fetch_balance_binance_recording_returns_decimals(shared_data):
    for fixture, method, entry in _entries(shared_data, "binance"):
        if method != "fetchBalance":
            continue
        adapter = _offline_adapter("binance", fixture, entry["httpResponse"])
        balance = adapter.fetch_balance()
        expected = {k: v for k, v in entry["parsedResponse"]["free"].items() if v}
        assert balance
        assert all(isinstance(v, Decimal) for v in balance.values())
        assert balance == {k: Decimal(str(v)) for k, v in expected.items()}
        return
    pytest.fail("no fetchBalance entry")
