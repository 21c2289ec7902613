"""The taxonomy and the deployed model's card and metrics."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter

from api.deps import DeployedDep, TaxonomyDep
from api.problems import responses
from api.security import CallerWith

router = APIRouter(tags=["reference"])


@router.get("/taxonomy", summary="분류 체계", responses=responses(401, 403))
def taxonomy(caller: CallerWith("taxonomy:read"), taxonomy: TaxonomyDep) -> dict[str, Any]:  # type: ignore[valid-type]
    return taxonomy.as_dict()


@router.get("/models/current", summary="배포된 모델의 카드와 지표", responses=responses(401, 403, 404))
def current_model(caller: CallerWith("models:read"), deployed: DeployedDep) -> dict[str, Any]:  # type: ignore[valid-type]
    directory = deployed.directory
    return {
        "model_version": deployed.model_version,
        "card": (directory / "card.md").read_text(encoding="utf-8"),
        "metrics": json.loads((directory / "metrics.json").read_text(encoding="utf-8")),
    }
