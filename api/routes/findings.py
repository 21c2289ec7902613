"""Findings for leadership: top pain points and requests, trends, recurring issues, quotes; XLSX/CSV export."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

import pandas as pd
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy import func, select

from analyzer.aggregate import findings as build_findings
from analyzer.store.dates import given_date
from analyzer.store.queries import tagged_units_frame
from analyzer.store.tables import corrections, jobs, units
from api.deps import Deployed, DeployedDep, EngineDep
from api.exports import findings_csv, findings_xlsx
from api.problems import ApiProblem, responses
from api.security import Caller, CallerWith

router = APIRouter(tags=["findings"])


@dataclass(frozen=True)
class FindingFilters:
    """The overview's filters; every one optional."""

    agency: str | None = None
    programme: str | None = None
    region: str | None = None
    industry: str | None = None
    date_from: str | None = None
    date_to: str | None = None

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        for column in ("agency", "programme", "region", "industry"):
            value = getattr(self, column)
            if value:
                frame = frame[frame[column] == value]
        if self.date_from:
            frame = frame[frame["meeting_date"] >= self.date_from]
        if self.date_to:
            frame = frame[(frame["meeting_date"] <= self.date_to) & (frame["meeting_date"] != "")]
        return frame


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


def data_version(engine: Any) -> tuple[Any, ...]:
    """Changes whenever units, corrections or jobs change: the key under which findings are cached."""
    with engine.connect() as connection:
        return tuple(
            connection.execute(
                select(
                    select(func.max(units.c.id)).scalar_subquery(),
                    select(func.count(units.c.id)).scalar_subquery(),
                    select(func.max(corrections.c.id)).scalar_subquery(),
                    select(func.max(jobs.c.updated_at)).scalar_subquery(),
                )
            ).one()
        )


def compute(caller: Caller, engine: Any, deployed: Deployed, chosen: FindingFilters, cache: Any) -> dict[str, Any]:
    """Findings of the deployed model for the caller's agency and filters, cached until the stored data change."""
    key = (caller.agency_id, deployed, chosen, data_version(engine))
    if key not in cache:
        cache.clear()  # older data versions are never asked for again
        cache[key] = _compute(caller, engine, deployed, chosen)
    return cache[key]


def _compute(caller: Caller, engine: Any, deployed: Deployed, chosen: FindingFilters) -> dict[str, Any]:
    frame = chosen.apply(tagged_units_frame(engine, caller.agency_id, deployed.model_version))
    result = build_findings(frame, deployed.taxonomy)
    result["model_version"] = deployed.model_version
    result["filters"] = {k: v for k, v in vars(chosen).items() if v}
    result["options"] = (
        {
            column: sorted(v for v in frame[column].dropna().unique() if v)
            for column in ("agency", "programme", "region", "industry")
        }
        if len(frame)
        else {}
    )
    return result


@router.get("/findings", summary="주요 애로·건의 (리더십용)", responses=responses(401, 403, 422))
def get_findings(
    request: Request,
    caller: CallerWith("findings:read"),  # type: ignore[valid-type]
    engine: EngineDep,
    deployed: DeployedDep,
    chosen: FiltersDep,
) -> dict[str, Any]:
    return compute(caller, engine, deployed, chosen, request.app.state.findings_cache)


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
    request: Request,
    caller: CallerWith("findings:read"),  # type: ignore[valid-type]
    engine: EngineDep,
    deployed: DeployedDep,
    chosen: FiltersDep,
) -> Response:
    """Formula-safe spreadsheets of the findings (CSV as UTF-8 with BOM, as Korean Excel expects)."""
    write, media_type = EXPORTS[fmt]
    found = compute(caller, engine, deployed, chosen, request.app.state.findings_cache)
    return Response(
        write(found, deployed.taxonomy),
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="moksori-findings.{fmt}"'},
    )
