"""Agencies, programmes and meetings: found by name or created, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Connection, insert, select

from analyzer.store.dates import iso_date
from analyzer.store.tables import MEETING_KINDS, agencies, meetings, programmes

#: Meeting fields an uploader may give; other keys (attendees, agenda, ...) are ignored.
MEETING_FIELDS = ("title", "date", "place", "region", "industry", "kind")


def agency_id_for(conn: Connection, name: str) -> int:
    """The id of the agency called *name*, created if new."""
    name = name.strip()
    if not name:
        raise ValueError("an agency name is required")
    found = conn.execute(select(agencies.c.id).where(agencies.c.name == name)).scalar()
    if found is not None:
        return int(found)
    return int(conn.execute(insert(agencies).values(name=name).returning(agencies.c.id)).scalar_one())


def programme_id_for(conn: Connection, agency_id: int, name: str) -> int:
    """The id of the agency's programme called *name*, created if new."""
    found = conn.execute(
        select(programmes.c.id).where(programmes.c.agency_id == agency_id, programmes.c.name == name)
    ).scalar()
    if found is not None:
        return int(found)
    inserted = insert(programmes).values(agency_id=agency_id, name=name).returning(programmes.c.id)
    return int(conn.execute(inserted).scalar_one())


def create_meeting(conn: Connection, agency_id: int, programme: str | None, fields: Mapping[str, str]) -> int:
    """A new meeting row; ``date`` is stored as ISO text (``""`` if it cannot be read)."""
    values = {name: (fields.get(name) or "").strip() for name in MEETING_FIELDS}
    values["kind"] = values["kind"] or "roundtable"
    if values["kind"] not in MEETING_KINDS:
        raise ValueError(f"meeting kind must be one of {MEETING_KINDS}, not {values['kind']!r}")
    values["date"] = iso_date(values["date"])
    programme = (programme or "").strip()
    programme_id = programme_id_for(conn, agency_id, programme) if programme else None
    inserted = insert(meetings).values(agency_id=agency_id, programme_id=programme_id, **values)
    return int(conn.execute(inserted.returning(meetings.c.id)).scalar_one())
