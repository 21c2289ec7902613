"""A real app on a real SQLite file, keys for every role and two agencies, and a worker to run jobs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api_support import Keys
from fastapi.testclient import TestClient
from model_fixtures import TinyModels, tiny_models

from analyzer.settings import Settings
from analyzer.store import keys
from analyzer.store.tables import agencies
from api.app import create_app


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", uploads_per_minute=1000, failed_auth_per_minute=1000)


@pytest.fixture()
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture()
def api_keys(client: TestClient) -> Keys:
    engine = client.app.state.context.engine  # type: ignore[attr-defined]
    with engine.begin() as connection:
        ids = {
            name: connection.execute(agencies.insert().values(name=name)).inserted_primary_key[0]
            for name in ("한국산업기술진흥원", "경남테크노파크")
        }
    own, other = ids["한국산업기술진흥원"], ids["경남테크노파크"]
    return Keys(
        admin=keys.create_key(engine, "admin", None, "admin", None)[1],
        staff=keys.create_key(engine, "staff", own, "staff", None)[1],
        leadership=keys.create_key(engine, "leadership", own, "lead", None)[1],
        researcher=keys.create_key(engine, "researcher", own, "research", None)[1],
        other_staff=keys.create_key(engine, "staff", other, "other", None)[1],
    )


@pytest.fixture(scope="session")
def analyzer_instance():  # type: ignore[no-untyped-def]
    from analyzer.analyze import Analyzer
    from analyzer.classify.registry import deployed_dir, shipped_models_root

    return Analyzer.load(deployed_dir(shipped_models_root()), b"test-pseudonym-key")


@pytest.fixture(scope="module")
def models(nlp) -> TinyModels:  # type: ignore[no-untyped-def]
    """Two tiny real models (trained once per session) for the deploy tests."""
    return tiny_models(nlp)
