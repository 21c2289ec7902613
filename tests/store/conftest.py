"""Real databases for the storage tests: a SQLite file per test, and a throwaway PostgreSQL cluster per session
(initdb + pg_ctl in a temp dir, unix socket only) with a fresh database per test."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from analyzer.analyze import Analyzer
from analyzer.classify.registry import default_models_root, deployed_dir
from analyzer.errors import AnalyzerError
from analyzer.secrets import key_home
from analyzer.store.blobs import BlobStore
from analyzer.store.engine import make_engine
from analyzer.store.jobs import UploadResult, enqueue_upload
from analyzer.store.migrate import migrate
from tests.postgres_support import PostgresServer, postgres_bin_dir, scratch_postgres
from tests.store.stored import MODEL

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        reason = "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + "; they are required in CI")
        pytest.skip(reason)
    with scratch_postgres(bin_dir) as server:
        yield server


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database: a SQLite file in ``tmp_path`` or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'moksori.db'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = server.create_database()
    try:
        yield server.url(name).render_as_string(hide_password=False)
    finally:
        server.drop_database(name)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A migrated engine on each backend."""
    made = make_engine(database_url)
    migrate(made)
    try:
        yield made
    finally:
        made.dispose()


@pytest.fixture
def blobs(tmp_path: Path) -> BlobStore:
    return BlobStore.open(tmp_path / "blobs", key_home() / "originals.key")


Upload = Callable[..., UploadResult]


@pytest.fixture
def upload(engine: Engine, blobs: BlobStore) -> Upload:
    """Store bytes and enqueue them, with sensible defaults for everything else."""

    def _upload(
        data: bytes,
        *,
        agency: str = "한국산업기술진흥원",
        programme: str | None = "산업기반구축사업",
        filename: str = "minutes.txt",
        model_version: str = MODEL,
        **meeting: str,
    ) -> UploadResult:
        stored = blobs.put_bytes(data)
        return enqueue_upload(
            engine,
            agency=agency,
            programme=programme,
            meeting={"title": "", **meeting},
            filename=filename,
            sha256=stored.sha256,
            size=stored.size,
            fmt="txt",
            encoding="utf-8",
            blob_path=stored.path,
            model_version=model_version,
        )

    return _upload


@pytest.fixture(scope="session")
def shipped_model_dir() -> Path:
    """The deployed model of ``models/`` (skipped while it is not built yet, except in CI)."""
    try:
        return deployed_dir(default_models_root())
    except AnalyzerError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the shipped model is required in CI: {exc}")
        pytest.skip(f"the shipped model is not built yet: {exc}")


@pytest.fixture(scope="session")
def shipped_analyzer(shipped_model_dir: Path) -> Analyzer:
    """One analyzer with the shipped model for the whole session (about 10 s to load)."""
    return Analyzer.load(shipped_model_dir, bytes(range(32)))
