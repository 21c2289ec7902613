"""The worker with the shipped model, in-process: real files in, masked units and taggings out."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine, func, select

from analyzer.analyze import Analyzer
from analyzer.errors import CATALOGUE
from analyzer.records import Meeting
from analyzer.store import jobs, queries
from analyzer.store.blobs import BlobStore
from analyzer.store.jobs import enqueue_upload
from analyzer.store.tables import documents, meetings, taggings, units
from analyzer.worker import run_worker
from tests.store.minutes import minutes


def enqueue(engine: Engine, blobs: BlobStore, analyzer: Analyzer, data: bytes, filename: str, **meeting: str) -> int:
    stored = blobs.put_bytes(data)
    return enqueue_upload(
        engine,
        agency="한국산업기술진흥원",
        programme="산업기반구축사업",
        meeting={"title": "", **meeting},
        filename=filename,
        sha256=stored.sha256,
        size=stored.size,
        fmt=filename.rsplit(".", 1)[-1],
        encoding=None,
        blob_path=stored.path,
        model_version=analyzer.tagger.model_version,
    ).job_id


def test_worker_analyses_stores_masked_units_and_fails_bad_files(
    engine: Engine, blobs: BlobStore, analyzer: Analyzer
) -> None:
    text = minutes(1, turns=6)
    good = enqueue(engine, blobs, analyzer, text.encode(), "간담회.txt", title="현장 간담회")
    empty = enqueue(engine, blobs, analyzer, b"", "empty.txt")
    mislabelled = enqueue(engine, blobs, analyzer, b"%PDF-1.7\n%%EOF\n", "minutes.txt")

    assert run_worker(engine, blobs, analyzer, worker_id="w1", max_jobs=3, poll_seconds=0.05) == 3

    version = analyzer.tagger.model_version
    expected = analyzer.analyze("간담회.txt", text.encode(), meeting=Meeting(title="현장 간담회"), sandbox=False)
    assert jobs.status(engine, good)["status"] == "done"  # type: ignore[index]
    with engine.connect() as conn:
        stored = conn.execute(select(units).order_by(units.c.seq)).mappings().all()
        tagged = conn.execute(
            select(func.count()).select_from(taggings).where(taggings.c.model_version == version)
        ).scalar_one()
        meeting = conn.execute(select(meetings).order_by(meetings.c.id)).mappings().first()
    assert [row["text"] for row in stored] == [unit.text for unit in expected.units]
    assert tagged == len(expected.units)
    assert all("010-1234-5678" not in row["text"] for row in stored)
    assert any(row["keyphrases"] for row in stored)
    assert meeting is not None and meeting["title"] == "현장 간담회" and meeting["date"].startswith("2024-")
    assert meeting["place"].endswith("회의실")
    with engine.connect() as conn:
        document = conn.execute(select(documents).order_by(documents.c.id)).mappings().first()
    assert document is not None and (document["format"], document["encoding"]) == ("txt", "utf-8")

    for job_id, code in ((empty, "empty_file"), (mislabelled, "type_mismatch")):
        found = jobs.status(engine, job_id)
        assert found is not None
        assert (found["status"], found["error_code"], found["attempts"]) == ("failed", code, 1)
        assert found["error_message"].startswith(CATALOGUE[code])

    frame = queries.tagged_units_frame(engine, None, version)
    assert len(frame) == len(expected.units)
    assert frame["categories"].map(lambda value: isinstance(value, list)).all()


def test_worker_retries_unexpected_errors_then_fails_with_analysis_failed(
    engine: Engine, blobs: BlobStore, analyzer: Analyzer
) -> None:
    job_id = enqueue(engine, blobs, analyzer, minutes(2, turns=2).encode(), "a.txt")
    with engine.connect() as conn:
        blob_path = conn.execute(select(documents.c.blob_path)).scalar_one()
    blobs.delete(blob_path)
    (blobs.root / blob_path).mkdir()  # reading it now raises IsADirectoryError: not an AnalyzerError
    assert run_worker(engine, blobs, analyzer, worker_id="w", max_jobs=3, poll_seconds=0.05) == 3
    found = jobs.status(engine, job_id)
    assert found is not None
    assert (found["status"], found["error_code"], found["attempts"]) == ("failed", "analysis_failed", 3)
    assert found["error_message"] == f"{CATALOGUE['analysis_failed']} (IsADirectoryError)"


def test_worker_fails_a_missing_blob_at_once(engine: Engine, blobs: BlobStore, analyzer: Analyzer) -> None:
    job_id = enqueue(engine, blobs, analyzer, b"gone", "gone.txt")
    with engine.connect() as conn:
        blobs.delete(conn.execute(select(documents.c.blob_path)).scalar_one())
    assert run_worker(engine, blobs, analyzer, worker_id="w", max_jobs=1, poll_seconds=0.05) == 1
    found = jobs.status(engine, job_id)
    assert found is not None and (found["status"], found["error_code"]) == ("failed", "blob_missing")


def test_worker_stops_when_told(engine: Engine, blobs: BlobStore, analyzer: Analyzer) -> None:
    stop = threading.Event()
    thread = threading.Thread(
        target=run_worker, args=(engine, blobs, analyzer), kwargs={"worker_id": "w", "stop": stop, "poll_seconds": 0.05}
    )
    thread.start()
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive()


@pytest.fixture
def analyzer(shipped_analyzer: Analyzer) -> Analyzer:
    return shipped_analyzer
