"""Agency names → ids for the key routes (a new key names its agency)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Engine

from analyzer.store.engine import reader
from analyzer.store.tables import agencies


def agency_id_of(engine: Engine, name: str) -> int | None:
    with reader(engine).connect() as connection:
        found = connection.execute(select(agencies.c.id).where(agencies.c.name == name)).scalar()
    return int(found) if found is not None else None
