"""Backups of a SQLite database with SQLite's online backup API (safe while workers write), and row counts.

PostgreSQL is backed up with its own tools (``pg_dump``); :func:`row_counts` works on both.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy import Engine, func, select

from analyzer.store.engine import make_engine, reader
from analyzer.store.tables import metadata


def backup(engine_or_url: Engine | str, target_path: Path | str) -> Path:
    """Copy a live SQLite database to the new file *target_path* (written beside it, then renamed)."""
    engine = make_engine(engine_or_url) if isinstance(engine_or_url, str) else engine_or_url
    _require_sqlite(engine)
    target = Path(target_path)
    if target.exists():
        raise FileExistsError(target)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    source = engine.raw_connection()
    try:
        with closing(sqlite3.connect(partial)) as copy:
            source.driver_connection.backup(copy)  # type: ignore[union-attr]
    finally:
        source.close()
        if engine is not engine_or_url:
            engine.dispose()
    os.replace(partial, target)
    return target


def restore(source_path: Path | str, engine: Engine) -> None:
    """Overwrite the database behind *engine* with the backup at *source_path* (stop the workers first)."""
    _require_sqlite(engine)
    target = engine.raw_connection()
    try:
        with closing(sqlite3.connect(Path(source_path))) as source:
            source.backup(target.driver_connection)  # type: ignore[arg-type]
    finally:
        target.close()


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows per table of the schema."""
    with reader(engine).connect() as conn:
        return {
            table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
            for table in metadata.sorted_tables
        }


def _require_sqlite(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        raise ValueError(f"online backup is for SQLite; back up {engine.dialect.name} with its own tools")
