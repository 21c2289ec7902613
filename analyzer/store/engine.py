"""Engines for SQLite (the default) and PostgreSQL, set up the same way on every connection."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

#: Execution option that picks how a SQLite transaction begins; writes default to ``IMMEDIATE``.
SQLITE_BEGIN = "moksori_sqlite_begin"

_SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA busy_timeout=10000",
    "PRAGMA foreign_keys=ON",
    "PRAGMA synchronous=FULL",
)


def normalise_url(url: str | URL) -> URL:
    """``postgresql://`` and ``postgres://`` become ``postgresql+psycopg://`` (psycopg 3)."""
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(url: str | URL, **options: Any) -> Engine:
    """An engine for *url*; SQLite gets WAL, a busy timeout, foreign keys, full sync and ``BEGIN IMMEDIATE``."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "postgresql":
        return create_engine(parsed, pool_pre_ping=True, **options)
    if parsed.get_backend_name() != "sqlite":
        raise ValueError(f"unsupported database: {parsed.get_backend_name()}")
    if parsed.database and parsed.database != ":memory:":
        _private_file(Path(parsed.database))
    engine = create_engine(parsed, **options)
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _private_file(path: Path) -> None:
    """The database file exists with owner-only access (0600) before SQLite opens it; SQLite gives its WAL and
    shared-memory files the same mode. A new parent folder is made owner-only too."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    path.chmod(0o600)


def reader(engine: Engine) -> Engine:
    """The same engine for read-only work: on SQLite its transactions begin ``DEFERRED`` (no write lock)."""
    return engine.execution_options(**{SQLITE_BEGIN: "DEFERRED"})


@contextmanager
def reading(source: Engine | Connection) -> Iterator[Connection]:
    """A connection for reads: *source* itself when it is one (several reads then share its transaction and round
    trips), else a new read-only connection of the engine *source*."""
    if isinstance(source, Connection):
        yield source
    else:
        with reader(source).connect() as conn:
            yield conn


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not pysqlite, decide when transactions begin (see the "begin" listener).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        for pragma in _SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    mode = connection.get_execution_options().get(SQLITE_BEGIN, "IMMEDIATE")
    if mode not in ("IMMEDIATE", "DEFERRED", "EXCLUSIVE"):
        raise ValueError(f"unknown SQLite begin mode {mode!r}")
    connection.exec_driver_sql(f"BEGIN {mode}")
