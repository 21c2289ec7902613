"""Follow-up actions (조치): the units they answer, and a history of every status change that is never overwritten.

actions (one per 조치, its agency, title, owning department, due date and current status and answer) →
action_units (the units it was made from) and action_history (who, when, status, answer; append-only). The tables
live on the one ``metadata`` of :mod:`analyzer.store.tables`, so migrations and comparisons see them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    Connection,
    Engine,
    ForeignKey,
    Integer,
    Select,
    String,
    Table,
    Text,
    func,
    select,
)

from analyzer.store.effective import has_category, tagged_units
from analyzer.store.engine import reader
from analyzer.store.tables import UTCDateTime, meetings, metadata, units, utcnow

#: Every status, in the order of the workflow; the first is where an action starts.
ACTION_STATUSES = ("received", "reviewing", "accepted", "partly_accepted", "long_term", "declined", "done")
#: Statuses that answer the request (the others are still open questions).
ANSWERED = frozenset({"accepted", "partly_accepted", "long_term", "declined", "done"})
#: Statuses after which a due date no longer matters.
CLOSED = frozenset({"done", "declined"})

actions = Table(
    "actions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("agency_id", ForeignKey("agencies.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("department", String(200), nullable=False, default="", index=True),
    Column("due_date", String(10), nullable=False, default=""),
    Column("status", String(20), nullable=False, default="received", index=True),
    Column("answer", Text, nullable=False, default=""),
    Column("created_by", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False, default=utcnow),
    Column("updated_at", UTCDateTime, nullable=False, default=utcnow),
    CheckConstraint(f"status IN ({', '.join(repr(s) for s in ACTION_STATUSES)})", name="status"),
)

action_units = Table(
    "action_units",
    metadata,
    Column("action_id", ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True, index=True),
)

action_history = Table(
    "action_history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("action_id", ForeignKey("actions.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("at", UTCDateTime, nullable=False, default=utcnow),
    Column("author", String(200), nullable=False),
    Column("status", String(20), nullable=False),
    Column("answer", Text, nullable=False, default=""),
)

_FIELDS = (
    actions.c.id,
    actions.c.agency_id,
    actions.c.title,
    actions.c.department,
    actions.c.due_date,
    actions.c.status,
    actions.c.answer,
    actions.c.created_by,
    actions.c.created_at,
    actions.c.updated_at,
)


def unit_agencies(engine: Engine, unit_ids: Sequence[int]) -> dict[int, int]:
    """The agency of each stored unit among *unit_ids* (missing ones are left out)."""
    query = (
        select(units.c.id, meetings.c.agency_id)
        .join(meetings, meetings.c.id == units.c.meeting_id)
        .where(units.c.id.in_(list(unit_ids)))
    )
    with reader(engine).connect() as conn:
        return {int(unit): int(agency) for unit, agency in conn.execute(query)}


def insert_action(
    engine: Engine, agency_id: int, unit_ids: Sequence[int], title: str, department: str, due_date: str, author: str
) -> int:
    """A new action in ``received`` with its units and its first history row, in one transaction."""
    now = utcnow()
    with engine.begin() as conn:
        action_id = int(
            conn.execute(
                actions.insert()
                .values(
                    agency_id=agency_id,
                    title=title,
                    department=department,
                    due_date=due_date,
                    status=ACTION_STATUSES[0],
                    answer="",
                    created_by=author,
                    created_at=now,
                    updated_at=now,
                )
                .returning(actions.c.id)
            ).scalar_one()
        )
        conn.execute(action_units.insert(), [{"action_id": action_id, "unit_id": u} for u in sorted(set(unit_ids))])
        conn.execute(
            action_history.insert().values(
                action_id=action_id, at=now, author=author, status=ACTION_STATUSES[0], answer=""
            )
        )
    return action_id


def record_status(engine: Engine, action_id: int, status: str, answer: str, author: str) -> None:
    """Append a history row and make it the action's current status and answer (one transaction)."""
    now = utcnow()
    with engine.begin() as conn:
        conn.execute(
            action_history.insert().values(action_id=action_id, at=now, author=author, status=status, answer=answer)
        )
        conn.execute(
            actions.update().where(actions.c.id == action_id).values(status=status, answer=answer, updated_at=now)
        )


def get_action(engine: Engine, action_id: int) -> dict[str, Any] | None:
    """One action with its unit and meeting ids, or ``None``."""
    with reader(engine).connect() as conn:
        row = conn.execute(select(*_FIELDS).where(actions.c.id == action_id)).mappings().first()
        return None if row is None else _linked(conn, [dict(row)])[0]


def _linked(conn: Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """*rows* with the ``unit_ids`` and ``meeting_ids`` of each action (one query for all of them)."""
    found: dict[int, list[tuple[int, int]]] = {row["id"]: [] for row in rows}
    query = (
        select(action_units.c.action_id, action_units.c.unit_id, units.c.meeting_id)
        .join(units, units.c.id == action_units.c.unit_id)
        .where(action_units.c.action_id.in_(list(found)))
        .order_by(action_units.c.unit_id)
    )
    for action, unit, meeting in conn.execute(query):
        found[int(action)].append((int(unit), int(meeting)))
    return [
        {
            **row,
            "unit_ids": [unit for unit, _ in found[row["id"]]],
            "meeting_ids": sorted({meeting for _, meeting in found[row["id"]]}),
        }
        for row in rows
    ]


def history(engine: Engine, action_id: int) -> list[dict[str, Any]]:
    """Every status change of an action, oldest first."""
    query = (
        select(action_history.c.at, action_history.c.author, action_history.c.status, action_history.c.answer)
        .where(action_history.c.action_id == action_id)
        .order_by(action_history.c.id)
    )
    with reader(engine).connect() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def _filtered(
    agency_id: int | None,
    status: str | None,
    department: str | None,
    overdue_on: date | None,
    meeting_id: int | None,
    category: tuple[str, str] | None,
) -> Select[Any]:
    query = select(*_FIELDS)
    if agency_id is not None:
        query = query.where(actions.c.agency_id == agency_id)
    if status:
        query = query.where(actions.c.status == status)
    if department:
        query = query.where(actions.c.department == department)
    if overdue_on is not None:
        query = query.where(
            actions.c.due_date != "",
            actions.c.due_date < overdue_on.isoformat(),
            actions.c.status.not_in(sorted(CLOSED)),
        )
    if meeting_id is not None:
        linked = select(action_units.c.action_id).join(units, units.c.id == action_units.c.unit_id)
        query = query.where(actions.c.id.in_(linked.where(units.c.meeting_id == meeting_id)))
    if category is not None:
        model_version, wanted = category
        tagged = tagged_units(model_version).subquery("tagged")
        linked = select(action_units.c.action_id).join(tagged, tagged.c.unit_id == action_units.c.unit_id)
        query = query.where(actions.c.id.in_(linked.where(has_category(tagged.c.categories, wanted))))
    return query


def list_actions(
    engine: Engine,
    agency_id: int | None,
    *,
    status: str | None = None,
    department: str | None = None,
    overdue_on: date | None = None,
    meeting_id: int | None = None,
    category: tuple[str, str] | None = None,
    limit: int | None = 50,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """Actions, most urgent first (due date, then id), with filters; *category* is ``(model version, id)`` and
    *overdue_on* keeps open actions due before that day. ``(rows, total)``."""
    query = _filtered(agency_id, status, department, overdue_on, meeting_id, category)
    ordered = query.order_by((actions.c.due_date == "").asc(), actions.c.due_date, actions.c.id)
    with reader(engine).connect() as conn:
        total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        rows = _linked(conn, [dict(row) for row in conn.execute(ordered.limit(limit).offset(offset)).mappings()])
    return rows, int(total)


def first_answers(engine: Engine, agency_id: int | None) -> dict[int, Any]:
    """When each action first got an answering status (accepted, partly, long-term, declined or done)."""
    query = (
        select(action_history.c.action_id, func.min(action_history.c.at))
        .join(actions, actions.c.id == action_history.c.action_id)
        .where(action_history.c.status.in_(sorted(ANSWERED)))
        .group_by(action_history.c.action_id)
    )
    if agency_id is not None:
        query = query.where(actions.c.agency_id == agency_id)
    with reader(engine).connect() as conn:
        rows = conn.execute(query).all()
    return {int(action): at for action, at in rows}
