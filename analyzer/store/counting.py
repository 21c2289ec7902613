"""The findings' reads from the label rows: compact per-unit and per-label frames, filters pushed into SQL, and the
texts of the few units the text passes need (no JSON is decoded and no text is read for counting)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, CompoundSelect, Connection, Engine, Select, Table, and_, func, select

from analyzer.store.engine import reader
from analyzer.store.tables import (
    agencies,
    effective_industry,
    effective_region,
    meetings,
    programmes,
    unit_categories,
    unit_phrases,
    unit_tags,
    units,
)

#: Per-unit columns of :func:`counting_frames`; meeting columns are joined in pandas from one row per meeting.
UNIT_COLUMNS = (
    "unit_id",
    "meeting_id",
    "kind",
    "needs_review",
    "corrected",
    "organisation",
    "region",
    "industry",
    "text_key",
)
MEETING_COLUMNS = ("meeting_id", "meeting_title", "meeting_date", "agency", "programme")
ORDERED = (*UNIT_COLUMNS, "document_id", "seq")
LABEL_COLUMNS = ("unit_id", "category", "signature", "quote_rank")
FILTERS = ("agency", "programme", "region", "industry", "date_from", "date_to")


def _programme() -> ColumnElement[str]:
    return func.coalesce(programmes.c.name, "")


def place_conditions(
    table: Table, agency_id: int | None, chosen: Mapping[str, str | None]
) -> list[ColumnElement[bool]]:
    """The caller's agency and the meeting-level filters of *chosen* over *table*'s ``agency_id``, ``programme_id``
    and ``date`` (the meetings, or the label rows, which carry their meeting's). Agency and programme are compared
    by the ids of their names: a column against a list, which PostgreSQL estimates (a joined filter it does not)."""
    found: list[ColumnElement[bool]] = []
    if agency_id is not None:
        found.append(table.c.agency_id == agency_id)
    if chosen.get("agency"):
        found.append(table.c.agency_id.in_(select(agencies.c.id).where(agencies.c.name == chosen["agency"])))
    if chosen.get("programme"):
        found.append(table.c.programme_id.in_(select(programmes.c.id).where(programmes.c.name == chosen["programme"])))
    if chosen.get("date_from"):
        found.append(table.c.date >= chosen["date_from"])
    if chosen.get("date_to"):
        found.append(and_(table.c.date <= chosen["date_to"], table.c.date != ""))
    return found


def _filtered(query: Select[Any], agency_id: int | None, chosen: Mapping[str, str | None]) -> Select[Any]:
    """*query* (over ``units``) joined to its meeting and restricted by every filter but the industry
    (:func:`counting_frames` checks it on the units' tag rows)."""
    query = query.join(meetings, meetings.c.id == units.c.meeting_id).where(
        *place_conditions(meetings, agency_id, chosen)
    )
    if chosen.get("region"):
        query = query.where(effective_region() == chosen["region"])
    return query


def unit_columns() -> list[ColumnElement[Any]]:
    """The per-unit columns (:data:`UNIT_COLUMNS` then ``document_id`` and ``seq``) over ``unit_tags`` joined to
    ``units`` and the unit's meeting."""
    return [
        unit_tags.c.unit_id,
        unit_tags.c.meeting_id,
        unit_tags.c.kind,
        unit_tags.c.needs_review,
        unit_tags.c.corrected,
        units.c.organisation,
        effective_region().label("region"),
        effective_industry().label("industry"),
        units.c.text_key,
        units.c.document_id,
        units.c.seq,
    ]


def _unit_query(agency_id: int | None, model_version: str, chosen: Mapping[str, str | None]) -> Select[Any]:
    """Per-unit rows (:data:`UNIT_COLUMNS` then ``document_id`` and ``seq``) of *model_version* passing *chosen*."""
    return _filtered(
        select(*unit_columns())
        .select_from(unit_tags)
        .join(units, units.c.id == unit_tags.c.unit_id)
        .where(unit_tags.c.model_version == model_version),
        agency_id,
        chosen,
    )


def _meeting_query(agency_id: int | None, chosen: Mapping[str, str | None]) -> Select[Any]:
    return (
        select(
            meetings.c.id.label("meeting_id"),
            meetings.c.title.label("meeting_title"),
            meetings.c.date.label("meeting_date"),
            agencies.c.name.label("agency"),
            _programme().label("programme"),
        )
        .select_from(meetings)
        .join(agencies, agencies.c.id == meetings.c.agency_id)
        .outerjoin(programmes, programmes.c.id == meetings.c.programme_id)
        .where(*place_conditions(meetings, agency_id, chosen))
    )


def _with_meetings(unit_frame: pd.DataFrame, meeting_frame: pd.DataFrame) -> pd.DataFrame:
    """*unit_frame* typed, with the :data:`MEETING_COLUMNS` of its meetings."""
    unit_frame = unit_frame.astype(
        {"unit_id": "int64", "meeting_id": "int64", "needs_review": bool, "corrected": bool, "text_key": "int64"}
    )
    meeting_frame = meeting_frame.set_index("meeting_id")
    for name in MEETING_COLUMNS[1:]:
        unit_frame[name] = unit_frame["meeting_id"].map(meeting_frame[name])
    return unit_frame


def _frame_of(names: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame({name: [] for name in names})


def counting_frames(
    engine: Engine,
    agency_id: int | None,
    model_version: str,
    chosen: Mapping[str, str | None],
    kinds: Sequence[str] | None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``(units, labels, phrases)`` of the units tagged by *model_version* that pass the filters *chosen*
    (:data:`FILTERS`, raw values compared as stored), units in document order.

    ``units`` has :data:`UNIT_COLUMNS` plus :data:`MEETING_COLUMNS`; ``labels`` holds ``unit_id`` and ``category``
    of the units of *kinds* (``None``: every kind); ``phrases`` ``unit_id`` and ``phrase`` of the same units.
    """
    unit_query = _unit_query(agency_id, model_version, chosen).order_by(
        units.c.meeting_id, units.c.document_id, units.c.seq
    )
    label_query = _filtered(
        select(*(unit_categories.c[name] for name in LABEL_COLUMNS))
        .select_from(unit_categories)
        .join(units, units.c.id == unit_categories.c.unit_id)
        .where(unit_categories.c.model_version == model_version),
        agency_id,
        chosen,
    )
    phrase_query = _filtered(
        select(unit_phrases.c.unit_id, unit_phrases.c.phrase)
        .select_from(unit_phrases)
        .join(
            unit_tags, and_(unit_tags.c.unit_id == unit_phrases.c.unit_id, unit_tags.c.model_version == model_version)
        )
        .join(units, units.c.id == unit_phrases.c.unit_id),
        agency_id,
        chosen,
    )
    if chosen.get("industry"):  # the units' own column, indexed by model version: the passing units alone are read
        industry = unit_tags.c.industry == chosen["industry"]
        unit_query, phrase_query = unit_query.where(industry), phrase_query.where(industry)
        passing = select(unit_tags.c.unit_id).where(unit_tags.c.model_version == model_version, industry)
        label_query = label_query.where(unit_categories.c.unit_id.in_(passing))
    if kinds is not None:
        label_query = label_query.where(unit_categories.c.kind.in_(list(kinds)))
        phrase_query = phrase_query.where(unit_tags.c.kind.in_(list(kinds)))
    with reader(engine).connect() as conn:
        unit_frame = _frame(conn, unit_query, ORDERED)
        labels = _frame(conn, label_query, LABEL_COLUMNS)
        phrases = _frame(conn, phrase_query, ("unit_id", "phrase"))
        meeting_frame = _frame(conn, _meeting_query(agency_id, chosen), MEETING_COLUMNS)
    unit_frame = unit_frame.drop(columns=["document_id", "seq"])
    return _with_meetings(unit_frame, meeting_frame), labels, phrases


def _frame(conn: Connection, query: Select[Any] | CompoundSelect[Any], names: Sequence[str]) -> pd.DataFrame:
    """The rows of *query* as columns (built column-wise: much faster than records of result rows)."""
    rows = conn.execute(query).fetchall()
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    return pd.DataFrame({name: list(values) for name, values in zip(names, columns, strict=True)})
