"""The one table from ccxt's exception classes to the platform's errors."""

from __future__ import annotations

import inspect
import json

import ccxt
import pytest
from ccxt.base import errors as ccxt_errors

from markets.core import errors
from markets.core.ccxt_adapter import ERROR_MAP, CcxtAdapter, error_class_for

CCXT_CLASSES = sorted(
    (
        c
        for _, c in inspect.getmembers(ccxt_errors, inspect.isclass)
        if issubclass(c, Exception) and c.__module__ == ccxt_errors.__name__
    ),
    key=lambda c: c.__name__,
)


def test_ccxt_version_is_the_pinned_one():
    assert ccxt.__version__ == "4.5.90"


def test_error_map_every_ccxt_class_has_an_explicit_entry():
    missing = [c.__name__ for c in CCXT_CLASSES if c not in ERROR_MAP]
    assert len(CCXT_CLASSES) >= 40
    assert missing == []


@pytest.mark.parametrize("klass", CCXT_CLASSES, ids=lambda c: c.__name__)
def test_error_map_each_ccxt_class_maps_to_a_platform_class(klass):
    mapped = error_class_for(klass)
    assert issubclass(mapped, errors.ExchangeError)
    assert mapped not in (errors.ExchangeError,), "map to a retryable or fatal class, not the base"
    # Anything ccxt files under OperationFailed (no usable answer) is worth retrying; the
    # ExchangeError branch (the exchange said no) never is.
    if issubclass(klass, ccxt_errors.OperationFailed):
        assert mapped.retryable, klass
    if issubclass(klass, ccxt_errors.ExchangeError):
        assert not mapped.retryable, klass


@pytest.mark.parametrize(
    ("klass", "expected"),
    [
        (ccxt_errors.RateLimitExceeded, errors.RateLimitedError),
        (ccxt_errors.DDoSProtection, errors.RateLimitedError),
        (ccxt_errors.ExchangeNotAvailable, errors.ExchangeUnavailableError),
        (ccxt_errors.OnMaintenance, errors.ExchangeUnavailableError),
        (ccxt_errors.RequestTimeout, errors.NetworkError),
        (ccxt_errors.AuthenticationError, errors.AuthenticationError),
        (ccxt_errors.PermissionDenied, errors.PermissionDeniedError),
        (ccxt_errors.BadSymbol, errors.BadSymbolError),
        (ccxt_errors.InsufficientFunds, errors.InsufficientFundsError),
        (ccxt_errors.OrderNotFound, errors.OrderNotFoundError),
        (ccxt_errors.InvalidOrder, errors.InvalidOrderError),
        (ccxt_errors.DuplicateOrderId, errors.DuplicateOrderError),
    ],
)
def test_error_map_key_classes_map_to_their_counterparts(klass, expected):
    assert error_class_for(klass) is expected


def test_error_map_unknown_subclass_falls_back_to_its_parent_entry():
    class NewRateLimit(ccxt_errors.RateLimitExceeded):
        pass

    assert error_class_for(NewRateLimit) is errors.RateLimitedError


def _binance_error(shared_data, code: int, message: str | None = None) -> Exception:
    catalogue = json.loads(
        (shared_data / "exchange-responses" / "binance_spot_api_errors.json").read_text()
    )
    entries = catalogue["error_codes"]
    entry = next(e for e in entries if isinstance(e, dict) and e.get("code") == code)
    msg = message or (entry.get("messages") or [entry.get("name")])[0]
    body = json.dumps({"code": code, "msg": msg})
    adapter = CcxtAdapter("binance")
    try:
        adapter.client.handle_errors(
            400, "Bad Request", "https://x/api/v3/order", "POST", {}, body, json.loads(body), {}, ""
        )
    except ccxt_errors.BaseError as e:
        return adapter._translate(e)
    pytest.fail("ccxt raised nothing")


def test_error_map_binance_codes_land_on_platform_classes(shared_data):
    assert isinstance(_binance_error(shared_data, -1003), errors.RateLimitedError)
    assert isinstance(_binance_error(shared_data, -1121, "Invalid symbol."), errors.BadSymbolError)
    insufficient = _binance_error(
        shared_data, -2010, "Account has insufficient balance for requested action."
    )
    assert isinstance(insufficient, errors.InsufficientFundsError)
    assert not insufficient.retryable
