"""Online backup of SQLite while it is in use, and restore; row counts compare the two."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from analyzer.store import jobs, keys
from analyzer.store.backup import backup, restore, row_counts
from analyzer.store.engine import make_engine
from analyzer.store.migrate import migrate
from tests.store.conftest import Upload
from tests.store.rows import unit_and_tag_rows


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'live.db'}"


def filled(engine: Engine, upload: Upload) -> dict[str, int]:
    for n in range(3):
        upload(f"doc {n}".encode())
    job = jobs.claim(engine, "w", 60)
    assert job is not None and jobs.complete(engine, job, *unit_and_tag_rows(["가", "나", "다"]), {})
    keys.create_key(engine, "admin", None)
    return row_counts(engine)


def test_row_counts_cover_every_table(engine: Engine, upload: Upload) -> None:
    counts = filled(engine, upload)
    assert counts == {
        "agencies": 1,
        "programmes": 1,
        "meetings": 3,
        "documents": 3,
        "units": 3,
        "taggings": 3,
        "corrections": 0,
        "jobs": 3,
        "api_keys": 1,
        "audit_log": 0,
        # what findings count from: label rows of the 3 tagged units and the summary rows of their partitions
        "unit_tags": 3,
        "unit_categories": 3,
        "unit_phrases": 3,
        "finding_cells": 2,
        "finding_phrases": 2,
        "finding_signatures": 1,
        "organisation_keys": 1,
        # the cache key's version row (migration 0009) and the partitions the one write changed (migration 0013)
        "data_version": 1,
        "summary_changes": 1,
        # follow-up actions and alerts: none yet
        "actions": 0,
        "action_units": 0,
        "action_history": 0,
        "alerts": 0,
    }


def test_backup_while_open_then_restore(engine: Engine, upload: Upload, tmp_path: Path) -> None:
    counts = filled(engine, upload)
    with engine.connect() as reading:  # an open reader does not block the online backup
        reading.exec_driver_sql("SELECT count(*) FROM units").scalar()
        target = backup(engine, tmp_path / "copy.db")
    assert target.is_file()
    copy = make_engine(f"sqlite:///{target}")
    assert row_counts(copy) == counts
    copy.dispose()

    upload(b"after the backup")
    assert row_counts(engine)["documents"] == 4
    restore(target, engine)
    assert row_counts(engine) == counts


def test_backup_from_a_url_refuses_an_existing_target(
    engine: Engine, upload: Upload, database_url: str, tmp_path: Path
) -> None:
    filled(engine, upload)
    target = backup(database_url, tmp_path / "copy.db")
    with pytest.raises(FileExistsError):
        backup(database_url, target)
    fresh = make_engine(f"sqlite:///{target}")
    migrate(fresh)  # already at head: nothing to do
    assert row_counts(fresh)["units"] == 3
    fresh.dispose()


@pytest.mark.postgres
def test_backup_of_postgresql_is_refused(postgres_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    name = postgres_server.create_database()
    made = make_engine(postgres_server.url(name))
    try:
        migrate(made)
        assert row_counts(made)["jobs"] == 0
        with pytest.raises(ValueError, match="own tools"):
            backup(made, tmp_path / "x.db")
    finally:
        made.dispose()
        postgres_server.drop_database(name)
