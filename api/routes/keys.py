"""API keys (admin): create (shown once), list, revoke, never beyond the caller's own agency and role."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends

from analyzer.store import keys
from analyzer.store.keys import Principal
from api.agencies import agency_id_of
from api.deps import EngineDep
from api.params import Paging, RowId, paging
from api.problems import ApiProblem, responses
from api.schemas import KeyCreated, KeyIn, Page
from api.security import ROLE_SCOPES, Caller, CallerWith, granted_scopes

router = APIRouter(tags=["keys"])


def _grant(caller: Caller, body: KeyIn, engine: EngineDep) -> tuple[int | None, datetime | None]:
    """The agency and expiry of the key *body* asks for, refused when it would reach beyond the caller.

    An agency admin creates keys for its own agency only (naming no agency means its own), never a global key,
    never a role with more scopes than its own, and never one that outlives its own key.
    """
    if body.role not in ROLE_SCOPES:
        raise ApiProblem("invalid_request", "role")
    agency_id = None
    if body.agency:
        agency_id = agency_id_of(engine, body.agency)
        if agency_id is None:
            raise ApiProblem("not_found", "agency")
    elif not caller.is_global:
        agency_id = caller.agency_id
    elif body.role != "admin":
        raise ApiProblem("invalid_request", "agency")
    wanted = granted_scopes(Principal(key_id=0, role=body.role, agency_id=agency_id))
    if not caller.sees(agency_id) or not wanted <= caller.scopes:
        raise ApiProblem("forbidden", "자기 기관·권한 범위를 넘는 키")
    expires = datetime.now(UTC) + timedelta(days=body.expires_days) if body.expires_days else None
    own_expiry = caller.principal.expires_at
    if own_expiry is not None and (expires is None or expires > own_expiry):
        expires = own_expiry
    return agency_id, expires


@router.post(
    "/keys",
    status_code=201,
    summary="API 키 만들기",
    response_model=KeyCreated,
    responses=responses(401, 403, 404, 422),
)
def create_key(body: KeyIn, caller: CallerWith("keys"), engine: EngineDep) -> KeyCreated:  # type: ignore[valid-type]
    agency_id, expires = _grant(caller, body, engine)
    key_id, plaintext = keys.create_key(engine, body.role, agency_id, body.label, expires)
    return KeyCreated(id=key_id, key=plaintext, role=body.role)


@router.get("/keys", summary="API 키 목록 (자기 기관)", response_model=Page, responses=responses(401, 403, 422))
def list_keys(
    caller: CallerWith("keys"),  # type: ignore[valid-type]
    engine: EngineDep,
    page: Annotated[Paging, Depends(paging(100))],
) -> Page:
    rows = keys.list_keys(engine, caller.agency_id)
    items = [
        {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}
        for row in rows[page.offset : page.offset + page.limit]
    ]
    return Page(total=len(rows), limit=page.limit, offset=page.offset, items=items)


@router.delete("/keys/{key_id}", status_code=204, summary="API 키 폐기", responses=responses(401, 403, 404))
def revoke_key(key_id: RowId, caller: CallerWith("keys"), engine: EngineDep) -> None:  # type: ignore[valid-type]
    if not keys.revoke(engine, key_id, agency_id=caller.agency_id):
        raise ApiProblem("not_found")
