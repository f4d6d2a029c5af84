"""Markets with stored candles for the trading tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import numpy as np

from markets.models import Candle, Exchange, Market

START = datetime(2024, 1, 1, tzinfo=UTC)


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
    venue, _ = Exchange.objects.get_or_create(ccxt_id=exchange, defaults={"name": exchange})
    base, quote = symbol.split("/")
    market = Market.objects.create(
        exchange=venue,
        symbol=symbol,
        base=base,
        quote=quote,
        amount_precision=amount_precision,
        min_notional=min_notional,
    )
    rng = np.random.default_rng(seed)
    close = 100.0 * np.exp(np.cumsum(rng.normal(0.0, 0.01, count)))
    open_ = np.r_[100.0, close[:-1]]
    Candle.objects.bulk_create(
        Candle(
            market=market,
            timeframe=timeframe,
            open_time=START + timedelta(hours=i),
            open=float(open_[i]),
            high=float(max(open_[i], close[i]) * 1.002),
            low=float(min(open_[i], close[i]) * 0.998),
            close=float(close[i]),
            volume=1.0,
        )
        for i in range(count)
    )
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
