"""What the findings' reads of the label rows share: the filters over the meetings or the label rows
(:func:`place_conditions`), the per-unit columns of the units they show (:func:`unit_columns`) and frames built
column-wise (no JSON is decoded)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, CompoundSelect, Connection, Select, Table, and_, func, select

from analyzer.store.tables import (
    agencies,
    effective_industry,
    effective_region,
    programmes,
    unit_tags,
    units,
)

#: Per-unit columns of :func:`unit_columns`; the meeting columns follow (:data:`MEETING_COLUMNS`).
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


def _frame_of(names: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame({name: [] for name in names})


def _frame(conn: Connection, query: Select[Any] | CompoundSelect[Any], names: Sequence[str]) -> pd.DataFrame:
    """The rows of *query* as columns (built column-wise: much faster than records of result rows)."""
    rows = conn.execute(query).fetchall()
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    return pd.DataFrame({name: list(values) for name, values in zip(names, columns, strict=True)})
