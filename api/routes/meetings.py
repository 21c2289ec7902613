"""Meetings, their units with tags, and human corrections."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from analyzer.store import queries
from api.deps import EngineDep, ModelVersionDep, TaxonomyDep
from api.params import Paging, RowId, RowIdFilter, paging
from api.problems import ApiProblem, responses
from api.schemas import CorrectionIn, CorrectionOut, Meeting, MeetingPage, Page
from api.security import CallerWith

router = APIRouter(tags=["meetings"])
PagingDep = Annotated[Paging, Depends(paging(50))]
CorrectionsPagingDep = Annotated[Paging, Depends(paging(100))]


@router.get("/meetings", summary="회의 목록", response_model=MeetingPage, responses=responses(401, 403, 422))
def list_meetings(
    caller: CallerWith("meetings:read"),  # type: ignore[valid-type]
    engine: EngineDep,
    page: PagingDep,
) -> MeetingPage:
    rows, total = queries.list_meetings(engine, caller.agency_id, page.limit, page.offset)
    return MeetingPage(total=total, limit=page.limit, offset=page.offset, items=[Meeting(**row) for row in rows])


@router.get("/meetings/{meeting_id}", summary="회의 상세", response_model=Meeting, responses=responses(401, 403, 404))
def get_meeting(meeting_id: RowId, caller: CallerWith("meetings:read"), engine: EngineDep) -> Meeting:  # type: ignore[valid-type]
    row = queries.get_meeting(engine, meeting_id)
    if row is None or not caller.sees(row["agency_id"]):
        raise ApiProblem("not_found")
    return Meeting(**row)


@router.get("/units", summary="단위와 분류 (필터·쪽 나눔)", response_model=Page, responses=responses(401, 403, 422))
def list_units(
    caller: CallerWith("units:read"),  # type: ignore[valid-type]
    engine: EngineDep,
    taxonomy: TaxonomyDep,
    model_version: ModelVersionDep,
    page: PagingDep,
    meeting_id: RowIdFilter = None,
    category: Annotated[str | None, Query(description="범주 id (배포된 분류 체계에 있는 것)")] = None,
    kind: Literal["pain_point", "request", "positive", "neutral"] | None = None,
    needs_review: bool | None = None,
    organisation: str | None = None,
    speaker: str | None = None,
    q: Annotated[str | None, Query(max_length=100, description="본문 검색어")] = None,
    order: Annotated[Literal["seq", "uncertainty"], Query(description="uncertainty: 불확실한 것부터")] = "seq",
) -> Page:
    if category is not None and category not in taxonomy.category_ids:
        raise ApiProblem("invalid_request", f"category: 분류 체계에 없는 범주입니다 ({category[:50]})")
    rows, total = queries.list_units(
        engine,
        agency_id=caller.agency_id,
        meeting_id=meeting_id,
        category=category,
        kind=kind,
        needs_review=needs_review,
        organisation=organisation,
        speaker=speaker,
        q=q,
        model_version=model_version,
        order=order,
        limit=page.limit,
        offset=page.offset,
    )
    return Page(total=total, limit=page.limit, offset=page.offset, items=rows)


@router.post(
    "/units/{unit_id}/corrections",
    status_code=201,
    summary="분류 바로잡기",
    response_model=CorrectionOut,
    responses=responses(401, 403, 404, 422),
)
def correct_unit(
    unit_id: RowId,
    body: CorrectionIn,
    caller: CallerWith("corrections:write"),  # type: ignore[valid-type]
    engine: EngineDep,
    taxonomy: TaxonomyDep,
) -> CorrectionOut:
    unknown = set(body.categories) - set(taxonomy.category_ids)
    if unknown or body.kind not in taxonomy.kind_ids:
        raise ApiProblem("invalid_request", ", ".join(sorted(unknown)) or body.kind)
    owner = queries.unit_agency(engine, unit_id)
    if owner is None or not caller.sees(owner):
        raise ApiProblem("not_found")
    correction_id = queries.add_correction(
        engine, unit_id, sorted(set(body.categories)), body.kind, caller.author, taxonomy=taxonomy.key
    )
    return CorrectionOut(
        id=correction_id,
        unit_id=unit_id,
        categories=sorted(set(body.categories)),
        kind=body.kind,
        taxonomy=taxonomy.key,
    )


@router.get(
    "/corrections", summary="사람이 바로잡은 분류 (출처 포함)", response_model=Page, responses=responses(401, 403)
)
def list_corrections(
    caller: CallerWith("corrections:read"),  # type: ignore[valid-type]
    engine: EngineDep,
    page: CorrectionsPagingDep,
) -> Page:
    rows, total = queries.list_corrections(engine, caller.agency_id, page.limit, page.offset)
    return Page(total=total, limit=page.limit, offset=page.offset, items=rows)
