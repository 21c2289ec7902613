"""Liveness and readiness (the only route without authentication)."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from analyzer.store.engine import reader
from api.deps import EngineDep, ModelVersionDep
from api.problems import responses
from api.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/health", summary="서비스 상태", response_model=Health, responses=responses(503))
def health(engine: EngineDep, model_version: ModelVersionDep) -> Health:
    with reader(engine).connect() as connection:
        connection.execute(text("SELECT 1"))
    return Health(status="ok", database=engine.dialect.name, model_version=model_version)
