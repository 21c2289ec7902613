"""Dependencies shared by the routes: the context built once in the app's lifespan, and what it holds."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.engine import Engine

from analyzer.services.context import Context
from analyzer.services.deployed import Deployed
from analyzer.settings import Settings
from analyzer.store.blobs import BlobStore
from analyzer.taxonomy import Taxonomy
from api.problems import ApiProblem


def get_context(request: Request) -> Context:
    return request.app.state.context


def get_engine(request: Request) -> Engine:
    return get_context(request).engine


def get_blobs(request: Request) -> BlobStore:
    return get_context(request).blobs


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_deployed(request: Request) -> Deployed:
    """Read once per request (FastAPI caches it), so a request never pairs one version with another's taxonomy."""
    return get_context(request).deployed()


def get_taxonomy(deployed: Annotated[Deployed, Depends(get_deployed)]) -> Taxonomy:
    """The deployed model's taxonomy: corrections are checked against it and recorded under its key."""
    return deployed.taxonomy


def get_model_version(deployed: Annotated[Deployed, Depends(get_deployed)]) -> str:
    """The deployed model version: new jobs and findings use it (findings never mix versions or taxonomies)."""
    return deployed.model_version


def single_valued_query(request: Request) -> None:
    """Every query parameter of this API takes one value: one given twice is refused (422), not cut to one."""
    keys = [key for key, _ in request.query_params.multi_items()]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise ApiProblem("invalid_request", f"repeated query parameter: {', '.join(repeated)}")


ContextDep = Annotated[Context, Depends(get_context)]
EngineDep = Annotated[Engine, Depends(get_engine)]
BlobsDep = Annotated[BlobStore, Depends(get_blobs)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
TaxonomyDep = Annotated[Taxonomy, Depends(get_taxonomy)]
DeployedDep = Annotated[Deployed, Depends(get_deployed)]
ModelVersionDep = Annotated[str, Depends(get_model_version)]
