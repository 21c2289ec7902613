"""The effective tags of a unit: the latest human correction made under the model's taxonomy overrides the model's
categories and kind (a correction under another taxonomy is never mixed in; see ``remap_corrections``)."""

from __future__ import annotations

import json

from sqlalchemy import JSON, Boolean, ColumnElement, Select, Text, and_, case, cast, false, func, select, type_coerce

from analyzer.store.tables import (
    agencies,
    corrections,
    effective_industry,
    effective_region,
    meetings,
    programmes,
    taggings,
    units,
)


def escape_like(value: str) -> str:
    """*value* with LIKE wildcards escaped (use with ``escape="\\\\"``)."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def tagged_units(model_version: str) -> Select[tuple[object, ...]]:
    """Every unit tagged by *model_version*, with meeting, agency and programme, and its effective tags.

    Labelled columns: the unit's own (``unit_id``, ``end`` ...), ``meeting_title``, ``meeting_date``,
    ``meeting_kind``, ``agency``, ``agency_id``, ``programme``, ``categories``, ``probabilities``, ``kind``,
    ``kind_confidence``, ``margin``, ``taxonomy``, ``needs_review``, ``corrected``, ``model_version``. Region and
    industry fall back to the meeting's.
    """
    latest = (
        select(corrections.c.unit_id, corrections.c.taxonomy, func.max(corrections.c.id).label("id"))
        .group_by(corrections.c.unit_id, corrections.c.taxonomy)
        .subquery("latest")
    )
    fix = corrections.alias("fix")
    corrected = fix.c.id.is_not(None)
    return (
        select(
            units.c.id.label("unit_id"),
            units.c.document_id,
            units.c.meeting_id,
            units.c.seq,
            units.c.unit_kind,
            units.c.text,
            units.c.start,
            units.c.end_offset.label("end"),
            units.c.turn,
            units.c.speaker,
            units.c.title,
            units.c.organisation,
            effective_region().label("region"),
            effective_industry().label("industry"),
            units.c.keyphrases,
            units.c.meta,
            meetings.c.title.label("meeting_title"),
            meetings.c.date.label("meeting_date"),
            meetings.c.kind.label("meeting_kind"),
            meetings.c.agency_id,
            agencies.c.name.label("agency"),
            func.coalesce(programmes.c.name, "").label("programme"),
            func.coalesce(fix.c.categories, taggings.c.categories, type_=JSON).label("categories"),
            taggings.c.probabilities,
            func.coalesce(fix.c.kind, taggings.c.kind).label("kind"),
            taggings.c.kind_confidence,
            taggings.c.margin,
            taggings.c.taxonomy,
            type_coerce(case((corrected, false()), else_=taggings.c.needs_review), Boolean).label("needs_review"),
            type_coerce(corrected, Boolean).label("corrected"),
            taggings.c.model_version,
        )
        .select_from(units)
        .join(taggings, and_(taggings.c.unit_id == units.c.id, taggings.c.model_version == model_version))
        .join(meetings, meetings.c.id == units.c.meeting_id)
        .join(agencies, agencies.c.id == meetings.c.agency_id)
        .outerjoin(programmes, programmes.c.id == meetings.c.programme_id)
        .outerjoin(latest, and_(latest.c.unit_id == units.c.id, latest.c.taxonomy == taggings.c.taxonomy))
        .outerjoin(fix, fix.c.id == latest.c.id)
    )


def has_category(categories: ColumnElement[object], category: str) -> ColumnElement[bool]:
    """Portable test that a JSON list column contains *category*: a LIKE on its JSON text for the quoted id.

    Both databases keep the JSON text exactly as ``json.dumps`` wrote it (SQLite as TEXT, PostgreSQL as
    ``json``, not ``jsonb``), so the quoted, escaped id only matches a whole element.
    """
    return cast(categories, Text).like(f"%{escape_like(json.dumps(category))}%", escape="\\")
