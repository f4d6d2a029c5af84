"""A burst of notification events, each delivered to a signed webhook, on one worker.

Runs on PostgreSQL in a database of its own (`<DATABASE_URL's name>_bench_notify`, created,
migrated, dropped) and needs REDIS_URL (the Celery broker). BENCH_NOTIFY_USERS users
(1,000) each get one webhook channel pointing at a local receiver on 127.0.0.1 (its own
process, checking every signature); BENCH_NOTIFY_EVENTS events (10,000) make the burst.

Burst: the events are recorded at once (bulk, each with its pending delivery, queued a task
per batch of deliveries by `deliveries_enqueue`, as `notify` and the daily summary do) before
the one Celery worker (`-Q notify -P threads -c BENCH_NOTIFY_THREADS`, default 8) starts;
its rate is counted from its first delivery to its last, and the event-to-delivery times of
the burst include the wait for the worker to start. Live: BENCH_NOTIFY_LIVE_EVENTS (1,000)
more events go through `notify` itself, round-robin over the users, as fast as one process
makes them, while the worker delivers.

Measured: deliveries per second (from the worker's start on the burst, or the first live
event, to the last arrival) and the p50/p99 from an event's creation to its arrival at the
receiver; the rate `notify` records events at. Reference target: the burst of 10,000
delivered within 60 s (>= 167 deliveries/s) on one worker, every event exactly once, every
signature valid.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

N_USERS = int(os.environ.get("BENCH_NOTIFY_USERS", "1000"))
N_EVENTS = int(os.environ.get("BENCH_NOTIFY_EVENTS", "10000"))
THREADS = int(os.environ.get("BENCH_NOTIFY_THREADS", "8"))
LIVE_EVENTS = int(os.environ.get("BENCH_NOTIFY_LIVE_EVENTS", "1000"))
TARGET_SECONDS = 60.0
WAIT_SECONDS = 600.0


def _bench_database() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    url = url.replace("postgres://", "postgresql://", 1)
    name = f"{conninfo_to_dict(url).get('dbname') or 'qt'}_bench_notify"
    with psycopg.connect(make_conninfo(url, dbname="postgres"), autocommit=True) as conn:
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


def _receiver(port_out: Any, secrets: dict[str, str], done: Any, results: Any) -> None:
    """Run the webhook receiver: record (notification id, arrival, signature ok) per POST."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from accounts.core import notifications as rules

    arrivals: list[tuple[int, float, bool]] = []
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            at = time.time()
            stamp = self.headers.get(rules.TIMESTAMP_HEADER, "0")
            ok = rules.signature_valid(
                secrets.get(self.path, ""),
                int(stamp) if stamp.isdigit() else 0,
                body,
                self.headers.get(rules.SIGNATURE_HEADER, ""),
                now=at,
                tolerance=300,
            )
            with lock:
                arrivals.append((int(json.loads(body)["id"]), at, ok))
            self.send_response(204 if ok else 401)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port_out.put(server.server_address[1])
    done.wait()
    server.shutdown()
    with lock:
        results.put(list(arrivals))


def setup(base_url_of: Any) -> tuple[list[int], dict[str, str]]:
    from django.contrib.auth import get_user_model

    from accounts.notifications.services import channel_create

    started = time.perf_counter()
    User = get_user_model()
    User.objects.bulk_create(User(username=f"bench{u}") for u in range(N_USERS))
    users = list(User.objects.order_by("pk").values_list("pk", flat=True))
    secrets: dict[str, str] = {}
    owners = {user.pk: user for user in User.objects.all()}
    for user_id in users:
        path = f"/hook/{user_id}"
        _, secret = channel_create(
            owner=owners[user_id],
            kind="webhook",
            label="bench",
            events=["order.filled"],
            url=base_url_of(path),
            max_per_hour=10_000,
        )
        secrets[path] = secret
    print(
        f"  setup: {N_USERS} users with one encrypted webhook channel each in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return users, secrets


def _worker(env: dict[str, str], name: str) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "quantum_trader",
        "worker",
        "-Q",
        "notify",
        "-P",
        "threads",
        "-c",
        str(THREADS),
        "-l",
        "WARNING",
        "-n",
        name,
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    return subprocess.Popen(  # noqa: S603 - our own worker, fixed arguments
        command, cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL
    )


def _wait_delivered(timeout: float) -> None:
    from accounts.models import Delivery

    deadline = time.time() + timeout
    while time.time() < deadline:
        if not Delivery.objects.filter(status__in=("pending", "sending")).exists():
            return
        time.sleep(0.25)


def _report(
    name: str, arrivals: list[tuple[int, float, bool]], ids: set[int], started: float | None
) -> tuple[float, float, bool]:
    """Print one phase; `started` None measures from the phase's first arrival."""
    from accounts.models import Notification

    mine = [(pk, at, ok) for pk, at, ok in arrivals if pk in ids]
    created = {
        pk: at.timestamp()
        for pk, at in Notification.objects.filter(pk__in=ids).values_list("pk", "created_at")
    }
    latencies = [at - created[pk] for pk, at, _ in mine]
    unique = {pk for pk, _, _ in mine}
    bad = sum(1 for _, _, ok in mine if not ok)
    if not mine:
        print(f"  {name}: NO deliveries arrived")
        return 0.0, float("inf"), False
    first = min(at for _, at, _ in mine) if started is None else started
    span = max(at for _, at, _ in mine) - first
    rate = len(unique) / span
    exact = len(unique) == len(ids) and len(mine) == len(ids) and bad == 0
    p99 = _percentile(latencies, 0.99)
    print(
        f"  {name}: {len(unique)} of {len(ids)} events delivered ({len(mine)} POSTs, {bad} bad "
        f"signatures) in {span:.2f} s = {rate:.0f} deliveries/s; event to delivery p50 "
        f"{statistics_median(latencies):.2f} s, p99 {p99:.2f} s, max {max(latencies):.2f} s"
    )
    return rate, p99, exact


def _burst(users: list[int], count: int) -> set[int]:
    """Record `count` events at once (bulk), each with its pending delivery, and queue them."""
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Delivery, Notification, NotificationChannel
    from accounts.notifications.services import deliveries_enqueue

    channels = dict(NotificationChannel.objects.values_list("owner_id", "pk"))
    now = timezone.now()
    with transaction.atomic():
        notifications = Notification.objects.bulk_create(
            Notification(
                user_id=users[i % len(users)],
                kind="order.filled",
                title=f"Order {i} filled",
                body="sell 0.1 BTC/USDT at 64000",
                data={"order_id": i},
                created_at=now,
            )
            for i in range(count)
        )
        deliveries = Delivery.objects.bulk_create(
            Delivery(notification=n, channel_id=channels[n.user_id], kind=n.kind, created_at=now)
            for n in notifications
        )
    deliveries_enqueue([delivery.pk for delivery in deliveries])
    return {n.pk for n in notifications}


def main() -> int:
    if not os.environ.get("REDIS_URL"):
        print("bench_notify: skipped, REDIS_URL must point at Redis (the Celery broker)")
        return 0
    url = _bench_database()
    if url is None:
        print("bench_notify: skipped, DATABASE_URL must point at PostgreSQL")
        return 0
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quantum_trader.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["NOTIFY_ALLOW_PRIVATE_TARGETS"] = "true"
    import django

    django.setup()
    import logging
    import socket

    import structlog
    from django.core.management import call_command
    from django.db import connections

    from accounts.models import Delivery
    from accounts.services import notify
    from quantum_trader.celery import app

    logging.disable(logging.INFO)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    context = multiprocessing.get_context("fork")
    port_queue, results = context.Queue(), context.Queue()
    done = context.Event()
    worker: subprocess.Popen[bytes] | None = None
    receiver = None
    name = f"bench-notify-{os.getpid()}@{socket.gethostname()}"
    try:
        call_command("migrate", verbosity=0)
        app.control.purge()
        print(
            f"bench_notify on {url.rpartition('/')[2]}: a burst of {N_EVENTS} events for "
            f"{N_USERS} users, one webhook each; one worker with {THREADS} threads",
            flush=True,
        )
        manager = context.Manager()
        secrets_shared: Any = manager.dict()
        receiver = context.Process(
            target=_receiver, args=(port_queue, secrets_shared, done, results), daemon=True
        )
        receiver.start()
        port = port_queue.get(timeout=30)
        users, secrets = setup(lambda path: f"http://127.0.0.1:{port}{path}")
        secrets_shared.update(secrets)
        connections.close_all()
        # 1. The burst: every event recorded and queued at once, then one worker starts on it.
        queue_started = time.time()
        burst_ids = _burst(users, N_EVENTS)
        print(
            f"  burst: {N_EVENTS} events and deliveries recorded and queued in "
            f"{time.time() - queue_started:.1f} s; starting the worker",
            flush=True,
        )
        worker = _worker({**os.environ, "DATABASE_URL": url}, name)
        _wait_delivered(WAIT_SECONDS)

        # 2. Live: events through `notify` as fast as one process makes them, delivered meanwhile.
        live_started = time.time()
        before = set(Delivery.objects.values_list("notification_id", flat=True))
        for i in range(LIVE_EVENTS):
            notify(
                user_id=users[i % len(users)],
                kind="order.filled",
                title=f"Order {i} filled",
                body="buy 0.1 BTC/USDT at 64000",
                data={"order_id": i},
            )
        produced = time.time() - live_started
        _wait_delivered(WAIT_SECONDS)
        live_ids = set(Delivery.objects.values_list("notification_id", flat=True)) - before
        done.set()
        arrivals: list[tuple[int, float, bool]] = results.get(timeout=60)

        rate, p99, exact = _report("burst", arrivals, burst_ids, None)
        met = exact and N_EVENTS / rate <= TARGET_SECONDS if rate else False
        print(
            f"  burst target: {N_EVENTS} delivered within {TARGET_SECONDS:.0f} s "
            f"(>= {N_EVENTS / TARGET_SECONDS:.0f} deliveries/s), each once, every signature "
            f"valid: {'met' if met else 'NOT met'} ({rate:.0f}/s, p99 {p99:.2f} s)"
        )
        print(
            f"  live: {LIVE_EVENTS} events through notify() in {produced:.2f} s "
            f"({LIVE_EVENTS / produced:.0f} events/s from one process)"
        )
        _report("live", arrivals, live_ids, live_started)
        statuses = dict(
            Delivery.objects.values_list("status").annotate(n=django.db.models.Count("id"))
        )
        print(f"  delivery log: {statuses}")
    finally:
        done.set()
        if worker is not None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
        if receiver is not None:
            receiver.join(timeout=10)
        connections.close_all()
        _drop_database(url)
    return 0


def statistics_median(samples: list[float]) -> float:
    import statistics

    return statistics.median(samples)


if __name__ == "__main__":
    sys.exit(main())
