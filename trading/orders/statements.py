"""The submit path's statements, written once per process instead of built by the ORM per order.

Building `Order.objects.select_related(...).get(pk=...)` costs milliseconds of Python per
call (query compilation, joins, column lists), and the claim is a second round trip to the
database. On the path from a committed intent to the exchange both are cut down:

* `order_row_sql` reads an order with the rows `ORDER_RELATED` names (market and its
  exchange, the exchange or paper account and its exchange), the same columns and the same
  objects `select_related` gives, from a statement built once from the models' metadata.
* `load_claim_sql` (PostgreSQL) reads that order and, in the same statement, claims it
  (NEW -> SUBMITTING) on the same conditions as `order_claim`: the row is still in the status
  and version the statement read, no kill switch covers it (`sendable_condition`, the rule of
  `trading.bots.kill.order_kill_check`), and a live account's order is claimed only while
  live trading is on. The read shows the row as it was before the claim; whether the claim
  happened comes back with it.

On PostgreSQL both run as prepared statements (`execute_prepared`): planned once per
connection instead of once per order, which for seven joined tables is most of the work the
database does for them. Objects are built with `Model.from_db` and the fields' own database
converters, as the ORM builds them; the nullable relations are cached as None when absent, as
`select_related` does.
"""

from __future__ import annotations

import functools
import weakref
import zlib
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.backends.utils import CursorWrapper
from django.db.models import Field, ForeignKey, Model

from trading.models import Bot, KillSwitch, Order
from trading.orders.payloads import ORDER_RELATED


def sendable_condition(alias: str) -> str:
    """SQL true when the order row `alias` may be sent as far as the kill switches go: the bot's
    closing order passes; otherwise no active global or owner switch, and no bot or a running
    one. `trading.bots.kill.order_kill_check` states the same rule (a test checks both agree).
    """
    b, k = Bot._meta.db_table, KillSwitch._meta.db_table
    return (
        f'(EXISTS (SELECT 1 FROM "{b}" WHERE "{b}"."id" = {alias}."bot_id" '  # noqa: S608 (names from the models)
        f'AND "{b}"."closing_order_id" = {alias}."id") OR ('
        f'NOT EXISTS (SELECT 1 FROM "{k}" WHERE "{k}"."active" AND ("{k}"."scope" = \'global\' '
        f'OR ("{k}"."scope" = \'user\' AND "{k}"."user_id" = {alias}."owner_id"))) '
        f'AND ({alias}."bot_id" IS NULL OR EXISTS (SELECT 1 FROM "{b}" '
        f'WHERE "{b}"."id" = {alias}."bot_id" AND "{b}"."state" = \'running\'))))'
    )


def live_condition(alias: str) -> str:
    """SQL true when the order row `alias` is not a live account's, or live trading is on (the
    statement's one parameter: settings.LIVE_TRADING_ENABLED). `live_check` states the same."""
    account = Order._meta.get_field("exchange_account").related_model._meta.db_table  # type: ignore[union-attr]
    return (
        f'({alias}."exchange_account_id" IS NULL OR %s OR NOT EXISTS (SELECT 1 FROM "{account}" '  # noqa: S608 (names from the models)
        f'WHERE "{account}"."id" = {alias}."exchange_account_id" '
        f'AND "{account}"."mode" = \'live\'))'
    )


@dataclass(frozen=True)
class _Table:
    """One model's columns in the order's row: where they start, which relation leads to it."""

    model: type[Model]
    alias: str
    fields: tuple[Field[Any, Any], ...]
    start: int
    parent: int | None
    link: ForeignKey[Any, Any] | None

    @functools.cached_property
    def attnames(self) -> list[str]:
        """The fields' attribute names, in the row's order (what `Model.from_db` takes)."""
        return [f.attname for f in self.fields]

    @functools.cached_property
    def pk(self) -> int:
        """The primary key's place among `fields`."""
        return next(i for i, f in enumerate(self.fields) if f.primary_key)


def _tables() -> tuple[_Table, ...]:
    def columns(model: type[Model]) -> tuple[Field[Any, Any], ...]:
        return tuple(model._meta.concrete_fields)

    tables = [_Table(Order, "t0", columns(Order), 0, None, None)]
    width = len(tables[0].fields)
    for path in ORDER_RELATED:
        parent = 0
        for name in path.split("__"):
            link = tables[parent].model._meta.get_field(name)
            if not isinstance(link, ForeignKey):
                raise TypeError(f"{path}: {name} is not a foreign key")
            index = next(
                (i for i, t in enumerate(tables) if t.parent == parent and t.link is link), None
            )
            if index is None:
                model = link.related_model
                assert isinstance(model, type)  # noqa: S101 (a resolved relation: a model class)
                table = _Table(model, f"t{len(tables)}", columns(model), width, parent, link)
                tables.append(table)
                width += len(table.fields)
                index = len(tables) - 1
            parent = index
    return tuple(tables)


@functools.cache
def _plan() -> tuple[tuple[_Table, ...], str, str]:
    """The tables, the select list and the FROM clause of an order's row."""
    tables = _tables()
    select = ", ".join(f'{t.alias}."{f.column}"' for t in tables for f in t.fields)
    joins = [f'"{Order._meta.db_table}" t0']
    for t in tables[1:]:
        assert t.link is not None  # noqa: S101 (every table but the root has one)
        assert t.parent is not None  # noqa: S101 (likewise)
        parent = tables[t.parent].alias
        joins.append(
            f'LEFT OUTER JOIN "{t.model._meta.db_table}" {t.alias} '
            f'ON {t.alias}."{t.link.target_field.column}" = {parent}."{t.link.column}"'
        )
    return tables, select, " ".join(joins)


@functools.cache
def order_row_sql() -> str:
    """SELECT of an order's row (one parameter: its id)."""
    _, select, joined = _plan()
    return f'SELECT {select} FROM {joined} WHERE t0."id" = %s'  # noqa: S608 (names from the models)


@functools.cache
def load_claim_sql() -> str:
    """PostgreSQL: claim an order and read its row as it was before, in one statement.

    Parameters: the order's id, the status to set, updated_at, submitted_at, the order's id,
    the status it must be in, LIVE_TRADING_ENABLED, the order's id. The first column is true
    when the claim happened. A data-modifying WITH runs on the statement's snapshot, as the
    SELECT does: the claim's condition on the version compares the locked row with the
    version the SELECT returns, so a row changed meanwhile by another transaction is not
    claimed.
    """
    _, select, joined = _plan()
    o = Order._meta.db_table
    return (
        f'WITH "seen" AS (SELECT "version" FROM "{o}" WHERE "id" = %s), '  # noqa: S608 (names from the models)
        f'"claim" AS (UPDATE "{o}" AS c SET "status" = %s, "version" = c."version" + 1, '
        f'"updated_at" = %s, "submit_attempts" = c."submit_attempts" + 1, "submitted_at" = %s '
        f'FROM "seen" WHERE c."id" = %s AND c."status" = %s AND c."version" = "seen"."version" '
        f'AND {sendable_condition("c")} AND {live_condition("c")} RETURNING c."id") '
        f'SELECT EXISTS (SELECT 1 FROM "claim"), {select} FROM {joined} WHERE t0."id" = %s'
    )


def order_from_row(row: tuple[Any, ...] | list[Any], *, using: str = "default") -> Order:
    """Build the order and its related objects from a row of `order_row_sql`'s columns."""
    connection = connections[using]
    values = list(row)
    for position, col, converters in _conversions(using):
        for convert in converters:
            values[position] = convert(values[position], col, connection)
    built: list[Model | None] = []
    for table in _plan()[0]:
        parent = built[table.parent] if table.parent is not None else None
        own = values[table.start : table.start + len(table.fields)]
        if table.parent is not None and (parent is None or own[table.pk] is None):
            built.append(None)  # a relation the order does not have (or its parent's)
            if parent is not None and table.link is not None:
                table.link.set_cached_value(parent, None)
            continue
        obj = table.model.from_db(using, table.attnames, own)
        built.append(obj)
        if parent is not None and table.link is not None:
            table.link.set_cached_value(parent, obj)
    order = built[0]
    assert isinstance(order, Order)  # noqa: S101 (the root table is the order's)
    return order


@functools.cache
def _conversions(using: str) -> tuple[tuple[int, Any, tuple[Any, ...]], ...]:
    """The row's columns that have database converters (the backend's, then the field's, as
    the ORM applies them): position, column expression, converters."""
    connection = connections[using]
    found = []
    for table in _plan()[0]:
        for i, f in enumerate(table.fields):
            col = f.get_col(table.alias)
            converters = tuple(connection.ops.get_db_converters(col)) + tuple(
                col.get_db_converters(connection)
            )
            if converters:
                found.append((table.start + i, col, converters))
    return tuple(found)


# The statements each live database session has prepared (a session keeps them until it ends;
# a rollback does not drop them). Keyed by the driver's connection: a new one prepares anew.
_prepared: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


def execute_prepared(cursor: CursorWrapper, name: str, sql: str, params: list[Any]) -> None:
    """Run `sql` (with %s placeholders) on PostgreSQL as a prepared statement named after
    `name` and the text, preparing it the first time this connection runs it; elsewhere run
    it as it is."""
    db = cursor.db
    if db.vendor != "postgresql":
        cursor.execute(sql, params)
        return
    name = f"{name}_{zlib.crc32(sql.encode()):08x}"
    raw = db.connection
    names = _prepared.setdefault(raw, set())
    if name not in names:
        pieces = sql.split("%s")
        numbered = pieces[0] + "".join(f"${i}{p}" for i, p in enumerate(pieces[1:], 1))
        cursor.execute(f"PREPARE {name} AS {numbered}")
        names.add(name)
    cursor.execute(f"EXECUTE {name}({', '.join(['%s'] * len(params))})", params)
