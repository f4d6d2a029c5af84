"""JSON decoding that cannot be turned into a server error: bounded size, depth and numbers.

Used by the API's JSON parser and the websocket consumer. Python's decoder recurses per
nesting level (a body nested 1,000 deep raised RecursionError) and accepts `NaN`,
`Infinity` and `1e999` (which becomes infinity); integers are unbounded. Here every
problem becomes a `JSONProblem` whose message names it, and the path of a bad number.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from markets.core.errors import QuantumTraderError

MAX_DEPTH = 32
# A string holding an ISO 8601 date must fall within these years (year 1 or 9999 plus a
# time-zone offset overflows Python's datetime).
MIN_YEAR, MAX_YEAR = 1900, 2999
_ISO_DATE = re.compile(r"^([+-]?\d{4,})-\d{2}-\d{2}(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
MAX_INT = 2**63 - 1


class JSONProblem(QuantumTraderError, ValueError):
    """The text is not acceptable JSON; `path` names the offending value when known."""

    code = "invalid_json"
    status = 400

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message, field=path)
        self.path = path


class _NonFinite:
    def __init__(self, text: str) -> None:
        self.text = text


def _parse_float(text: str) -> float | _NonFinite:
    value = float(text)
    return value if math.isfinite(value) else _NonFinite(text)


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > 19 or abs(int(text)) > MAX_INT:
        raise JSONProblem(f"The number {text[:24]}… is out of range (at most 19 digits).")
    return int(text)


def _check(value: Any, max_depth: int) -> None:
    """Walk the decoded value without recursion: depth and finiteness."""
    stack: list[tuple[Any, str, int]] = [(value, "", 1)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, _NonFinite):
            raise JSONProblem(
                f"{path or 'value'}: must be a finite number; {item.text} is not accepted.",
                path=path or None,
            )
        if isinstance(item, str) and len(item) <= 40 and not year_in_range(item):
            raise JSONProblem(
                f"{path or 'value'}: dates must be between the years {MIN_YEAR} and {MAX_YEAR}.",
                path=path or None,
            )
        if isinstance(item, dict | list):
            if depth > max_depth:
                raise JSONProblem(f"JSON is nested too deeply (at most {max_depth} levels).")
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            for key, child in pairs:
                stack.append((child, f"{path}.{key}" if path else str(key), depth + 1))


def year_in_range(text: str) -> bool:
    """False for a text that is an ISO 8601 date outside MIN_YEAR..MAX_YEAR."""
    match = _ISO_DATE.match(text.strip())
    if match is None:
        return True
    digits = match.group(1)
    return len(digits.lstrip("+-")) <= 4 and MIN_YEAR <= int(digits) <= MAX_YEAR


def loads(text: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """Decode JSON text, raising JSONProblem for anything a handler should not have to see."""
    try:
        value = json.loads(
            text,
            parse_constant=_NonFinite,
            parse_float=_parse_float,
            parse_int=_parse_int,
        )
    except RecursionError:
        raise JSONProblem(f"JSON is nested too deeply (at most {max_depth} levels).") from None
    except JSONProblem:
        raise
    except UnicodeDecodeError:
        raise JSONProblem("The body is not UTF-8 text.") from None
    except ValueError as e:
        raise JSONProblem(f"Malformed JSON: {e}") from None
    _check(value, max_depth)
    return value
