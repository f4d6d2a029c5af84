"""Candle checks that need no database: validation, closed-candle cut-off, gaps."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from markets.core.adapter import OHLCV

REJECT_REASONS = (
    "not_finite",
    "high_below_low",
    "high_below_body",
    "low_above_body",
    "negative_price",
    "negative_volume",
    "duplicate_timestamp",
    "misaligned_open_time",
)


@dataclass(frozen=True)
class Gap:
    """Missing candles after `after_ms` (the last open time before the hole)."""

    after_ms: int
    missing: int


def reject_reason(c: OHLCV, step_ms: int) -> str | None:
    """Why a candle cannot be stored, or None when it can."""
    values = (c.open, c.high, c.low, c.close, c.volume)
    if not all(math.isfinite(v) for v in values):
        return "not_finite"
    if c.open_time_ms % step_ms != 0:
        return "misaligned_open_time"
    if c.high < c.low:
        return "high_below_low"
    if c.high < max(c.open, c.close):
        return "high_below_body"
    if c.low > min(c.open, c.close):
        return "low_above_body"
    if c.low < 0:
        return "negative_price"
    if c.volume < 0:
        return "negative_volume"
    return None


def validate(candles: Iterable[OHLCV], step_ms: int) -> tuple[list[OHLCV], Counter[str]]:
    """Keep the good candles (the first of any duplicate open time), count the rest by reason."""
    good: list[OHLCV] = []
    rejected: Counter[str] = Counter()
    seen: set[int] = set()
    for c in candles:
        reason = reject_reason(c, step_ms)
        if reason is None and c.open_time_ms in seen:
            reason = "duplicate_timestamp"
        if reason is not None:
            rejected[reason] += 1
            continue
        seen.add(c.open_time_ms)
        good.append(c)
    good.sort(key=lambda c: c.open_time_ms)
    return good, rejected


def last_closed_open_ms(now_ms: int, step_ms: int) -> int:
    """Open time of the newest closed candle: closed once now >= open + timeframe."""
    return (now_ms - step_ms) // step_ms * step_ms


def find_gaps(open_times_ms: Sequence[int], step_ms: int) -> list[Gap]:
    """Holes in a sorted series of open times."""
    gaps = []
    for prev, cur in pairwise(open_times_ms):
        missing = (cur - prev) // step_ms - 1
        if missing > 0:
            gaps.append(Gap(after_ms=prev, missing=missing))
    return gaps
