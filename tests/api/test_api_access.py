"""Roles and access: every route declares scopes, other agencies' objects are 404, roles see what they may."""

from __future__ import annotations

import pytest
from api_support import Keys, api_routes, auth, run_jobs
from fastapi import APIRouter
from fastapi.testclient import TestClient

from api.app import create_app
from api.security import caller

PUBLIC = {"/api/v1/health", "/login", "/logout", "/fonts/NanumGothic.ttf", "/docs"}


def _has_caller(dependant) -> bool:  # type: ignore[no-untyped-def]
    if dependant.call is caller or getattr(dependant.call, "required_scopes", None):
        return True
    return any(_has_caller(d) for d in dependant.dependencies)


def _unprotected(app) -> tuple[list[str], int]:  # type: ignore[no-untyped-def]
    found = list(api_routes(app.routes))
    return [path for path, route in found if path not in PUBLIC and not _has_caller(route.dependant)], len(found)


def test_every_route_declares_its_scopes() -> None:
    unprotected, checked = _unprotected(create_app())
    assert checked >= 25
    assert unprotected == []


def test_route_walk_finds_an_unprotected_route() -> None:
    app = create_app()
    router = APIRouter()
    router.add_api_route("/forgotten", lambda: {}, methods=["GET"])
    app.include_router(router, prefix="/api/v1")
    assert _unprotected(app)[0] == ["/api/v1/forgotten"]


@pytest.fixture()
def meeting_id(client: TestClient, api_keys: Keys, analyzer_instance) -> int:  # type: ignore[no-untyped-def]
    response = client.post(
        "/api/v1/uploads",
        headers=auth(api_keys.staff),
        files={"file": ("m.txt", "사회자: 시작합니다\n○ 김OO 대표: 장비 예약이 어렵습니다.".encode())},
        data={"title": "접근 시험"},
    )
    run_jobs(client, analyzer_instance)
    return int(response.json()["meeting_id"])


MATRIX = [
    # (role, method, path template, expected status)
    ("staff", "GET", "/api/v1/meetings/{m}", 200),
    ("other_staff", "GET", "/api/v1/meetings/{m}", 404),
    ("leadership", "GET", "/api/v1/meetings/{m}", 200),
    ("researcher", "GET", "/api/v1/meetings/{m}", 200),
    ("admin", "GET", "/api/v1/meetings/{m}", 200),
    ("staff", "GET", "/api/v1/findings", 403),
    ("leadership", "GET", "/api/v1/findings", 200),
    ("researcher", "GET", "/api/v1/findings", 200),
    ("leadership", "GET", "/api/v1/units", 403),
    ("staff", "GET", "/api/v1/units", 200),
    ("researcher", "GET", "/api/v1/corrections", 200),
    ("staff", "GET", "/api/v1/corrections", 403),
    ("staff", "GET", "/api/v1/keys", 403),
    ("admin", "GET", "/api/v1/keys", 200),
    ("researcher", "GET", "/api/v1/models/current", 200),
    ("leadership", "GET", "/api/v1/models/current", 403),
    ("leadership", "POST", "/api/v1/uploads", 403),
]


@pytest.mark.parametrize(("role", "method", "path", "status"), MATRIX)
def test_role_owner_endpoint_matrix(
    client: TestClient, api_keys: Keys, meeting_id: int, role: str, method: str, path: str, status: int
) -> None:
    response = client.request(method, path.format(m=meeting_id), headers=auth(getattr(api_keys, role)))
    assert response.status_code == status, response.text


def test_other_agency_units_are_invisible(client: TestClient, api_keys: Keys, meeting_id: int) -> None:
    mine = client.get("/api/v1/units", params={"meeting_id": meeting_id}, headers=auth(api_keys.staff)).json()
    theirs = client.get("/api/v1/units", params={"meeting_id": meeting_id}, headers=auth(api_keys.other_staff)).json()
    assert mine["total"] > 0 and theirs["total"] == 0
    unit = mine["items"][0]["unit_id"]
    response = client.post(
        f"/api/v1/units/{unit}/corrections",
        headers=auth(api_keys.other_staff),
        json={"categories": [], "kind": "neutral"},
    )
    assert response.status_code == 404


def test_keys_are_shown_once_and_revocable(client: TestClient, api_keys: Keys) -> None:
    created = client.post(
        "/api/v1/keys", headers=auth(api_keys.admin), json={"role": "leadership", "agency": "한국산업기술진흥원"}
    )
    assert created.status_code == 201
    key = created.json()["key"]
    assert client.get("/api/v1/findings", headers=auth(key)).status_code == 200
    listed = client.get("/api/v1/keys", headers=auth(api_keys.admin)).text
    assert key not in listed
    assert client.delete(f"/api/v1/keys/{created.json()['id']}", headers=auth(api_keys.admin)).status_code == 204
    assert client.get("/api/v1/findings", headers=auth(key)).status_code == 401


def test_failed_auth_is_rate_limited(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from analyzer.settings import Settings

    with TestClient(create_app(Settings(data_dir=tmp_path / "d", failed_auth_per_minute=3))) as limited:
        responses = [limited.get("/api/v1/meetings", headers=auth("mks_x_y")) for _ in range(5)]
    assert [r.status_code for r in responses] == [401, 401, 401, 429, 429]
    assert "요청이 너무 많습니다" in responses[-1].json()["detail"]


@pytest.mark.parametrize("query", ["q=a&q=b", "limit=5&limit=10", "category=funding&q=x&category=workforce"])
def test_a_query_parameter_given_twice_is_refused(client: TestClient, api_keys: Keys, query: str) -> None:
    response = client.get(f"/api/v1/units?{query}", headers=auth(api_keys.admin))
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"
    assert "repeated query parameter" in response.json()["detail"]
    assert client.get("/api/v1/units?q=a&limit=5", headers=auth(api_keys.admin)).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/meetings/9223372036854775808",
        "/api/v1/jobs/9223372036854775808",
        "/api/v1/units?meeting_id=9223372036854775808",
        "/api/v1/units?offset=9223372036854775808",
        "/api/v1/meetings/0",
    ],
)
def test_ids_beyond_what_the_database_holds_are_refused(client: TestClient, api_keys: Keys, path: str) -> None:
    response = client.get(path, headers=auth(api_keys.admin))
    assert response.status_code == 422 and response.json()["code"] == "invalid_request"
    assert client.get("/api/v1/meetings/9223372036854775807", headers=auth(api_keys.admin)).status_code == 404
