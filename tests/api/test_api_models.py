"""Deploy and re-analyse through the API, and a running worker following the deployed version."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from api_support import Keys, auth
from fastapi.testclient import TestClient
from model_fixtures import BAD, GOOD, NAME, TinyModels, make_models_root
from sqlalchemy import select

from analyzer.analyze import Analyzer
from analyzer.classify import registry
from analyzer.settings import Settings
from analyzer.store import jobs, keys
from analyzer.store.jobs import enqueue_upload
from analyzer.store.tables import taggings
from analyzer.taxonomy import load_taxonomy
from analyzer.worker import run_worker

MINUTES = (
    "사회자: 시작하겠습니다.\n"
    "김 대표: 장비 예약이 너무 밀려서 한 달씩 기다립니다. 인증 비용 지원을 늘려 주셨으면 합니다.\n"
)


@pytest.fixture()
def settings(tmp_path: Path, models: TinyModels) -> Settings:
    root = make_models_root(tmp_path / "models", models)
    return Settings(data_dir=tmp_path / "data", models_root=root, uploads_per_minute=1000, failed_auth_per_minute=1000)


@pytest.fixture()
def client(settings: Settings, models: TinyModels) -> TestClient:
    from api.app import create_app

    with TestClient(create_app(settings)) as test_client:
        test_client.app.state.context.evaluation_frame.set(models.frame)  # type: ignore[attr-defined]
        yield test_client  # type: ignore[misc]


def _pointer(root: Path) -> dict[str, str]:
    return json.loads((root / registry.DEPLOYED_FILE).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_only_admins_deploy_or_reanalyse(client: TestClient, api_keys: Keys, settings: Settings) -> None:
    for key in (api_keys.staff, api_keys.researcher, api_keys.leadership):
        for path, body in (("/api/v1/models/deploy", {"version": GOOD}), ("/api/v1/models/reanalyse", None)):
            response = client.post(path, json=body, headers=auth(key))
            assert response.status_code == 403, response.text
            assert response.headers["content-type"].startswith("application/problem+json")
            assert response.json()["code"] == "forbidden"
    assert client.post("/api/v1/models/deploy", json={"version": GOOD}).status_code == 401
    assert _pointer(settings.models_root)["version"] == GOOD  # type: ignore[arg-type]


def test_a_worse_model_is_refused_with_409_then_forced(client: TestClient, api_keys: Keys, settings: Settings) -> None:
    root: Path = settings.models_root  # type: ignore[assignment]
    refused = client.post("/api/v1/models/deploy", json={"version": BAD}, headers=auth(api_keys.admin))
    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith("application/problem+json")
    problem = refused.json()
    assert (problem["code"], problem["status"], problem["type"]) == ("deploy_refused", 409, "/errors/deploy_refused")
    assert problem["detail"].startswith("새 모델이 현재 모델보다 나빠") and "범주 micro F1" in problem["detail"]
    assert _pointer(root)["version"] == GOOD

    forced = client.post("/api/v1/models/deploy", json={"version": BAD, "force": True}, headers=auth(api_keys.admin))
    assert forced.status_code == 200, forced.text
    body = forced.json()
    assert body["deployed"] == f"{NAME}/{BAD}" and body["forced"] is True
    assert body["comparison"]["delta"]["micro_f1"] < 0
    assert set(body["comparison"]["candidate"]["per_label"]) == set(load_taxonomy().category_ids)
    assert _pointer(root)["version"] == BAD
    assert client.get("/api/v1/models/current", headers=auth(api_keys.admin)).json()["model_version"] == f"{NAME}/{BAD}"
    assert [line["to"] for line in map(json.loads, (root / "deployments.jsonl").read_text().splitlines())] == [
        f"{NAME}/{BAD}"
    ]


def test_deploy_validates_the_body_and_the_version(client: TestClient, api_keys: Keys) -> None:
    admin = auth(api_keys.admin)
    missing = client.post("/api/v1/models/deploy", json={"version": "9.9.9"}, headers=admin)
    assert missing.status_code == 404 and missing.json()["code"] == "model_not_found"
    unsafe = client.post("/api/v1/models/deploy", json={"version": "../2.0.0"}, headers=admin)
    assert unsafe.status_code == 422 and unsafe.json()["code"] == "invalid_request"


def test_routes_are_documented(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/models/deploy", "/api/v1/models/reanalyse"):
        operation = paths[path]["post"]
        assert operation["summary"] and "403" in operation["responses"]
    assert "409" in paths["/api/v1/models/deploy"]["post"]["responses"]


def test_reanalyse_then_a_running_worker_follows_the_deployment(
    client: TestClient, api_keys: Keys, settings: Settings, models: TinyModels, nlp
) -> None:  # type: ignore[no-untyped-def]
    state = client.app.state  # type: ignore[attr-defined]
    old, new = f"{NAME}/{GOOD}", f"{NAME}/{BAD}"
    stored = state.context.blobs.put_bytes(MINUTES.encode())
    enqueue_upload(
        state.context.engine,
        agency="한국산업기술진흥원",
        programme=None,
        meeting={"title": "간담회"},
        filename="간담회.txt",
        sha256=stored.sha256,
        size=stored.size,
        fmt="txt",
        encoding=None,
        blob_path=stored.path,
        model_version=old,
    )
    admin = auth(api_keys.admin)
    assert client.post("/api/v1/models/deploy", json={"version": BAD, "force": True}, headers=admin).status_code == 200
    queued = client.post("/api/v1/models/reanalyse", headers=admin)
    assert queued.status_code == 200 and queued.json() == {"model_version": new, "queued": 1, "remapped": 0}
    assert client.post("/api/v1/models/reanalyse", headers=admin).json()["queued"] == 0  # idempotent
    assert jobs.counts(state.context.engine, new)["queued"] == 1

    # a worker started on the old model switches to the deployed one before claiming
    analyzer = Analyzer(morphology=nlp.tokenizer, tagger=models.good, taxonomy=load_taxonomy(), pseudonym_key=b"k" * 32)
    stop = threading.Event()
    timer = threading.Timer(120, stop.set)
    timer.start()
    try:
        ran = run_worker(
            state.context.engine,
            state.context.blobs,
            analyzer,
            worker_id="follower",
            poll_seconds=0.05,
            max_jobs=1,
            stop=stop,
            models_root=settings.models_root,
        )
    finally:
        timer.cancel()
    assert ran == 1
    assert jobs.counts(state.context.engine, new)["done"] == 1
    assert jobs.counts(state.context.engine, old)["queued"] == 1  # the old version's job is left alone
    with state.context.engine.connect() as conn:
        versions = set(conn.execute(select(taggings.c.model_version)).scalars())
    assert versions == {new}


def test_a_worker_without_models_root_keeps_its_version(
    client: TestClient, settings: Settings, models: TinyModels, nlp
) -> None:  # type: ignore[no-untyped-def]
    registry.set_deployed(settings.models_root, NAME, BAD)  # type: ignore[arg-type]
    analyzer = Analyzer(morphology=nlp.tokenizer, tagger=models.good, taxonomy=load_taxonomy(), pseudonym_key=b"k" * 32)
    state = client.app.state  # type: ignore[attr-defined]
    stop = threading.Event()
    stop.set()
    assert run_worker(state.context.engine, state.context.blobs, analyzer, worker_id="pinned", stop=stop) == 0
    assert analyzer.tagger.model_version == f"{NAME}/{GOOD}"


def test_a_fresh_data_dir_serves_the_shipped_model_and_deploys_into_itself(
    tmp_path: Path, api_keys: Keys, models: TinyModels
) -> None:
    from api.app import create_app

    shipped = registry.shipped_models_root()
    before = (shipped / registry.DEPLOYED_FILE).read_bytes()
    data_dir = tmp_path / "fresh"
    root = Settings(data_dir=data_dir).effective_models_root
    assert root == data_dir / "models"
    (make_models_root(root, models) / registry.DEPLOYED_FILE).unlink()  # versions of its own, nothing deployed yet
    with TestClient(create_app(Settings(data_dir=data_dir))) as fresh:
        fresh.app.state.context.evaluation_frame.set(models.frame)  # type: ignore[attr-defined]
        engine = fresh.app.state.context.engine  # type: ignore[attr-defined]
        admin = auth(keys.create_key(engine, "admin", None, "admin", None)[1])
        current = fresh.get("/api/v1/models/current", headers=admin)
        assert current.status_code == 200, current.text
        shipped_version = registry.pointer(shipped)
        assert current.json()["model_version"] == "/".join(shipped_version or ())
        deployed = fresh.post("/api/v1/models/deploy", json={"version": GOOD, "force": True}, headers=admin)
        assert deployed.status_code == 200, deployed.text
        assert deployed.json()["previous"] == "/".join(shipped_version or ())
        assert fresh.get("/api/v1/models/current", headers=admin).json()["model_version"] == f"{NAME}/{GOOD}"
    assert _pointer(root) == {"name": NAME, "version": GOOD}
    assert (shipped / registry.DEPLOYED_FILE).read_bytes() == before
