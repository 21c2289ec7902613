"""Documents stored as the worker stores them (upload, claim, complete), for tests that need units in a database."""

from __future__ import annotations

from sqlalchemy import Engine

from analyzer.store import jobs, queries
from tests.store.rows import unit_and_tag_rows

MODEL = "test-model/1.0"


def analysed(
    engine: Engine,
    texts: list[str],
    sha: str,
    speaker: str = "화자-1",
    *,
    agency: str = "한국산업기술진흥원",
    categories: list[list[str]] | None = None,
    kinds: list[str] | None = None,
    model_version: str = MODEL,
    **meeting: str,
) -> list[int]:
    """Upload, claim and complete one document (model *categories* and *kinds* per text, if given); returns its
    unit ids in order."""
    accepted = jobs.enqueue_upload(
        engine,
        agency=agency,
        programme=None,
        meeting={"title": "간담회", **meeting},
        filename="minutes.txt",
        sha256=sha * 64,
        size=10,
        fmt="txt",
        encoding="utf-8",
        blob_path=f"blobs/{sha}",
        model_version=model_version,
    )
    job = jobs.claim(engine, "w", 60)
    assert job is not None and job.document_id == accepted.document_id
    units, tags = unit_and_tag_rows(texts, categories, kinds, speaker=speaker, region="경북")
    assert jobs.complete(engine, job, units, tags, {})
    rows, _ = queries.list_units(engine, agency_id=None, model_version=model_version, meeting_id=accepted.meeting_id)
    return [row["unit_id"] for row in sorted(rows, key=lambda r: r["seq"])]
