"""Writes of market data: exchanges and markets, candle ingestion, CSV import and export."""

from __future__ import annotations

import csv
import io
import math
import re
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import structlog
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from markets import stream
from markets.core.adapter import OHLCV, ExchangeAdapter, MarketInfo, timeframe_ms
from markets.core.candles import Gap, find_gaps, last_closed_open_ms, validate
from markets.core.ccxt_adapter import QUIRKS
from markets.core.errors import ExchangeError, QuantumTraderError
from markets.core.factory import EXCHANGE_IDS, create_adapter
from markets.events import market_group
from markets.models import Candle, Exchange, Market
from markets.upsert import dt_to_ms, ms_to_dt, upsert_candles

log = structlog.get_logger(__name__)

EXCHANGE_NAMES = {
    "demo": "Demo (offline)",
    "binance": "Binance",
    "coinbase": "Coinbase",
    "kucoin": "KuCoin",
}
DEFAULT_BACKFILL_CANDLES = 1000
PUBLISH_LATEST = 3
UPSERT_BATCH = 10_000
CSV_HEADER = ("timestamp_ms", "open", "high", "low", "close", "volume")


class MarketDataError(QuantumTraderError, ValueError):
    """Bad input to a market-data service: unknown exchange, symbol or timeframe."""

    code = "market_data_invalid"
    status = 400


class MarketNotTradableError(QuantumTraderError):
    """The market cannot take orders: its listing is unverified or it is not active."""

    code = "market_not_verified"
    status = 409


SYMBOL_RE = re.compile(r"^([A-Z0-9]{1,16})/([A-Z0-9]{1,16})$")


@dataclass
class IngestReport:
    """What one ingestion or import did."""

    exchange: str
    symbol: str
    timeframe: str
    fetched: int = 0
    inserted: int = 0
    updated: int = 0
    not_closed: int = 0
    requests: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    gaps: list[Gap] = field(default_factory=list)
    first_ms: int | None = None
    last_ms: int | None = None

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())

    @property
    def unchanged(self) -> int:
        return self.fetched - self.inserted - self.updated - self.rejected_total - self.not_closed

    def summary_lines(self) -> list[str]:
        """Human-readable lines for the management commands."""
        step = timeframe_ms(self.timeframe)
        lines = [
            f"{self.exchange} {self.symbol} {self.timeframe}: "
            f"stored {self.inserted}, updated {self.updated}, unchanged {self.unchanged}, "
            f"rejected {self.rejected_total}, gaps {len(self.gaps)}"
            + (f", not yet closed {self.not_closed}" if self.not_closed else ""),
        ]
        if self.first_ms is not None and self.last_ms is not None:
            lines.append(f"  range {_iso(self.first_ms)} .. {_iso(self.last_ms)}")
        for reason, count in sorted(self.rejected.items()):
            lines.append(f"  rejected {reason}: {count}")
        for gap in self.gaps:
            lines.append(
                f"  gap after {_iso(gap.after_ms)}: {gap.missing} missing "
                f"(next {_iso(gap.after_ms + (gap.missing + 1) * step)})"
            )
        return lines

    def as_dict(self) -> dict[str, Any]:
        return {
            "exchange": self.exchange,
            "symbol": self.symbol,
            "timeframe": self.timeframe,
            "fetched": self.fetched,
            "inserted": self.inserted,
            "updated": self.updated,
            "rejected": dict(self.rejected),
            "gaps": [{"after": _iso(g.after_ms), "missing": g.missing} for g in self.gaps],
        }


def _iso(ms: int) -> str:
    return ms_to_dt(ms).strftime("%Y-%m-%dT%H:%M:%SZ")


def check_timeframe(timeframe: str) -> int:
    try:
        return timeframe_ms(timeframe)
    except ValueError as e:
        raise MarketDataError(str(e), field="timeframe") from None


# --- exchanges and markets ------------------------------------------------------------------


def exchange_ensure(*, exchange_id: str) -> Exchange:
    """Return the exchange row for a known ccxt id, creating it (disabled unless demo)."""
    if exchange_id not in EXCHANGE_IDS:
        raise MarketDataError(
            f"unknown exchange {exchange_id!r}; use one of {', '.join(EXCHANGE_IDS)}",
            field="exchange",
        )
    exchange, _ = Exchange.objects.get_or_create(
        ccxt_id=exchange_id,
        defaults={
            "name": EXCHANGE_NAMES.get(exchange_id, exchange_id),
            "is_demo": exchange_id == "demo",
            "enabled": exchange_id == "demo",
        },
    )
    return exchange


def adapter_for(exchange: Exchange) -> ExchangeAdapter:
    """Build the public (keyless) adapter for an exchange row."""
    base_url = exchange.api_base_url or settings.EXCHANGE_BASE_URLS.get(exchange.ccxt_id) or None
    return create_adapter(exchange.ccxt_id, base_url=base_url, sandbox=exchange.sandbox)


def _listing_fields(info: MarketInfo) -> dict[str, Any]:
    return {
        "symbol": info.symbol,
        "base": info.base,
        "quote": info.quote,
        "active": info.active,
        "price_precision": info.price_precision,
        "amount_precision": info.amount_precision,
        "min_amount": info.min_amount,
        "min_notional": info.min_notional,
        "listing_verified": True,
        "listing_checked_at": timezone.now(),
    }


def market_ensure(
    *, exchange_id: str, symbol: str, adapter: ExchangeAdapter | None = None
) -> Market:
    """Return the market row, creating it from the exchange's listing when it is listed."""
    exchange = exchange_ensure(exchange_id=exchange_id)
    market = Market.objects.filter(exchange=exchange, symbol=symbol).first()
    if market is not None:
        return market
    adapter = adapter or adapter_for(exchange)
    listed = {m.symbol: m for m in adapter.load_markets()}
    info = listed.get(symbol)
    if info is None:
        raise MarketDataError(f"{exchange_id} lists no market {symbol!r}", field="symbol")
    return Market.objects.create(exchange=exchange, **_listing_fields(info))


def market_ensure_offline(*, exchange_id: str, symbol: str) -> Market:
    """Return the market row, creating it from the symbol alone, without asking the exchange.

    A market created here has unknown limits and is marked unverified: it stores candles but
    cannot trade until `market_refresh_listing` (the ingest task, `refresh_markets`) has read
    the exchange's listing. The demo exchange's listing is offline, so it is read at once.
    """
    if exchange_id == "demo":
        return market_ensure(exchange_id=exchange_id, symbol=symbol)
    exchange = exchange_ensure(exchange_id=exchange_id)
    market = Market.objects.filter(exchange=exchange, symbol=symbol).first()
    if market is not None:
        return market
    match = SYMBOL_RE.match(symbol)
    if match is None:
        raise MarketDataError(
            f"{symbol!r} is not a unified symbol; write it as BASE/QUOTE, e.g. BTC/USDT",
            field="symbol",
        )
    market, created = Market.objects.get_or_create(
        exchange=exchange,
        symbol=symbol,
        defaults={"base": match[1], "quote": match[2], "listing_verified": False},
    )
    if created:
        log.info("markets.created_unverified", exchange=exchange_id, symbol=symbol)
    return market


def market_refresh_listing(
    *,
    market: Market,
    listed: dict[str, MarketInfo] | None = None,
    adapter: ExchangeAdapter | None = None,
) -> bool:
    """Read the market's limits from the exchange's listing; return whether it is verified.

    `listed` is the exchange's listing by symbol when the caller already has it. A market the
    exchange does not list (any more) is marked unverified and inactive. Raises ExchangeError
    when the exchange cannot be reached; the row is then left as it was.
    """
    if listed is None:
        adapter = adapter or adapter_for(market.exchange)
        listed = {m.symbol: m for m in adapter.load_markets()}
    info = listed.get(market.symbol)
    if info is None:
        changes: dict[str, Any] = {
            "listing_verified": False,
            "active": False,
            "listing_checked_at": timezone.now(),
        }
    else:
        changes = _listing_fields(info)
    for name, value in changes.items():
        setattr(market, name, value)
    market.save(update_fields=list(changes))
    return info is not None


@dataclass
class RefreshReport:
    """What `markets_refresh` did, per exchange."""

    verified: list[str] = field(default_factory=list)
    unlisted: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)

    def summary_lines(self) -> list[str]:
        lines = [f"verified {len(self.verified)}, unlisted {len(self.unlisted)}"]
        lines += [f"  not listed: {name}" for name in self.unlisted]
        lines += [f"  unreachable: {message}" for message in self.failed.values()]
        return lines


def markets_refresh(
    *, exchange_id: str | None = None, adapters: dict[str, ExchangeAdapter] | None = None
) -> RefreshReport:
    """Re-read every stored market's limits from its exchange's listing (one request each).

    An exchange that cannot be reached is reported in `failed` and its markets keep what they
    had; the others are still refreshed.
    """
    exchanges = Exchange.objects.all()
    if exchange_id is not None:
        exchange_ensure(exchange_id=exchange_id)
        exchanges = exchanges.filter(ccxt_id=exchange_id)
    report = RefreshReport()
    for exchange in exchanges:
        markets = list(Market.objects.filter(exchange=exchange).select_related("exchange"))
        if not markets:
            continue
        adapter = (adapters or {}).get(exchange.ccxt_id) or adapter_for(exchange)
        try:
            listed = {m.symbol: m for m in adapter.load_markets()}
        except ExchangeError as e:
            report.failed[exchange.ccxt_id] = e.message
            log.warning("markets.refresh_failed", exchange=exchange.ccxt_id, error=e.message)
            continue
        for market in markets:
            ok = market_refresh_listing(market=market, listed=listed)
            (report.verified if ok else report.unlisted).append(str(market))
    return report


def market_check_tradable(*, market: Market) -> None:
    """Refuse a market that may not take orders: unverified listing, unknown limits, inactive.

    Raises MarketNotTradableError (code "market_not_verified" or "market_inactive", 409).
    """
    if (
        not market.listing_verified
        or market.amount_precision is None
        or market.price_precision is None
    ):
        raise MarketNotTradableError(
            f"{market}: the exchange's listing has not been verified, so its order limits are "
            "unknown; run `manage.py refresh_markets` once the exchange is reachable",
            field="symbol",
        )
    if not market.active:
        raise MarketNotTradableError(
            f"{market}: the exchange does not list this market as active",
            code="market_inactive",
            field="symbol",
        )


def market_set_enabled(
    *, market: Market, enabled: bool, timeframes: list[str] | None = None
) -> Market:
    if timeframes is not None:
        for tf in timeframes:
            check_timeframe(tf)
        market.timeframes = list(timeframes)
    market.enabled = enabled
    market.save(update_fields=["enabled", "timeframes"])
    return market


# --- ingestion --------------------------------------------------------------------------------


def _store(
    *, market: Market, timeframe: str, candles: list[OHLCV], report: IngestReport, cutoff_ms: int
) -> list[OHLCV]:
    """Validate, keep closed candles, upsert; update the report. Returns the stored candles."""
    step = timeframe_ms(timeframe)
    report.fetched += len(candles)
    closed = [c for c in candles if c.open_time_ms <= cutoff_ms]
    report.not_closed += len(candles) - len(closed)
    good, rejected = validate(closed, step)
    report.rejected.update(rejected)
    inserted, updated = upsert_candles(market_id=market.pk, timeframe=timeframe, candles=good)
    report.inserted += inserted
    report.updated += updated
    if good:
        first, last = good[0].open_time_ms, good[-1].open_time_ms
        report.first_ms = first if report.first_ms is None else min(report.first_ms, first)
        report.last_ms = last if report.last_ms is None else max(report.last_ms, last)
    return good


def _stored_gaps(*, market: Market, timeframe: str, first_ms: int, last_ms: int) -> list[Gap]:
    step = timeframe_ms(timeframe)
    times = (
        Candle.objects.filter(
            market=market,
            timeframe=timeframe,
            open_time__gte=ms_to_dt(first_ms),
            open_time__lte=ms_to_dt(last_ms),
        )
        .order_by("open_time")
        .values_list("open_time", flat=True)
    )
    return find_gaps([dt_to_ms(t) for t in times.iterator(chunk_size=20_000)], step)


def last_stored_ms(*, market: Market, timeframe: str) -> int | None:
    last = Candle.objects.filter(market=market, timeframe=timeframe).aggregate(m=Max("open_time"))
    return dt_to_ms(last["m"]) if last["m"] is not None else None


def ingest_candles(
    *,
    market: Market,
    timeframe: str,
    since: datetime | None = None,
    adapter: ExchangeAdapter | None = None,
    now_ms: int | None = None,
    publish_latest: int = PUBLISH_LATEST,
    max_pages: int | None = None,
) -> IngestReport:
    """Fetch closed candles from `since` (or after the last stored one) up to now, in pages.

    Without `since` and with nothing stored, backfills the last `DEFAULT_BACKFILL_CANDLES`.
    Publishes the newest few newly stored candles to the market's group.
    """
    step = check_timeframe(timeframe)
    exchange_id = market.exchange.ccxt_id
    adapter = adapter or adapter_for(market.exchange)
    now_ms = now_ms if now_ms is not None else int(time.time() * 1000)
    cutoff = last_closed_open_ms(now_ms, step)
    report = IngestReport(exchange=exchange_id, symbol=market.symbol, timeframe=timeframe)
    last = last_stored_ms(market=market, timeframe=timeframe)
    if since is not None:
        cursor = -(-dt_to_ms(since) // step) * step
    elif last is not None:
        cursor = last + step
    else:
        cursor = cutoff - (DEFAULT_BACKFILL_CANDLES - 1) * step
    start = cursor
    quirks = QUIRKS.get(exchange_id)
    page_limit = quirks.ohlcv_limit if quirks is not None else 1000
    windowed = quirks is not None and quirks.ohlcv_windowed
    recent: list[OHLCV] = []
    pending: list[OHLCV] = []
    pages = 0

    def flush() -> None:
        nonlocal recent
        stored = _store(
            market=market, timeframe=timeframe, candles=pending, report=report, cutoff_ms=cutoff
        )
        recent = (recent + stored)[-publish_latest:] if publish_latest else []
        pending.clear()

    try:
        while cursor <= cutoff and (max_pages is None or pages < max_pages):
            page = adapter.fetch_ohlcv(market.symbol, timeframe, since_ms=cursor, limit=page_limit)
            pages += 1
            report.requests += 1
            if not page:
                if not windowed:
                    break  # the exchange answers from `since` on: nothing newer exists
                cursor += page_limit * step  # a quiet window: look at the next one
                continue
            pending.extend(page)
            if len(pending) >= UPSERT_BATCH:
                flush()
            newest = max(c.open_time_ms for c in page)
            if newest < cursor:
                break
            cursor = newest + step
    finally:
        # Keep what was fetched before an exchange error: every good row is stored.
        if pending:
            flush()
    if report.last_ms is not None:
        # Look one stored candle back, so a hole between runs is reported too.
        before = Candle.objects.filter(
            market=market, timeframe=timeframe, open_time__lt=ms_to_dt(start)
        ).aggregate(m=Max("open_time"))["m"]
        first = dt_to_ms(before) if before is not None else start
        report.gaps = _stored_gaps(
            market=market, timeframe=timeframe, first_ms=first, last_ms=report.last_ms
        )
    Market.objects.filter(pk=market.pk).update(last_ingested_at=timezone.now())
    _publish(
        market=market,
        timeframe=timeframe,
        candles=recent[-min(publish_latest, report.inserted) :] if report.inserted else [],
    )
    log.info("markets.ingested", **report.as_dict(), requests=report.requests)
    return report


def _publish(*, market: Market, timeframe: str, candles: list[OHLCV]) -> None:
    if not candles:
        return
    group = market_group(market.exchange.ccxt_id, market.symbol, timeframe)
    for c in candles:
        stream.publish(
            group=group,
            type="candle",
            id=c.open_time_ms,
            data={
                "t": c.open_time_ms,
                "o": c.open,
                "h": c.high,
                "l": c.low,
                "c": c.close,
                "v": c.volume,
            },
        )


# --- CSV ----------------------------------------------------------------------------------


def _parse_csv(rows: Iterable[list[str]], report: IngestReport) -> Iterator[OHLCV]:
    first = True
    for row in rows:
        if first and row:
            # A byte-order mark belongs to the file, not to its first cell.
            row[0] = row[0].lstrip("\ufeff")
            first = False
        if not row or all(not cell.strip() for cell in row):
            continue
        if row[0].strip().lower() == "timestamp_ms":
            continue
        try:
            if len(row) != 6:
                raise ValueError("expected 6 columns")
            ts = float(row[0])
            if not math.isfinite(ts) or ts != int(ts):
                raise ValueError("timestamp")
            yield OHLCV(int(ts), *(float(x) for x in row[1:6]))
        except ValueError:
            report.fetched += 1
            report.rejected["malformed_row"] += 1


def import_candles_csv(
    *,
    market: Market,
    timeframe: str,
    source: str | Path | IO[str],
    now_ms: int | None = None,
    batch: int = 50_000,
) -> IngestReport:
    """Import `timestamp_ms,open,high,low,close,volume` rows; bad rows are counted, not fatal."""
    step = check_timeframe(timeframe)
    now_ms = now_ms if now_ms is not None else int(time.time() * 1000)
    cutoff = last_closed_open_ms(now_ms, step)
    report = IngestReport(
        exchange=market.exchange.ccxt_id, symbol=market.symbol, timeframe=timeframe
    )
    handle: IO[str]
    if isinstance(source, str | Path):
        # utf-8-sig drops a byte-order mark before the header (spreadsheets write one).
        handle = open(source, newline="", encoding="utf-8-sig")  # noqa: SIM115 - closed below
    else:
        handle = source
    try:
        candles = list(_parse_csv(csv.reader(handle), report))
    finally:
        if isinstance(source, str | Path):
            handle.close()
    # Duplicates are judged across the whole file, so validate it in one pass.
    report.fetched += len(candles)
    closed = [c for c in candles if c.open_time_ms <= cutoff]
    report.not_closed += len(candles) - len(closed)
    good, rejected = validate(closed, step)
    report.rejected.update(rejected)
    for i in range(0, len(good), batch):
        inserted, updated = upsert_candles(
            market_id=market.pk, timeframe=timeframe, candles=good[i : i + batch]
        )
        report.inserted += inserted
        report.updated += updated
    if good:
        report.first_ms, report.last_ms = good[0].open_time_ms, good[-1].open_time_ms
        report.gaps = _stored_gaps(
            market=market, timeframe=timeframe, first_ms=report.first_ms, last_ms=report.last_ms
        )
    return report


def export_candles_csv(
    *,
    market: Market,
    timeframe: str,
    out: IO[str],
    start: datetime | None = None,
    end: datetime | None = None,
) -> int:
    """Write stored candles as CSV (`repr` floats round-trip exactly). Returns the row count."""
    check_timeframe(timeframe)
    rows = Candle.objects.filter(market=market, timeframe=timeframe)
    if start is not None:
        rows = rows.filter(open_time__gte=start)
    if end is not None:
        rows = rows.filter(open_time__lt=end)
    out.write(",".join(CSV_HEADER) + "\n")
    n = 0
    buf = io.StringIO()
    for t, o, h, lo, c, v in (
        rows.order_by("open_time")
        .values_list("open_time", "open", "high", "low", "close", "volume")
        .iterator(chunk_size=20_000)
    ):
        buf.write(f"{dt_to_ms(t)},{o!r},{h!r},{lo!r},{c!r},{v!r}\n")
        n += 1
        if n % 20_000 == 0:
            out.write(buf.getvalue())
            buf = io.StringIO()
    out.write(buf.getvalue())
    return n


@transaction.atomic
def seed_demo_markets(
    *, symbols: dict[str, list[str]], history: dict[str, int], now_ms: int | None = None
) -> list[IngestReport]:
    """Create the demo exchange and enabled markets, and backfill `history[tf]` candles each."""
    exchange = exchange_ensure(exchange_id="demo")
    if not exchange.is_demo:
        Exchange.objects.filter(pk=exchange.pk).update(is_demo=True)
    reports = []
    now_ms = now_ms if now_ms is not None else int(time.time() * 1000)
    for symbol, timeframes in symbols.items():
        market = market_ensure(exchange_id="demo", symbol=symbol)
        merged = sorted(set(market.timeframes) | set(timeframes), key=timeframe_ms)
        if not market.enabled or merged != market.timeframes:
            market_set_enabled(market=market, enabled=True, timeframes=merged)
        for tf in timeframes:
            step = timeframe_ms(tf)
            target = last_closed_open_ms(now_ms, step) - (history[tf] - 1) * step
            last = last_stored_ms(market=market, timeframe=tf)
            since = ms_to_dt(target if last is None or last < target else last + step)
            reports.append(
                ingest_candles(
                    market=market, timeframe=tf, since=since, now_ms=now_ms, publish_latest=0
                )
            )
    return reports


def parse_iso_ms(text: str) -> int:
    """Epoch ms of an ISO 8601 time (`Z` or an offset; naive means UTC)."""
    dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt_to_ms(dt)
