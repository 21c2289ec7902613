"""Claiming a job fairly: the oldest claimable job of the agency with the least running and recent work.

Agencies take turns, so one agency's twenty uploads (or one slow file) never hold back another agency's job:
candidates are ordered by their agency's count of running jobs, then by when that agency last had a job
claimed or renewed (never first), then by job id. Workers claim with ``BEGIN IMMEDIATE`` (SQLite) or
``FOR UPDATE OF jobs SKIP LOCKED`` (PostgreSQL), so a job is leased by one worker only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Connection, Engine, Select, and_, case, func, or_, select, update

from analyzer.errors import CATALOGUE
from analyzer.store.tables import agencies, documents, jobs, meetings, programmes, utcnow

MAX_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class Job:
    """A claimed job and what the worker needs to run it; ``attempts`` is the fencing token of this claim."""

    id: int
    document_id: int
    meeting_id: int
    model_version: str
    attempts: int
    worker_id: str
    lease_expires_at: datetime
    filename: str
    blob_path: str
    format: str
    meeting: Mapping[str, str]
    survey_columns: tuple[str, ...] = ()


def claim(
    engine: Engine,
    worker_id: str,
    lease_seconds: float = 60,
    *,
    model_version: str | None = None,
    max_attempts: int = MAX_ATTEMPTS,
    now: datetime | None = None,
) -> Job | None:
    """Lease the next queued job, or a running one whose lease expired (optionally of one model version), taking
    agencies in turn (see the module notes).

    An expired job that already had *max_attempts* claims is failed with ``worker_lost`` instead.
    """
    now = now or utcnow()
    claimable = or_(jobs.c.status == "queued", and_(jobs.c.status == "running", jobs.c.lease_expires_at < now))
    if model_version is not None:
        claimable = and_(claimable, jobs.c.model_version == model_version)
    with engine.begin() as conn:
        while True:
            row = conn.execute(_next(claimable, now)).first()
            if row is None:
                return None
            if row.status == "running" and row.attempts >= max_attempts:
                conn.execute(
                    update(jobs)
                    .where(jobs.c.id == row.id)
                    .values(
                        status="failed",
                        lease_expires_at=None,
                        updated_at=now,
                        error_code="worker_lost",
                        error_message=CATALOGUE["worker_lost"],
                    )
                )
                continue
            conn.execute(
                update(jobs)
                .where(jobs.c.id == row.id)
                .values(
                    status="running",
                    attempts=row.attempts + 1,
                    lease_owner=worker_id,
                    lease_expires_at=now + timedelta(seconds=lease_seconds),
                    updated_at=now,
                )
            )
            return _load_job(conn, row.id)


def _next(claimable: ColumnElement[bool], now: datetime) -> Select[tuple[int, str, int]]:
    """The first claimable job in fair order, locked (PostgreSQL) and skipping rows other workers hold."""
    busy = and_(jobs.c.status == "running", jobs.c.lease_expires_at >= now)
    load = (
        select(
            documents.c.agency_id,
            func.sum(case((busy, 1), else_=0)).label("running"),
            func.max(case((jobs.c.attempts > 0, jobs.c.updated_at), else_=None)).label("last_work"),
        )
        .select_from(jobs.join(documents, documents.c.id == jobs.c.document_id))
        .group_by(documents.c.agency_id)
        .subquery("agency_load")
    )
    return (
        select(jobs.c.id, jobs.c.status, jobs.c.attempts)
        .join(documents, documents.c.id == jobs.c.document_id)
        .join(load, load.c.agency_id == documents.c.agency_id)
        .where(claimable)
        .order_by(load.c.running, load.c.last_work.nulls_first(), jobs.c.id)
        .limit(1)
        .with_for_update(skip_locked=True, of=jobs)
    )


def _load_job(conn: Connection, job_id: int) -> Job:
    row = (
        conn.execute(
            select(
                jobs,
                documents.c.meeting_id,
                documents.c.filename,
                documents.c.blob_path,
                documents.c.format,
                documents.c.survey_columns,
                meetings.c.title,
                meetings.c.date,
                meetings.c.place,
                meetings.c.region,
                meetings.c.industry,
                meetings.c.kind,
                agencies.c.name.label("agency"),
                func.coalesce(programmes.c.name, "").label("programme"),
            )
            .join(documents, documents.c.id == jobs.c.document_id)
            .join(meetings, meetings.c.id == documents.c.meeting_id)
            .join(agencies, agencies.c.id == meetings.c.agency_id)
            .outerjoin(programmes, programmes.c.id == meetings.c.programme_id)
            .where(jobs.c.id == job_id)
        )
        .mappings()
        .one()
    )
    return Job(
        id=row["id"],
        document_id=row["document_id"],
        meeting_id=row["meeting_id"],
        model_version=row["model_version"],
        attempts=row["attempts"],
        worker_id=row["lease_owner"],
        lease_expires_at=row["lease_expires_at"],
        filename=row["filename"],
        blob_path=row["blob_path"],
        format=row["format"],
        meeting={
            name: row[name] for name in ("title", "date", "place", "region", "industry", "kind", "agency", "programme")
        },
        survey_columns=tuple(row["survey_columns"] or ()),
    )
