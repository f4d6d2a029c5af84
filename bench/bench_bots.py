"""1,000 paper bots on 20 markets, one tick each after a candle closes, on one process.

Runs on PostgreSQL in a database of its own (`<DATABASE_URL's name>_bench_bots`, created,
migrated, dropped). Markets share the stored BTC/USDT and ETH/USDT 1h history of
../shared/data (scaled per market, shifted so its last candle is the newest closed hour).
Two model versions are trained on two markets (small boosters); a tenth of the bots follow
them, the rest SMA-cross and RSI-band rules with varied parameters and risk profiles.

Measured: one `bots_tick_due` pass (every bot decides once on the new candle, in chunks of
`engine.CHUNK` bots per transaction: candles per market loaded once, one prediction per model
and market, the chunk's kill switches, orders, fills and positions read in a few queries,
risk checks in pure code, the order intents of the bots that trade checked one by one and
written together by the order path (`OrderIntents`), the ticks, positions and bot states
written in bulk) -- total time, SQL statements per tick and the order path's per order, and
the per-bot p50/p99 -- beside the time of the same ticks' database writes alone (the same
statements with the measured pass's values, without reading candles or deciding).
Target: all 1,000 within 10 s on one worker process.

Environment: BENCH_BOTS_N (1000), BENCH_BOTS_MARKETS (20), QT_SHARED_DATA (../shared/data).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

N_BOTS = int(os.environ.get("BENCH_BOTS_N", "1000"))
N_MARKETS = int(os.environ.get("BENCH_BOTS_MARKETS", "20"))
HISTORY = 1500  # hourly candles per market
TARGET_SECONDS = 10.0
DATA = Path(os.environ.get("QT_SHARED_DATA") or ROOT.parent / "shared" / "data") / "ohlcv"


def _bench_database() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    url = url.replace("postgres://", "postgresql://", 1)
    name = f"{conninfo_to_dict(url).get('dbname') or 'qt'}_bench_bots"
    admin = make_conninfo(url, dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    head, _, _ = url.rpartition("/")
    return f"{head}/{name}"


def _drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    name = str(conninfo_to_dict(url)["dbname"])
    with psycopg.connect(make_conninfo(url, dbname="postgres"), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _history(last_open: datetime) -> list[Any]:
    import pandas as pd

    frames = []
    for name in ("binance_BTCUSDT_1h.csv", "binance_ETHUSDT_1h.csv"):
        frame = pd.read_csv(DATA / name).tail(HISTORY).reset_index(drop=True)
        frame["open_time"] = [
            last_open - timedelta(hours=HISTORY - 1 - i) for i in range(len(frame))
        ]
        frames.append(frame)
    return frames


def setup(last_open: datetime) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from markets.models import Candle, Exchange, Market
    from signals.core.model import TrainParams
    from signals.services import model_train
    from trading.bots.services import bot_create
    from trading.models import Bot
    from trading.orders.paper_store import paper_account_create

    exchange = Exchange.objects.create(ccxt_id="binance", name="Binance")
    frames = _history(last_open)
    markets = []
    started = time.perf_counter()
    for m in range(N_MARKETS):
        base = f"C{m:02d}"
        market = Market.objects.create(
            exchange=exchange,
            symbol=f"{base}/USDT",
            base=base,
            quote="USDT",
            enabled=True,
            listing_verified=True,
            timeframes=["1h"],
            price_precision=Decimal("0.0001"),
            amount_precision=Decimal("0.00001"),
            min_amount=Decimal("0.00001"),
            min_notional=Decimal("5"),
        )
        frame = frames[m % 2]
        scale = 1.0 + 0.01 * m
        Candle.objects.bulk_create(
            Candle(
                market=market,
                timeframe="1h",
                open_time=row.open_time,
                open=row.open * scale,
                high=row.high * scale,
                low=row.low * scale,
                close=row.close * scale,
                volume=row.volume,
            )
            for row in frame.itertuples()
        )
        markets.append(market)
    print(
        f"  setup: {N_MARKETS} markets x {HISTORY} candles in {time.perf_counter() - started:.1f} s"
    )
    started = time.perf_counter()
    versions = []
    for market in markets[:2]:
        outcome = model_train(
            exchange="binance",
            symbol=market.symbol,
            timeframe="1h",
            end=last_open + timedelta(hours=1),
            horizon=4,
            folds=2,
            train_params=TrainParams(num_boost_round=40, early_stopping_rounds=10, max_depth=3),
        )
        versions.append(outcome.model_version)
    print(f"  setup: 2 model versions trained in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    users = [
        get_user_model().objects.create_user(username=f"bench{u}", password="x" * 16)
        for u in range(max(1, N_BOTS // 20))
    ]
    for user in users:
        paper_account_create(owner=user, exchange_id="binance", label="Paper binance")
    rules = [
        ("sma_cross", {"fast": 5, "slow": 20}),
        ("sma_cross", {"fast": 10, "slow": 30}),
        ("sma_cross", {"fast": 20, "slow": 50}),
        ("rsi_bands", {"window": 14, "lower": 30, "upper": 70}),
        ("rsi_bands", {"window": 7, "lower": 40, "upper": 60}),
    ]
    risks: list[dict[str, Any]] = [
        {},
        {"max_position": 0.5, "stop_loss": 0.03, "take_profit": 0.06},
        {"risk_per_trade": 0.01, "max_open_positions": 5},
        {"daily_loss_limit": 0.05, "max_drawdown": 0.2, "max_orders_per_hour": 4},
    ]
    for i in range(N_BOTS):
        user = users[i % len(users)]
        model = i % 10 == 0
        market = markets[(i // 10) % 2] if model else markets[i % N_MARKETS]
        extra: dict[str, Any] = (
            {"strategy": "model", "model_version_id": versions[(i // 10) % 2].pk}
            if model
            else {
                "strategy": "rule",
                "rule_name": rules[i % len(rules)][0],
                "rule_params": rules[i % len(rules)][1],
            }
        )
        bot_create(
            owner=user,
            name=f"bot {i}",
            market_id=market.pk,
            timeframe="1h",
            capital=Decimal("1000"),
            risk_profile=risks[i % len(risks)],
            **extra,
        )
    Bot.objects.update(state=Bot.State.RUNNING)
    print(f"  setup: {N_BOTS} bots for {len(users)} users in {time.perf_counter() - started:.1f} s")
    return {"markets": markets}


class QueryCounter:
    """Counts the SQL statements run on the default connection while installed."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


@dataclass
class Pass:
    """One measured pass: wall and CPU seconds, per-bot seconds, SQL statements, orders."""

    total: float
    cpu: float
    durations: list[float]
    outcomes: dict[str, int]
    predictions: int
    queries: int
    order_seconds: float
    order_queries: int
    orders: int
    checked: int


def ticks(last_open: datetime) -> Pass:
    from django.db import connection

    from trading.bots import engine
    from trading.orders import services as order_services
    from trading.tasks import order_submit_task

    # A worker process has loaded its Celery result backend when it starts; here the first
    # queued submission would load it inside the pass (entry points scanned: seconds under load).
    assert order_submit_task.app.backend is not None
    counter = QueryCounter()
    placing = {"seconds": 0.0, "queries": 0, "orders": 0, "checked": 0}
    intents = order_services.OrderIntents
    originals = {name: getattr(intents, name) for name in ("preload", "add", "write")}

    def timed(name: str) -> Any:
        original = originals[name]

        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            started, before = time.perf_counter(), counter.count
            try:
                result = original(self, *args, **kwargs)
            finally:
                placing["seconds"] += time.perf_counter() - started
                placing["queries"] += counter.count - before
            if name == "add":
                placing["checked"] += 1
            if name == "write":
                placing["orders"] += len(result)
            return result

        return wrapper

    for name in originals:
        setattr(intents, name, timed(name))
    try:
        with connection.execute_wrapper(counter):
            started, cpu = time.perf_counter(), time.process_time()
            report = engine.bots_tick_due(now=last_open + timedelta(hours=1, minutes=1))
            total, cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        for name, original in originals.items():
            setattr(intents, name, original)
    return Pass(
        total=total,
        cpu=cpu,
        durations=list(report.seconds.values()),
        outcomes=report.outcomes,
        predictions=report.predictions,
        queries=counter.count,
        order_seconds=placing["seconds"],
        order_queries=int(placing["queries"]),
        orders=int(placing["orders"]),
        checked=int(placing["checked"]),
    )


def writes_alone(candle_time: datetime) -> tuple[float, list[float], int]:
    """The same ticks' database writes, without candles, predictions or decisions.

    In the engine's chunks and statements: the bots locked, their ticks claimed, the orders of
    the bots that ordered through the order path (`OrderIntents`: checked against what it
    reads once per chunk, then the rows, client ids, events, audit records and stream events
    written together; not enqueued), then the ticks (with the measured pass's values),
    positions and bot states written in bulk.
    """
    from django.db import connection, transaction
    from django.utils import timezone

    from markets.selectors import candle_latest_close
    from trading.bots import engine
    from trading.bots.payloads import BOT_RELATED
    from trading.models import Bot, BotTick
    from trading.orders.services import OrderIntent, OrderIntents

    decided = {
        tick.bot_id: tick
        for tick in BotTick.objects.exclude(candle_time=candle_time).select_related("order")
    }
    closes: dict[int, Decimal] = {}
    for market_id in set(Bot.objects.values_list("market_id", flat=True)):
        close = candle_latest_close(market_id=market_id, timeframes=["1h"], since=candle_time)
        closes[market_id] = Decimal(repr(close))
    ids = list(Bot.objects.order_by("market_id", "timeframe", "id").values_list("pk", flat=True))
    durations: list[float] = []
    counter = QueryCounter()
    started_all = time.perf_counter()
    with connection.execute_wrapper(counter):
        for start in range(0, len(ids), engine.CHUNK):
            chunk = ids[start : start + engine.CHUNK]
            started = time.perf_counter()
            own: dict[int, float] = {}
            with transaction.atomic():
                bots = list(
                    Bot.objects.select_for_update(of=("self",))
                    .select_related(*BOT_RELATED, "owner")
                    .filter(pk__in=chunk)
                    .order_by("pk")
                )
                claimed = engine.claim_ticks(
                    [(bot.pk, candle_time) for bot in bots], timezone.now()
                )
                work = []
                orders = OrderIntents()
                keys = {(b.market.exchange.ccxt_id, b.market.symbol) for b in bots}
                for bot in bots:
                    measured = decided[bot.pk]
                    row = BotTick(pk=claimed[bot.pk], bot=bot, candle_time=candle_time)
                    for name in engine.TICK_FIELDS:
                        setattr(row, name, getattr(measured, name))
                    if measured.order is not None:
                        begun = time.perf_counter()
                        if not len(orders):
                            orders.preload(
                                owner_ids={b.owner_id for b in bots},
                                paper_account_ids={b.paper_account_id or 0 for b in bots},
                                markets=keys,
                            )
                        row.order = orders.add(
                            OrderIntent(
                                owner=bot.owner,
                                symbol=bot.market.symbol,
                                side=measured.order.side,
                                type="market",
                                amount=measured.order.amount,
                                paper_account_id=bot.paper_account_id,
                                bot_id=bot.pk,
                                reference_price=closes[bot.market_id],
                            )
                        )
                        own[bot.pk] = time.perf_counter() - begun
                    bot.last_tick_at = timezone.now()
                    bot.position.updated_at = timezone.now()
                    work.append(engine.TickWork(bot=bot, row=row))
                orders.write(enqueue=False)
                engine.write_ticks(work)
            shared = (time.perf_counter() - started - sum(own.values())) / len(bots)
            durations.extend(shared + own.get(bot.pk, 0.0) for bot in bots)
    return time.perf_counter() - started_all, durations, counter.count


def main() -> int:
    url = _bench_database()
    if url is None:
        print("bench_bots: skipped, DATABASE_URL must point at PostgreSQL")
        return 0
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quantum_trader.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    import logging

    import structlog
    from django.core.management import call_command
    from django.db import connections

    logging.disable(logging.INFO)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    try:
        call_command("migrate", verbosity=0)
        print(f"bench_bots on {url.rpartition('/')[2]}: {N_BOTS} paper bots, {N_MARKETS} markets")
        now = datetime.now(UTC)
        last_open = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
        setup(last_open)
        measured = ticks(last_open)
        total, durations = measured.total, measured.durations
        print(
            f"  one tick of every bot: {total:.2f} s for {len(durations)} bots "
            f"(target <= {TARGET_SECONDS:.0f} s on one process: "
            f"{'met' if total <= TARGET_SECONDS else 'NOT met'}); this process's CPU "
            f"{measured.cpu:.2f} s; {measured.predictions} model predictions"
        )
        print(
            f"  per bot (own decision and order, share of its chunk's bulk reads and writes): "
            f"p50 {statistics.median(durations) * 1000:.1f} ms, "
            f"p99 {_percentile(durations, 0.99) * 1000:.1f} ms"
        )
        print(f"  outcomes: {dict(sorted(measured.outcomes.items()))}")
        ticked = max(1, sum(measured.outcomes.values()))
        per_order = measured.order_queries / max(1, measured.orders)
        print(
            f"  SQL statements: {measured.queries} in the pass, "
            f"{measured.queries / ticked:.1f} per tick; of them the order path "
            f"(OrderIntents: {measured.checked} orders checked, {measured.orders} written) "
            f"{measured.order_queries} ({per_order:.2f} per order written; 18 per order "
            f"through order_place before the batch) in {measured.order_seconds:.2f} s"
        )
        writes, write_durations, write_queries = writes_alone(last_open - timedelta(hours=1))
        print(
            f"  the same ticks' database writes alone: {writes:.2f} s (per bot p50 "
            f"{statistics.median(write_durations) * 1000:.1f} ms, p99 "
            f"{_percentile(write_durations, 0.99) * 1000:.1f} ms; {write_queries} SQL "
            f"statements); reads and decisions are {max(0.0, total - writes):.2f} s of the pass"
        )
    finally:
        connections.close_all()
        _drop_database(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
