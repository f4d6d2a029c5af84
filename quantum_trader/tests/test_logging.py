from __future__ import annotations

import json
import logging

import structlog

from markets.core.redaction import MASK, redact, redact_text, register_secret


def test_registered_secret_is_masked_anywhere_in_text():
    register_secret("canary-SeCrEt-9f3a")

    assert (
        redact_text("failed with key canary-SeCrEt-9f3a in url") == f"failed with key {MASK} in url"
    )


def test_credential_shaped_values_are_masked():
    text = (
        "GET /x?signature=abc123def&apiKey=KEY123456 Authorization: Bearer tok_abcdef123 "
        '{"secret": "s3cr3tvalue"}'
    )

    masked = redact_text(text)

    for leaked in ("abc123def", "KEY123456", "tok_abcdef123", "s3cr3tvalue"):
        assert leaked not in masked


def test_sensitive_keys_in_structures_are_masked_recursively():
    payload = {
        "exchange": "binance",
        "headers": {"X-MBX-APIKEY": "abcdefgh"},
        "creds": [{"password": "p4ssw0rd!"}],
        "count": 3,
    }

    assert redact(payload) == {
        "exchange": "binance",
        "headers": {"X-MBX-APIKEY": MASK},
        "creds": [{"password": MASK}],
        "count": 3,
    }


def test_stdlib_and_structlog_records_are_masked(capsys):
    from quantum_trader.logging import configure_logging

    configure_logging(level="INFO", json=True)
    register_secret("canary-from-logs-77")

    logging.getLogger("thirdparty").warning("connecting with %s", "canary-from-logs-77")
    structlog.get_logger("qt").info(
        "order.placed", api_key="abcdef123456", note="canary-from-logs-77"
    )
    try:
        raise ValueError("boom canary-from-logs-77")
    except ValueError:
        logging.getLogger("thirdparty").exception("failed")

    err = capsys.readouterr().err
    assert "canary-from-logs-77" not in err
    assert "abcdef123456" not in err
    lines = [json.loads(line) for line in err.strip().splitlines()]
    assert lines[0]["event"] == f"connecting with {MASK}"
    assert lines[1]["api_key"] == MASK
    assert "ValueError" in lines[2]["exception"]
