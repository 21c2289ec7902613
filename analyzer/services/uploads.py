"""Accepting an upload: check the bytes, mask what the uploader typed, store the original encrypted, queue a job."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import select

from analyzer.errors import AnalyzerError
from analyzer.filenames import mask_filename
from analyzer.ingest import IngestLimits, precheck
from analyzer.redact import mask_text
from analyzer.services.context import Context
from analyzer.services.wake import JobBell
from analyzer.store import jobs
from analyzer.store.agencies import agency_id
from analyzer.store.engine import reader
from analyzer.store.tables import agencies


@dataclass(frozen=True)
class Upload:
    """One file and the meeting it records, as the uploader gave them (*date* already ``yyyy-mm-dd`` or "")."""

    filename: str
    data: bytes
    title: str = ""
    date: str = ""
    place: str = ""
    programme: str = ""
    region: str = ""
    industry: str = ""
    kind: Literal["roundtable", "survey"] = "roundtable"
    survey_columns: Sequence[str] = field(default_factory=tuple)


def owner_name(context: Context, own_agency: int | None, named: str) -> str:
    """The agency an upload belongs to: the caller's own (*own_agency*), else the existing agency *named*
    (``agency_not_found``; an upload never creates one)."""
    if own_agency is None:
        own_agency = agency_id(context.engine, named)
    with reader(context.engine).connect() as connection:
        name = connection.execute(select(agencies.c.name).where(agencies.c.id == own_agency)).scalar()
    if name is None:
        raise AnalyzerError("agency_not_found", str(own_agency))
    return str(name)


def upload(
    context: Context, given: Upload, *, own_agency: int | None, named_agency: str = "", model_version: str | None = None
) -> jobs.UploadResult:
    """Check the file (type and size, refusals as ``AnalyzerError``), find its agency, store the original encrypted,
    mask the file name and the typed meeting fields, and queue a job of *model_version* (default: deployed)."""
    limit = context.settings.max_upload_bytes
    fmt = precheck(given.filename, given.data, IngestLimits(max_bytes=limit))
    owner = owner_name(context, own_agency, named_agency)
    stored = context.blobs.put_bytes(given.data)
    masked_name = mask_filename(given.filename)
    queued = jobs.enqueue_upload(
        context.engine,
        agency=owner,
        programme=mask_text(given.programme.strip()) or None,
        meeting={
            "title": mask_text(given.title) if given.title.strip() else masked_name,
            "date": given.date,
            "place": mask_text(given.place),
            "region": mask_text(given.region),
            "industry": mask_text(given.industry),
            "kind": given.kind,
        },
        filename=masked_name,
        sha256=stored.sha256,
        size=stored.size,
        fmt=fmt,
        encoding=None,
        blob_path=stored.path,
        model_version=model_version or context.deployed().model_version,
        survey_columns=list(given.survey_columns),
    )
    JobBell.for_queue(context.settings.effective_database_url).ring()  # the workers of this machine claim it now
    return queued
