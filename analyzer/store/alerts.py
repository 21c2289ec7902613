"""Alerts: each stored once per agency and key (a rising category in a period, a candidate issue, an overdue
action), acknowledged by a person, and marked when the webhook took it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Engine,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    or_,
    select,
)

from analyzer.store.engine import reader
from analyzer.store.tables import UTCDateTime, metadata, utcnow

ALERT_KINDS = ("rising", "candidate", "overdue")

alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("agency_id", ForeignKey("agencies.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("key", String(200), nullable=False),
    Column("title", Text, nullable=False),
    Column("detail", JSON, nullable=False, default=dict),
    Column("created_at", UTCDateTime, nullable=False, default=utcnow),
    Column("acknowledged_at", UTCDateTime, nullable=True),
    Column("acknowledged_by", String(200), nullable=True),
    Column("delivered_at", UTCDateTime, nullable=True),
    Column("delivery_claimed_until", UTCDateTime, nullable=True),
    UniqueConstraint("agency_id", "key"),
    CheckConstraint(f"kind IN ({', '.join(repr(k) for k in ALERT_KINDS)})", name="kind"),
)

_FIELDS = (
    alerts.c.id,
    alerts.c.agency_id,
    alerts.c.kind,
    alerts.c.key,
    alerts.c.title,
    alerts.c.detail,
    alerts.c.created_at,
    alerts.c.acknowledged_at,
    alerts.c.acknowledged_by,
    alerts.c.delivered_at,
)


def store_new(engine: Engine, found: Sequence[dict[str, Any]]) -> list[int]:
    """Insert the alerts of *found* (``agency_id``, ``kind``, ``key``, ``title``, ``detail``) whose (agency, key)
    is not stored yet; the ids of the new ones. Concurrent callers store each key once (the unique constraint)."""
    made: list[int] = []
    for alert in found:
        if _stored(engine, alert["agency_id"], alert["key"]):
            continue
        insert = _insert_ignoring_duplicates(engine).values(**alert, created_at=utcnow()).returning(alerts.c.id)
        with engine.begin() as conn:
            new = conn.execute(insert).scalar()
        if new is not None:
            made.append(int(new))
    return made


def _insert_ignoring_duplicates(engine: Engine) -> Any:
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(alerts).on_conflict_do_nothing(index_elements=["agency_id", "key"])
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(alerts).on_conflict_do_nothing(index_elements=["agency_id", "key"])


def _stored(engine: Engine, agency_id: int, key: str) -> bool:
    with reader(engine).connect() as conn:
        found = conn.execute(select(alerts.c.id).where(alerts.c.agency_id == agency_id, alerts.c.key == key)).first()
    return found is not None


def list_alerts(
    engine: Engine, agency_id: int | None, *, open_only: bool = False, limit: int | None = 50, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """Alerts newest first; *open_only* keeps the unacknowledged ones. ``(rows, total)``."""
    query = select(*_FIELDS)
    if agency_id is not None:
        query = query.where(alerts.c.agency_id == agency_id)
    if open_only:
        query = query.where(alerts.c.acknowledged_at.is_(None))
    with reader(engine).connect() as conn:
        total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        page = query.order_by(alerts.c.id.desc()).limit(limit).offset(offset)
        rows = [dict(row) for row in conn.execute(page).mappings()]
    return rows, int(total)


def get_alert(engine: Engine, alert_id: int) -> dict[str, Any] | None:
    with reader(engine).connect() as conn:
        row = conn.execute(select(*_FIELDS).where(alerts.c.id == alert_id)).mappings().first()
    return dict(row) if row else None


def acknowledge(engine: Engine, alert_id: int, author: str) -> None:
    """Mark an alert acknowledged (the first acknowledgement stays)."""
    with engine.begin() as conn:
        conn.execute(
            alerts.update()
            .where(alerts.c.id == alert_id, alerts.c.acknowledged_at.is_(None))
            .values(acknowledged_at=utcnow(), acknowledged_by=author)
        )


def undelivered(engine: Engine) -> list[dict[str, Any]]:
    """Alerts the webhook has not taken yet, oldest first."""
    with reader(engine).connect() as conn:
        query = select(*_FIELDS).where(alerts.c.delivered_at.is_(None)).order_by(alerts.c.id)
        return [dict(row) for row in conn.execute(query).mappings()]


def claim_delivery(engine: Engine, alert_id: int, seconds: float) -> bool:
    """Take the alert's delivery for *seconds*: ``False`` if it was delivered meanwhile or another process holds an
    unexpired claim (several web processes scan at once; each alert must reach the webhook once). A process that
    dies holding a claim leaves the alert to the first scan after it expires."""
    now = utcnow()
    with engine.begin() as conn:
        taken = conn.execute(
            alerts.update()
            .where(
                alerts.c.id == alert_id,
                alerts.c.delivered_at.is_(None),
                or_(alerts.c.delivery_claimed_until.is_(None), alerts.c.delivery_claimed_until < now),
            )
            .values(delivery_claimed_until=now + timedelta(seconds=seconds))
        ).rowcount
    return bool(taken)


def release_delivery(engine: Engine, alert_id: int) -> None:
    """Give the claim back (the webhook did not take the alert): the next scan tries again."""
    with engine.begin() as conn:
        conn.execute(alerts.update().where(alerts.c.id == alert_id).values(delivery_claimed_until=None))


def mark_delivered(engine: Engine, alert_id: int) -> None:
    with engine.begin() as conn:
        conn.execute(alerts.update().where(alerts.c.id == alert_id).values(delivered_at=utcnow()))
