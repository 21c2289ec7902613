"""Label rows kept in step with taggings and corrections, inside the caller's transaction.

For every tagged unit and model version, ``unit_tags`` holds the effective kind and flags and ``unit_categories``
one row per effective category (the latest correction under the tagging's taxonomy wins, as in
:mod:`analyzer.store.effective`); ``unit_phrases`` holds each unit's key phrases as rows. Whatever writes taggings,
corrections or key phrases calls :func:`refresh_labels` for the units it touched in the same transaction, so the
rows the findings count are never behind the data; deletions need nothing (the rows cascade with their unit).
Each category row also carries what quotes and recurring issues rank by, computed here once per unit: ``quote_rank``
(:func:`quote_rank`, ascending: first copies of a text before its exact duplicates, then the model's probability of
the category, 1 for a corrected label) and ``signature`` (:func:`analyzer.textkeys.signature_of`), and what the
findings filter on: the meeting's agency, programme and date and the unit's effective region and industry (the
``unit_tags`` row carries the industry too; a job that fills a meeting's empty date, region or industry updates
these rows, :func:`analyzer.store.results.fill_meeting`). The caller keeps the summary rows in step
(:func:`analyzer.store.summaries.maintained` around its writes).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, delete, func, select

from analyzer.store.bulk import insert_plain
from analyzer.store.cells import chunks
from analyzer.store.tables import (
    LABEL_PLACE,
    corrections,
    effective_industry,
    effective_region,
    meetings,
    taggings,
    unit_categories,
    unit_phrases,
    unit_tags,
    units,
)
from analyzer.textkeys import clean_labels, signature_of

#: Multiplier of the stored ``draw`` order (Knuth's multiplicative hash of the unit id, modulo 2**32): reading a
#: category's units by ``draw`` is a fixed pseudo-random sample, computable in SQL for a backfill.
DRAW_MULTIPLIER = 2654435761


def draw_of(unit_id: int) -> int:
    """The pseudo-random sampling order of a unit (see :data:`DRAW_MULTIPLIER`)."""
    return (unit_id * DRAW_MULTIPLIER) % 2**32


def quote_rank(probability: float, copy: int) -> float:
    """Quote candidates' order, ascending: the unit's ordinal among the earlier units of the same text, model version
    and category (*copy*, 0 for the first), then one minus the *probability* of the category."""
    return copy + 1.0 - min(max(float(probability), 0.0), 1.0)


def label_rows(
    unit_id: int, meeting_id: int, tagging: Any, correction: Any | None, place: Mapping[str, Any]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The ``unit_tags`` row and ``unit_categories`` rows of one tagging and its latest correction (if any), the
    latter with the unit's *place* (its meeting's agency, programme and date, its effective region and industry; the
    tag row carries the industry too); their ``quote_rank`` counts no copies yet (:func:`with_copies` adds them)."""
    probabilities = getattr(tagging, "probabilities", None) or {}
    signature = signature_of(clean_labels(getattr(tagging, "keyphrases", None)), getattr(tagging, "text_key", 0) or 0)
    source = correction if correction is not None else tagging
    kind = " ".join(str(source.kind or "").split())
    tag = {
        "unit_id": unit_id,
        "model_version": tagging.model_version,
        "meeting_id": meeting_id,
        "kind": kind,
        "needs_review": bool(tagging.needs_review) and correction is None,
        "corrected": correction is not None,
        "industry": place["industry"],
    }
    categories = [
        {
            "unit_id": unit_id,
            "model_version": tagging.model_version,
            "category": category,
            "meeting_id": meeting_id,
            "kind": kind,
            "draw": draw_of(unit_id),
            "quote_rank": quote_rank(1.0 if correction is not None else probabilities.get(category, 0.0), 0),
            "signature": signature,
            **place,
            "text_key": getattr(tagging, "text_key", 0) or 0,
        }
        for category in clean_labels(source.categories)
    ]
    return tag, categories


def with_copies(conn: Connection, rows: list[dict[str, Any]], batch: Sequence[int]) -> list[dict[str, Any]]:
    """Category *rows* (with ``text_key``, which is dropped) whose ``quote_rank`` counts the stored units with the
    same text, model version and category (*batch*'s own rows are deleted first), then those of *batch* with a lower
    id."""
    keys = sorted({row["text_key"] for row in rows if row["text_key"]})
    seen: dict[tuple[int, str, str], int] = {}
    for part in chunks(keys):
        query = (
            select(units.c.text_key, unit_categories.c.model_version, unit_categories.c.category, func.count())
            .join(units, units.c.id == unit_categories.c.unit_id)
            .where(units.c.text_key.in_(part))
            .group_by(units.c.text_key, unit_categories.c.model_version, unit_categories.c.category)
        )
        seen.update(((key, version, category), count) for key, version, category, count in conn.execute(query))
    for row in sorted(rows, key=lambda row: row["unit_id"]):
        key = row.pop("text_key")
        if key:
            group = (key, row["model_version"], row["category"])
            row["quote_rank"] += seen.get(group, 0)
            seen[group] = seen.get(group, 0) + 1
    return rows


def refresh_labels(conn: Connection, unit_ids: Sequence[int]) -> None:
    """Recompute the label and phrase rows of *unit_ids* (every model version) from their taggings, corrections
    and key phrases."""
    for batch in chunks(sorted(set(unit_ids))):
        conn.execute(delete(unit_tags).where(unit_tags.c.unit_id.in_(batch)))
        conn.execute(delete(unit_categories).where(unit_categories.c.unit_id.in_(batch)))
        conn.execute(delete(unit_phrases).where(unit_phrases.c.unit_id.in_(batch)))
        latest: dict[tuple[int, str], Any] = {}
        for row in conn.execute(select(corrections).where(corrections.c.unit_id.in_(batch)).order_by(corrections.c.id)):
            latest[(row.unit_id, row.taxonomy)] = row
        tags: list[dict[str, Any]] = []
        categories: list[dict[str, Any]] = []
        found = conn.execute(
            select(
                taggings.c.unit_id,
                taggings.c.model_version,
                taggings.c.categories,
                taggings.c.kind,
                taggings.c.needs_review,
                taggings.c.taxonomy,
                taggings.c.probabilities,
                units.c.meeting_id,
                units.c.keyphrases,
                units.c.text_key,
                meetings.c.agency_id,
                meetings.c.programme_id,
                meetings.c.date,
                effective_region().label("region"),
                effective_industry().label("industry"),
            )
            .join(units, units.c.id == taggings.c.unit_id)
            .join(meetings, meetings.c.id == units.c.meeting_id)
            .where(taggings.c.unit_id.in_(batch))
        )
        for tagging in found:
            correction = latest.get((tagging.unit_id, tagging.taxonomy))
            place = {name: getattr(tagging, name) for name in LABEL_PLACE[1:]}
            tag, rows = label_rows(tagging.unit_id, tagging.meeting_id, tagging, correction, place)
            tags.append(tag)
            categories += rows
        owned = select(units.c.id, units.c.meeting_id, units.c.keyphrases).where(units.c.id.in_(batch))
        phrases = [
            {"unit_id": row.id, "phrase": phrase, "meeting_id": row.meeting_id}
            for row in conn.execute(owned)
            for phrase in clean_labels(row.keyphrases)
        ]
        categories = with_copies(conn, categories, batch)
        for table, rows_of in ((unit_tags, tags), (unit_categories, categories), (unit_phrases, phrases)):
            insert_plain(conn, table, rows_of)
