"""The service follows the deployed model's taxonomy: labels and corrections use it, and deploying a model on a
changed taxonomy carries the stored corrections over by the declared changes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api_support import Keys, auth
from fastapi.testclient import TestClient
from model_fixtures import GOOD, NAME, TinyModels, make_models_root
from taxonomy_fixtures import evolved

from analyzer.classify.artefact import save_tagger
from analyzer.classify.tagger import Tagger
from analyzer.corpus import relabelled
from analyzer.lexicon import load_lexicon
from analyzer.settings import Settings
from analyzer.store import jobs, queries
from analyzer.taxonomy import load_taxonomy
from tests.store.rows import unit_and_tag_rows

V2 = "3.0.0"


@pytest.fixture()
def settings(tmp_path: Path, models: TinyModels) -> Settings:
    root = make_models_root(tmp_path / "models", models)
    frame = relabelled(models.frame, evolved(), load_taxonomy())
    tagger = Tagger.fit(frame, evolved(), load_lexicon(), name=NAME, version=V2)
    save_tagger(tagger, root / NAME / V2)
    return Settings(data_dir=tmp_path / "data", models_root=root, uploads_per_minute=1000, failed_auth_per_minute=1000)


@pytest.fixture()
def client(settings: Settings, models: TinyModels) -> Iterator[TestClient]:
    from api.app import create_app

    with TestClient(create_app(settings)) as test_client:
        test_client.app.state.context.evaluation_frame.set(models.frame)  # type: ignore[attr-defined]
        yield test_client


def _one_unit(client: TestClient) -> int:
    engine = client.app.state.context.engine  # type: ignore[attr-defined]
    jobs.enqueue_upload(
        engine,
        agency="한국산업기술진흥원",
        programme=None,
        meeting={"title": "간담회"},
        filename="a.txt",
        sha256="a" * 64,
        size=3,
        fmt="txt",
        encoding="utf-8",
        blob_path="blobs/a",
        model_version=f"{NAME}/{GOOD}",
    )
    job = jobs.claim(engine, "w", 60)
    assert job is not None
    assert jobs.complete(engine, job, *unit_and_tag_rows(["지원사업 서류가 너무 많습니다."]), {})
    rows, _ = queries.list_units(engine, agency_id=None, model_version=f"{NAME}/{GOOD}")
    return int(rows[0]["unit_id"])


@pytest.mark.slow
def test_deploying_a_changed_taxonomy_switches_labels_and_carries_corrections_over(
    client: TestClient, api_keys: Keys
) -> None:
    staff, admin = auth(api_keys.staff), auth(api_keys.admin)
    unit_id = _one_unit(client)
    before = client.post(
        f"/api/v1/units/{unit_id}/corrections",
        json={"categories": ["support_program"], "kind": "pain_point"},
        headers=staff,
    )
    assert before.status_code == 201 and before.json()["taxonomy"] == "moksori-default@1"
    assert client.get("/api/v1/taxonomy", headers=staff).json()["key"] == "moksori-default@1"

    deployed = client.post("/api/v1/models/deploy", json={"version": V2, "tolerance": 1.0}, headers=admin)

    assert deployed.status_code == 200, deployed.text
    assert deployed.json()["corrections"] == {"remapped": 1, "unmapped": 0}
    assert deployed.json()["comparison"]["taxonomy"] == "moksori-default@2"
    taxonomy = client.get("/api/v1/taxonomy", headers=staff).json()
    assert taxonomy["key"] == "moksori-default@2" and "carbon_neutral" in [c["id"] for c in taxonomy["categories"]]
    retired = client.post(
        f"/api/v1/units/{unit_id}/corrections", json={"categories": ["regulation"], "kind": "request"}, headers=staff
    )
    assert retired.status_code == 422 and retired.json()["code"] == "invalid_request"
    added = client.post(
        f"/api/v1/units/{unit_id}/corrections",
        json={"categories": ["carbon_neutral"], "kind": "request"},
        headers=staff,
    )
    assert added.status_code == 201 and added.json()["taxonomy"] == "moksori-default@2"
    history = queries.corrections_of(client.app.state.context.engine, unit_id)  # type: ignore[attr-defined]
    assert [(row["taxonomy"], row["categories"]) for row in history] == [
        ("moksori-default@1", ["support_program"]),
        ("moksori-default@2", ["program_operation"]),
        ("moksori-default@2", ["carbon_neutral"]),
    ]
    page = client.get("/review", headers={"Cookie": f"moksori_key={api_keys.staff}"})
    assert page.status_code == 200
