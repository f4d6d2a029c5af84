"""The order path against the fake Binance: latency, fault storms, crashes, reconciler speed.

Every correctness figure is read from the fake exchange's ledger. Runs on PostgreSQL in a
database of its own (`<DATABASE_URL's name>_bench_orders`, created, migrated, dropped).

1. Submit latency, intent committed -> acknowledgement recorded, 1,000 limit orders through
   `order_submit` (claim, send once, record), beside bare ccxt `create_order` against the same
   fake in the same run. Target: p99 within 2x of bare ccxt.
2. Fault storms of 10,000 orders (20 % of answers dropped after accepting, 5 % 5xx after,
   5 % 5xx before): limit orders, then market orders that fill at once under open-only
   client-id uniqueness. Reference: 0 duplicates, 0 lost, reconciled within 3 passes,
   0 left UNKNOWN/SUBMITTING.
3. A worker process (forked from this one) SIGKILLed at each named point of the submit path,
   50 times per point, then one reconciler pass. Reference: 0 duplicates, 0 missing locally.
4. Reconciler throughput over 10,000 UNKNOWN orders that the exchange holds (orders/s).

Environment: BENCH_ORDERS_N (storm size, 10000), BENCH_ORDERS_KILLS (per point, 50).
"""

from __future__ import annotations

import os
import signal
import statistics
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

N_LATENCY = 1_000
N_STORM = int(os.environ.get("BENCH_ORDERS_N", "10000"))
KILLS_PER_POINT = int(os.environ.get("BENCH_ORDERS_KILLS", "50"))
N_RECONCILE = int(os.environ.get("BENCH_ORDERS_RECONCILE_N", "10000"))
STAGES = os.environ.get("BENCH_ORDERS_STAGES", "latency,limit,market,crashes,reconciler").split(",")
POINTS = ("before_intent", "intent_committed", "before_send", "sent", "acknowledged", "fills")
CREATE = "POST /api/v3/order"


def _bench_database() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    url = url.replace("postgres://", "postgresql://", 1)
    suffix = "_".join(STAGES) if len(STAGES) == 1 else "orders"
    name = f"{conninfo_to_dict(url).get('dbname') or 'qt'}_bench_{suffix}"
    admin = make_conninfo(url, dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(str(name))))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(str(name))))
    return _url_with_name(url, name)


def _url_with_name(url: str, name: str) -> str:
    head, _, _ = url.rpartition("/")
    return f"{head}/{name}"


def _drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    name = conninfo_to_dict(url)["dbname"]
    admin = make_conninfo(url, dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(str(name)))
        )


def _percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100)
    return cuts[49] * 1e3, cuts[98] * 1e3


class Bench:
    """Django set up on the bench database, one user, markets of the fake."""

    def __init__(self) -> None:
        from django.conf import settings
        from django.contrib.auth import get_user_model

        from trading.tests.orders.fake_exchange_setup import fake_markets

        settings.ORDERS_NOT_FOUND_GRACE_SECONDS = 0
        settings.ORDERS_CLAIM_TIMEOUT_SECONDS = 0
        fake_markets()
        self.user = get_user_model().objects.create_user(
            username=f"bench-{uuid.uuid4().hex[:6]}", password=uuid.uuid4().hex
        )

    def account(self, fake: Any) -> Any:
        """A testnet exchange account whose adapter is ccxt against `fake`."""
        from accounts.services import exchange_accounts
        from accounts.tests.factories import FakeExchange as KeyProbe
        from accounts.tests.factories import exchange_account_make
        from trading.orders.venues import adapter_cache_clear
        from trading.tests.orders.fake_exchange_setup import adapter_create_for

        exchange_accounts.adapter_create = KeyProbe().create
        account = exchange_account_make(self.user, lambda kind: f"bench-{kind}-{uuid.uuid4().hex}")
        exchange_accounts.adapter_create = adapter_create_for(fake)
        adapter_cache_clear()
        return account

    def place(self, account: Any, *, type: str, price: Decimal | None) -> Any:
        from trading.orders.services import order_place

        return order_place(
            owner=self.user,
            exchange_account_id=account.pk,
            symbol="BTC/USDT",
            side="buy",
            type=type,
            amount=Decimal("0.001"),
            price=price,
            enqueue=False,
        ).order


def latency(bench: Bench) -> None:
    from markets.testing.fake_exchange import FakeExchange
    from trading.orders import services
    from trading.orders.services import order_submit
    from trading.tests.orders.fake_exchange_setup import adapter_create_for

    with FakeExchange(record_requests=False) as fake:
        client = adapter_create_for(fake)("binance", credentials=None).client
        client.apiKey, client.secret = "bench-key", "bench-secret"
        client.load_markets()
        account = bench.account(fake)
        order_submit(order_id=bench.place(account, type="limit", price=Decimal(20000)).pk)  # warm
        acked: list[float] = []
        services.checkpoint = lambda name: (
            acked.append(time.perf_counter()) if name == "acknowledged" else None
        )
        bare, to_ack, to_recorded = [], [], []
        # Alternating one bare order and one through the engine, so both meet the same load.
        for i in range(N_LATENCY):
            start = time.perf_counter()
            client.create_order(
                "BTC/USDT", "limit", "buy", 0.001, 20000, {"newClientOrderId": f"b-{i}"}
            )
            bare.append(time.perf_counter() - start)
            order = bench.place(account, type="limit", price=Decimal(20000))
            start = time.perf_counter()
            order_submit(order_id=order.pk)
            to_recorded.append(time.perf_counter() - start)
            to_ack.append(acked[-1] - start)
        services.checkpoint = services._no_checkpoint
    b50, b99 = _percentiles(bare)
    a50, a99 = _percentiles(to_ack)
    r50, r99 = _percentiles(to_recorded)
    print(
        f"bare ccxt create_order x{N_LATENCY}          : p50 {b50:6.2f} ms, "
        f"p99 {b99:6.2f} ms (reference)"
    )
    print(
        f"intent commit -> exchange ack x{N_LATENCY}    : p50 {a50:6.2f} ms, p99 {a99:6.2f} ms  "
        f"p99 {a99 / b99:.2f}x bare (target <= 2x) {'OK' if a99 <= 2 * b99 else 'ABOVE TARGET'}"
    )
    print(
        f"intent commit -> ack recorded x{N_LATENCY}    : p50 {r50:6.2f} ms, p99 {r99:6.2f} ms  "
        f"p99 {r99 / b99:.2f}x bare (claim, send, state, event, audit and stream included)"
    )


def storm(bench: Bench, *, type: str) -> None:
    from markets.testing.fake_exchange import FakeExchange, FaultRates
    from trading.models import Order
    from trading.orders.reconcile import orders_reconcile
    from trading.orders.services import order_submit

    with FakeExchange(seed=12, record_requests=False) as fake:
        account = bench.account(fake)
        price = None if type == "market" else Decimal(20000)
        orders = [bench.place(account, type=type, price=price) for _ in range(N_STORM)]
        fake.set_fault_rates(
            CREATE, FaultRates(drop_after=0.20, error_after=0.05, error_before=0.05)
        )
        start = time.perf_counter()
        for order in orders:
            order_submit(order_id=order.pk)
        submitted = time.perf_counter() - start
        rows = Order.objects.filter(exchange_account_id=account.pk)
        unknown = rows.filter(status="unknown").count()
        cycles = 0
        passes = []
        start = time.perf_counter()
        while rows.filter(status__in=["new", "submitting", "unknown"]).exists() and cycles < 10:
            cycles += 1
            report = orders_reconcile(exchange_account_id=account.pk)
            passes.append(f"{report.resolved} found, {report.resent} resent")
        reconciling = time.perf_counter() - start
        counts = fake.ledger.client_id_counts()
        duplicates = sum(1 for c in counts.values() if c > 1)
        lost = sum(1 for o in orders if counts.get(o.client_order_id or "", 0) == 0)
        left = rows.filter(status__in=["new", "submitting", "unknown"]).count()
    ok = duplicates == 0 and lost == 0 and left == 0 and cycles <= 3
    print(
        f"storm {type:6} x{N_STORM}: {unknown} UNKNOWN after sending ({submitted:.0f} s); "
        f"reconciled in {cycles} passes (reference <= 3; {'; '.join(passes)}; "
        f"{reconciling:.0f} s); ledger {len(counts)} orders, "
        f"{duplicates} duplicates, {lost} lost, {left} left unresolved (reference 0, 0, 0) "
        f"{'OK' if ok else 'FAILED'}"
    )


def _forked_worker(bench: Bench, account_id: int, point: str, fake_url: str) -> int:
    """Fork a worker process that places and submits one order and dies at `point`."""
    from django.conf import settings
    from django.db import connections

    connections.close_all()  # the child opens its own; never share a socket across a fork
    pid = os.fork()
    if pid == 0:  # the worker
        try:
            from markets.core.ccxt_adapter import CcxtAdapter
            from trading.orders import services

            settings.STREAM_VIA_OUTBOX = True  # no channel-layer client across the fork
            if point == "sent":
                send = CcxtAdapter.create_order

                def create_then_die(self: CcxtAdapter, request: Any) -> Any:
                    send(self, request)
                    os.kill(os.getpid(), signal.SIGKILL)

                CcxtAdapter.create_order = create_then_die  # type: ignore[method-assign,assignment]
            else:

                def checkpoint(name: str) -> None:
                    if name == point:
                        os.kill(os.getpid(), signal.SIGKILL)

                services.checkpoint = checkpoint
            from trading.orders.venues import adapter_cache_clear

            adapter_cache_clear()
            order = services.order_place(
                owner=bench.user,
                exchange_account_id=account_id,
                symbol="BTC/USDT",
                side="buy",
                type="market",
                amount=Decimal("0.001"),
                enqueue=False,
            ).order
            services.order_submit(order_id=order.pk)
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    return status


def crashes(bench: Bench) -> None:
    from markets.core.orders import is_own_client_order_id
    from markets.testing.fake_exchange import FakeExchange
    from trading.models import Order
    from trading.orders.reconcile import orders_reconcile

    with FakeExchange(seed=3, record_requests=False) as fake:
        account = bench.account(fake)
        killed = 0
        start = time.perf_counter()
        for point in POINTS:
            for _ in range(KILLS_PER_POINT):
                status = _forked_worker(bench, account.pk, point, fake.url)
                killed += os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        rows = Order.objects.filter(exchange_account_id=account.pk)
        in_flight = rows.filter(status__in=["new", "submitting", "unknown"]).count()
        orders_reconcile(exchange_account_id=account.pk)
        seconds = time.perf_counter() - start
        counts = fake.ledger.client_id_counts()
        local = set(rows.values_list("client_order_id", flat=True))
        duplicates = sum(1 for c in counts.values() if c > 1)
        missing = sum(1 for cid in counts if is_own_client_order_id(cid) and cid not in local)
        left = rows.filter(status__in=["new", "submitting", "unknown"]).count()
        intents = rows.count()
    runs = len(POINTS) * KILLS_PER_POINT
    ok = killed == runs and duplicates == 0 and missing == 0 and left == 0
    print(
        f"crashes: {killed}/{runs} workers SIGKILLed ({KILLS_PER_POINT} at each of "
        f"{', '.join(POINTS)}; {seconds:.0f} s); {in_flight} orders in flight, {intents} "
        f"intents, ledger {len(counts)} orders; after one pass: {duplicates} duplicates, "
        f"{missing} missing locally, {left} unresolved (reference 0, 0, 0) "
        f"{'OK' if ok else 'FAILED'}"
    )


def reconciler_throughput(bench: Bench) -> None:
    from django.db.models import Count
    from django.utils import timezone

    from markets.selectors import market_get
    from markets.testing.fake_exchange import FakeExchange
    from trading.models import Fill, Order
    from trading.orders.reconcile import orders_reconcile
    from trading.tests.orders.fake_exchange_setup import adapter_create_for

    with FakeExchange(record_requests=False) as fake:
        account = bench.account(fake)
        market = market_get(exchange="binance", symbol="BTC/USDT")
        client = adapter_create_for(fake)("binance", credentials=None).client
        client.apiKey, client.secret = "bench-key", "bench-secret"
        now = timezone.now()
        base = Order.objects.order_by("-id").values_list("id", flat=True).first() or 0
        # Half resting limit orders, half market orders that filled at once (their fills must
        # be recorded too); every one UNKNOWN locally.
        rows = [
            Order(
                owner=bench.user,
                exchange_account=account,
                market=market,
                client_order_id=f"qt-bench-{base}-{i}",
                side="buy",
                type="limit" if i % 2 == 0 else "market",
                amount=Decimal("0.001"),
                price=Decimal(20000) if i % 2 == 0 else None,
                status="unknown",
                submit_attempts=1,
                submitted_at=now,
                created_at=now,
                updated_at=now,
            )
            for i in range(N_RECONCILE)
        ]
        Order.objects.bulk_create(rows, batch_size=2000)
        for row in rows:
            params = {"newClientOrderId": row.client_order_id}
            if row.type == "limit":
                client.create_order("BTC/USDT", "limit", "buy", 0.001, 20000, params)
            else:
                client.create_order("BTC/USDT", "market", "buy", 0.001, None, params)
        start = time.perf_counter()
        report = orders_reconcile(exchange_account_id=account.pk)
        seconds = time.perf_counter() - start
        mine = Order.objects.filter(exchange_account=account)
        left = mine.filter(status="unknown").count()
        states = dict(mine.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
        fills = Fill.objects.filter(order__exchange_account=account).count()
        ledger_fills = len(fake.ledger.fills())
    ok = left == 0 and fills == ledger_fills and report.resolved == N_RECONCILE
    print(
        f"reconciler: {report.resolved:,} of {N_RECONCILE:,} UNKNOWN orders resolved in one "
        f"pass, {seconds:.1f} s = {report.resolved / seconds:,.0f} orders/s (states {states}, "
        f"{fills} of {ledger_fills} ledger fills recorded, {left} left UNKNOWN; fake with 0 "
        f"latency) {'OK' if ok else 'FAILED'}"
    )


def main() -> int:
    url = _bench_database()
    if url is None:
        print("bench_orders: skipped, DATABASE_URL must point at PostgreSQL")
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
        bench = Bench()
        print(f"bench_orders on {url.rpartition('/')[2]}")
        stages = {
            "latency": lambda: latency(bench),
            "limit": lambda: storm(bench, type="limit"),
            "market": lambda: storm(bench, type="market"),
            "crashes": lambda: crashes(bench),
            "reconciler": lambda: reconciler_throughput(bench),
        }
        for stage in STAGES:
            stages[stage]()
            sys.stdout.flush()
    finally:
        connections.close_all()
        _drop_database(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
