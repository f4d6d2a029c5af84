"""Factories of exchanges, markets and candles, used by every app's tests.

Other apps' factories build on these (accounts, signals, trading); none repeats them. Use
`.build()` for objects a test only reads (no database), `.create()` (the default call) otherwise.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import factory
import pandas as pd

from markets.models import Candle, Exchange, Market

START = datetime(2024, 1, 1, tzinfo=UTC)


class ExchangeFactory(factory.django.DjangoModelFactory[Exchange]):
    class Meta:
        model = Exchange
        django_get_or_create = ("ccxt_id",)

    ccxt_id = "binance"
    name = factory.LazyAttribute(lambda o: o.ccxt_id.title())
    enabled = True
    is_demo = factory.LazyAttribute(lambda o: o.ccxt_id == "demo")


class MarketFactory(factory.django.DjangoModelFactory[Market]):
    class Meta:
        model = Market
        django_get_or_create = ("exchange", "symbol")

    exchange = factory.SubFactory(ExchangeFactory)
    symbol = "BTC/USDT"
    base = factory.LazyAttribute(lambda o: o.symbol.split("/")[0])
    quote = factory.LazyAttribute(lambda o: o.symbol.split("/")[1])
    enabled = True
    timeframes = factory.LazyFunction(lambda: ["1h"])


class CandleFactory(factory.django.DjangoModelFactory[Candle]):
    """One hourly candle; consecutive ones follow each other from START."""

    class Meta:
        model = Candle

    market = factory.SubFactory(MarketFactory)
    timeframe = "1h"
    open_time = factory.Sequence(lambda n: START + timedelta(hours=n))
    open = 100.0
    high = 101.0
    low = 99.0
    close = 100.5
    volume = 1.0


def candles_store(market: Market, timeframe: str, frame: pd.DataFrame) -> int:
    """Store a candles frame (open, high, low, close, volume on a UTC open-time index)."""
    rows = [
        Candle(
            market=market,
            timeframe=timeframe,
            open_time=stamp.to_pydatetime(),
            open=float(row.open),
            high=float(row.high),
            low=float(row.low),
            close=float(row.close),
            volume=float(row.volume),
        )
        for stamp, row in zip(frame.index, frame.itertuples(index=False), strict=True)
    ]
    Candle.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
