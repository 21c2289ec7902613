"""Deleting a meeting or a document with everything derived from it, and the audit log that records it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from analyzer.services.deletion import delete
from analyzer.store.deletion import audit_lines
from api.deps import ContextDep, EngineDep
from api.params import Paging, RowId, paging
from api.problems import ApiProblem, responses
from api.security import CallerWith

router = APIRouter(tags=["privacy"])


class AuditLine(BaseModel):
    id: int
    at: datetime
    actor: str = Field(description="작업한 키 (key-<id>) 또는 retention")
    agency_id: int | None
    action: str = Field(description="delete_meeting | delete_document | purge_originals")
    target: str
    detail: dict[str, Any] = Field(description="지운 행 수 (본문은 기록하지 않음)")


@router.delete(
    "/meetings/{meeting_id}",
    status_code=204,
    summary="회의 삭제 (원본·단위·분류·수정 모두)",
    responses=responses(401, 403, 404),
)
def remove_meeting(
    meeting_id: RowId,
    caller: CallerWith("meetings:delete"),  # type: ignore[valid-type]
    context: ContextDep,
) -> None:
    if delete(context, "meeting", meeting_id, actor=caller.author, agency_id=caller.agency_id) is None:
        raise ApiProblem("not_found")


@router.delete(
    "/documents/{document_id}",
    status_code=204,
    summary="문서 삭제 (원본·단위·분류·수정 모두; 빈 회의도 삭제)",
    responses=responses(401, 403, 404),
)
def remove_document(
    document_id: RowId,
    caller: CallerWith("meetings:delete"),  # type: ignore[valid-type]
    context: ContextDep,
) -> None:
    if delete(context, "document", document_id, actor=caller.author, agency_id=caller.agency_id) is None:
        raise ApiProblem("not_found")


class AuditPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[AuditLine]


@router.get(
    "/audit", summary="감사 기록 (삭제·보관 기간 만료)", response_model=AuditPage, responses=responses(401, 403, 422)
)
def audit(
    caller: CallerWith("keys"),  # type: ignore[valid-type]
    engine: EngineDep,
    page: Annotated[Paging, Depends(paging(100))],
) -> AuditPage:
    total, lines = audit_lines(engine, caller.agency_id, page.limit, page.offset)
    return AuditPage(total=total, limit=page.limit, offset=page.offset, items=[AuditLine(**line) for line in lines])
