"""Follow-up actions (조치): make one from units, move it through its statuses with an answer, read its history,
list and export them, and the 처리 현황 of the caller's agency."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from analyzer.services import actions as service
from analyzer.services.actions import ActionFilters
from analyzer.store.actions import ACTION_STATUSES
from api.action_exports import actions_csv, actions_xlsx
from api.deps import ContextDep
from api.params import Paging, RowId, RowIdFilter, paging
from api.problems import responses
from api.routes.findings import (
    XLSX,
    filter_date,
)
from api.schemas import Page
from api.security import CallerWith

router = APIRouter(tags=["actions"])
PagingDep = Annotated[Paging, Depends(paging(50))]
Status = Literal["received", "reviewing", "accepted", "partly_accepted", "long_term", "declined", "done"]
assert set(Status.__args__) == set(ACTION_STATUSES)  # type: ignore[attr-defined]


class ActionIn(BaseModel):
    unit_ids: list[Annotated[int, Field(ge=1, le=2**63 - 1)]] = Field(min_length=1, max_length=service.UNITS_MAX)
    title: str = Field(min_length=1, max_length=service.TITLE_MAX)
    department: str = Field(default="", max_length=service.DEPARTMENT_MAX)
    due_date: str = Field(default="", description="YYYY-MM-DD (비우면 기한 없음)")


class ActionPatch(BaseModel):
    status: Status
    answer: str = Field(default="", max_length=service.ANSWER_MAX)


def action_filters(
    status: Annotated[Status | None, Query(description="상태")] = None,
    department: Annotated[str | None, Query(max_length=100, description="담당 부서")] = None,
    overdue: Annotated[bool, Query(description="기한이 지난 미완료 조치만")] = False,
    category: Annotated[str | None, Query(description="범주 id (배포된 분류 체계에 있는 것)")] = None,
    meeting_id: RowIdFilter = None,
) -> ActionFilters:
    return ActionFilters(status, department, overdue, category, meeting_id)


FiltersDep = Annotated[ActionFilters, Depends(action_filters)]


@router.post("/actions", status_code=201, summary="조치 만들기", responses=responses(401, 403, 404, 422))
def create_action(body: ActionIn, caller: CallerWith("actions:write"), context: ContextDep) -> dict[str, Any]:  # type: ignore[valid-type]
    """A new action in ``received`` from units of the caller's agency (404 ``unit_not_found`` otherwise)."""
    due = filter_date("due_date", body.due_date) or ""
    return service.create_action(
        context, caller.agency_id, body.unit_ids, body.title, body.department, due, caller.author
    )


@router.get("/actions", summary="조치 목록 (필터·쪽 나눔)", response_model=Page, responses=responses(401, 403))
def list_actions(
    caller: CallerWith("actions:read"),  # type: ignore[valid-type]
    context: ContextDep,
    page: PagingDep,
    chosen: FiltersDep,
) -> Page:
    rows, total = service.list_actions(context, caller.agency_id, chosen, limit=page.limit, offset=page.offset)
    return Page(total=total, limit=page.limit, offset=page.offset, items=rows)


@router.get(
    "/action-status",
    summary="처리 현황 (상태별 건수, 처리율, 기한 초과, 답변까지 걸린 날)",
    responses=responses(401, 403),
)
def action_status(caller: CallerWith("actions:read"), context: ContextDep) -> dict[str, Any]:  # type: ignore[valid-type]
    return service.action_status(context, caller.agency_id)


@router.get(
    "/actions-export.{fmt}",
    summary="조치 내보내기 (XLSX 또는 CSV)",
    response_class=Response,
    responses={**responses(401, 403), 200: {"content": {XLSX: {}, "text/csv": {}}}},
)
def export_actions(
    fmt: Literal["xlsx", "csv"],
    caller: CallerWith("actions:read"),  # type: ignore[valid-type]
    context: ContextDep,
    chosen: FiltersDep,
) -> Response:
    rows, _ = service.list_actions(context, caller.agency_id, chosen, limit=None)
    content, media_type = (actions_xlsx(rows), XLSX) if fmt == "xlsx" else (actions_csv(rows), "text/csv")
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="moksori-actions.{fmt}"'},
    )


@router.get("/actions/{action_id}", summary="조치 상세", responses=responses(401, 403, 404))
def get_action(action_id: RowId, caller: CallerWith("actions:read"), context: ContextDep) -> dict[str, Any]:  # type: ignore[valid-type]
    return service.get_action(context, caller.agency_id, action_id)


@router.patch("/actions/{action_id}", summary="조치 상태와 답변 바꾸기", responses=responses(401, 403, 404))
def update_action(
    action_id: RowId,
    body: ActionPatch,
    caller: CallerWith("actions:write"),  # type: ignore[valid-type]
    context: ContextDep,
) -> dict[str, Any]:
    return service.update_action(context, caller.agency_id, action_id, body.status, body.answer, caller.author)


@router.get(
    "/actions/{action_id}/history", summary="조치 이력 (누가, 언제, 상태, 답변)", responses=responses(401, 403, 404)
)
def action_history(action_id: RowId, caller: CallerWith("actions:read"), context: ContextDep) -> list[dict[str, Any]]:  # type: ignore[valid-type]
    return service.action_history(context, caller.agency_id, action_id)
