"""Deploying a model version (refused when worse than the deployed one) and re-analysing every document with it."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pandas as pd
from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from analyzer.classify.deploy import DEFAULT_TOLERANCE, DeployRefused, deploy, evaluation_frame
from analyzer.store import jobs
from analyzer.store.corrections import remap_corrections
from api.deps import DeployedDep, EngineDep
from api.problems import ApiProblem, responses
from api.security import CallerWith

router = APIRouter(tags=["models"])
_FRAME_LOCK = threading.Lock()
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


def shared_evaluation_frame(request: Request) -> pd.DataFrame:
    """The corpus test split with morphs, built once per app (``app.state.evaluation_frame``)."""
    state = request.app.state
    with _FRAME_LOCK:
        frame = getattr(state, "evaluation_frame", None)
        if frame is None:
            from analyzer.nlp import build_nlp

            frame = evaluation_frame(build_nlp())
            state.evaluation_frame = frame
    return frame


@router.post(
    "/models/deploy",
    summary="모델 버전 배포 (현재 모델보다 나쁘면 거부)",
    responses=responses(401, 403, 404, 409, 422),
)
def deploy_model(
    request: Request,
    body: DeployRequest,
    caller: CallerWith("deploy"),  # type: ignore[valid-type]
    engine: EngineDep,
) -> dict[str, Any]:
    """Deploy, then carry stored corrections over to the new model's taxonomy (a no-op when it did not change)."""
    root: Path = request.app.state.models_root
    try:
        result = deploy(
            root, body.name, body.version, shared_evaluation_frame(request), tolerance=body.tolerance, force=body.force
        )
    except DeployRefused as refused:
        raise ApiProblem("deploy_refused", refused.detail) from refused
    result["corrections"] = remap_corrections(engine, request.app.state.deployed().taxonomy)
    return result


@router.post(
    "/models/reanalyse",
    summary="배포된 모델로 저장된 모든 문서 재분석 (작업 대기열에 추가)",
    response_model=ReanalyseResult,
    responses=responses(401, 403),
)
def reanalyse(
    caller: CallerWith("deploy"),  # type: ignore[valid-type]
    engine: EngineDep,
    deployed: DeployedDep,
) -> ReanalyseResult:
    remapped = remap_corrections(engine, deployed.taxonomy)["remapped"]
    queued = jobs.requeue_for_model(engine, deployed.model_version, caller.agency_id)
    return ReanalyseResult(model_version=deployed.model_version, queued=queued, remapped=remapped)
