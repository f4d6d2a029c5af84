"""Factories of the markets tests."""

from __future__ import annotations

import factory

from markets.models import Exchange, Market


class ExchangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exchange
        django_get_or_create = ("ccxt_id",)

    ccxt_id = "binance"
    name = factory.LazyAttribute(lambda o: o.ccxt_id.title())
    enabled = True
    is_demo = factory.LazyAttribute(lambda o: o.ccxt_id == "demo")


class MarketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Market
        django_get_or_create = ("exchange", "symbol")

    exchange = factory.SubFactory(ExchangeFactory)
    symbol = "BTC/USDT"
    base = factory.LazyAttribute(lambda o: o.symbol.split("/")[0])
    quote = factory.LazyAttribute(lambda o: o.symbol.split("/")[1])
    enabled = True
    timeframes = factory.LazyFunction(lambda: ["1h"])
