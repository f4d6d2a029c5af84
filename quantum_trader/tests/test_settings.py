"""Bad configuration stops startup with one line naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _start(**overrides: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    for name in ("SECRET_KEY", "QT_ENCRYPTION_KEYS", "DATABASE_URL", "REDIS_URL", "DEBUG"):
        env.pop(name, None)
    env.update(overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


GOOD_KEYS = "k1:" + "A" * 43


@pytest.mark.parametrize(
    ("overrides", "variable"),
    [
        ({"DEBUG": "false", "QT_ENCRYPTION_KEYS": GOOD_KEYS}, "SECRET_KEY"),
        ({"DEBUG": "false", "SECRET_KEY": "x" * 50}, "QT_ENCRYPTION_KEYS"),
        ({"DEBUG": "true", "DATABASE_URL": "nonsense"}, "DATABASE_URL"),
        ({"DEBUG": "true", "DATABASE_URL": "postgres://u:p@host:notaport/db"}, "DATABASE_URL"),
        ({"DEBUG": "true", "QT_ENCRYPTION_KEYS": "k1:short"}, "QT_ENCRYPTION_KEYS"),
        ({"DEBUG": "true", "QT_ENCRYPTION_KEYS": "no-colon"}, "QT_ENCRYPTION_KEYS"),
        ({"DEBUG": "true", "REDIS_URL": "http://localhost"}, "REDIS_URL"),
        ({"DEBUG": "maybe"}, "DEBUG"),
    ],
)
def test_bad_configuration_stops_with_one_clear_line(overrides, variable):
    result = _start(**overrides)

    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"configuration error: {variable}:")
    assert "Traceback" not in result.stderr


def test_secret_file_variable_is_read(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s" * 50 + "\n")

    result = _start(
        DEBUG="false",
        SECRET_KEY_FILE=str(secret),
        QT_ENCRYPTION_KEYS=GOOD_KEYS,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )

    assert result.returncode == 0, result.stderr


def test_production_settings_pass_deploy_check(tmp_path):
    env = {
        "DEBUG": "false",
        "SECRET_KEY": "k" * 30 + "Q9!z" * 10,
        "QT_ENCRYPTION_KEYS": GOOD_KEYS,
        "ALLOWED_HOSTS": "trader.example.com",
        "CSRF_TRUSTED_ORIGINS": "https://trader.example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("SECURE_", "SECRET_", "QT_", "DATABASE_", "DJANGO_"))
            },
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
