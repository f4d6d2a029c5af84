"""Bulk candle upserts: binary COPY + guarded ON CONFLICT on PostgreSQL, portable SQL elsewhere.

Both paths change a stored candle only when a value differs, so re-pulling an overlapping
window writes nothing. They return (inserted, updated).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection, transaction

from markets.core.adapter import OHLCV
from markets.models import Candle
from markets.pgcopy import pg_copy_upsert

TABLE = Candle._meta.db_table
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_VALUES = ("open", "high", "low", "close", "volume")


def ms_to_dt(ms: int) -> datetime:
    return _EPOCH + timedelta(milliseconds=ms)


def dt_to_ms(dt: datetime) -> int:
    return (dt - _EPOCH) // timedelta(milliseconds=1)


# Table and column names below are module constants, never input.
def _portable_upsert_sql(table: str) -> str:
    cols = ", ".join(_VALUES)
    sets = ", ".join(f"{v} = excluded.{v}" for v in _VALUES)
    differs = " OR ".join(f"{table}.{v} <> excluded.{v}" for v in _VALUES)
    return (
        f"INSERT INTO {table} (market_id, timeframe, open_time, {cols}) "  # noqa: S608
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
        f"ON CONFLICT (market_id, timeframe, open_time) DO UPDATE SET {sets} WHERE {differs}"
    )


def portable_upsert(
    *, market_id: int, timeframe: str, candles: Sequence[OHLCV], batch: int = 5000
) -> tuple[int, int]:
    """INSERT ... ON CONFLICT DO UPDATE ... WHERE <a value differs>, for SQLite (and any SQL)."""
    ops = connection.ops
    sql = _portable_upsert_sql(TABLE)
    inserted = updated = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for i in range(0, len(candles), batch):
            chunk = candles[i : i + batch]
            if not chunk:
                continue
            existing = set(
                Candle.objects.filter(
                    market_id=market_id,
                    timeframe=timeframe,
                    open_time__gte=ms_to_dt(min(c.open_time_ms for c in chunk)),
                    open_time__lte=ms_to_dt(max(c.open_time_ms for c in chunk)),
                ).values_list("open_time", flat=True)
            )
            existing_ms = {dt_to_ms(dt) for dt in existing}
            params = [
                (
                    market_id,
                    timeframe,
                    ops.adapt_datetimefield_value(ms_to_dt(c.open_time_ms)),
                    c.open,
                    c.high,
                    c.low,
                    c.close,
                    c.volume,
                )
                for c in chunk
            ]
            before = _changes(cursor)
            cursor.executemany(sql, params)
            after = _changes(cursor)
            written = (
                after - before if before is not None and after is not None else cursor.rowcount
            )
            new = sum(1 for c in chunk if c.open_time_ms not in existing_ms)
            inserted += new
            updated += max(0, written - new)
    return inserted, updated


def _changes(cursor: Any) -> int | None:
    """SQLite's running count of changed rows (executemany's rowcount is unreliable there)."""
    if connection.vendor != "sqlite":
        return None
    cursor.execute("SELECT total_changes()")
    return int(cursor.fetchone()[0])


def upsert_candles(
    *, market_id: int, timeframe: str, candles: Sequence[OHLCV], portable: bool = False
) -> tuple[int, int]:
    """Store validated, de-duplicated candles sorted by open time. Returns (inserted, updated)."""
    if not candles:
        return 0, 0
    if connection.vendor == "postgresql" and not portable:
        with transaction.atomic(), connection.cursor() as cursor:
            return pg_copy_upsert(
                cursor.cursor,
                table=TABLE,
                market_id=market_id,
                timeframe=timeframe,
                candles=candles,
            )
    return portable_upsert(market_id=market_id, timeframe=timeframe, candles=candles)
