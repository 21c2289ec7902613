"""Reports as files: the leadership report (개조식 보고서) of a findings filter and one meeting's summary (요지)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from analyzer.errors import NotFound
from analyzer.report import MEDIA_TYPES, ReportFormat
from analyzer.services.report import ReportFile, leadership_report, meeting_summary
from api.deps import ContextDep, DeployedDep
from api.params import RowId
from api.problems import ApiProblem, responses
from api.routes.findings import FiltersDep, may_read_actions
from api.security import CallerWith

router = APIRouter(tags=["reports"])
FormatQuery = Annotated[ReportFormat, Query(alias="format", description="파일 형식: hwpx, docx, pdf")]
FILE_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {media_type: {} for media_type in MEDIA_TYPES.values()}}
}


def _download(found: ReportFile) -> Response:
    return Response(
        found.data,
        media_type=found.media_type,
        headers={"Content-Disposition": f'attachment; filename="{found.filename}"'},
    )


@router.get(
    "/reports",
    summary="보고서 (개조식, HWPX·DOCX·PDF): 주요 애로·건의와 같은 조건·숫자",
    response_class=Response,
    responses={**responses(401, 403, 422), **FILE_RESPONSE},
)
def get_report(
    caller: CallerWith("findings:read"),  # type: ignore[valid-type]
    context: ContextDep,
    deployed: DeployedDep,
    chosen: FiltersDep,
    fmt: FormatQuery = "hwpx",
) -> Response:
    """The leadership report of the findings for the same filters as ``/findings``."""
    with_actions = may_read_actions(caller)
    return _download(leadership_report(context, caller.agency_id, chosen, fmt, deployed, with_actions=with_actions))


@router.get(
    "/meetings/{meeting_id}/report",
    summary="회의 결과 요지 (HWPX·DOCX·PDF)",
    response_class=Response,
    responses={**responses(401, 403, 404, 422), **FILE_RESPONSE},
)
def get_meeting_report(
    meeting_id: RowId,
    caller: CallerWith("meetings:read"),  # type: ignore[valid-type]
    context: ContextDep,
    deployed: DeployedDep,
    fmt: FormatQuery = "hwpx",
) -> Response:
    """One meeting's summary: attendees by organisation, their pain points and requests by category, follow-ups."""
    try:
        found = meeting_summary(context, caller.agency_id, meeting_id, fmt, deployed)
    except NotFound as missing:
        raise ApiProblem("not_found") from missing
    return _download(found)
