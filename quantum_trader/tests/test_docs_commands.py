"""Every command in README.md and docs/development.md is run somewhere, or says why not.

Commands are the lines of ```bash blocks and the inline code that starts like a command
(`make ...`, `python manage.py ...`, `bin/...`, ...). Each one's key must be in WHERE: either
the file that runs it and the text in that file that does (checked here), or the reason it
is not run. A new command in the docs without an entry fails this test.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ("README.md", "docs/development.md")
COMMAND = re.compile(
    r"^((\w+=\S* )*(make |(\.venv/bin/)?python3?(\.11)? |bin/\w|docker compose |kubectl |npm |"
    r"\(?cd frontend|curl |\.venv/bin/|export ))"
)

Run = tuple[str, str]  # (file that runs it, text in that file that does)
WHERE: dict[str, Run | str] = {
    "make run": ("bin/e2e", "bin/run-embedded"),  # make run = venv + frontend + bin/run-embedded
    "make test": (".ci/run", "make test"),
    "make lint": ("Makefile", "test: lint typecheck check-ops pytest test-frontend e2e"),
    "make typecheck": ("Makefile", "test: lint typecheck"),
    "make check-ops": ("Makefile", "test: lint typecheck check-ops"),
    "make e2e": ("Makefile", "pytest test-frontend e2e"),
    "make frontend": ("Makefile", "e2e: venv frontend"),
    "make venv-dev": ("Makefile", "lint: venv-dev"),
    "make bench": "benchmarks take minutes at full size; run by hand, not in CI",
    "bin/e2e": ("Makefile", "\tbin/e2e"),
    "bin/run-embedded": ("bin/e2e", "bin/run-embedded >"),
    "venv": ("Makefile", "-m venv $(VENV)"),
    "pip install": ("Makefile", "pip install --quiet -r requirements/base.txt"),
    "npm ci": ("Makefile", "$(NPM) ci --no-audit"),
    "npm run build": ("Makefile", "$(NPM) run build"),
    "export": "sets variables for the commands after it; runs nothing",
    "pytest": ("Makefile", "$(PY) -m pytest"),
    "pre-commit install": "installs a git hook in a developer's clone; make lint runs its tools",
    "docker compose": "no Docker on the CI machines; bin/check-ops validates the compose file",
    "curl": ("accounts/tests/test_auth_api.py", "/api/auth/token/"),  # the same requests
    "manage.py migrate": ("bin/run-embedded", "manage.py migrate --noinput"),
    "manage.py collectstatic": ("quantum_trader/tests/test_docs_commands.py", '"collectstatic"'),
    "manage.py createsuperuser": "asks for a password interactively",
    "manage.py makemigrations": ("accounts/tests/test_auth_api.py", '"makemigrations"'),
    "manage.py ingest_candles": ("markets/tests/test_commands_tasks.py", '"ingest_candles"'),
    "manage.py import_candles": ("markets/tests/test_commands_tasks.py", '"import_candles"'),
    "manage.py export_candles": ("markets/tests/test_commands_tasks.py", '"export_candles"'),
    "manage.py refresh_markets": ("markets/tests/test_offline_import.py", "refresh_markets"),
    "manage.py seed_embedded_1_markets": ("bin/run-embedded", "seed_embedded_"),
    "manage.py seed_embedded_3_signals": ("signals/tests/test_commands.py", "seed_embedded_3"),
    "manage.py backtest": ("trading/tests/test_backtest_services.py", '"backtest",'),
    "manage.py train_model": ("signals/tests/test_services.py", '"train_model"'),
    "manage.py predict_signals": ("signals/tests/test_commands.py", '"predict_signals"'),
    "manage.py rotate_encryption_keys": (
        "accounts/tests/test_rotation_and_tampering.py",
        "rotate_encryption_keys",
    ),
    "manage.py run_bots": ("trading/tests/bots/test_commands.py", "run_bots"),
    "manage.py bot_replay": ("trading/tests/bots/test_commands.py", "bot_replay"),
    "manage.py place_order": ("trading/tests/orders/test_commands.py", "place_order"),
    "manage.py adapter_smoke": ("markets/tests/test_adapter_smoke.py", '"adapter_smoke"'),
    "manage.py tune_model": ("signals/tests/test_commands.py", '"tune_model"'),
    "manage.py stream_dispatch": ("quantum_trader/tests/test_stream_crash.py", '"stream_dispatch"'),
}


def commands(text: str) -> list[str]:
    found = []
    for block in re.findall(r"```bash\n(.*?)```", text, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.split("  #")[0].strip()
            if line and not line.startswith("#"):
                found.append(line)
    prose = re.sub(r"```.*?```", "", text, flags=re.S)
    for span in re.findall(r"`([^`]+)`", prose):
        span = " ".join(span.split())
        if COMMAND.match(span) and not span.endswith("/"):
            found.append(span)
    return found


def keys(command: str) -> list[str]:
    """The WHERE keys of one line (a line may chain several commands with && or ;)."""
    out = []
    for part in re.split(r"&&|;|\(|\)", command):
        part = re.sub(r"^(\w+=\S*\s+)+", "", part.strip())  # leading VAR=value assignments
        words = part.split()
        if not words:
            continue
        if words[0] == "export" or re.fullmatch(r"\w+=\S*", part):
            out.append("export")
        elif words[0] == "cd":
            continue
        elif words[0] == "make":
            out.append(f"make {words[1]}" if len(words) > 1 else "make")
        elif "manage.py" in words:
            out.append(f"manage.py {words[words.index('manage.py') + 1]}")
        elif "-m" in words and words[words.index("-m") + 1] in ("venv", "pytest"):
            out.append(words[words.index("-m") + 1])
        elif words[0].endswith("pip") and words[1:2] == ["install"]:
            out.append("pip install")
        elif words[0].endswith("pre-commit"):
            out.append(f"pre-commit {words[1]}")
        elif words[0] == "npm":
            out.append("npm " + (" ".join(words[1:3]) if words[1] == "run" else words[1]))
        elif words[0] == "docker":
            out.append("docker compose")
        else:
            out.append(words[0])
    return out


def documented() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for doc in DOCS:
        for command in commands((ROOT / doc).read_text()):
            for key in keys(command):
                found.setdefault(key, []).append(f"{doc}: {command}")
    return found


def test_every_documented_command_is_run_somewhere_or_says_why_not():
    found = documented()
    assert len(found) > 20  # the extraction itself works
    missing = {key: where for key, where in found.items() if key not in WHERE}
    assert not missing, f"commands without an entry in WHERE: {missing}"
    for key in found:
        entry = WHERE[key]
        if isinstance(entry, str):
            assert len(entry) > 15, key  # a reason, not a placeholder
            continue
        path, text = entry
        assert text in (ROOT / path).read_text(), f"{key}: {path} does not contain {text!r}"


def test_no_stale_entries():
    assert set(WHERE) - set(documented()) == set()


def test_a_new_undocumented_command_would_fail():
    assert keys("python manage.py frobnicate --all") == ["manage.py frobnicate"]
    assert "manage.py frobnicate" not in WHERE


@pytest.mark.django_db
def test_collectstatic_from_the_readme_runs(tmp_path):
    env = {**os.environ, "QT_VAR_DIR": str(tmp_path), "QT_ENV_FILE": "", "DEBUG": "true"}
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "static files copied" in result.stdout
    assert (tmp_path / "staticfiles" / "admin").is_dir()
