"""Agency names ↔ ids for the routes (keys carry an agency id, uploads name an agency)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Engine

from analyzer.store.tables import agencies
from api.problems import ApiProblem


def agency_name(engine: Engine, agency_id: int) -> str:
    with engine.connect() as connection:
        name = connection.execute(select(agencies.c.name).where(agencies.c.id == agency_id)).scalar()
    if name is None:
        raise ApiProblem("not_found", "agency")
    return str(name)


def agency_id_of(engine: Engine, name: str) -> int | None:
    with engine.connect() as connection:
        found = connection.execute(select(agencies.c.id).where(agencies.c.name == name)).scalar()
    return int(found) if found is not None else None
