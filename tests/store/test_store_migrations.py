"""Migrations build the schema of ``tables.py`` on both databases; engines are set up as documented."""

from __future__ import annotations

import threading
import warnings
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, insert, inspect, select
from sqlalchemy.exc import IntegrityError, SAWarning

from analyzer.store.engine import make_engine, normalise_url, reader
from analyzer.store.migrate import MIGRATIONS, current_revision, head_revision, migrate
from analyzer.store.summary_tables import finding_cells, finding_phrases
from analyzer.store.tables import metadata


def test_migrate_creates_every_table_at_head(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert set(metadata.tables) <= tables
    assert "alembic_version" in tables
    assert current_revision(engine) == head_revision()


def test_migrate_matches_the_metadata_exactly(engine: Engine) -> None:
    """Every table, column and index; the phrase rows' unique index is on an expression, which reflection skips
    (the next test checks it by what it refuses)."""
    with engine.connect() as conn, warnings.catch_warnings():
        _expression_index_skipped()
        warnings.filterwarnings("ignore", "autogenerate skipping", UserWarning)
        differences = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    assert differences == []


def test_phrase_rows_are_unique_by_key_even_without_a_programme(engine: Engine) -> None:
    row = _phrase_row()
    with engine.begin() as conn:
        conn.execute(insert(finding_phrases), [row, {**row, "programme_id": 2}, {**row, "industry": "iot"}])
    for duplicate in (row, {**row, "programme_id": 2}):
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(insert(finding_phrases), [duplicate])


def _phrase_row(**changed: object) -> dict[str, object]:
    """A ``finding_phrases`` row without a programme."""
    row: dict[str, object] = {
        "model_version": "m/1",
        "agency_id": 1,
        "programme_id": None,
        "date": "",
        "region": "",
        "industry": "",
        "category": "c",
        "phrase": "장비 예약",
        "units": 1,
        "meetings_region": 1,
        "meetings_all": 1,
    }
    return {**row, **changed}


def _expression_index_skipped() -> None:
    warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index", SAWarning)


def test_migrate_creates_the_filter_indexes(engine: Engine) -> None:
    inspector = inspect(engine)
    with warnings.catch_warnings():
        _expression_index_skipped()
        indexed = {
            (table, tuple(index["column_names"])) for table in metadata.tables for index in inspector.get_indexes(table)
        }
    for expected in [
        ("units", ("meeting_id",)),
        ("units", ("organisation",)),
        ("taggings", ("model_version",)),
        ("jobs", ("status",)),
    ]:
        assert expected in indexed


def test_migrate_twice_is_a_no_op(engine: Engine) -> None:
    migrate(engine)
    assert current_revision(engine) == head_revision()


def test_migrate_from_several_threads_at_once(database_url: str) -> None:
    made = make_engine(database_url)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            migrate(made)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    made.dispose()
    assert errors == []


def test_migrations_ship_inside_the_package() -> None:
    assert (MIGRATIONS / "env.py").is_file()
    assert (MIGRATIONS / "versions" / "0001_initial.py").is_file()
    assert MIGRATIONS.is_relative_to(Path(__file__).resolve().parents[2] / "analyzer")


def test_sqlite_connections_get_wal_foreign_keys_full_sync_and_busy_timeout(tmp_path: Path) -> None:
    made = make_engine(f"sqlite:///{tmp_path / 'db' / 'x.db'}")
    with made.connect() as conn:
        pragma = {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "foreign_keys", "synchronous", "busy_timeout")
        }
    made.dispose()
    assert pragma == {"journal_mode": "wal", "foreign_keys": 1, "synchronous": 2, "busy_timeout": 10000}


def test_sqlite_writes_begin_immediate_and_reads_deferred(tmp_path: Path) -> None:
    made = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    statements: list[str] = []

    from sqlalchemy import event

    @event.listens_for(made, "before_cursor_execute")
    def _record(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    with made.begin() as conn:
        conn.exec_driver_sql("SELECT 1")
    with reader(made).connect() as conn:
        conn.exec_driver_sql("SELECT 1")
    made.dispose()
    assert [s for s in statements if s.startswith("BEGIN")] == ["BEGIN IMMEDIATE", "BEGIN DEFERRED"]


@pytest.mark.parametrize(
    ("given", "driver"),
    [
        ("postgresql://u@db/x", "postgresql+psycopg"),
        ("postgres://u@db/x", "postgresql+psycopg"),
        ("postgresql+psycopg://u@db/x", "postgresql+psycopg"),
        ("sqlite:///x.db", "sqlite"),
    ],
)
def test_normalise_url_uses_psycopg_3(given: str, driver: str) -> None:
    assert normalise_url(given).drivername == driver


def test_make_engine_refuses_other_databases() -> None:
    with pytest.raises(ValueError, match="unsupported"):
        make_engine("mysql://u@db/x")


def test_phrase_rows_sharing_a_key_are_merged_before_the_unique_index(database_url: str) -> None:
    """A database at revision 0018 holding phrase rows that share a key (no write makes them) migrates: the rows
    are merged, their counts summed."""
    row = _phrase_row(units=2)
    engine = make_engine(database_url)
    try:
        migrate(engine, "0018")
        with engine.begin() as conn:
            conn.execute(insert(finding_phrases), [row, {**row, "units": 3}, {**row, "phrase": "자금"}])
        migrate(engine)
        with engine.connect() as conn:
            phrases = finding_phrases.c
            found = conn.execute(select(phrases.phrase, phrases.units, phrases.meetings_all)).all()
    finally:
        engine.dispose()
    assert sorted(tuple(r) for r in found) == sorted([("장비 예약", 5, 2), ("자금", 2, 1)])


def test_cell_and_signature_rows_sharing_a_key_are_recomputed_before_their_unique_indexes(database_url: str) -> None:
    """A database at revision 0019 holding cell rows that share a key (no write makes them) migrates: the summary
    rows are recomputed from the label rows (here: none), and every key is then held once."""
    cell = {
        **{name: value for name, value in _phrase_row(category="").items() if name != "phrase"},
        "kind": "request",
        "needs_review": 0,
        "corrected": 0,
        "score": 1.0,
        "score_region": 1.0,
        "organisations": b"",
        "industries": "",
        "organisation_counts": "[]",
        "industry_counts": "[]",
    }
    engine = make_engine(database_url)
    try:
        migrate(engine, "0019")
        with engine.begin() as conn:
            conn.execute(insert(finding_cells), [cell, cell])
        migrate(engine)
        with engine.connect() as conn:
            assert conn.execute(select(finding_cells)).all() == []
    finally:
        engine.dispose()
