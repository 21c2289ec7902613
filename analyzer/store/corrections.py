"""Human corrections of a unit's tags, each made under one taxonomy (``name@version``).

The latest correction per unit and taxonomy wins (see :mod:`analyzer.store.effective`); :func:`remap_corrections`
carries corrections over to a new taxonomy by the changes its file declares.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, insert, select

from analyzer.errors import AnalyzerError
from analyzer.store.cells import meetings_of
from analyzer.store.engine import reader
from analyzer.store.labels import refresh_labels
from analyzer.store.summaries import maintained
from analyzer.store.tables import corrections, meetings, units
from analyzer.taxonomy import Taxonomy


def add_correction(
    engine: Engine,
    unit_id: int,
    categories: Sequence[str],
    kind: str,
    author: str,
    *,
    taxonomy: str,
    agency_id: int | None = None,
) -> int:
    """Record the categories and kind a person gave a unit under *taxonomy* (``name@version``);
    ``unit_not_found`` if the unit does not exist (or belongs to another agency than *agency_id*).
    Returns the correction's id."""
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
        with maintained(conn, meetings_of(conn, [unit_id])):
            inserted = conn.execute(
                insert(corrections)
                .values(unit_id=unit_id, categories=chosen, kind=kind, taxonomy=taxonomy, author=author)
                .returning(corrections.c.id)
            ).scalar_one()
            refresh_labels(conn, [unit_id])
    return int(inserted)


def corrections_of(engine: Engine, unit_id: int) -> list[dict[str, Any]]:
    """Every correction of a unit, oldest first (the last one is in effect)."""
    with reader(engine).connect() as conn:
        rows = conn.execute(
            select(corrections).where(corrections.c.unit_id == unit_id).order_by(corrections.c.id)
        ).mappings()
        return [dict(row) for row in rows]


def remap_corrections(engine: Engine, taxonomy: Taxonomy) -> dict[str, int]:
    """Carry every unit's latest correction over to *taxonomy*, in one transaction.

    A unit already corrected under *taxonomy* is left alone. Otherwise its latest correction gets a successor under
    *taxonomy* (same person and kind, categories mapped by the declared changes) when those changes lead from the
    correction's taxonomy; the older rows stay as history. Returns how many were ``remapped`` and how many latest
    corrections were made under a taxonomy with no declared path to *taxonomy* (``unmapped``, left as they are).
    """
    unmapped = 0
    with engine.begin() as conn:
        rows = conn.execute(select(corrections).order_by(corrections.c.unit_id, corrections.c.id)).mappings().all()
        done = {row["unit_id"] for row in rows if row["taxonomy"] == taxonomy.key}
        latest = {row["unit_id"]: row for row in rows if row["unit_id"] not in done}  # rows are in id order
        successors = []
        for unit_id, row in latest.items():
            try:
                categories = taxonomy.remap(row["categories"] or [], row["taxonomy"])
            except AnalyzerError:
                unmapped += 1
                continue
            successors.append(
                {
                    "unit_id": unit_id,
                    "categories": categories,
                    "kind": row["kind"],
                    "taxonomy": taxonomy.key,
                    "author": row["author"],
                }
            )
        if successors:
            changed = [row["unit_id"] for row in successors]
            with maintained(conn, meetings_of(conn, changed)):
                conn.execute(insert(corrections), successors)
                refresh_labels(conn, changed)
    return {"remapped": len(successors), "unmapped": unmapped}
