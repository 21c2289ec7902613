"""Deleting what an agency uploaded (a meeting or one document) and purging originals past their retention.

Every deletion is one transaction: the rows (units, taggings, corrections and jobs go with their document by
``ON DELETE CASCADE``) and an ``audit_log`` line with the counts. Only then are the original files removed, and
only those no other document still points at; a crash in between leaves an unreferenced file, which the next
:func:`orphan_blobs` sweep finds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from analyzer.store.blobs import BlobStore
from analyzer.store.engine import reader
from analyzer.store.summaries import maintained
from analyzer.store.tables import audit_log, corrections, documents, jobs, meetings, taggings, units, utcnow


@dataclass(frozen=True, slots=True)
class Deleted:
    """What a deletion removed: row counts (for the audit log) and the original files to remove now."""

    counts: dict[str, int]
    blob_paths: tuple[str, ...]


def delete_meeting(engine: Engine, meeting_id: int, *, actor: str, agency_id: int | None = None) -> Deleted | None:
    """Delete a meeting and everything under it; ``None`` if there is no such meeting (of *agency_id*)."""
    with engine.begin() as conn:
        owner = _owner(conn, meetings, meeting_id, agency_id)
        if owner is None:
            return None
        doc_ids = list(conn.execute(select(documents.c.id).where(documents.c.meeting_id == meeting_id)).scalars())
        counts = _counts(conn, doc_ids)
        paths = _blob_paths(conn, doc_ids)
        with maintained(conn, [meeting_id]):
            conn.execute(delete(documents).where(documents.c.meeting_id == meeting_id))
            conn.execute(delete(meetings).where(meetings.c.id == meeting_id))
        counts["meetings"] = 1
        record(
            conn, actor=actor, agency_id=owner, action="delete_meeting", target=f"meeting:{meeting_id}", detail=counts
        )
        return Deleted(counts, _unreferenced(conn, paths))


def delete_document(engine: Engine, document_id: int, *, actor: str, agency_id: int | None = None) -> Deleted | None:
    """Delete one document and what was derived from it; its meeting goes too when nothing else is left in it."""
    with engine.begin() as conn:
        owner = _owner(conn, documents, document_id, agency_id)
        if owner is None:
            return None
        meeting_id = conn.execute(select(documents.c.meeting_id).where(documents.c.id == document_id)).scalar_one()
        counts = _counts(conn, [document_id])
        paths = _blob_paths(conn, [document_id])
        with maintained(conn, [meeting_id]):
            conn.execute(delete(documents).where(documents.c.id == document_id))
            left = conn.execute(select(func.count()).where(documents.c.meeting_id == meeting_id)).scalar_one()
            counts["meetings"] = (
                0 if left else conn.execute(delete(meetings).where(meetings.c.id == meeting_id)).rowcount
            )
        record(
            conn,
            actor=actor,
            agency_id=owner,
            action="delete_document",
            target=f"document:{document_id}",
            detail=counts,
        )
        return Deleted(counts, _unreferenced(conn, paths))


def purge_originals(engine: Engine, older_than: datetime, *, actor: str = "retention") -> tuple[str, ...]:
    """Forget the original files of documents stored before *older_than* (their masked units stay); returns the
    files no document points at any more, for the caller to remove."""
    with engine.begin() as conn:
        rows = conn.execute(
            select(documents.c.id, documents.c.agency_id, documents.c.blob_path).where(
                documents.c.created_at < older_than, documents.c.blob_path != ""
            )
        ).all()
        if not rows:
            return ()
        ids = [row.id for row in rows]
        conn.execute(update(documents).where(documents.c.id.in_(ids)).values(blob_path=""))
        for agency in sorted({row.agency_id for row in rows}):
            purged = [row.id for row in rows if row.agency_id == agency]
            record(
                conn,
                actor=actor,
                agency_id=agency,
                action="purge_originals",
                target=f"documents:{len(purged)}",
                detail={"documents": len(purged), "older_than": older_than.isoformat()},
            )
        return _unreferenced(conn, {row.blob_path for row in rows})


def apply_retention(engine: Engine, blobs: BlobStore, days: int, now: datetime | None = None) -> int:
    """Remove originals older than *days* (0: keep them) and files no document points at; returns files removed.

    A file younger than an hour is never taken for an orphan: an upload writes its file just before its row.
    """
    now = now or utcnow()
    doomed = set(purge_originals(engine, now - timedelta(days=days))) if days > 0 else set()
    with reader(engine).connect() as conn:
        kept = set(conn.execute(select(documents.c.blob_path).where(documents.c.blob_path != "")).scalars())
    doomed |= {path for path in blobs.paths(older_than=now - timedelta(hours=1)) if path not in kept}
    for path in doomed:
        blobs.delete(path)
    return len(doomed)


def record(
    conn: Connection, *, actor: str, agency_id: int | None, action: str, target: str, detail: dict[str, Any]
) -> None:
    """One audit line, inside the caller's transaction."""
    conn.execute(
        insert(audit_log).values(
            at=utcnow(), actor=actor, agency_id=agency_id, action=action, target=target, detail=detail
        )
    )


def audit_lines(
    engine: Engine, agency_id: int | None = None, limit: int = 100, offset: int = 0
) -> tuple[int, list[dict[str, Any]]]:
    """How many audit lines there are (of *agency_id*, when given) and a page of them, newest first."""
    condition = [audit_log.c.agency_id == agency_id] if agency_id is not None else []
    with reader(engine).connect() as conn:
        total = conn.execute(select(func.count()).select_from(audit_log).where(*condition)).scalar_one()
        rows = conn.execute(
            select(audit_log).where(*condition).order_by(audit_log.c.id.desc()).limit(limit).offset(offset)
        ).mappings()
        return int(total), [dict(row) for row in rows]


def _owner(conn: Connection, table: Any, row_id: int, agency_id: int | None) -> int | None:
    condition = [table.c.id == row_id]
    if agency_id is not None:
        condition.append(table.c.agency_id == agency_id)
    found = conn.execute(select(table.c.agency_id).where(*condition)).scalar()
    return int(found) if found is not None else None


def _counts(conn: Connection, doc_ids: list[int]) -> dict[str, int]:
    unit_ids = select(units.c.id).where(units.c.document_id.in_(doc_ids)).scalar_subquery()

    def count(table: Any, condition: Any) -> int:
        return int(conn.execute(select(func.count()).select_from(table).where(condition)).scalar_one())

    return {
        "documents": len(doc_ids),
        "units": count(units, units.c.document_id.in_(doc_ids)),
        "taggings": count(taggings, taggings.c.unit_id.in_(unit_ids)),
        "corrections": count(corrections, corrections.c.unit_id.in_(unit_ids)),
        "jobs": count(jobs, jobs.c.document_id.in_(doc_ids)),
    }


def _blob_paths(conn: Connection, doc_ids: list[int]) -> set[str]:
    found = conn.execute(select(documents.c.blob_path).where(documents.c.id.in_(doc_ids))).scalars()
    return {path for path in found if path}


def _unreferenced(conn: Connection, paths: Iterable[str]) -> tuple[str, ...]:
    paths = set(paths)
    if not paths:
        return ()
    still = set(conn.execute(select(documents.c.blob_path).where(documents.c.blob_path.in_(paths))).scalars())
    return tuple(sorted(paths - still))
