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
    names = list(rows[0])
    values = itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
    _execute_tuples(conn, insert(table), names, [values(row) for row in rows])


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
    upsert = statement.on_conflict_do_update(index_elements=list(key), set_=update)
    _execute_tuples(conn, upsert, [column.name for column in table.columns], rows)


def _execute_tuples(conn: Connection, statement: Any, names: list[str], rows: Sequence[Sequence[Any]]) -> None:
    """Run *statement*, compiled once, for *rows* (values of the columns *names*, in that order) in one
    ``executemany``: as positions for a driver that takes them (SQLite), else as names (psycopg)."""
    if not rows:
        return
    compiled = statement.compile(dialect=conn.dialect, column_keys=names)
    missing = [name for name in compiled.binds if name not in names]
    if missing:  # a column with a Python-side default: SQLAlchemy would fill it, the driver cannot
        raise KeyError(f"no value for {', '.join(missing)}")
    if compiled.positiontup is not None:
        order = [names.index(name) for name in compiled.positiontup]
        same = order == list(range(len(names)))
        conn.exec_driver_sql(compiled.string, rows if same else [tuple(row[i] for i in order) for row in rows])
    else:
        conn.exec_driver_sql(compiled.string, [dict(zip(names, row, strict=True)) for row in rows])
