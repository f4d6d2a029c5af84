"""One error model: every error the project raises on purpose has one base, a code, a status."""

from __future__ import annotations

import ast
import re
from importlib import import_module
from pathlib import Path

import pytest

from markets.core.errors import QuantumTraderError
from quantum_trader.celery import APPS

ROOT = Path(__file__).resolve().parents[2]
BUILTIN_BASES = {"Exception", "BaseException", "ValueError", "RuntimeError", "TypeError"}
STATUSES = {400, 401, 403, 404, 405, 409, 429, 502, 503}
CODE = re.compile(r"^[a-z][a-z0-9_]*$")
ERROR_MODULES = [
    "markets.core.errors",
    "markets.services",
    "accounts.core.crypto",
    "accounts.core.credentials",
    "accounts.services.exchange_accounts",
    "accounts.services.users",
    "accounts.services.lockout",
    "signals.core.model",
    "signals.core.features",
    "signals.services.predict",
    "trading.services",
]


def _project_sources() -> list[Path]:
    out = []
    for app in ("quantum_trader", *APPS):
        for path in (ROOT / app).rglob("*.py"):
            parts = set(path.relative_to(ROOT).parts)
            # Test helpers (markets/testing: the fake exchange's control-flow exception) too.
            if {"tests", "testing", "migrations"} & parts:
                continue
            out.append(path)
    return out


def test_no_project_error_derives_from_a_builtin_exception_alone():
    offenders = []
    for path in _project_sources():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            bases = {b.id for b in node.bases if isinstance(b, ast.Name)}
            if bases and bases <= BUILTIN_BASES and node.name != "QuantumTraderError":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert offenders == [], "subclass markets.core.errors.QuantumTraderError instead"


def _all_subclasses(klass: type) -> set[type]:
    found = set()
    for sub in klass.__subclasses__():
        found.add(sub)
        found |= _all_subclasses(sub)
    return found


@pytest.mark.parametrize("module", ERROR_MODULES)
def test_every_project_error_has_a_stable_code_and_an_api_status(module):
    import_module(module)
    errors = [e for e in _all_subclasses(QuantumTraderError) if e.__module__ == module]
    assert errors, module
    for error in errors:
        assert CODE.match(error.code), (error, error.code)
        assert error.code != "error", error
        assert error.status in STATUSES, (error, error.status)


def test_named_errors_of_every_app_share_the_one_base():
    from accounts.core.credentials import CredentialFormatError
    from accounts.core.crypto import CryptoError, DecryptionError, KeyringError
    from accounts.services import (
        ExchangeAccountError,
        PasswordResetLinkError,
        SignupClosedError,
    )
    from accounts.services.lockout import LoginLockedError
    from markets.services import MarketDataError, MarketNotTradableError
    from signals.core.features import CandleDataError
    from signals.core.model import ArtifactError, TrainingError
    from signals.services import SignalError
    from trading.services import BacktestConfigError

    for error in (
        BacktestConfigError,
        ExchangeAccountError,
        MarketDataError,
        MarketNotTradableError,
        SignalError,
        TrainingError,
        ArtifactError,
        CandleDataError,
        SignupClosedError,
        PasswordResetLinkError,
        CredentialFormatError,
        CryptoError,
        KeyringError,
        DecryptionError,
        LoginLockedError,
    ):
        assert issubclass(error, QuantumTraderError), error
    assert MarketNotTradableError.code == "market_not_verified"
    assert MarketNotTradableError.status == 409
    # errors that were ValueErrors stay catchable as such
    assert issubclass(MarketDataError, ValueError)
    assert issubclass(CandleDataError, ValueError)
