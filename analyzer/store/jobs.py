"""The work queue in the application database: ``queued → running (lease) → done | failed``.

A job is keyed by (document, model version). Workers claim (:mod:`analyzer.store.claims`, agencies in turn)
with ``BEGIN IMMEDIATE`` (SQLite) or ``FOR UPDATE SKIP LOCKED`` (PostgreSQL), hold a lease, and write every result
plus ``done`` in one transaction that first checks the lease is still theirs (the attempt number is the fencing
token), so a killed or too-slow worker never leaves partial results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, and_, exists, func, insert, literal, select, update
from sqlalchemy.exc import IntegrityError

from analyzer.errors import CATALOGUE
from analyzer.store.catalog import agency_id_for, create_meeting
from analyzer.store.claims import MAX_ATTEMPTS as MAX_ATTEMPTS
from analyzer.store.claims import Job as Job
from analyzer.store.claims import claim as claim
from analyzer.store.engine import reader
from analyzer.store.results import fill_document, fill_meeting, write_results
from analyzer.store.summaries import maintained
from analyzer.store.tables import UTCDateTime, documents, jobs, utcnow


@dataclass(frozen=True, slots=True)
class UploadResult:
    meeting_id: int
    document_id: int
    job_id: int
    created: bool


def enqueue_upload(
    engine: Engine,
    *,
    agency: str,
    programme: str | None,
    meeting: Mapping[str, str],
    filename: str,
    sha256: str,
    size: int,
    fmt: str,
    encoding: str | None,
    blob_path: str,
    model_version: str,
    survey_columns: Sequence[str] = (),
) -> UploadResult:
    """In one transaction: the agency and programme (if new), the meeting, the document and its queued job.

    The same bytes (``sha256``) for the same agency return the existing document and its job for
    *model_version* (``created=False``; a job is added only if that model version has none yet). *survey_columns*
    (the answer columns named at upload) are kept with the document; naming other columns for the same bytes
    stores them and queues that job again, so a survey refused for its columns can be sent again with them.
    A unique-key race with a concurrent upload (PostgreSQL) is retried once and then finds the winner's rows.
    """

    def once() -> UploadResult:
        with engine.begin() as conn:
            agency_id = agency_id_for(conn, agency)
            found = conn.execute(
                select(documents.c.id, documents.c.meeting_id, documents.c.survey_columns).where(
                    documents.c.agency_id == agency_id, documents.c.sha256 == sha256
                )
            ).first()
            if found is not None:
                job_id = _job_for(conn, found.id, model_version)
                if survey_columns and list(survey_columns) != found.survey_columns:
                    _rerun_with_columns(conn, found.id, job_id, survey_columns)
                return UploadResult(found.meeting_id, found.id, job_id, created=False)
            meeting_id = create_meeting(conn, agency_id, programme, meeting)
            document_id = conn.execute(
                insert(documents)
                .values(
                    agency_id=agency_id,
                    meeting_id=meeting_id,
                    sha256=sha256,
                    filename=filename,
                    format=fmt,
                    encoding=encoding or "",
                    size=size,
                    blob_path=blob_path,
                    survey_columns=list(survey_columns),
                )
                .returning(documents.c.id)
            ).scalar_one()
            job_id = _job_for(conn, document_id, model_version)
            return UploadResult(meeting_id, document_id, job_id, created=True)

    try:
        return once()
    except IntegrityError:
        return once()


def renew(engine: Engine, job: Job, lease_seconds: float = 60, *, now: datetime | None = None) -> Job | None:
    """Extend the lease of a job we still hold; ``None`` if it was lost."""
    now = now or utcnow()
    expires = now + timedelta(seconds=lease_seconds)
    with engine.begin() as conn:
        changed = conn.execute(update(jobs).where(_ours(job)).values(lease_expires_at=expires, updated_at=now)).rowcount
    return replace(job, lease_expires_at=expires) if changed == 1 else None


def complete(
    engine: Engine,
    job: Job,
    units: Sequence[Mapping[str, Any]],
    taggings: Sequence[Mapping[str, Any]],
    meeting_updates: Mapping[str, str] | None = None,
    *,
    document_updates: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> bool:
    """Write every result and mark the job done, in ONE transaction; ``False`` (nothing written) if the
    lease is no longer ours. Earlier units of the document are replaced (a re-run is idempotent).

    *meeting_updates* (title, date, place, ... from the minutes header) and *document_updates* (detected
    format and encoding) only fill fields that are still empty."""
    now = now or utcnow()
    with engine.begin() as conn:
        marked = conn.execute(
            update(jobs)
            .where(_ours(job))
            .values(status="done", lease_expires_at=None, error_code=None, error_message=None, updated_at=now)
        ).rowcount
        if marked != 1:
            return False
        with maintained(conn, [job.meeting_id]):
            write_results(
                conn,
                document_id=job.document_id,
                meeting_id=job.meeting_id,
                model_version=job.model_version,
                unit_rows=units,
                tagging_rows=taggings,
            )
            fill_meeting(conn, job.meeting_id, meeting_updates or {})
        fill_document(conn, job.document_id, document_updates or {})
    return True


def fail(
    engine: Engine,
    job: Job,
    code: str,
    message: str | None = None,
    max_attempts: int = MAX_ATTEMPTS,
    *,
    retry: bool = True,
    now: datetime | None = None,
) -> bool:
    """Record an error: back to ``queued`` while attempts remain (and *retry*), else ``failed``.

    *message* defaults to the catalogue's Korean message. ``False`` if the lease was no longer ours.
    """
    status = "queued" if retry and job.attempts < max_attempts else "failed"
    with engine.begin() as conn:
        changed = conn.execute(
            update(jobs)
            .where(_ours(job))
            .values(
                status=status,
                lease_expires_at=None,
                error_code=code,
                error_message=message or CATALOGUE.get(code, code),
                updated_at=now or utcnow(),
            )
        ).rowcount
    return changed == 1


def status(engine: Engine, job_id: int) -> dict[str, Any] | None:
    """One job's state (plus its document's meeting and agency), or ``None`` if there is no such job."""
    query = (
        select(
            jobs.c.id,
            jobs.c.document_id,
            documents.c.meeting_id,
            documents.c.agency_id,
            jobs.c.model_version,
            jobs.c.status,
            jobs.c.attempts,
            jobs.c.error_code,
            jobs.c.error_message,
            jobs.c.created_at,
            jobs.c.updated_at,
        )
        .join(documents, documents.c.id == jobs.c.document_id)
        .where(jobs.c.id == job_id)
    )
    with reader(engine).connect() as conn:
        row = conn.execute(query).mappings().first()
    return dict(row) if row is not None else None


def counts(engine: Engine, model_version: str | None = None) -> dict[str, int]:
    """How many jobs are in each status (every status present, zero if none)."""
    query = select(jobs.c.status, func.count()).group_by(jobs.c.status)
    if model_version is not None:
        query = query.where(jobs.c.model_version == model_version)
    with reader(engine).connect() as conn:
        found = {name: number for name, number in conn.execute(query)}
    return {name: int(found.get(name, 0)) for name in ("queued", "running", "done", "failed")}


def requeue_for_model(engine: Engine, model_version: str, agency_id: int | None = None) -> int:
    """Queue a re-analysis job for *model_version* for every document that has none; how many were added."""
    now = utcnow()
    missing = ~exists().where(jobs.c.document_id == documents.c.id, jobs.c.model_version == model_version)
    source = select(
        documents.c.id,
        literal(model_version),
        literal("queued"),
        literal(0),
        literal(now, UTCDateTime),
        literal(now, UTCDateTime),
    ).where(missing)
    if agency_id is not None:
        source = source.where(documents.c.agency_id == agency_id)
    with engine.begin() as conn:
        added = conn.execute(
            insert(jobs)
            .from_select(["document_id", "model_version", "status", "attempts", "created_at", "updated_at"], source)
            .returning(jobs.c.id)
        )
        return len(added.all())


def retry_failed(engine: Engine, job_id: int) -> bool:
    """Put a failed job back in the queue with fresh attempts (an operator's decision)."""
    with engine.begin() as conn:
        changed = conn.execute(
            update(jobs)
            .where(jobs.c.id == job_id, jobs.c.status == "failed")
            .values(status="queued", attempts=0, lease_owner=None, updated_at=utcnow())
        ).rowcount
    return changed == 1


def _job_for(conn: Connection, document_id: int, model_version: str) -> int:
    job_id = conn.execute(
        select(jobs.c.id).where(jobs.c.document_id == document_id, jobs.c.model_version == model_version)
    ).scalar()
    if job_id is None:
        job_id = conn.execute(
            insert(jobs)
            .values(document_id=document_id, model_version=model_version, status="queued", attempts=0)
            .returning(jobs.c.id)
        ).scalar_one()
    return int(job_id)


def _rerun_with_columns(conn: Connection, document_id: int, job_id: int, survey_columns: Sequence[str]) -> None:
    """Store newly named survey columns and queue the document's job again (its attempts stay the fencing token)."""
    conn.execute(update(documents).where(documents.c.id == document_id).values(survey_columns=list(survey_columns)))
    conn.execute(
        update(jobs)
        .where(jobs.c.id == job_id)
        .values(status="queued", lease_owner=None, lease_expires_at=None, updated_at=utcnow())
        .values(error_code=None, error_message=None)
    )


def _ours(job: Job) -> ColumnElement[bool]:
    return and_(
        jobs.c.id == job.id,
        jobs.c.status == "running",
        jobs.c.lease_owner == job.worker_id,
        jobs.c.attempts == job.attempts,
    )
