"""Property-based requests generated from the OpenAPI spec: no server errors, responses match the schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from analyzer.settings import Settings
from analyzer.store import keys
from api.app import create_app

ADMIN_KEY: dict[str, str] = {}


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    app = create_app(
        Settings(
            data_dir=Path(tmp_path_factory.mktemp("schemathesis")),
            uploads_per_minute=100_000,
            failed_auth_per_minute=100_000,
        )
    )
    with TestClient(app):  # runs the lifespan: engine, blobs and taxonomy are on app.state
        ADMIN_KEY["value"] = keys.create_key(app.state.context.engine, "admin", None, "schemathesis", None)[1]
        yield schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.slow
@schema.exclude(method="DELETE").parametrize()
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_follows_its_openapi_spec(case) -> None:  # type: ignore[no-untyped-def]
    response = case.call(headers={"Authorization": f"Bearer {ADMIN_KEY['value']}"})
    assert response.status_code < 500, response.text
    # A schema-valid upload can still be refused for its content (an empty file is `empty_file`, 422): the
    # schema cannot say "non-empty", so the check that schema-valid data is always accepted does not apply.
    case.validate_response(response, excluded_checks=[positive_data_acceptance])
