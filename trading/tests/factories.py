"""Backtest runs, and markets with stored candles, for the trading tests (and the wiring's)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import factory
import numpy as np
import pandas as pd

from accounts.tests.factories import UserFactory
from markets.models import Market
from markets.tests.factories import START, ExchangeFactory, MarketFactory, candles_store
from trading.models import BacktestRun

__all__ = ["START", "BacktestRunFactory", "config", "market_with_candles"]


def market_with_candles(
    *,
    exchange: str = "binance",
    symbol: str = "BTC/USDT",
    timeframe: str = "1h",
    count: int = 200,
    seed: int = 3,
    amount_precision: Decimal | None = None,
    min_notional: Decimal | None = None,
) -> Market:
    """Create an exchange, a market and `count` hourly random-walk candles from START."""
    market = MarketFactory.create(
        exchange=ExchangeFactory.create(ccxt_id=exchange),
        symbol=symbol,
        amount_precision=amount_precision,
        min_notional=min_notional,
    )
    rng = np.random.default_rng(seed)
    close = 100.0 * np.exp(np.cumsum(rng.normal(0.0, 0.01, count)))
    open_ = np.r_[100.0, close[:-1]]
    frame = pd.DataFrame(
        {
            "open": open_,
            "high": np.maximum(open_, close) * 1.002,
            "low": np.minimum(open_, close) * 0.998,
            "close": close,
            "volume": 1.0,
        },
        index=pd.DatetimeIndex([START + timedelta(hours=i) for i in range(count)]),
    )
    candles_store(market, timeframe, frame)
    return market


def config(**overrides: object) -> dict[str, object]:
    """A valid backtest configuration for `market_with_candles()`."""
    base: dict[str, object] = {
        "exchange": "binance",
        "symbol": "BTC/USDT",
        "timeframe": "1h",
        "strategy": "sma_cross",
        "params": {"fast": 5, "slow": 20},
        "fee": 0.001,
        "slippage_bps": 5,
    }
    base.update(overrides)
    return base


class BacktestRunFactory(factory.django.DjangoModelFactory[BacktestRun]):
    """A stored run (not computed); give `status`, `metrics` and so on as a test needs."""

    class Meta:
        model = BacktestRun

    owner = factory.SubFactory(UserFactory)
    config = factory.LazyFunction(lambda: dict[str, Any](config()))
    status = BacktestRun.Status.QUEUED
