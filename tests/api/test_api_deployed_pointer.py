"""A bad deployed-model pointer has one behaviour: ``model_not_found`` in the app, and the worker keeps its model."""

from __future__ import annotations

import pytest
from api_support import Keys, auth
from fastapi.testclient import TestClient

from analyzer.classify import registry
from analyzer.errors import CODE_CLASS
from analyzer.services.deployed import DeployedWatcher
from analyzer.settings import Settings
from analyzer.worker import follow


@pytest.mark.parametrize("content", ["{broken", '{"name": "moksori-ko", "version": "없는-버전"}'])
def test_a_bad_pointer_is_model_not_found_on_every_route_that_needs_the_model(
    client: TestClient, api_keys: Keys, settings: Settings, content: str
) -> None:
    root = settings.effective_models_root
    root.mkdir(parents=True, exist_ok=True)
    (root / registry.DEPLOYED_FILE).write_text(content, encoding="utf-8")
    for path in ("/api/v1/findings", "/api/v1/models/current", "/api/v1/taxonomy"):
        response = client.get(path, headers=auth(api_keys.admin))
        assert response.status_code == CODE_CLASS["model_not_found"].status, (path, response.text)
        assert response.json()["code"] == "model_not_found"


def test_a_worker_keeps_its_model_when_the_pointer_goes_bad(tmp_path, analyzer_instance) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "models"
    root.mkdir()
    (root / registry.DEPLOYED_FILE).write_text("{broken", encoding="utf-8")
    assert follow(DeployedWatcher(root), analyzer_instance) is analyzer_instance
