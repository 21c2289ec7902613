"""Read models for the API and the findings: meetings, units with their effective tags, the tagged-units frame."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import pandas as pd
from sqlalchemy import Engine, Select, func, select

from analyzer.store.corrections import add_correction, corrections_of, remap_corrections
from analyzer.store.effective import escape_like, has_category, tagged_units
from analyzer.store.engine import reader
from analyzer.store.tables import agencies, corrections, documents, jobs, meetings, programmes, units

__all__ = [
    "FRAME_COLUMNS",
    "add_correction",
    "corrections_of",
    "get_meeting",
    "list_corrections",
    "list_meetings",
    "list_units",
    "remap_corrections",
    "tagged_units_frame",
    "unit_agency",
]

#: Columns of :func:`tagged_units_frame`, in order.
FRAME_COLUMNS = (
    "unit_id",
    "document_id",
    "meeting_id",
    "meeting_title",
    "meeting_date",
    "meeting_kind",
    "agency",
    "programme",
    "region",
    "industry",
    "organisation",
    "speaker",
    "unit_kind",
    "text",
    "categories",
    "kind",
    "needs_review",
    "keyphrases",
    "corrected",
)


def list_meetings(
    engine: Engine, agency_id: int | None, limit: int = 50, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """Meetings newest first (by date, then id) with document and unit counts; ``(rows, total)``."""
    query = _meetings()
    if agency_id is not None:
        query = query.where(meetings.c.agency_id == agency_id)
    with reader(engine).connect() as conn:
        total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        page = query.order_by(meetings.c.date.desc(), meetings.c.id.desc()).limit(limit).offset(offset)
        rows = [dict(row) for row in conn.execute(page).mappings()]
    return rows, int(total)


def get_meeting(engine: Engine, meeting_id: int, agency_id: int | None = None) -> dict[str, Any] | None:
    """One meeting (as in :func:`list_meetings`) plus ``files``: its documents, each with its ``jobs``;
    ``None`` if missing or of another agency than *agency_id*."""
    query = _meetings().where(meetings.c.id == meeting_id)
    if agency_id is not None:
        query = query.where(meetings.c.agency_id == agency_id)
    with reader(engine).connect() as conn:
        found = conn.execute(query).mappings().first()
        if found is None:
            return None
        files = conn.execute(
            select(
                documents.c.id,
                documents.c.filename,
                documents.c.format,
                documents.c.encoding,
                documents.c.size,
                documents.c.sha256,
                documents.c.created_at,
            )
            .where(documents.c.meeting_id == meeting_id)
            .order_by(documents.c.id)
        ).mappings()
        meeting = {**found, "files": [{**row, "jobs": []} for row in files]}
        by_id = {document["id"]: document for document in meeting["files"]}
        for job in conn.execute(
            select(
                jobs.c.id,
                jobs.c.document_id,
                jobs.c.model_version,
                jobs.c.status,
                jobs.c.attempts,
                jobs.c.error_code,
                jobs.c.error_message,
            )
            .where(jobs.c.document_id.in_(list(by_id)))
            .order_by(jobs.c.id)
        ).mappings():
            by_id[job["document_id"]]["jobs"].append(dict(job))
    return meeting


def list_units(
    engine: Engine,
    *,
    agency_id: int | None,
    model_version: str,
    meeting_id: int | None = None,
    category: str | None = None,
    kind: str | None = None,
    needs_review: bool | None = None,
    organisation: str | None = None,
    speaker: str | None = None,
    q: str | None = None,
    order: Literal["seq", "uncertainty"] = "seq",
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """Units tagged by *model_version* with their effective tags, filtered; ``(rows, total)``.

    ``category``, ``kind`` and ``needs_review`` filter on the effective tags (a correction wins);
    ``q`` is a case-insensitive substring of the masked text. ``order="uncertainty"`` puts the smallest review
    margin first (the units closest to changing a category or their kind; see ``tagger.review_margin``; taggings
    stored without a margin come last, least confident kind first); ``"seq"`` keeps document order.
    """
    tagged = tagged_units(model_version).subquery("tagged")
    query: Select[Any] = select(tagged)
    conditions = {
        "agency_id": agency_id,
        "meeting_id": meeting_id,
        "kind": kind,
        "needs_review": needs_review,
        "organisation": organisation,
        "speaker": speaker,
    }
    for name, value in conditions.items():
        if value is not None:
            query = query.where(tagged.c[name] == value)
    if category is not None:
        query = query.where(has_category(tagged.c.categories, category))
    if q:
        query = query.where(tagged.c.text.ilike(f"%{escape_like(q)}%", escape="\\"))
    with reader(engine).connect() as conn:
        total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        ordering: list[Any] = [tagged.c.meeting_id, tagged.c.document_id, tagged.c.seq]
        if order == "uncertainty":
            ordering = [tagged.c.margin.is_(None), tagged.c.margin, tagged.c.kind_confidence, *ordering]
        page = query.order_by(*ordering).limit(limit).offset(offset)
        rows = [dict(row) for row in conn.execute(page).mappings()]
    return rows, int(total)


def unit_agency(engine: Engine, unit_id: int) -> int | None:
    """The agency a unit belongs to, or ``None`` if there is no such unit."""
    query = select(meetings.c.agency_id).join(units, units.c.meeting_id == meetings.c.id).where(units.c.id == unit_id)
    with reader(engine).connect() as conn:
        found = conn.execute(query).scalar()
    return int(found) if found is not None else None


def list_corrections(
    engine: Engine, agency_id: int | None, limit: int = 100, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """Corrections newest first with where they come from (unit text, meeting, agency); ``(rows, total)``."""
    query = (
        select(
            corrections.c.id,
            corrections.c.unit_id,
            corrections.c.categories,
            corrections.c.kind,
            corrections.c.taxonomy,
            corrections.c.author,
            corrections.c.created_at,
            units.c.text,
            units.c.meeting_id,
            meetings.c.title.label("meeting_title"),
            meetings.c.agency_id,
            agencies.c.name.label("agency"),
        )
        .join(units, units.c.id == corrections.c.unit_id)
        .join(meetings, meetings.c.id == units.c.meeting_id)
        .join(agencies, agencies.c.id == meetings.c.agency_id)
    )
    if agency_id is not None:
        query = query.where(meetings.c.agency_id == agency_id)
    with reader(engine).connect() as conn:
        total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        page = query.order_by(corrections.c.id.desc()).limit(limit).offset(offset)
        rows = [dict(row) for row in conn.execute(page).mappings()]
    return rows, int(total)


def tagged_units_frame(engine: Engine, agency_id: int | None, model_version: str) -> pd.DataFrame:
    """One row per unit tagged by *model_version* (effective labels after corrections), read in one query.

    Columns: :data:`FRAME_COLUMNS`; ``categories`` and ``keyphrases`` hold lists.
    """
    tagged = tagged_units(model_version).subquery("tagged")
    query = select(*(tagged.c[name] for name in FRAME_COLUMNS)).order_by(
        tagged.c.meeting_id, tagged.c.document_id, tagged.c.seq
    )
    if agency_id is not None:
        query = query.where(tagged.c.agency_id == agency_id)
    with reader(engine).connect() as conn:
        records: Sequence[Any] = conn.execute(query).all()
    frame = pd.DataFrame.from_records(records, columns=list(FRAME_COLUMNS))
    return frame.astype(
        {"unit_id": "int64", "document_id": "int64", "meeting_id": "int64", "needs_review": bool, "corrected": bool}
    )


def _meetings() -> Select[Any]:
    document_count = (
        select(func.count()).where(documents.c.meeting_id == meetings.c.id).scalar_subquery().label("documents")
    )
    unit_count = select(func.count()).where(units.c.meeting_id == meetings.c.id).scalar_subquery().label("units")
    return (
        select(
            meetings.c.id,
            meetings.c.agency_id,
            agencies.c.name.label("agency"),
            func.coalesce(programmes.c.name, "").label("programme"),
            meetings.c.title,
            meetings.c.date,
            meetings.c.place,
            meetings.c.region,
            meetings.c.industry,
            meetings.c.kind,
            meetings.c.created_at,
            document_count,
            unit_count,
        )
        .join(agencies, agencies.c.id == meetings.c.agency_id)
        .outerjoin(programmes, programmes.c.id == meetings.c.programme_id)
    )
