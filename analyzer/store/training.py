"""The rows training reads from the store: the latest correction of every corrected unit, with its unit and meeting.

The classifier's dataset (:mod:`analyzer.classify.dataset`) turns these rows into the corpus schema; the SQL
stays here so that the classifier never builds store queries itself.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select

from analyzer.store.engine import reader
from analyzer.store.tables import corrections, meetings, units


def latest_corrections(engine: Engine) -> list[dict[str, Any]]:
    """The latest correction of every corrected unit, ordered by unit id, with the unit's text and place.

    Keys: ``unit_id``, ``categories``, ``kind``, ``taxonomy``, ``author``, ``created_at``, ``text``,
    ``document_id``, ``meeting_id``, ``unit_kind``, ``speaker``, ``industry``, ``region``, ``meeting_kind``,
    ``meeting_industry``, ``meeting_region``.
    """
    latest = select(func.max(corrections.c.id).label("id")).group_by(corrections.c.unit_id).subquery("latest")
    query = (
        select(
            corrections.c.unit_id,
            corrections.c.categories,
            corrections.c.kind,
            corrections.c.taxonomy,
            corrections.c.author,
            corrections.c.created_at,
            units.c.text,
            units.c.document_id,
            units.c.meeting_id,
            units.c.unit_kind,
            units.c.speaker,
            units.c.industry,
            units.c.region,
            meetings.c.kind.label("meeting_kind"),
            meetings.c.industry.label("meeting_industry"),
            meetings.c.region.label("meeting_region"),
        )
        .join(latest, latest.c.id == corrections.c.id)
        .join(units, units.c.id == corrections.c.unit_id)
        .join(meetings, meetings.c.id == units.c.meeting_id)
        .order_by(corrections.c.unit_id)
    )
    with reader(engine).connect() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]
