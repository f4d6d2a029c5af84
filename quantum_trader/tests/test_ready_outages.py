"""`/api/ready/` against real outages, on throwaway services started for this test only.

A PostgreSQL cluster (initdb in a temporary folder), one Redis for cache and channels and
another as the Celery broker, each on a free port, and daphne serving the app. Each service is
really stopped, the readiness answer must turn 503 naming it, and after a restart return to
200. The shared PostgreSQL and Redis of the machine are never touched.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
REDIS_SERVER = shutil.which("redis-server")

pytestmark = pytest.mark.skipif(
    not PG_BIN or REDIS_SERVER is None,
    reason="needs PostgreSQL server binaries (/usr/lib/postgresql/*/bin) and redis-server",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on {port}")


def as_postgres(args: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the postgres user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


class Postgres:
    def __init__(self, folder: Path) -> None:
        self.bin = Path(PG_BIN[-1])
        self.data = folder / "pgdata"
        self.port = free_port()
        folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres")
        subprocess.run(  # noqa: S603 - PostgreSQL's own tool, fixed arguments
            as_postgres([str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
                         "--auth=trust", "--no-sync", "-E", "UTF8"]),
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        self.log = folder / "pg.log"

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data} -c fsync=off"
        subprocess.run(  # noqa: S603 - PostgreSQL's own tool, fixed arguments
            as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
                         "-o", options, "-w", "start"]),
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip

    def stop(self) -> None:
        subprocess.run(  # noqa: S603 - PostgreSQL's own tool, fixed arguments
            as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w",
                         "stop"]),
            check=False, capture_output=True, timeout=60,
        )  # fmt: skip


class Redis:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        # Append-only file: what was written (the worker heartbeat) survives a restart.
        self.process = subprocess.Popen(  # noqa: S603 - redis-server, fixed arguments
            [str(REDIS_SERVER), "--port", str(self.port), "--bind", "127.0.0.1",
             "--dir", str(self.folder), "--appendonly", "yes", "--appendfsync", "always",
             "--save", ""],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_port(self.port)

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)
            self.process = None


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[dict[str, object]]:
    # Not under pytest's folder: the postgres user cannot enter root's private temp tree.
    pg_folder = Path(tempfile.mkdtemp(prefix="qt-ready-pg-"))
    pg = Postgres(pg_folder)
    cache, broker = Redis(tmp_path / "redis"), Redis(tmp_path / "broker")
    web: subprocess.Popen[bytes] | None = None
    try:
        pg.start()
        cache.start()
        broker.start()
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{pg.port}/postgres",
            "REDIS_URL": f"redis://127.0.0.1:{cache.port}/0",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{broker.port}/0",
            "QT_ENV_FILE": "",
            "QT_VAR_DIR": str(tmp_path / "var"),
            "DEBUG": "true",
            "DATABASE_CONN_MAX_AGE": "0",
            "WORKER_HEARTBEAT_MAX_AGE": "3600",
            "BEAT_MAX_AGE": "3600",
        }
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run(  # noqa: S603 - this project's manage.py
            [*manage, "migrate", "--noinput"], env=env, cwd=ROOT, check=True,
            capture_output=True, timeout=300,
        )  # fmt: skip
        # What a worker and beat leave behind: a heartbeat in Redis, a periodic task's run.
        prime = (
            "from django.utils import timezone\n"
            "from django_celery_beat.models import IntervalSchedule, PeriodicTask\n"
            "from quantum_trader.celery import heartbeat_task\n"
            "heartbeat_task()\n"
            "every, _ = IntervalSchedule.objects.get_or_create(every=15, period='seconds')\n"
            "PeriodicTask.objects.create(name='hb', task='quantum_trader.heartbeat',"
            " interval=every, last_run_at=timezone.now())\n"
        )
        subprocess.run(  # noqa: S603 - this project's manage.py
            [*manage, "shell", "-c", prime], env=env, cwd=ROOT, check=True,
            capture_output=True, timeout=120,
        )  # fmt: skip
        port = free_port()
        daphne = Path(sys.executable).parent / "daphne"
        web = subprocess.Popen(  # noqa: S603 - daphne from this virtualenv
            [str(daphne), "-b", "127.0.0.1", "-p", str(port), "quantum_trader.asgi:application"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_port(port, timeout=60)
        yield {
            "url": f"http://127.0.0.1:{port}/api/ready/",
            "pg": pg,
            "cache": cache,
            "broker": broker,
            "env": env,
            "manage": manage,
        }
    finally:
        if web is not None:
            web.terminate()
            web.wait(timeout=30)
        cache.stop()
        broker.stop()
        pg.stop()
        shutil.rmtree(pg_folder, ignore_errors=True)


def ready(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def failing(body: dict) -> set[str]:
    return {name for name, check in body["checks"].items() if not check["ok"]}


def test_ready_turns_503_for_each_stopped_service_and_back_to_200(stack):
    url = str(stack["url"])
    status, body = ready(url)
    assert (status, failing(body)) == (200, set()), body

    # Redis (cache and channels) stopped: Redis fails, and so does the heartbeat kept in it.
    stack["cache"].stop()
    status, body = ready(url)
    assert status == 503
    assert failing(body) == {"redis", "worker"}
    assert "redis" in body["message"]
    stack["cache"].start()
    status, body = ready(url)
    assert (status, failing(body)) == (200, set()), body

    # The broker stopped: only the broker fails.
    stack["broker"].stop()
    status, body = ready(url)
    assert (status, failing(body)) == (503, {"broker"}), body
    assert body["message"] == "Not ready: broker."
    stack["broker"].start()
    status, body = ready(url)
    assert (status, failing(body)) == (200, set()), body

    # PostgreSQL stopped: the database fails, and with it the checks that read it.
    stack["pg"].stop()
    status, body = ready(url)
    assert status == 503
    assert {"database", "beat", "outbox"} <= failing(body)
    assert "redis" not in failing(body)
    assert "database" in body["message"]
    stack["pg"].start()
    status, body = ready(url)
    assert (status, failing(body)) == (200, set()), body

    # A migration this code has and the database lacks: not ready, naming it.
    subprocess.run(  # noqa: S603 - this project's manage.py
        [*stack["manage"], "migrate", "markets", "0003", "--noinput"], env=stack["env"],
        cwd=ROOT, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    status, body = ready(url)
    # The outbox's tables come with the markets migrations taken back: it fails with them.
    assert status == 503, body
    assert "database" in failing(body), body
    assert failing(body) <= {"database", "outbox"}, body
    assert "migrations not applied: markets.0004" in body["checks"]["database"]["detail"]
