"""A throwaway PostgreSQL cluster (initdb + pg_ctl in a temp dir, unix socket only) for the storage tests and the
findings benchmark."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy.engine import URL


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


@contextmanager
def scratch_postgres(bin_dir: Path) -> Iterator[PostgresServer]:
    """Start a new cluster in a temp dir (as the ``postgres`` user when run as root); remove it afterwards."""
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    base = Path(tempfile.mkdtemp(prefix="moksori-pg-"))
    if as_postgres:
        shutil.chown(base, "postgres", "postgres")
    data, port = base / "data", _free_port()
    initdb = [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8"]
    subprocess.run([*as_postgres, *initdb, "--no-locale", "--no-sync"], check=True, capture_output=True)
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
