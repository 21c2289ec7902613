"""Authorisation by agency all the way down: a generated walk of every API route × role × {own agency, other
agency, global}, judged against a policy written here (not derived from the code), plus the key-route escalations.

Agency B's objects carry a marker string; no answer to a key of agency A may ever contain it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from api_support import api_routes, auth, run_jobs
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

from analyzer.settings import Settings
from analyzer.store import keys
from analyzer.store.agencies import create_agency
from analyzer.store.alerts import store_new
from api.app import create_app
from api.security import CallerWith

OWN, OTHER = "한국산업기술진흥원", "경남테크노파크"
MARKER = "타기관비밀표식"
CALLERS = ("staff", "leadership", "researcher", "admin", "global_admin")
ANY = frozenset(CALLERS)
ADMINS = frozenset({"admin", "global_admin"})
READERS = ANY  # meetings:read is every role's
GLOBAL_ONLY = frozenset({"global_admin"})
STAFF_ADMINS = frozenset({"staff", "admin", "global_admin"})
FOLLOW_UP = frozenset({"staff", "leadership", "admin", "global_admin"})  # actions and alerts

#: Who may call each route (method, path) at all; 403 for everyone else. A route missing here fails the walk.
POLICY: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/api/v1/health"): ANY,
    ("POST", "/api/v1/uploads"): frozenset({"staff", "admin", "global_admin"}),
    ("GET", "/api/v1/jobs/{job_id}"): READERS,
    ("GET", "/api/v1/meetings"): READERS,
    ("GET", "/api/v1/meetings/{meeting_id}"): READERS,
    ("DELETE", "/api/v1/meetings/{meeting_id}"): frozenset({"staff", "admin", "global_admin"}),
    ("DELETE", "/api/v1/documents/{document_id}"): frozenset({"staff", "admin", "global_admin"}),
    ("GET", "/api/v1/units"): frozenset({"staff", "researcher", "admin", "global_admin"}),
    ("POST", "/api/v1/units/{unit_id}/corrections"): frozenset({"staff", "admin", "global_admin"}),
    ("GET", "/api/v1/corrections"): frozenset({"researcher", "admin", "global_admin"}),
    ("GET", "/api/v1/findings"): frozenset({"leadership", "researcher", "admin", "global_admin"}),
    ("GET", "/api/v1/findings/export.{fmt}"): frozenset({"leadership", "researcher", "admin", "global_admin"}),
    ("GET", "/api/v1/reports"): frozenset({"leadership", "researcher", "admin", "global_admin"}),
    ("GET", "/api/v1/meetings/{meeting_id}/report"): READERS,
    ("GET", "/api/v1/taxonomy"): ANY,
    ("GET", "/api/v1/models/current"): frozenset({"researcher", "admin", "global_admin"}),
    ("POST", "/api/v1/models/deploy"): GLOBAL_ONLY,
    ("POST", "/api/v1/models/reanalyse"): GLOBAL_ONLY,
    ("POST", "/api/v1/keys"): ADMINS,
    ("GET", "/api/v1/keys"): ADMINS,
    ("DELETE", "/api/v1/keys/{key_id}"): ADMINS,
    ("GET", "/api/v1/audit"): ADMINS,
    ("POST", "/api/v1/agencies"): GLOBAL_ONLY,
    ("GET", "/api/v1/agencies"): ADMINS,
    ("POST", "/api/v1/actions"): STAFF_ADMINS,
    ("GET", "/api/v1/actions"): FOLLOW_UP,
    ("GET", "/api/v1/action-status"): FOLLOW_UP,
    ("GET", "/api/v1/actions-export.{fmt}"): FOLLOW_UP,
    ("GET", "/api/v1/actions/{action_id}"): FOLLOW_UP,
    ("PATCH", "/api/v1/actions/{action_id}"): STAFF_ADMINS,
    ("GET", "/api/v1/actions/{action_id}/history"): FOLLOW_UP,
    ("GET", "/api/v1/alerts"): FOLLOW_UP,
    ("POST", "/api/v1/alerts/scan"): FOLLOW_UP,
    ("POST", "/api/v1/alerts/{alert_id}/acknowledge"): FOLLOW_UP,
    ("GET", "/api/v1/candidates"): frozenset({"leadership", "researcher", "admin", "global_admin"}),
    ("POST", "/api/v1/candidates/{candidate_id}/promote"): GLOBAL_ONLY,
}
#: Bodies that pass validation, so that an allowed caller reaches the object lookup (and its 404).
BODIES = {
    ("POST", "/api/v1/units/{unit_id}/corrections"): {"categories": [], "kind": "neutral"},
    ("PATCH", "/api/v1/actions/{action_id}"): {"status": "reviewing", "answer": ""},
    ("POST", "/api/v1/candidates/{candidate_id}/promote"): {"category": "new_issue", "label": "새 범주"},
}


@dataclass
class World:
    client: TestClient
    keys: dict[str, str]  # caller name → key (A-scoped, or global for global_admin)
    own: dict[str, int]  # path parameter → id of an agency-A object
    other: dict[str, int]  # path parameter → id of an agency-B object


def _objects(client: TestClient, key: str, marker: str) -> dict[str, int]:
    text = f"사회자: {marker} 간담회를 시작합니다.\n○ 김OO 대표: {marker} 장비 예약이 너무 어렵습니다.\n"
    accepted = client.post(
        "/api/v1/uploads", headers=auth(key), files={"file": (f"{marker}.txt", text.encode())}, data={"title": marker}
    ).json()
    return {"meeting_id": accepted["meeting_id"], "document_id": accepted["document_id"], "job_id": accepted["job_id"]}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, analyzer_instance: Any) -> Iterator[World]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("authz"), uploads_per_minute=1000, failed_auth_per_minute=1000)
    with TestClient(create_app(settings)) as client:
        engine = client.app.state.context.engine  # type: ignore[attr-defined]
        a, b = create_agency(engine, OWN), create_agency(engine, OTHER)
        made = {role: keys.create_key(engine, role, a, role) for role in ("staff", "leadership", "researcher", "admin")}
        made["global_admin"] = keys.create_key(engine, "admin", None, "global")
        other_staff = keys.create_key(engine, "staff", b, MARKER)
        other_admin = keys.create_key(engine, "admin", b, MARKER)
        own = _objects(client, made["staff"][1], "우리기관회의")
        other = _objects(client, other_staff[1], MARKER)
        run_jobs(client, analyzer_instance)
        for objects, key in ((own, made["staff"][1]), (other, other_staff[1])):
            units = client.get("/api/v1/units", params={"meeting_id": objects["meeting_id"]}, headers=auth(key))
            objects["unit_id"] = units.json()["items"][0]["unit_id"]
            body = {"unit_ids": [objects["unit_id"]], "title": MARKER if objects is other else "우리 조치"}
            made_action = client.post("/api/v1/actions", headers=auth(key), json=body)
            objects["action_id"] = made_action.json()["id"]
            objects["candidate_id"] = "0" * 12  # no such candidate: promoting it is 404 for the one allowed caller
            alert = {"agency_id": a if objects is own else b, "kind": "overdue", "key": "test", "detail": {}}
            objects["alert_id"] = store_new(engine, [{**alert, "title": body["title"]}])[0]
        own["key_id"], other["key_id"] = made["leadership"][0], other_admin[0]
        yield World(client, {name: plain for name, (_, plain) in made.items()}, own, other)


def _url(path: str, ids: dict[str, int]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: "csv" if m.group(1) == "fmt" else str(ids[m.group(1)]), path)


def walk(app: FastAPI, world: World, policy: dict[tuple[str, str], frozenset[str]]) -> list[str]:
    """Every way the app departs from *policy*: a wrong 401/403, another agency's object reachable, or agency
    B's marker in an answer to an agency-A key. Destructive routes run last and only where they must fail."""
    found: list[str] = []
    calls = []
    for path, route in api_routes(app.routes):
        if not path.startswith("/api/v1/"):
            continue  # dashboard pages: tests/api/test_dashboard_pages.py and the browser tests
        for method in route.methods:
            if (method, path) not in policy:
                found.append(f"{method} {path}: not in the policy")
                continue
            for name in CALLERS:
                variants = ("own", "other") if "{" in path.replace("{fmt}", "") else ("own",)
                for variant in variants:
                    if method == "DELETE" and (variant == "own" or name == "global_admin"):
                        continue  # the objects stay for the other checks; allowed deletions are tested on their own
                    calls.append((method == "DELETE", method, path, name, variant))
    for _, method, path, name, variant in sorted(calls):
        ids = world.own if variant == "own" else world.other
        url = _url(path, ids)
        response = world.client.request(
            method,
            url,
            headers=auth(world.keys[name]),
            json=BODIES.get((method, path), {}) if method != "GET" else None,
        )
        allowed = name in policy[(method, path)]
        where = f"{name} {method} {url} ({variant}) → {response.status_code}"
        if response.status_code == 401:
            found.append(f"{where}: a valid key was refused")
        elif not allowed and response.status_code != 403:
            found.append(f"{where}: should be 403")
        elif allowed and response.status_code == 403:
            found.append(f"{where}: should be allowed")
        elif allowed and variant == "other" and name != "global_admin" and response.status_code != 404:
            found.append(f"{where}: another agency's object must be 404")
        if name != "global_admin" and MARKER in response.text:
            found.append(f"{where}: agency B's data in the answer")
    return found


def test_every_route_role_and_agency_follows_the_policy(world: World) -> None:
    app = world.client.app
    assert len(list(api_routes(app.routes))) >= 20  # type: ignore[attr-defined]
    assert walk(app, world, POLICY) == []  # type: ignore[arg-type]


def test_the_walk_catches_an_escalation(world: World) -> None:
    """A route that lists every agency's keys to an agency admin, and a global operation open to it: both found."""
    from analyzer.store.keys import list_keys

    router = APIRouter()

    @router.get("/leaky-keys")
    def leaky(caller: CallerWith("keys")) -> list[str]:  # type: ignore[valid-type]
        return [row["label"] for row in list_keys(world.client.app.state.context.engine)]  # type: ignore[attr-defined]

    @router.post("/global-operation")
    def operation(caller: CallerWith("keys")) -> dict[str, bool]:  # type: ignore[valid-type]
        return {"done": True}

    app = world.client.app
    app.include_router(router, prefix="/api/v1")  # type: ignore[attr-defined]
    policy = {**POLICY, ("GET", "/api/v1/leaky-keys"): ADMINS, ("POST", "/api/v1/global-operation"): GLOBAL_ONLY}
    found = walk(app, world, policy)  # type: ignore[arg-type]
    assert any("leaky-keys" in line and "agency B's data" in line for line in found)
    assert any("global-operation" in line and "should be 403" in line for line in found)


def _create(world: World, caller: str, **body: Any) -> Any:
    return world.client.post("/api/v1/keys", headers=auth(world.keys[caller]), json=body)


def test_an_agency_admin_cannot_mint_a_global_or_foreign_key(world: World) -> None:
    assert _create(world, "admin", role="admin").json()["role"] == "admin"  # its own agency, no more
    created = _create(world, "admin", role="admin")
    listed = world.client.get("/api/v1/keys", headers=auth(world.keys["global_admin"])).json()["items"]
    agency_of = {row["id"]: row["agency_id"] for row in listed}
    assert agency_of[created.json()["id"]] is not None
    foreign = _create(world, "admin", role="staff", agency=OTHER)
    assert foreign.status_code == 403 and foreign.json()["code"] == "key_scope_exceeded"
    minted = created.json()["key"]
    assert (
        world.client.post("/api/v1/keys", headers=auth(minted), json={"role": "admin", "agency": OTHER}).status_code
        == 403
    )
    assert (
        world.client.post("/api/v1/models/deploy", headers=auth(minted), json={"version": "1.0.0"}).status_code == 403
    )
    assert _create(world, "global_admin", role="admin").json()["role"] == "admin"


def test_an_agency_admin_sees_and_revokes_only_its_own_keys(world: World) -> None:
    listed = world.client.get("/api/v1/keys", headers=auth(world.keys["admin"])).json()["items"]
    assert listed and MARKER not in str(listed)
    own_agency = {row["agency_id"] for row in listed}
    assert len(own_agency) == 1 and None not in own_agency
    revoked = world.client.delete(f"/api/v1/keys/{world.other['key_id']}", headers=auth(world.keys["admin"]))
    assert revoked.status_code == 404
    everyone = world.client.get("/api/v1/keys", headers=auth(world.keys["global_admin"])).json()["items"]
    assert next(row for row in everyone if row["id"] == world.other["key_id"])["revoked_at"] is None


def test_a_minted_key_never_outlives_the_key_that_made_it(world: World) -> None:
    engine = world.client.app.state.context.engine  # type: ignore[attr-defined]
    from datetime import UTC, datetime, timedelta

    from analyzer.store.agencies import agency_id

    soon = datetime.now(UTC) + timedelta(days=2)
    _, short = keys.create_key(engine, "admin", agency_id(engine, OWN), "short", soon)
    made = world.client.post("/api/v1/keys", headers=auth(short), json={"role": "staff", "expires_days": 365})
    assert made.status_code == 201
    rows = {row["id"]: row for row in keys.list_keys(engine)}
    assert rows[made.json()["id"]]["expires_at"] <= soon


def test_agencies_are_made_by_a_global_admin_and_listed_within_reach(world: World) -> None:
    made = world.client.post("/api/v1/agencies", headers=auth(world.keys["global_admin"]), json={"name": " 울산시청 "})
    assert made.status_code == 201 and made.json()["name"] == "울산시청"
    again = world.client.post("/api/v1/agencies", headers=auth(world.keys["global_admin"]), json={"name": "울산시청"})
    assert again.status_code == 409 and again.json()["code"] == "agency_exists"
    bad = world.client.post("/api/v1/agencies", headers=auth(world.keys["global_admin"]), json={"name": "A\x07B"})
    assert bad.status_code == 422 and bad.json()["code"] == "agency_name_invalid"
    refused = world.client.post("/api/v1/agencies", headers=auth(world.keys["admin"]), json={"name": "X"})
    assert refused.status_code == 403
    names = [row["name"] for row in world.client.get("/api/v1/agencies", headers=auth(world.keys["admin"])).json()]
    assert names == [OWN]


def test_the_key_list_is_paged_and_reports_the_limit_it_applied(world: World) -> None:
    answer = world.client.get("/api/v1/keys?limit=100000&offset=1", headers=auth(world.keys["global_admin"])).json()
    assert answer["limit"] == 200 and answer["offset"] == 1 and answer["total"] == len(answer["items"]) + 1
