"""Alerts (급증 범주, 새 범주 후보, 기한 초과 조치) and candidate issues the taxonomy lacks (새 범주 후보)."""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from analyzer.services import alerts as alert_service
from analyzer.services import candidates as candidate_service
from analyzer.services.context import Context
from api.deps import ContextDep
from api.params import Paging, RowId, paging
from api.problems import responses
from api.schemas import Page
from api.security import CallerWith

router = APIRouter(tags=["alerts"])
PagingDep = Annotated[Paging, Depends(paging(50))]
CandidateId = Annotated[str, Path(pattern=r"^[0-9a-f]{12}$", description="후보 id")]
log = logging.getLogger("moksori.alerts")


class PromoteIn(BaseModel):
    category: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=60, description="새 범주 id (snake_case)")
    label: str = Field(min_length=1, max_length=60, description="한국어 이름")
    description: str = Field(default="", max_length=300)


async def alert_loop(context: Context, seconds: float) -> None:
    """Look for new alerts and send undelivered ones every *seconds* (the app's lifespan runs it)."""
    while True:
        await asyncio.sleep(seconds)
        try:
            await run_in_threadpool(alert_service.scan, context)
        except Exception:
            log.exception("alerts: scan failed; tried again at the next interval")


@router.get("/alerts", summary="알림 목록 (최근 것부터)", response_model=Page, responses=responses(401, 403))
def list_alerts(
    caller: CallerWith("alerts:read"),  # type: ignore[valid-type]
    context: ContextDep,
    page: PagingDep,
    open_only: Annotated[bool, Query(description="확인하지 않은 알림만")] = False,
) -> Page:
    rows, total = alert_service.list_alerts(
        context, caller.agency_id, open_only=open_only, limit=page.limit, offset=page.offset
    )
    return Page(total=total, limit=page.limit, offset=page.offset, items=rows)


@router.post("/alerts/scan", summary="지금 알림 찾기 (웹훅 전송 포함)", responses=responses(401, 403))
def scan_alerts(caller: CallerWith("alerts:write"), context: ContextDep) -> dict[str, int]:  # type: ignore[valid-type]
    return alert_service.scan(context, caller.agency_id)


@router.post("/alerts/{alert_id}/acknowledge", summary="알림 확인", responses=responses(401, 403, 404))
def acknowledge_alert(alert_id: RowId, caller: CallerWith("alerts:write"), context: ContextDep) -> dict[str, Any]:  # type: ignore[valid-type]
    return alert_service.acknowledge(context, caller.agency_id, alert_id, caller.author)


@router.get("/candidates", summary="새 범주 후보 (분류 체계가 담지 못한 애로·건의 묶음)", responses=responses(401, 403))
def list_candidates(caller: CallerWith("findings:read"), context: ContextDep) -> list[dict[str, Any]]:  # type: ignore[valid-type]
    return candidate_service.candidates(context, caller.agency_id)


@router.post(
    "/candidates/{candidate_id}/promote",
    status_code=201,
    summary="후보를 새 범주로 (분류 체계 add, 발언에 교정 기록)",
    responses=responses(401, 403, 404, 409),
)
def promote_candidate(
    candidate_id: CandidateId,
    body: PromoteIn,
    caller: CallerWith("taxonomy:write"),  # type: ignore[valid-type]
    context: ContextDep,
) -> dict[str, Any]:
    return candidate_service.promote(
        context, caller.agency_id, candidate_id, body.category, body.label, body.description, caller.author
    )
