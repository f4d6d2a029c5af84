"""Stream groups for market data: `market.<exchange>.<BASE>-<QUOTE>.<timeframe>`."""

from __future__ import annotations

import re

MARKET_GROUP = re.compile(r"^market\.[a-z0-9]+\.[A-Z0-9]{1,20}-[A-Z0-9]{1,20}\.\d{1,3}[mhdwM]$")


def market_group(exchange: str, symbol: str, timeframe: str) -> str:
    """Name the group carrying candles and signals for one market and timeframe."""
    return f"market.{exchange}.{symbol.replace('/', '-')}.{timeframe}"


def is_market_group(topic: str) -> bool:
    return MARKET_GROUP.match(topic) is not None
