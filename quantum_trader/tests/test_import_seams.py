"""The import-linter contracts hold on the real tree and fail on a planted cross-app import."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("markets", "accounts", "sentiment", "signals", "trading")
PACKAGES = ("quantum_trader", *APPS)
# What an app offers the others; everything else of it is protected by a seams contract.
PUBLIC = {"__init__", "services", "selectors", "events", "core", "metrics"}
# The one outbox every app publishes through, and the one lock helper every task uses.
# Each app's `metrics` registers its scrape-time collector; `markets.metrics` defines them all.
PUBLIC_EXTRA = {"markets": {"stream", "locks"}}
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own tool with fixed arguments
        [str(LINT_IMPORTS), "--no-cache", str(root / "pyproject.toml")],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


@pytest.fixture
def tree_copy(tmp_path: Path) -> Path:
    """A copy of the project's Python packages and its pyproject.toml, to plant imports in."""
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "data")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=skip)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _contracts() -> list[dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts: list[dict[str, object]] = config["tool"]["importlinter"]["contracts"]
    return contracts


def test_lint_imports_on_the_real_tree_keeps_every_contract():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_lint_imports_with_a_planted_cross_app_model_import_fails(tree_copy):
    # Given a trading module that reaches into the markets app's models
    (tree_copy / "trading" / "planted.py").write_text(
        "from markets.models import Candle\n\nCANDLE = Candle\n"
    )
    # When the contracts are checked
    result = _lint(tree_copy)
    # Then the seams contract of markets is broken by exactly that import
    assert result.returncode == 1, result.stdout + result.stderr
    assert "the internals of markets are imported by markets and tests only BROKEN" in (
        result.stdout
    )
    assert "trading.planted -> markets.models" in result.stdout


def test_lint_imports_with_a_planted_import_of_another_apps_tasks_fails(tree_copy):
    (tree_copy / "signals" / "planted.py").write_text(
        "from sentiment import tasks\n\nTASKS = tasks\n"
    )
    result = _lint(tree_copy)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "the internals of sentiment are imported by sentiment and tests only BROKEN" in (
        result.stdout
    )
    assert "signals.planted -> sentiment.tasks" in result.stdout


def test_every_module_of_an_app_is_public_or_protected():
    # A new module is protected only once listed: this catches one added without a decision.
    protected: dict[str, set[str]] = {app: set() for app in APPS}
    for contract in _contracts():
        if contract["type"] != "protected":
            continue
        for module in contract["protected_modules"]:
            app, _, name = str(module).partition(".")
            protected[app].add(name)
    for app in APPS:
        modules = {
            path.stem if path.is_file() else path.name
            for path in (ROOT / app).iterdir()
            if (path.suffix == ".py") or (path / "__init__.py").is_file()
        }
        public = PUBLIC | PUBLIC_EXTRA.get(app, set())
        assert modules - public - protected[app] == set(), app
        assert protected[app] <= modules, app
