"""Writing one document's analysis inside the caller's transaction: units, their taggings, meeting fields."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from analyzer.store.dates import iso_date
from analyzer.store.labels import refresh_labels
from analyzer.store.tables import corrections, documents, meetings, taggings, unit_categories, unit_tags, units
from analyzer.textkeys import text_hashes

#: Columns of a unit row that :func:`write_results` takes from the caller.
UNIT_FIELDS = (
    "seq",
    "unit_kind",
    "text",
    "start",
    "end_offset",
    "turn",
    "speaker",
    "title",
    "organisation",
    "region",
    "industry",
    "keyphrases",
    "meta",
)
TAGGING_FIELDS = ("categories", "probabilities", "kind", "kind_confidence", "needs_review", "margin", "taxonomy")
#: Meeting fields that the analysis may fill when the uploader left them empty.
FILLABLE_MEETING_FIELDS = ("title", "date", "place", "region", "industry")
_IDENTITY = ("seq", "unit_kind", "start", "end_offset", "text")


def write_results(
    conn: Connection,
    *,
    document_id: int,
    meeting_id: int,
    model_version: str,
    unit_rows: Sequence[Mapping[str, Any]],
    tagging_rows: Sequence[Mapping[str, Any]],
) -> None:
    """Store *unit_rows* and their taggings (``tagging_rows[i]`` tags ``unit_rows[i]``) for one model version.

    When the document already has exactly these units (same seq, kind, offsets, text), they are kept, so other
    model versions' taggings and human corrections survive; otherwise the old units are replaced and
    corrections move to the new unit with the same text. The units' label and phrase rows
    (:mod:`analyzer.store.labels`) are refreshed in the same transaction: this is the one place taggings are written.
    The caller keeps the summary rows in step (:func:`analyzer.store.summaries.maintained` around this and
    :func:`fill_meeting`).
    """
    if len(unit_rows) != len(tagging_rows):
        raise ValueError(f"{len(unit_rows)} units but {len(tagging_rows)} taggings")
    rows = [
        {**{name: row[name] for name in UNIT_FIELDS}, "document_id": document_id, "meeting_id": meeting_id}
        for row in unit_rows
    ]
    for row, key in zip(rows, text_hashes(row["text"] for row in rows), strict=True):
        row["text_key"] = key
    existing = conn.execute(
        select(units.c.id, *(units.c[name] for name in _IDENTITY))
        .where(units.c.document_id == document_id)
        .order_by(units.c.seq)
    ).all()
    if [tuple(row[1:]) for row in existing] == [tuple(row[name] for name in _IDENTITY) for row in rows]:
        ids = [row.id for row in existing]
        if ids:
            _refresh_units(conn, ids, rows)
            conn.execute(delete(taggings).where(taggings.c.unit_id.in_(ids), taggings.c.model_version == model_version))
    else:
        ids = _replace_units(conn, document_id, rows)
    if ids:
        conn.execute(
            insert(taggings),
            [
                {"unit_id": unit_id, "model_version": model_version, **{name: tag[name] for name in TAGGING_FIELDS}}
                for unit_id, tag in zip(ids, tagging_rows, strict=True)
            ],
        )
        refresh_labels(conn, ids)


def fill_meeting(conn: Connection, meeting_id: int, updates: Mapping[str, str]) -> None:
    """Fill the meeting's empty fields from *updates* (dates become ISO text); ``kind="survey"`` always wins. The
    caller keeps the summary rows in step (:func:`analyzer.store.summaries.maintained`)."""
    current = conn.execute(select(meetings).where(meetings.c.id == meeting_id)).mappings().one()
    values: dict[str, str] = {}
    for name in FILLABLE_MEETING_FIELDS:
        value = (updates.get(name) or "").strip()
        if name == "date":
            value = iso_date(value)
        if value and not current[name]:
            values[name] = value
    if updates.get("kind") == "survey" and current["kind"] != "survey":
        values["kind"] = "survey"
    if values:
        conn.execute(update(meetings).where(meetings.c.id == meeting_id).values(**values))
    if values.get("date"):  # the meeting's label rows carry its date (empty until now)
        rows = unit_categories.c.meeting_id == meeting_id
        conn.execute(update(unit_categories).where(rows).values(date=values["date"]))
    if values.get("region"):  # and its region where their unit has none of its own (empty until now)
        rows = (unit_categories.c.meeting_id == meeting_id) & (unit_categories.c.region == "")
        conn.execute(update(unit_categories).where(rows).values(region=values["region"]))
    if values.get("industry"):  # the label and tag rows, their industry likewise
        for table in (unit_categories, unit_tags):
            rows = (table.c.meeting_id == meeting_id) & (table.c.industry == "")
            conn.execute(update(table).where(rows).values(industry=values["industry"]))


def fill_document(conn: Connection, document_id: int, updates: Mapping[str, str]) -> None:
    """Fill the document's empty ``format`` and ``encoding`` with what ingestion detected."""
    current = conn.execute(select(documents.c.format, documents.c.encoding).where(documents.c.id == document_id)).one()
    values = {
        name: value
        for name, value in ((name, (updates.get(name) or "").strip()) for name in ("format", "encoding"))
        if value and not getattr(current, name)
    }
    if values:
        conn.execute(update(documents).where(documents.c.id == document_id).values(**values))


def _refresh_units(conn: Connection, ids: list[int], rows: list[dict[str, Any]]) -> None:
    mutable = [name for name in UNIT_FIELDS if name not in _IDENTITY]
    conn.execute(
        update(units).where(units.c.id == bindparam("unit_id")).values({name: bindparam(name) for name in mutable}),
        [{"unit_id": unit_id, **{name: row[name] for name in mutable}} for unit_id, row in zip(ids, rows, strict=True)],
    )


def _replace_units(conn: Connection, document_id: int, rows: list[dict[str, Any]]) -> list[int]:
    kept = conn.execute(
        select(
            units.c.text,
            corrections.c.categories,
            corrections.c.kind,
            corrections.c.taxonomy,
            corrections.c.author,
            corrections.c.created_at,
        )
        .join(corrections, corrections.c.unit_id == units.c.id)
        .where(units.c.document_id == document_id)
        .order_by(corrections.c.id)
    ).all()
    conn.execute(delete(units).where(units.c.document_id == document_id))
    if not rows:
        return []
    conn.execute(insert(units), rows)
    by_seq = dict(conn.execute(select(units.c.seq, units.c.id).where(units.c.document_id == document_id)).all())
    ids = [by_seq[row["seq"]] for row in rows]
    first_with_text: dict[str, int] = {}
    for unit_id, row in zip(ids, rows, strict=True):
        first_with_text.setdefault(row["text"], unit_id)
    moved = [
        {
            "unit_id": first_with_text[old.text],
            "categories": old.categories,
            "kind": old.kind,
            "taxonomy": old.taxonomy,
            "author": old.author,
            "created_at": old.created_at,
        }
        for old in kept
        if old.text in first_with_text
    ]
    if moved:
        conn.execute(insert(corrections), moved)
    return ids
