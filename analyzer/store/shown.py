"""The units the findings show, each kind picked in one statement whatever the number of categories or issues.

Quote candidates: the first units of every category in the stored quote order, one ``UNION ALL`` of indexed
``ORDER BY quote_rank LIMIT n`` reads (one per category), then their tags, texts and meetings by unit id.
Recurring-issue representatives: per shown (category, signature) the unit with the lowest ``(quote_rank,
unit_id)``, one ``UNION ALL`` of indexed ``LIMIT 1`` reads, then their meetings and texts. One statement each saves
PostgreSQL a round trip per category and per issue; a window function (``ROW_NUMBER() OVER (PARTITION BY category
...)``) would number every matching row before keeping the first ones, where each ``LIMIT`` stops after *n* index
entries.

Under a selective filter, when :mod:`analyzer.store.access_path` finds it cheaper, the same rows are picked from the
label rows of the meetings passing the filters (read once for both) instead; the units' details are then read by id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Select, Subquery, select, union_all

from analyzer.store.access_path import first_rows, label_filters
from analyzer.store.cells import SUMMARY_KINDS
from analyzer.store.counting import MEETING_COLUMNS, UNIT_COLUMNS, _frame, _frame_of, _programme, unit_columns
from analyzer.store.tables import agencies, meetings, programmes, unit_categories, unit_tags, units

#: Per-candidate columns: the label row's, then the unit's (:data:`UNIT_COLUMNS`), its text and meeting.
LABEL_PART = ("unit_id", "category", "signature", "quote_rank")
CANDIDATE_COLUMNS = (*LABEL_PART, *UNIT_COLUMNS[1:], "document_id", "seq", "text", *MEETING_COLUMNS[1:])


def _label_rows(model_version: str, agency_id: int | None, chosen: Mapping[str, str | None]) -> Select[Any]:
    """The summary kinds' label rows of *model_version* passing *chosen* (no columns yet), for a part of a union,
    every condition on the rows' own columns (:func:`~analyzer.store.access_path.label_filters`)."""
    return (
        select()
        .select_from(unit_categories)
        .where(
            unit_categories.c.model_version == model_version,
            unit_categories.c.kind.in_(SUMMARY_KINDS),
            *label_filters(agency_id, chosen),
        )
    )


def _picked(parts: list[Select[Any]]) -> Subquery:
    """The rows of every part (each ordered and limited, so wrapped in a subquery) as one subquery."""
    wrapped: list[Select[Any]] = [select(*sub.c).select_from(sub) for sub in (part.subquery() for part in parts)]
    return (wrapped[0] if len(wrapped) == 1 else union_all(*wrapped)).subquery("picked")


def _details(model_version: str, unit_ids: list[int]) -> Select[Any]:
    """The units' columns after the label part of :data:`CANDIDATE_COLUMNS` (``unit_id`` first), by unit id."""
    return (
        select(
            units.c.id,
            *unit_columns()[1:],
            units.c.text,
            meetings.c.title,
            meetings.c.date,
            agencies.c.name,
            _programme().label("programme"),
        )
        .select_from(units)
        .join(unit_tags, (unit_tags.c.unit_id == units.c.id) & (unit_tags.c.model_version == model_version))
        .join(meetings, meetings.c.id == units.c.meeting_id)
        .join(agencies, agencies.c.id == meetings.c.agency_id)
        .outerjoin(programmes, programmes.c.id == meetings.c.programme_id)
        .where(units.c.id.in_(unit_ids))
    )


def quote_candidates(
    conn: Connection,
    agency_id: int | None,
    model_version: str,
    chosen: Mapping[str, str | None],
    categories: Sequence[str],
    per_category: int,
    *,
    through: Mapping[str, np.ndarray] | None = None,
) -> pd.DataFrame:
    """The first *per_category* units of each of *categories* passing *chosen*, in the stored quote order
    (``quote_rank``, then ``draw``), one row per (unit, category) with :data:`CANDIDATE_COLUMNS`; picked from
    *through* when given (the label rows read through the meetings, :mod:`analyzer.store.access_path`), the same
    rows either way."""
    if not categories:
        return _frame_of(CANDIDATE_COLUMNS)
    if through is not None:
        wanted = np.isin(through["category"], list(categories))
        picked = first_rows(through, LABEL_PART, ["category"], ["quote_rank", "draw"], per_category, wanted)
    else:
        base = _label_rows(model_version, agency_id, chosen).with_only_columns(
            *(unit_categories.c[name] for name in LABEL_PART), maintain_column_froms=True
        )
        order = (unit_categories.c.quote_rank, unit_categories.c.draw)
        parts = [base.where(unit_categories.c.category == c).order_by(*order).limit(per_category) for c in categories]
        picked = _frame(conn, select(_picked(parts)), LABEL_PART)
    if picked.empty:
        return _frame_of(CANDIDATE_COLUMNS)
    unit_ids = sorted({int(unit_id) for unit_id in picked["unit_id"]})
    details = _frame(conn, _details(model_version, unit_ids), ("unit_id", *CANDIDATE_COLUMNS[len(LABEL_PART) :]))
    return picked.astype({"unit_id": "int64"}).merge(details.astype({"unit_id": "int64"}), on="unit_id")[
        list(CANDIDATE_COLUMNS)
    ]


def representative_rows(
    conn: Connection,
    agency_id: int | None,
    model_version: str,
    chosen: Mapping[str, str | None],
    issues: Sequence[tuple[str, int]],
    *,
    through: Mapping[str, np.ndarray] | None = None,
) -> dict[int, tuple[int, int, str]]:
    """Per position in *issues* ((category, signature) pairs) that has one, the unit of the summary kinds passing
    *chosen* with the lowest ``(quote_rank, unit_id)``: ``(unit_id, meeting_id, text)``; picked from *through*
    when given (as :func:`quote_candidates`)."""
    if not issues:
        return {}
    names = ("category", "signature", "unit_id")
    if through is not None:
        shown = {(category, int(signature)) for category, signature in issues}
        pairs = zip(through["category"].tolist(), through["signature"].tolist(), strict=True)
        wanted = np.fromiter(map(shown.__contains__, pairs), dtype=bool, count=len(through["category"]))
        picked = first_rows(through, names, ["category", "signature"], ["quote_rank"], 1, wanted)
    else:
        base = _label_rows(model_version, agency_id, chosen).with_only_columns(
            *(unit_categories.c[name] for name in names), maintain_column_froms=True
        )
        order = (unit_categories.c.quote_rank, unit_categories.c.unit_id)
        parts = [
            base.where(unit_categories.c.category == category, unit_categories.c.signature == int(signature))
            .order_by(*order)
            .limit(1)
            for category, signature in issues
        ]
        picked = _frame(conn, select(_picked(parts)), names)
    unit_ids = sorted({int(unit_id) for unit_id in picked["unit_id"]})
    texts = {
        row[0]: (int(row[1]), str(row[2]))
        for row in conn.execute(select(units.c.id, units.c.meeting_id, units.c.text).where(units.c.id.in_(unit_ids)))
    }
    found = {
        (str(category), int(signature)): (int(unit_id), *texts[int(unit_id)])
        for category, signature, unit_id in zip(picked["category"], picked["signature"], picked["unit_id"], strict=True)
    }
    return {
        position: found[(category, int(signature))]
        for position, (category, signature) in enumerate(issues)
        if (category, int(signature)) in found
    }


def candidate_frames(candidates: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, dict[int, str]]:
    """From :func:`quote_candidates`' rows: the units (one row each, :data:`UNIT_COLUMNS` and the meeting columns,
    in document order), their label rows (:data:`LABEL_PART`) and their texts by unit id."""
    labels = candidates[list(LABEL_PART)].reset_index(drop=True)
    units_once = candidates.drop_duplicates("unit_id")
    order = units_once.sort_values(["meeting_id", "document_id", "seq"], kind="stable")
    names = [*UNIT_COLUMNS, *MEETING_COLUMNS[1:]]
    frame = (
        order[names]
        .reset_index(drop=True)
        .astype(
            {"unit_id": "int64", "meeting_id": "int64", "needs_review": bool, "corrected": bool, "text_key": "int64"}
        )
    )
    texts = dict(zip(units_once["unit_id"].tolist(), units_once["text"].tolist(), strict=True))
    return frame, labels, texts
