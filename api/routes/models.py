"""Deploying a model version (refused when worse than the deployed one) and re-analysing every document with it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from analyzer.classify.deploy import DEFAULT_TOLERANCE, DeployRefused
from analyzer.services import deploy as deploying
from api.deps import ContextDep
from api.problems import ApiProblem, responses
from api.security import CallerWith

router = APIRouter(tags=["models"])
SEGMENT = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"


class DeployRequest(BaseModel):
    version: str = Field(pattern=SEGMENT, description="배포할 버전 (models/<이름>/<버전>)")
    name: str = Field(default="moksori-ko", pattern=SEGMENT, description="모델 이름")
    force: bool = Field(default=False, description="현재 모델보다 나빠도 배포")
    tolerance: float = Field(default=DEFAULT_TOLERANCE, ge=0, le=1, description="허용하는 지표 하락 폭")


class ReanalyseResult(BaseModel):
    model_version: str = Field(description="배포된 모델 버전")
    queued: int = Field(description="새로 대기열에 넣은 재분석 작업 수")
    remapped: int = Field(description="배포된 모델의 분류 체계로 옮긴 사람 수정 수")


@router.post(
    "/models/deploy",
    summary="모델 버전 배포 (현재 모델보다 나쁘면 거부)",
    responses=responses(401, 403, 404, 409, 422),
)
def deploy_model(
    body: DeployRequest,
    caller: CallerWith("deploy"),  # type: ignore[valid-type]
    context: ContextDep,
) -> dict[str, Any]:
    """Deploy, then carry stored corrections over to the new model's taxonomy (a no-op when it did not change)."""
    try:
        return deploying.deploy(context, body.name, body.version, tolerance=body.tolerance, force=body.force)
    except DeployRefused as refused:
        raise ApiProblem("deploy_refused", refused.detail) from refused


@router.post(
    "/models/reanalyse",
    summary="배포된 모델로 저장된 모든 문서 재분석 (작업 대기열에 추가)",
    response_model=ReanalyseResult,
    responses=responses(401, 403),
)
def reanalyse(
    caller: CallerWith("deploy"),  # type: ignore[valid-type]
    context: ContextDep,
) -> ReanalyseResult:
    return ReanalyseResult(**deploying.reanalyse(context, caller.agency_id))
