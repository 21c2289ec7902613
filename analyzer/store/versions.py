"""The stored data's version: one counter bumped in every transaction that can change what the findings show.

Every such write (analysis results and the meeting fields they fill, corrections and their remaps, deletions) runs
inside :func:`analyzer.store.summaries.maintained`, which calls :func:`bump` before it updates the summary rows.
Reading the version is one primary-key row (the findings' cache key), where counting units read a million rows.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Connection, Engine, Integer, Table, insert, select, update

from analyzer.store.engine import reading
from analyzer.store.tables import metadata

#: The counter's one row.
ROW_ID = 1

data_version = Table(
    "data_version",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("version", BigInteger, nullable=False),
)


def bump(conn: Connection) -> int:
    """Add one to the version, in the caller's (writing) transaction: readers see it when the write commits. The
    new version."""
    changed = conn.execute(
        update(data_version).where(data_version.c.id == ROW_ID).values(version=data_version.c.version + 1)
    ).rowcount
    if not changed:  # the row is made by the migration; a database without it starts counting here
        conn.execute(insert(data_version).values(id=ROW_ID, version=1))
    return current(conn)


def current(source: Engine | Connection) -> int:
    """The version now (0 before the first write); a read that never takes SQLite's write lock."""
    with reading(source) as conn:
        found = conn.execute(select(data_version.c.version).where(data_version.c.id == ROW_ID)).scalar()
    return int(found or 0)
