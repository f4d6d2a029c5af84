"""Write many rows of one model in one statement: `UPDATE ... FROM (VALUES ...)`.

Django's `bulk_update` builds one `CASE WHEN id = ... THEN ...` per field and row; for the
hundreds of ticks, positions and bots of an engine chunk, building and planning that costs
more than the decisions themselves. This sends each row's values once, in a VALUES list
joined on the primary key (PostgreSQL, and SQLite 3.33 or newer).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models

# Rows per statement: the VALUES list stays well under the drivers' parameter limits.
BATCH = 500


def _columns(model: type[models.Model], names: Sequence[str]) -> list[models.Field[Any, Any]]:
    found: list[models.Field[Any, Any]] = []
    for name in names:
        field = model._meta.get_field(name)
        if not isinstance(field, models.Field) or not field.concrete:
            raise TypeError(f"{model.__name__}.{name} is not a column")
        found.append(field)
    return found


def bulk_update_rows(
    model: type[models.Model], objs: Sequence[models.Model], fields: Sequence[str]
) -> int:
    """Write `fields` of every object in `objs` (by primary key); return the rows updated."""
    if not objs:
        return 0
    quote = connection.ops.quote_name
    pk = model._meta.pk
    if pk is None:
        raise TypeError(f"{model.__name__} has no primary key")
    columns = [pk, *_columns(model, fields)]
    postgres = connection.vendor == "postgresql"

    def placeholder(field: models.Field[Any, Any]) -> str:
        # Values travel as untyped literals; PostgreSQL needs each column's type said.
        return f"CAST(%s AS {field.db_type(connection)})" if postgres else "%s"

    row = "(" + ", ".join(placeholder(f) for f in columns) + ")"
    if postgres:
        names = ["pk_", *(f"v{i}" for i in range(1, len(columns)))]
        alias = f"v({', '.join(names)})"
    else:  # SQLite names a VALUES list's columns itself
        names = [f"column{i}" for i in range(1, len(columns) + 1)]
        alias = "v"
    table = quote(model._meta.db_table)
    assignments = ", ".join(
        f"{quote(f.column)} = v.{name}" for f, name in zip(columns[1:], names[1:], strict=True)
    )
    updated = 0
    with connection.cursor() as cursor:
        for start in range(0, len(objs), BATCH):
            batch = objs[start : start + BATCH]
            params: list[Any] = []
            for obj in batch:
                for field in columns:
                    params.append(field.get_db_prep_save(getattr(obj, field.attname), connection))
            # Identifiers come from the model, quoted; every value is a parameter.
            sql = (
                f"UPDATE {table} SET {assignments} FROM (VALUES "  # noqa: S608
                f"{', '.join([row] * len(batch))}) AS {alias} "
                f"WHERE {table}.{quote(pk.column)} = v.{names[0]}"
            )
            cursor.execute(sql, params)
            updated += cursor.rowcount
    return updated
