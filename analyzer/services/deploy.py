"""Deploying a model version and re-analysing with it; stored corrections follow the deployed taxonomy."""

from __future__ import annotations

from typing import Any

import pandas as pd

from analyzer.classify import deploy as deployment
from analyzer.services.context import Context
from analyzer.store import jobs
from analyzer.store.corrections import remap_corrections


def evaluation_frame(context: Context) -> pd.DataFrame:
    """The corpus test split with morphs, built once per context (deployments compare models on it)."""

    def build() -> pd.DataFrame:
        from analyzer.nlp import build_nlp

        return deployment.evaluation_frame(build_nlp())

    return context.evaluation_frame.get(build)


def deploy(
    context: Context, name: str, version: str, *, tolerance: float = deployment.DEFAULT_TOLERANCE, force: bool = False
) -> dict[str, Any]:
    """Deploy ``name/version`` into the context's models root (``DeployRefused`` when worse than the deployed
    one, unless *force*), then carry stored corrections over to its taxonomy (a no-op when it did not change)."""
    frame = evaluation_frame(context)
    result = deployment.deploy(context.models_root, name, version, frame, tolerance=tolerance, force=force)
    result["corrections"] = remap_corrections(context.engine, context.deployed().taxonomy)
    return result


def reanalyse(context: Context, agency_id: int | None) -> dict[str, Any]:
    """Queue a job of the deployed version for every stored document of the agency (``None``: every agency)
    that has none yet; corrections are remapped first."""
    deployed = context.deployed()
    remapped = remap_corrections(context.engine, deployed.taxonomy)["remapped"]
    queued = jobs.requeue_for_model(context.engine, deployed.model_version, agency_id)
    return {"model_version": deployed.model_version, "queued": queued, "remapped": remapped}
