"""API keys (admin): create (shown once), list, revoke, never beyond the caller's own agency and role."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends

from analyzer.services import keys
from api.deps import EngineDep
from api.params import Paging, RowId, paging
from api.problems import responses
from api.schemas import KeyCreated, KeyIn, Page
from api.security import CallerWith

router = APIRouter(tags=["keys"])


@router.post(
    "/keys",
    status_code=201,
    summary="API 키 만들기 (자기 기관·권한 안에서)",
    response_model=KeyCreated,
    responses=responses(401, 403, 404, 422),
)
def create_key(body: KeyIn, caller: CallerWith("keys"), engine: EngineDep) -> KeyCreated:  # type: ignore[valid-type]
    expires = datetime.now(UTC) + timedelta(days=body.expires_days) if body.expires_days else None
    made = keys.create(engine, caller.principal, body.role, body.agency, body.label, expires)
    return KeyCreated(id=made.id, key=made.plaintext, role=made.role)


@router.get("/keys", summary="API 키 목록 (자기 기관)", response_model=Page, responses=responses(401, 403, 422))
def list_keys(
    caller: CallerWith("keys"),  # type: ignore[valid-type]
    engine: EngineDep,
    page: Annotated[Paging, Depends(paging(100))],
) -> Page:
    rows = keys.listing(engine, caller.principal)
    items = [
        {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}
        for row in rows[page.offset : page.offset + page.limit]
    ]
    return Page(total=len(rows), limit=page.limit, offset=page.offset, items=items)


@router.delete("/keys/{key_id}", status_code=204, summary="API 키 폐기", responses=responses(401, 403, 404))
def revoke_key(key_id: RowId, caller: CallerWith("keys"), engine: EngineDep) -> None:  # type: ignore[valid-type]
    keys.revoke(engine, caller.principal, key_id)
