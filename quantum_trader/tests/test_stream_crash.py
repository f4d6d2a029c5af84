"""The outbox survives a dispatcher killed at random and a Redis restart, end to end.

Real processes: `manage.py stream_dispatch` (SIGKILLed and restarted at random points) and a
throwaway `redis-server` on its own port (the shared one is never touched). Events are produced
in transactions by this process while a websocket client (the real consumer, through
Channels' communicator) is subscribed; the client reconnects with its last sequences whenever
its connection fails, as the dashboard does.

Size: STREAM_CRASH_EVENTS (500) events and STREAM_CRASH_KILLS (10) kills here;
`bench/bench_stream.py` runs it with 5,000 and 50.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connection, transaction

from accounts.services import token_issue
from markets.stream import publish
from quantum_trader.settings import redis_channel_layer

ROOT = Path(__file__).resolve().parents[2]
EVENTS = int(os.environ.get("STREAM_CRASH_EVENTS", "500"))
KILLS = int(os.environ.get("STREAM_CRASH_KILLS", "10"))
TOPICS = [f"asset.CRASH{i}" for i in range(5)]
ORIGIN = (b"origin", b"http://127.0.0.1:8000")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
    pytest.mark.timeout(900),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Redis:
    """A throwaway redis-server on its own port, without persistence."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.dir = tempfile.mkdtemp(prefix="qt-redis-")
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(  # noqa: S603 (a fixed command line)
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.dir,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with suppress(OSError), socket.create_connection(("127.0.0.1", self.port), 0.2):
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None

    def close(self) -> None:
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


class Dispatcher:
    """`manage.py stream_dispatch` against the test database and the throwaway Redis."""

    def __init__(self, redis_url: str) -> None:
        db = connection.settings_dict
        self.env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "REDIS_URL": redis_url,
            "QT_ENV_FILE": "",
            "LOG_JSON": "true",
        }
        self.proc: subprocess.Popen[bytes] | None = None
        self.started = 0

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "manage.py", "stream_dispatch", "--interval-ms", "20"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.started += 1

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
            self.proc = None

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
            self.proc = None


def _produce(total: int, seed: int, pace: float) -> dict[str, int]:
    """Commit `total` events over TOPICS in transactions of 1-5 events; counts per topic."""
    rng = random.Random(seed)
    counts = dict.fromkeys(TOPICS, 0)
    made = 0
    try:
        while made < total:
            with transaction.atomic():
                for _ in range(min(total - made, rng.randint(1, 5))):
                    topic = rng.choice(TOPICS)
                    counts[topic] += 1
                    publish(group=topic, type="news", id=counts[topic], data={"n": counts[topic]})
                    made += 1
            time.sleep(rng.uniform(0, pace))
    finally:
        connection.close()
    return counts


class Client:
    """A websocket client that keeps the last sequence per topic and resumes from it."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self.last: dict[str, int] = {}
        self.received: dict[str, list[int]] = {t: [] for t in TOPICS}
        self.duplicates = 0
        self.reconnects = 0
        self.resyncs = 0
        self.failures: list[str] = []

    async def connect(self) -> WebsocketCommunicator:
        from quantum_trader.asgi import application

        key = await database_sync_to_async(token_issue)(user=self.user)
        ws = WebsocketCommunicator(
            application,
            "/ws/stream/",
            headers=[ORIGIN, (b"authorization", f"Token {key}".encode())],
        )
        connected, _ = await ws.connect(timeout=10)
        assert connected
        assert (await ws.receive_json_from(timeout=10))["type"] == "hello"
        for topic in TOPICS:
            frame: dict[str, Any] = {"action": "subscribe", "topic": topic}
            if topic in self.last:
                frame["after"] = self.last[topic]
            await ws.send_json_to(frame)
        return ws

    def take(self, message: dict[str, Any]) -> None:
        if message["type"] == "resync":
            self.resyncs += 1
        if message["type"] == "subscribed" and isinstance(message["data"].get("seq"), int):
            # Where the topic starts for this client, as the dashboard keeps it: a reconnect
            # resumes from here even before the first event of the topic arrived.
            self.last.setdefault(message["data"]["topic"], message["data"]["seq"])
            return
        if message["type"] != "news":
            return
        topic, seq = message["topic"], message["seq"]
        if seq <= self.last.get(topic, 0):
            self.duplicates += 1
            return
        self.last[topic] = seq
        self.received[topic].append(seq)

    async def connect_retrying(self, deadline: float) -> WebsocketCommunicator:
        while True:
            try:
                return await self.connect()
            except Exception as e:  # e.g. Redis still starting: back off and try again
                self.failures.append(repr(e))

                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.5)

    async def _reconnect_after(self, ws: WebsocketCommunicator) -> None:
        with suppress(BaseException):
            await ws.disconnect()
        self.reconnects += 1
        await asyncio.sleep(0.3)

    def complete(self, expected: dict[str, int] | None) -> bool:
        return expected is not None and all(self.last.get(t, 0) >= n for t, n in expected.items())

    async def run(self, expected: list[dict[str, int]], deadline: float) -> None:
        ws = await self.connect()
        while time.monotonic() < deadline:
            if self.complete(expected[0] if expected else None):
                break
            try:
                # Not receive_json_from: its timeout cancels the application.
                output = await asyncio.wait_for(ws.output_queue.get(), timeout=1)
                if output["type"] != "websocket.send":
                    raise ConnectionError(f"closed: {output}")
                self.take(json.loads(output["text"]))
            except TimeoutError:
                if not ws.future.done():
                    continue
                self.failures.append(repr(ws.future.exception()))
                await self._reconnect_after(ws)
                ws = await self.connect_retrying(deadline)
            except ConnectionError as e:  # the consumer closed: reconnect and resume
                self.failures.append(str(e))
                await self._reconnect_after(ws)
                ws = await self.connect_retrying(deadline)
        with suppress(BaseException):
            await ws.disconnect()


@pytest.fixture
def redis_server(settings):
    server = Redis()
    server.start()
    settings.CHANNEL_LAYERS = {"default": redis_channel_layer(server.url)}
    settings.STREAM_HEARTBEAT_SECONDS = 1
    yield server
    server.close()


def _check(client: Client, counts: dict[str, int]) -> None:
    for topic in TOPICS:
        assert client.received[topic] == list(range(1, counts[topic] + 1)), topic


async def _run(alice, redis_server, *, total: int, kills: int, redis_restart: bool) -> Client:
    if connection.vendor != "postgresql":
        pytest.skip("the dispatcher process needs the PostgreSQL test database")
    dispatcher = Dispatcher(redis_server.url)
    dispatcher.start()
    client = Client(alice)
    expected: list[dict[str, int]] = []
    deadline = time.monotonic() + float(os.environ.get("STREAM_CRASH_DEADLINE", "240"))
    consumer = asyncio.create_task(client.run(expected, deadline))
    await asyncio.sleep(1)
    loop = asyncio.get_running_loop()
    producer = loop.run_in_executor(None, _produce, total, 7, 0.02)
    rng = random.Random(11)
    try:
        for k in range(kills):
            await asyncio.sleep(rng.uniform(0.05, 0.6))
            dispatcher.kill()  # SIGKILL, wherever it is: mid-round, mid-send, idle
            if redis_restart and k == kills // 2:
                redis_server.kill()
                await asyncio.sleep(0.5)
                redis_server.start()
            dispatcher.start()
        expected.append(await producer)
        await asyncio.wait_for(consumer, timeout=max(1.0, deadline - time.monotonic() + 5))
    finally:
        dispatcher.stop()
        if not producer.done():
            await producer
    assert client.complete(expected[0]), (
        f"missing events: last {client.last} of {expected[0]}; failures {client.failures[-5:]}"
    )
    _check(client, expected[0])
    assert sum(expected[0].values()) == total
    assert dispatcher.started == kills + 1
    return client


async def test_every_event_arrives_in_order_while_the_dispatcher_is_killed(alice, redis_server):
    client = await _run(alice, redis_server, total=EVENTS, kills=KILLS, redis_restart=False)
    print(
        f"\n{EVENTS} events, {KILLS} SIGKILLs: all delivered in order; "
        f"client duplicates {client.duplicates}, reconnects {client.reconnects} "
        f"({sorted(set(client.failures))})"
    )


async def test_a_redis_restart_loses_nothing_that_committed(alice, redis_server):
    client = await _run(alice, redis_server, total=EVENTS // 2, kills=2, redis_restart=True)
    print(
        f"\nRedis restarted mid-run: all {EVENTS // 2} events delivered in order; "
        f"reconnects {client.reconnects}, resyncs {client.resyncs}"
    )
    assert client.resyncs == 0
    # The connection itself survived the restart: it rejoined its groups and filled the gap.
    assert client.reconnects == 0, client.failures
