"""Findings for leadership: top pain points and requests, trends, recurring issues, quotes; XLSX/CSV export."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from analyzer.services.findings import FindingFilters, findings
from analyzer.services.overview import overview
from analyzer.store.dates import given_date
from api.deps import ContextDep, DeployedDep
from api.exports import findings_csv, findings_xlsx
from api.problems import ApiProblem, responses
from api.security import Caller, CallerWith

router = APIRouter(tags=["findings"])


def filters(
    agency: Annotated[str | None, Query(description="기관")] = None,
    programme: Annotated[str | None, Query(description="지원사업")] = None,
    region: Annotated[str | None, Query(description="지역")] = None,
    industry: Annotated[str | None, Query(description="업종")] = None,
    date_from: Annotated[str | None, Query(description="시작일 (YYYY-MM-DD; 빈 값은 조건 없음)")] = None,
    date_to: Annotated[str | None, Query(description="종료일 (YYYY-MM-DD; 빈 값은 조건 없음)")] = None,
) -> FindingFilters:
    """The filters of a findings request; a date that is not a real calendar date is refused (422 ``invalid_date``)."""
    start, end = filter_date("date_from", date_from), filter_date("date_to", date_to)
    if start and end and start > end:
        raise ApiProblem("invalid_date", "date_from이 date_to보다 늦습니다")
    return FindingFilters(agency, programme, region, industry, start, end)


def filter_date(name: str, value: str | None) -> str | None:
    """A date filter as ``yyyy-mm-dd``, ``None`` when absent or empty; 422 ``invalid_date`` naming *name*."""
    if value is None:
        return None
    found = given_date(value)
    if found is None:
        raise ApiProblem("invalid_date", f"{name}: {value[:20]}")
    return found or None


FiltersDep = Annotated[FindingFilters, Depends(filters)]


@router.get("/findings", summary="주요 애로·건의 (리더십용)", responses=responses(401, 403, 422))
def get_findings(
    caller: CallerWith("findings:read"),  # type: ignore[valid-type]
    context: ContextDep,
    deployed: DeployedDep,
    chosen: FiltersDep,
) -> dict[str, Any]:
    """The findings; with ``actions`` (처리 현황 of the caller's agency) when the caller may read actions."""
    return overview(context, caller.agency_id, chosen, deployed, with_actions=may_read_actions(caller))


def may_read_actions(caller: Caller) -> bool:
    """Whether *caller* may see follow-up actions: staff, leadership and admins, not researchers."""
    return "actions:read" in caller.scopes


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORTS = {"xlsx": (findings_xlsx, XLSX), "csv": (findings_csv, "text/csv; charset=utf-8")}


@router.get(
    "/findings/export.{fmt}",
    summary="주요 애로·건의 내보내기 (XLSX 또는 CSV)",
    response_class=Response,
    responses={**responses(401, 403, 422), 200: {"content": {XLSX: {}, "text/csv": {}}}},
)
def export_findings(
    fmt: Literal["xlsx", "csv"],
    caller: CallerWith("findings:read"),  # type: ignore[valid-type]
    context: ContextDep,
    deployed: DeployedDep,
    chosen: FiltersDep,
) -> Response:
    """Formula-safe spreadsheets of the findings (CSV as UTF-8 with BOM, as Korean Excel expects)."""
    write, media_type = EXPORTS[fmt]
    found = findings(context, caller.agency_id, chosen, deployed)
    return Response(
        write(found, deployed.taxonomy),
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="moksori-findings.{fmt}"'},
    )
