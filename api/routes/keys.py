"""API keys (admin): create (shown once), list, revoke."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter

from analyzer.store import keys
from api.agencies import agency_id_of
from api.deps import EngineDep
from api.params import RowId
from api.problems import ApiProblem, responses
from api.schemas import KeyCreated, KeyIn
from api.security import ROLE_SCOPES, CallerWith

router = APIRouter(tags=["keys"])


@router.post(
    "/keys", status_code=201, summary="API 키 만들기", response_model=KeyCreated, responses=responses(401, 403, 422)
)
def create_key(body: KeyIn, caller: CallerWith("keys"), engine: EngineDep) -> KeyCreated:  # type: ignore[valid-type]
    if body.role not in ROLE_SCOPES:
        raise ApiProblem("invalid_request", "role")
    agency_id = None
    if body.agency:
        agency_id = agency_id_of(engine, body.agency)
        if agency_id is None:
            raise ApiProblem("not_found", "agency")
    elif body.role != "admin":
        raise ApiProblem("invalid_request", "agency")
    expires = datetime.now(UTC) + timedelta(days=body.expires_days) if body.expires_days else None
    key_id, plaintext = keys.create_key(engine, body.role, agency_id, body.label, expires)
    return KeyCreated(id=key_id, key=plaintext, role=body.role)


@router.get("/keys", summary="API 키 목록", responses=responses(401, 403))
def list_keys(caller: CallerWith("keys"), engine: EngineDep) -> list[dict[str, Any]]:  # type: ignore[valid-type]
    return [
        {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()} for row in keys.list_keys(engine)
    ]


@router.delete("/keys/{key_id}", status_code=204, summary="API 키 폐기", responses=responses(401, 403, 404))
def revoke_key(key_id: RowId, caller: CallerWith("keys"), engine: EngineDep) -> None:  # type: ignore[valid-type]
    if not keys.revoke(engine, key_id):
        raise ApiProblem("not_found")
