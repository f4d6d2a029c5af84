"""1,000 paper bots on 20 markets, one tick each after a candle closes, on one process.

Runs on PostgreSQL in a database of its own (`<DATABASE_URL's name>_bench_bots`, created,
migrated, dropped). Markets share the stored BTC/USDT and ETH/USDT 1h history of
../shared/data (scaled per market, shifted so its last candle is the newest closed hour).
Two model versions are trained on two markets (small boosters); a tenth of the bots follow
them, the rest SMA-cross and RSI-band rules with varied parameters and risk profiles.

Measured: one `bots_tick_due` pass (every bot decides once on the new candle: candles per
market loaded once, one prediction per model and market, risk checks, order intents through
`order_place`) -- total time and the per-bot p50/p99 -- beside the time of the same ticks'
database writes alone (tick row, order intent with its event and audit record, bot state,
position), done in the same transactions without reading candles or deciding.
Target: all 1,000 within 10 s on one worker process.

Environment: BENCH_BOTS_N (1000), BENCH_BOTS_MARKETS (20).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
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
DATA = ROOT.parent / "shared" / "data" / "ohlcv"


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


def ticks(last_open: datetime) -> tuple[float, list[float], dict[str, int], int]:
    from trading.bots import engine

    durations: list[float] = []
    original = engine.bot_tick

    def timed(**kwargs: Any) -> str:
        started = time.perf_counter()
        try:
            return original(**kwargs)
        finally:
            durations.append(time.perf_counter() - started)

    engine.bot_tick = timed
    try:
        started = time.perf_counter()
        report = engine.bots_tick_due(now=last_open + timedelta(hours=1, minutes=1))
        total = time.perf_counter() - started
    finally:
        engine.bot_tick = original
    return total, durations, report.outcomes, report.predictions


def writes_alone(candle_time: datetime) -> tuple[float, list[float]]:
    """The same ticks' database writes, without candles, predictions or decisions."""
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import AuditEvent
    from accounts.services import audit_record
    from trading.models import Bot, BotTick, Order, OrderEvent, Position

    bots = list(Bot.objects.values_list("pk", "owner_id", "market_id", "paper_account_id"))
    ordered = {
        bot_id
        for bot_id in BotTick.objects.filter(order__isnull=False).values_list("bot_id", flat=True)
    }
    durations: list[float] = []
    started_all = time.perf_counter()
    for pk, owner_id, market_id, paper_id in bots:
        started = time.perf_counter()
        with transaction.atomic():
            bot = Bot.objects.select_for_update(of=("self",)).get(pk=pk)
            tick = BotTick.objects.create(bot=bot, candle_time=candle_time, outcome="pending")
            order = None
            if pk in ordered:
                now = timezone.now()
                order = Order.objects.create(
                    owner_id=owner_id,
                    paper_account_id=paper_id,
                    bot=bot,
                    market_id=market_id,
                    side="buy",
                    type="market",
                    amount=Decimal("0.01"),
                    created_at=now,
                    updated_at=now,
                )
                order.client_order_id = f"bench-{order.pk}"
                order.save(update_fields=["client_order_id"])
                OrderEvent.objects.create(
                    order=order, from_status="new", to_status="new", cause="placed"
                )
                audit_record(action=AuditEvent.Action.ORDER_PLACED, target=order)
            tick.outcome, tick.order, tick.checks = "no_order", order, [{"name": "x"}]
            tick.save()
            position = Position.objects.get(bot=bot)
            position.updated_at = timezone.now()
            position.save()
            bot.last_tick_at = timezone.now()
            bot.save(update_fields=["engine_state", "booked_fill_id", "last_tick_at"])
        durations.append(time.perf_counter() - started)
    return time.perf_counter() - started_all, durations


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
        total, durations, outcomes, predictions = ticks(last_open)
        print(
            f"  one tick of every bot: {total:.2f} s for {len(durations)} bots "
            f"(target <= {TARGET_SECONDS:.0f} s on one process: "
            f"{'met' if total <= TARGET_SECONDS else 'NOT met'}); per bot p50 "
            f"{statistics.median(durations) * 1000:.1f} ms, p99 "
            f"{_percentile(durations, 0.99) * 1000:.1f} ms; {predictions} model predictions"
        )
        print(f"  outcomes: {dict(sorted(outcomes.items()))}")
        writes, write_durations = writes_alone(last_open - timedelta(hours=1))
        print(
            f"  the same ticks' database writes alone: {writes:.2f} s (per bot p50 "
            f"{statistics.median(write_durations) * 1000:.1f} ms, p99 "
            f"{_percentile(write_durations, 0.99) * 1000:.1f} ms); decision work is "
            f"{max(0.0, total - writes):.2f} s of the tick pass"
        )
    finally:
        connections.close_all()
        _drop_database(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
