"""Agencies: a global admin creates them (uploads and keys never do); an admin lists those in its reach."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from analyzer.store.agencies import create_agency, list_agencies
from api.deps import EngineDep
from api.problems import responses
from api.security import CallerWith

router = APIRouter(tags=["agencies"])


class AgencyIn(BaseModel):
    name: str = Field(description="기관 이름 (1-100자, 제어 문자 없음)")


class Agency(BaseModel):
    id: int
    name: str
    meetings: int = Field(description="회의 수")
    keys: int = Field(description="API 키 수 (폐기된 키 포함)")


@router.post(
    "/agencies",
    status_code=201,
    summary="기관 만들기 (전체 관리자)",
    response_model=Agency,
    responses=responses(401, 403, 409, 422),
)
def add_agency(body: AgencyIn, caller: CallerWith("agencies"), engine: EngineDep) -> Agency:  # type: ignore[valid-type]
    agency_id = create_agency(engine, body.name)
    return next(Agency(**row) for row in list_agencies(engine) if row["id"] == agency_id)


@router.get("/agencies", summary="기관 목록", response_model=list[Agency], responses=responses(401, 403))
def agencies(caller: CallerWith("keys"), engine: EngineDep) -> list[Agency]:  # type: ignore[valid-type]
    return [Agency(**row) for row in list_agencies(engine) if caller.sees(row["id"])]
