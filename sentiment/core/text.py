"""Small text helpers shared by the parsers and the scorer."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def strip_html(value: str) -> str:
    """Return text without tags, with entities decoded and whitespace collapsed."""
    text = _TAG.sub(" ", value)
    text = html.unescape(text)
    # Entities may have hidden tags (`&lt;b&gt;`); they are text now and stay as text.
    return _SPACE.sub(" ", text).strip()


def parse_time(value: object) -> datetime | None:
    """Parse an ISO 8601 timestamp into an aware UTC datetime; None when it is not one."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
