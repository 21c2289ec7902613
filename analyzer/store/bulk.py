"""Bulk inserts of plain rows, their values handed to the database driver as they are.

SQLAlchemy processes every row's parameters (a few µs a row); a long document's write stores some 15,000 label and
summary rows, and that processing was a third of the write's time. :func:`insert_plain` compiles the statement once
and passes the rows to the driver's ``executemany`` directly: for columns whose values the drivers take unchanged
(numbers, text, bytes, booleans; not JSON or dates, which SQLAlchemy's types convert).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, insert


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


def insert_tuples(conn: Connection, table: Table, rows: Sequence[Sequence[Any]]) -> None:
    """Insert *rows* given as values of every column of *table* in its column order, in one ``executemany``."""
    if not rows:
        return
    names = [column.name for column in table.columns]
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=names)
    if compiled.positiontup is not None:  # SQLite: the statement's positions are the table's column order
        order = [names.index(name) for name in compiled.positiontup]
        same = order == list(range(len(names)))
        conn.exec_driver_sql(compiled.string, rows if same else [tuple(row[i] for i in order) for row in rows])
    else:
        conn.exec_driver_sql(compiled.string, [dict(zip(names, row, strict=True)) for row in rows])
