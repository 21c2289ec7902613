"""A services context on each database (SQLite file, scratch PostgreSQL) with two agencies."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from analyzer.services.context import Context
from analyzer.settings import Settings
from analyzer.store.agencies import create_agency
from tests.store.conftest import database_url, postgres_server  # noqa: F401  (fixtures)

AGENCIES = ("한국산업기술진흥원", "경남테크노파크")


@pytest.fixture
def context(database_url: str, tmp_path: Path) -> Iterator[Context]:  # noqa: F811
    with Context.open(Settings(data_dir=tmp_path / "data"), database_url=database_url) as opened:
        for name in AGENCIES:
            create_agency(opened.engine, name)
        yield opened
