"""Real databases for the storage tests: a SQLite file per test, and a throwaway PostgreSQL cluster per session
(initdb + pg_ctl in a temp dir, unix socket only) with a fresh database per test."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import URL

from analyzer.analyze import Analyzer
from analyzer.classify.registry import default_models_root, deployed_dir
from analyzer.errors import AnalyzerError
from analyzer.store.blobs import BlobStore
from analyzer.store.engine import make_engine
from analyzer.store.jobs import UploadResult, enqueue_upload
from analyzer.store.migrate import migrate

MODEL = "test-model/1.0"
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def postgres_bin_dir() -> Path | None:
    """The newest ``/usr/lib/postgresql/<version>/bin`` that has ``initdb`` and ``pg_ctl``."""
    found = [
        path.parent for path in Path("/usr/lib/postgresql").glob("*/bin/pg_ctl") if (path.parent / "initdb").exists()
    ]
    return max(found, key=lambda path: int(path.parent.name)) if found else None


@dataclass
class PostgresServer:
    """A private cluster reachable only through the unix socket in ``socket_dir``."""

    socket_dir: Path
    port: int

    def url(self, database: str = "postgres") -> URL:
        return URL.create(
            "postgresql+psycopg",
            username="postgres",
            database=database,
            query={"host": str(self.socket_dir), "port": str(self.port)},
        )

    def admin(self) -> psycopg.Connection[Any]:
        return psycopg.connect(
            host=str(self.socket_dir), port=self.port, user="postgres", dbname="postgres", autocommit=True
        )

    def create_database(self) -> str:
        name = f"t_{uuid.uuid4().hex[:12]}"
        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        with self.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        reason = "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + "; they are required in CI")
        pytest.skip(reason)
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    base = Path(tempfile.mkdtemp(prefix="moksori-pg-"))
    if as_postgres:
        shutil.chown(base, "postgres", "postgres")
    data, port = base / "data", _free_port()
    subprocess.run(
        [
            *as_postgres,
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {base} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
    pg_ctl = [*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(data)]
    subprocess.run(
        [*pg_ctl, "-l", str(base / "server.log"), "-o", options, "-w", "start"], check=True, capture_output=True
    )
    try:
        yield PostgresServer(socket_dir=base, port=port)
    finally:
        subprocess.run([*pg_ctl, "-m", "immediate", "-w", "stop"], check=False, capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


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
    return BlobStore(tmp_path / "blobs")


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


def unit_and_tag_rows(
    texts: list[str], categories: list[list[str]] | None = None, kinds: list[str] | None = None, **unit: Any
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows as the worker builds them, for texts with the given model categories and kinds."""
    categories = categories or [["workforce"] for _ in texts]
    kinds = kinds or ["pain_point" for _ in texts]
    units, offset = [], 0
    for seq, text in enumerate(texts):
        units.append(
            {
                "seq": seq,
                "unit_kind": "sentence",
                "text": text,
                "start": offset,
                "end_offset": offset + len(text),
                "turn": seq,
                "speaker": unit.get("speaker", "화자-1"),
                "title": "대표",
                "organisation": unit.get("organisation", "㈜한빛전자"),
                "region": unit.get("region", ""),
                "industry": "",
                "keyphrases": ["인력 부족"],
                "meta": {},
            }
        )
        offset += len(text) + 1
    tags = [
        {
            "categories": cats,
            "probabilities": dict.fromkeys(cats, 0.9),
            "kind": kind,
            "kind_confidence": 0.8,
            "needs_review": False,
        }
        for cats, kind in zip(categories, kinds, strict=True)
    ]
    return units, tags


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
