"""Bulk inserts of plain rows, their values handed to the database driver as they are.

SQLAlchemy processes every row's parameters (a few µs a row); a long document's write stores some 15,000 label and
summary rows, and that processing was a third of the write's time. :func:`insert_plain` compiles the statement once
and passes the rows to the driver's ``executemany`` directly: for columns whose values the drivers take unchanged
(numbers, text, bytes, booleans; not JSON or dates, which SQLAlchemy's types convert). :func:`upsert_tuples` does
the same for an upsert of whole rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, insert


def insert_plain(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert *rows* (mappings with the same keys, which must include every column with a Python-side default) in
    one ``executemany``."""
    if not rows:
        return
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=list(rows[0]))
    names = compiled.positiontup if compiled.positiontup is not None else list(compiled.binds)
    values = itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
    if compiled.positiontup is not None:  # the driver takes positions (SQLite)
        conn.exec_driver_sql(compiled.string, [values(row) for row in rows])
    else:  # or names (psycopg)
        conn.exec_driver_sql(compiled.string, [dict(zip(names, values(row), strict=True)) for row in rows])


def upsert_tuples(
    conn: Connection,
    table: Table,
    key: Sequence[ColumnElement[Any]],
    rows: Sequence[Sequence[Any]],
    *,
    add: Sequence[str] = (),
    replace: Sequence[str] = (),
) -> None:
    """Insert *rows* (values of every column of *table*, in its column order) in one ``executemany``; a row whose
    *key* (a unique index of *table*) is stored adds its *add* columns to the stored row's and replaces its *replace*
    columns instead (an upsert, on SQLite and PostgreSQL alike)."""
    from sqlalchemy.dialects import postgresql, sqlite

    statement: Any = (postgresql if conn.dialect.name == "postgresql" else sqlite).insert(table)
    excluded = statement.excluded
    update = {name: table.c[name] + excluded[name] for name in add} | {name: excluded[name] for name in replace}
    _execute_tuples(conn, statement.on_conflict_do_update(index_elements=list(key), set_=update), table, rows)


def _execute_tuples(conn: Connection, statement: Any, table: Table, rows: Sequence[Sequence[Any]]) -> None:
    if not rows:
        return
    names = [column.name for column in table.columns]
    compiled = statement.compile(dialect=conn.dialect, column_keys=names)
    if compiled.positiontup is not None:  # SQLite: the statement's positions are the table's column order
        order = [names.index(name) for name in compiled.positiontup]
        same = order == list(range(len(names)))
        conn.exec_driver_sql(compiled.string, rows if same else [tuple(row[i] for i in order) for row in rows])
    else:
        conn.exec_driver_sql(compiled.string, [dict(zip(names, row, strict=True)) for row in rows])
