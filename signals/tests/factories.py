"""Markets and candles for the signals tests (the markets app's importer is not used here)."""

from __future__ import annotations

import pandas as pd

from markets.models import Candle, Exchange, Market


def market_create(*, exchange: str = "binance", symbol: str = "BTC/USDT", is_demo: bool = False):
    venue, _ = Exchange.objects.get_or_create(
        ccxt_id=exchange, defaults={"name": exchange.title(), "is_demo": is_demo}
    )
    base, quote = symbol.split("/")
    market, _ = Market.objects.get_or_create(
        exchange=venue,
        symbol=symbol,
        defaults={"base": base, "quote": quote, "enabled": True, "timeframes": ["1h"]},
    )
    return market


def candles_import(market: Market, timeframe: str, frame: pd.DataFrame) -> int:
    """Store a candles frame (UTC open-time index) as Candle rows."""
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
