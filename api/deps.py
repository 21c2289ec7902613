"""Dependencies shared by the routes: the heavy objects built once in the app's lifespan."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.engine import Engine

from analyzer.store.blobs import BlobStore
from analyzer.taxonomy import Taxonomy
from api.settings import Settings


def get_engine(request: Request) -> Engine:
    return request.app.state.engine


def get_blobs(request: Request) -> BlobStore:
    return request.app.state.blobs


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_taxonomy(request: Request) -> Taxonomy:
    return request.app.state.taxonomy


def get_model_version(request: Request) -> str:
    """The deployed model version: new jobs and findings use it (findings never mix versions)."""
    return request.app.state.model_version()


EngineDep = Annotated[Engine, Depends(get_engine)]
BlobsDep = Annotated[BlobStore, Depends(get_blobs)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
TaxonomyDep = Annotated[Taxonomy, Depends(get_taxonomy)]
ModelVersionDep = Annotated[str, Depends(get_model_version)]
