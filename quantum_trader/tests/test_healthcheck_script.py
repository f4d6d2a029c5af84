"""`bin/healthcheck`, the containers' health checks (Docker, compose, Kubernetes probes)."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

SCRIPT = Path(__file__).resolve().parents[2] / "bin" / "healthcheck"


def load_script():
    loader = importlib.machinery.SourceFileLoader("healthcheck_script", str(SCRIPT))
    spec = importlib.util.spec_from_loader("healthcheck_script", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


@pytest.fixture
def server() -> Iterator[dict]:
    reply = {"status": 200, "body": b'{"status": "ok"}'}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(reply["status"])
            self.end_headers()
            self.wfile.write(reply["body"])

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    reply["url"] = f"http://127.0.0.1:{httpd.server_address[1]}/api/health/"
    yield reply
    httpd.shutdown()
    httpd.server_close()


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - the project's own script
        [sys.executable, str(SCRIPT), *args],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_http_alive_on_200_and_on_the_degraded_503(server):
    assert run("http", server["url"]).returncode == 0
    server["status"], server["body"] = 503, b'{"status": "degraded"}'
    result = run("http", server["url"])
    assert result.returncode == 0
    assert "server answers" in result.stdout


def test_http_unhealthy_on_500_garbage_or_nothing(server):
    server["status"], server["body"] = 500, b"<html>oops</html>"
    assert run("http", server["url"]).returncode == 1
    server["status"], server["body"] = 200, b"not json"
    assert run("http", server["url"]).returncode == 1
    assert run("http", "http://127.0.0.1:9/api/health/").returncode == 1


def test_unknown_check_prints_usage():
    result = run("nonsense")
    assert result.returncode == 2
    assert "bin/healthcheck beat" in result.stdout


@pytest.mark.django_db
def test_beat_healthy_only_after_a_recent_periodic_run(capsys):
    script = load_script()
    assert script.main(["beat"]) == 1
    assert "no periodic task has run yet" in capsys.readouterr().out
    every, _ = IntervalSchedule.objects.get_or_create(every=15, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(
        name="hb", task="quantum_trader.heartbeat", interval=every, last_run_at=timezone.now()
    )
    assert script.main(["beat"]) == 0


def test_worker_healthy_while_it_answers_pings(tmp_path):
    """A real worker on the embedded file broker answers; another name does not."""
    import os
    import time

    root = SCRIPT.parents[1]
    env = {**os.environ, "QT_VAR_DIR": str(tmp_path), "QT_ENV_FILE": "", "DEBUG": "true"}
    for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"):
        env.pop(name, None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=root, env=env, check=True, timeout=300
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "quantum_trader", "worker", "-Q", "default",
         "--pool", "solo", "-n", "hc@testhost", "-l", "WARNING"],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip

    def check(name: str) -> int:
        return subprocess.run(  # noqa: S603 - the project's own script
            [sys.executable, str(SCRIPT), "worker", name],
            cwd=root, env=env, capture_output=True, timeout=60, check=False,
        ).returncode  # fmt: skip

    try:
        deadline = time.monotonic() + 90
        while check("hc@testhost") != 0:
            assert time.monotonic() < deadline, "the worker never answered"
            assert worker.poll() is None, "the worker exited"
        assert check("nobody@testhost") == 1
    finally:
        worker.terminate()
        worker.wait(timeout=60)
