"""Shared argument handling of the markets commands."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser

from markets import services
from markets.core.adapter import TIMEFRAMES
from markets.core.errors import ExchangeError
from markets.models import Market


def add_market_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--exchange",
        default=settings.DEFAULT_EXCHANGE,
        help="ccxt id: demo, binance, coinbase, kucoin (default: DEFAULT_EXCHANGE)",
    )
    parser.add_argument("--symbol", required=True, help="unified symbol, e.g. BTC/USDT")
    parser.add_argument("--timeframe", required=True, help=f"one of {', '.join(TIMEFRAMES)}")


def resolve_market(
    options: dict[str, Any], *, create: bool = True, offline: bool = False
) -> Market:
    """The market named by --exchange/--symbol, or one clear CommandError.

    `offline` creates a missing market from the symbol alone (unverified, no network).
    """
    try:
        services.check_timeframe(options["timeframe"])
        if create and offline:
            return services.market_ensure_offline(
                exchange_id=options["exchange"], symbol=options["symbol"]
            )
        if create:
            return services.market_ensure(exchange_id=options["exchange"], symbol=options["symbol"])
        return Market.objects.select_related("exchange").get(
            exchange__ccxt_id=options["exchange"], symbol=options["symbol"]
        )
    except services.MarketDataError as e:
        raise CommandError(str(e)) from None
    except Market.DoesNotExist:
        raise CommandError(
            f"no stored market {options['symbol']!r} on {options['exchange']!r}"
        ) from None
    except ExchangeError as e:  # its message already names the exchange
        raise CommandError(e.message) from None


def parse_time(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    text = value.strip()
    try:
        if text.isdigit():
            return datetime.fromtimestamp(int(text) / 1000, tz=UTC)
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise CommandError(f"--{name}: use a date (2021-01-01), an ISO time or epoch ms") from None
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)
