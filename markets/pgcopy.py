"""Binary COPY into a temporary table, then one guarded INSERT ... ON CONFLICT (PostgreSQL).

No Django here, so the benchmark can run it on its own tables over a plain psycopg connection.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from markets.core.adapter import OHLCV

STAGE = "qt_candle_stage"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_VALUES = ("open", "high", "low", "close", "volume")


# The table name is a module constant or the benchmark's own table, never input.
def _pg_upsert_sql(table: str) -> str:
    cols = ", ".join(_VALUES)
    sets = ", ".join(f"{v} = EXCLUDED.{v}" for v in _VALUES)
    excluded = ", ".join(f"EXCLUDED.{v}" for v in _VALUES)
    current = ", ".join(f"{table}.{v}" for v in _VALUES)
    return (
        f"WITH up AS (INSERT INTO {table} (market_id, timeframe, open_time, {cols}) "  # noqa: S608
        f"SELECT %(market)s::bigint, %(timeframe)s::varchar, open_time, {cols} FROM {STAGE} "
        f"ON CONFLICT (market_id, timeframe, open_time) DO UPDATE SET {sets} "
        f"WHERE ({current}) IS DISTINCT FROM ({excluded}) "
        "RETURNING (xmax = 0) AS inserted) "
        "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up"
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
    whose values are unchanged are neither.
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
    cursor.execute(_pg_upsert_sql(table), {"market": market_id, "timeframe": timeframe})
    inserted, updated = cursor.fetchone()
    return int(inserted), int(updated)
