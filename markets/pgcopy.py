"""Binary COPY into a temporary table, then one guarded INSERT ... ON CONFLICT (PostgreSQL).

No Django here, so the benchmark can run it on its own tables over a plain psycopg connection.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from markets.core.adapter import OHLCV

STAGE = "qt_candle_stage"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_VALUES = ("open", "high", "low", "close", "volume")


# The table name is a module constant or the benchmark's own table, never input.
def _pg_upsert_sql(table: str, *, skip_unchanged: bool) -> str:
    """The guarded upsert. With `skip_unchanged`, staged rows equal to stored ones are dropped
    by a join before the INSERT, so they are neither probed one by one nor locked; the
    ON CONFLICT guard still holds for rows another writer stored in between."""
    cols = ", ".join(_VALUES)
    staged = ", ".join(f"s.{v}" for v in _VALUES)
    stored = ", ".join(f"c.{v}" for v in _VALUES)
    sets = ", ".join(f"{v} = EXCLUDED.{v}" for v in _VALUES)
    excluded = ", ".join(f"EXCLUDED.{v}" for v in _VALUES)
    current = ", ".join(f"{table}.{v}" for v in _VALUES)
    source = f"{STAGE} s"
    if skip_unchanged:
        source += (
            f" LEFT JOIN {table} c ON c.market_id = %(market)s::bigint "
            "AND c.timeframe = %(timeframe)s::varchar AND c.open_time = s.open_time "
            "AND c.open_time BETWEEN %(first)s AND %(last)s "
            f"WHERE c.id IS NULL OR ({stored}) IS DISTINCT FROM ({staged})"
        )
    return (
        f"WITH up AS (INSERT INTO {table} (market_id, timeframe, open_time, {cols}) "  # noqa: S608
        f"SELECT %(market)s::bigint, %(timeframe)s::varchar, s.open_time, {staged} "
        f"FROM {source} "
        f"ON CONFLICT (market_id, timeframe, open_time) DO UPDATE SET {sets} "
        f"WHERE ({current}) IS DISTINCT FROM ({excluded}) "
        "RETURNING (xmax = 0) AS inserted) "
        "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up"
    )


def _plain_insert_sql(table: str) -> str:
    cols = ", ".join(_VALUES)
    return (
        f"INSERT INTO {table} (market_id, timeframe, open_time, {cols}) "  # noqa: S608
        f"SELECT %(market)s::bigint, %(timeframe)s::varchar, open_time, {cols} FROM {STAGE}"
    )


def pg_copy_upsert(
    cursor: Any,
    *,
    table: str,
    market_id: int,
    timeframe: str,
    candles: Sequence[OHLCV],
) -> tuple[int, int]:
    """Binary COPY into a temporary table, then one guarded INSERT ... ON CONFLICT.

    `cursor` is a psycopg 3 cursor inside a transaction. Returns (inserted, updated); rows
    whose values are unchanged are neither. Inserted and updated rows are told apart by
    `xmax = 0` (a freshly inserted row version has no deleting transaction).
    """
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} ("
        "open_time timestamptz NOT NULL, open float8 NOT NULL, high float8 NOT NULL, "
        "low float8 NOT NULL, close float8 NOT NULL, volume float8 NOT NULL"
        ") ON COMMIT DELETE ROWS"
    )
    cursor.execute(f"TRUNCATE {STAGE}")
    with cursor.copy(
        f"COPY {STAGE} (open_time, open, high, low, close, volume) FROM STDIN (FORMAT BINARY)"
    ) as copy:
        copy.set_types(["timestamptz", "float8", "float8", "float8", "float8", "float8"])
        epoch = _EPOCH
        ms = timedelta(milliseconds=1)
        write = copy.write_row
        for c in candles:
            write((epoch + c.open_time_ms * ms, c.open, c.high, c.low, c.close, c.volume))
    params = {
        "market": market_id,
        "timeframe": timeframe,
        "first": _EPOCH + min(c.open_time_ms for c in candles) * timedelta(milliseconds=1),
        "last": _EPOCH + max(c.open_time_ms for c in candles) * timedelta(milliseconds=1),
    }
    # Rows already stored in this window? Then skip the unchanged ones before inserting (a
    # re-pull); otherwise insert straight away (new candles, the common case).
    cursor.execute(
        f"SELECT EXISTS (SELECT 1 FROM {table} WHERE market_id = %(market)s "  # noqa: S608
        "AND timeframe = %(timeframe)s AND open_time BETWEEN %(first)s AND %(last)s)",
        params,
    )
    overlap = bool(cursor.fetchone()[0])
    if not overlap:
        # Nothing stored in the window: a plain INSERT skips speculative insertion. Should
        # another writer store a row of the window meanwhile, fall back to the guarded upsert.
        cursor.execute("SAVEPOINT qt_candle_insert")
        try:
            cursor.execute(_plain_insert_sql(table), params)
            inserted = int(cursor.rowcount)
        except psycopg.errors.UniqueViolation:
            cursor.execute("ROLLBACK TO SAVEPOINT qt_candle_insert")
        else:
            cursor.execute("RELEASE SAVEPOINT qt_candle_insert")
            return inserted, 0
    cursor.execute(f"ANALYZE {STAGE}")  # row counts for the planner's join choice
    cursor.execute(_pg_upsert_sql(table, skip_unchanged=True), params)
    inserted, updated = cursor.fetchone()
    return int(inserted), int(updated)
