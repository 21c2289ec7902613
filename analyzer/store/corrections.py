"""Human corrections of a unit's tags; the latest one per unit wins (see :mod:`analyzer.store.effective`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, insert, select

from analyzer.errors import AnalyzerError
from analyzer.store.engine import reader
from analyzer.store.tables import corrections, meetings, units


def add_correction(
    engine: Engine,
    unit_id: int,
    categories: Sequence[str],
    kind: str,
    author: str,
    *,
    agency_id: int | None = None,
) -> int:
    """Record the categories and kind a person gave a unit; ``unit_not_found`` if the unit does not exist
    (or belongs to another agency than *agency_id*). Returns the correction's id."""
    if isinstance(categories, str) or not all(isinstance(item, str) and item for item in categories):
        raise ValueError("categories must be a list of category ids")
    if not kind:
        raise ValueError("a statement kind is required")
    chosen = list(dict.fromkeys(categories))
    with engine.begin() as conn:
        owner = conn.execute(
            select(meetings.c.agency_id).join(units, units.c.meeting_id == meetings.c.id).where(units.c.id == unit_id)
        ).scalar()
        if owner is None or (agency_id is not None and owner != agency_id):
            raise AnalyzerError("unit_not_found", str(unit_id))
        inserted = conn.execute(
            insert(corrections)
            .values(unit_id=unit_id, categories=chosen, kind=kind, author=author)
            .returning(corrections.c.id)
        ).scalar_one()
    return int(inserted)


def corrections_of(engine: Engine, unit_id: int) -> list[dict[str, Any]]:
    """Every correction of a unit, oldest first (the last one is in effect)."""
    with reader(engine).connect() as conn:
        rows = conn.execute(
            select(corrections).where(corrections.c.unit_id == unit_id).order_by(corrections.c.id)
        ).mappings()
        return [dict(row) for row in rows]
