"""Upload a file with its meeting metadata (202 + a job), and follow the job."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Request, UploadFile

from analyzer.services.uploads import Upload
from analyzer.services.uploads import upload as upload_file
from analyzer.store import jobs
from analyzer.store.dates import given_date
from api.deps import ContextDep, EngineDep, ModelVersionDep, SettingsDep
from api.params import RowId
from api.problems import ApiProblem, responses
from api.schemas import JobStatus, UploadAccepted
from api.security import CallerWith

router = APIRouter(tags=["uploads"])


@router.post(
    "/uploads",
    status_code=202,
    summary="파일 올리기 (분석 작업 생성)",
    response_model=UploadAccepted,
    responses=responses(401, 403, 413, 415, 422, 429),
)
def upload(
    request: Request,
    caller: CallerWith("upload"),  # type: ignore[valid-type]
    context: ContextDep,
    settings: SettingsDep,
    model_version: ModelVersionDep,
    file: Annotated[UploadFile, File(description="TXT, DOCX, HWP, HWPX, PDF, XLSX, CSV")],
    title: Annotated[str, Form(description="회의 제목")] = "",
    date: Annotated[str, Form(description="회의 날짜 (YYYY-MM-DD)")] = "",
    place: Annotated[str, Form(description="장소")] = "",
    programme: Annotated[str, Form(description="지원사업")] = "",
    region: Annotated[str, Form(description="지역")] = "",
    industry: Annotated[str, Form(description="업종")] = "",
    kind: Annotated[Literal["roundtable", "survey"], Form(description="간담회 또는 설문")] = "roundtable",
    agency: Annotated[str, Form(description="기관 (전체 권한 키만 지정)")] = "",
    survey_text_col: Annotated[
        list[str], Form(description="설문 응답 열 이름 (여러 번 지정 가능; 없으면 열 이름으로 추정)")
    ] = [],  # noqa: B006 (FastAPI copies form defaults)
) -> UploadAccepted:
    meeting_date = given_date(date)
    if meeting_date is None:
        raise ApiProblem("invalid_date", f"date: {date[:20]}")
    answer_columns = [column.strip() for column in survey_text_col if column.strip()]
    if len(answer_columns) > 50 or any(len(column) > 200 for column in answer_columns):
        raise ApiProblem("invalid_request", "survey_text_col")
    if not request.app.state.upload_limit.allow(str(caller.principal.key_id)):
        raise ApiProblem("rate_limited", headers={"Retry-After": "60"})
    if caller.agency_id is None and not agency.strip():
        raise ApiProblem("invalid_request", "agency")
    given = Upload(
        filename=file.filename or "upload",
        data=file.file.read(settings.max_upload_bytes + 1),
        title=title,
        date=meeting_date,
        place=place,
        programme=programme,
        region=region,
        industry=industry,
        kind=kind,
        survey_columns=answer_columns,
    )
    accepted = upload_file(
        context, given, own_agency=caller.agency_id, named_agency=agency, model_version=model_version
    )
    return UploadAccepted(
        job_id=accepted.job_id,
        document_id=accepted.document_id,
        meeting_id=accepted.meeting_id,
        created=accepted.created,
        status_url=f"/api/v1/jobs/{accepted.job_id}",
    )


@router.get("/jobs/{job_id}", summary="분석 작업 상태", response_model=JobStatus, responses=responses(401, 403, 404))
def job_status(job_id: RowId, caller: CallerWith("meetings:read"), engine: EngineDep) -> JobStatus:  # type: ignore[valid-type]
    found = jobs.status(engine, job_id)
    if found is None or not caller.sees(found["agency_id"]):
        raise ApiProblem("not_found")
    return JobStatus(**{k: found[k] for k in JobStatus.model_fields})
