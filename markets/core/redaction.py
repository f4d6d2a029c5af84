"""Mask credentials in anything that may be logged, raised or sent.

Two nets: known secret values registered at run time (decrypted exchange keys, tokens from
settings) are replaced wherever they appear, and text shaped like a credential
(`secret=...`, `Authorization: Bearer ...`, `"apiKey": "..."`) is masked by pattern.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from typing import Any

MASK = "***"
_MIN_SECRET_LENGTH = 6

SENSITIVE_KEY = re.compile(
    r"(pass(word|phrase)?|secret|token|api[-_]?key|apikey|private[-_]?key|signature|"
    r"authorization|cookie|session[-_]?id|credential|x-mbx-apikey)",
    re.IGNORECASE,
)
_KEY_VALUE = re.compile(
    r"(?P<key>[\"']?[\w-]*(?:pass(?:word|phrase)?|secret|token|api[-_]?key|apikey|signature|"
    r"x-mbx-apikey|credential)[\w-]*[\"']?\s*[:=]\s*)(?P<quote>[\"']?)(?P<value>[^\s\"',;&}]+)",
    re.IGNORECASE,
)
_AUTH_HEADER = re.compile(
    r"(?P<scheme>\b(?:Bearer|Token|Basic)\s+)[A-Za-z0-9._~+/=-]{6,}", re.IGNORECASE
)

_lock = threading.Lock()
_known: set[str] = set()
_known_pattern: re.Pattern[str] | None = None


def register_secret(value: str | None) -> None:
    """Remember a secret value so that it is masked wherever it shows up later."""
    global _known_pattern
    if value is None or len(value) < _MIN_SECRET_LENGTH:
        return
    with _lock:
        if value in _known:
            return
        _known.add(value)
        ordered = sorted(_known, key=len, reverse=True)
        _known_pattern = re.compile("|".join(re.escape(v) for v in ordered))


def redact_text(text: str) -> str:
    """Return text with registered secrets and credential-shaped values masked."""
    pattern = _known_pattern
    if pattern is not None:
        text = pattern.sub(MASK, text)
    text = _AUTH_HEADER.sub(lambda m: m.group("scheme") + MASK, text)
    return _KEY_VALUE.sub(lambda m: m.group("key") + m.group("quote") + MASK, text)


def redact(value: Any, _depth: int = 0) -> Any:
    """Return a copy of a log payload with every credential masked, keys and values alike."""
    if _depth > 8:
        return value
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, Mapping):
        return {
            k: (
                MASK
                if isinstance(k, str) and SENSITIVE_KEY.search(k) and v not in (None, "")
                else redact(v, _depth + 1)
            )
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return type(value)(redact(v, _depth + 1) for v in value)
    return value
