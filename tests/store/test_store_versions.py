"""The data version (the findings' cache key) changes with every write that can change the findings, in the
write's own transaction, and with nothing else; reading it never waits for SQLite's write lock."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy import Engine, select, update

from analyzer.services.findings import data_version
from analyzer.store import jobs, queries
from analyzer.store.deletion import delete_document, delete_meeting
from analyzer.store.engine import make_engine, reader
from analyzer.store.migrate import migrate
from analyzer.store.results import fill_meeting
from analyzer.store.summaries import maintained
from analyzer.store.summary_read import read_summaries
from analyzer.store.tables import units
from analyzer.store.versions import current
from analyzer.store.versions import data_version as version_table
from tests.store.conftest import Upload
from tests.store.rows import DEFAULT_TAXONOMY
from tests.store.stored import MODEL, analysed
from tests.taxonomy_fixtures import evolved

TEXTS = ["장비 예약이 석 달씩 밀립니다.", "설계 인력이 떠납니다.", "자금 지원을 늘려 주세요."]
CATEGORIES = [["equipment_facilities"], ["workforce"], ["funding"]]
KINDS = ["pain_point", "pain_point", "request"]


def _meeting_and_document(engine: Engine, unit_id: int) -> tuple[int, int]:
    with reader(engine).connect() as conn:
        row = conn.execute(select(units.c.meeting_id, units.c.document_id).where(units.c.id == unit_id)).one()
    return int(row[0]), int(row[1])


def test_every_write_that_can_change_findings_bumps_the_version(engine: Engine) -> None:
    seen = [current(engine)]
    assert seen == [1]  # the migration's starting value

    def bumped(write: str) -> None:
        now = current(engine)
        assert now > seen[-1], write
        seen.append(now)

    first = analysed(engine, TEXTS, "a", categories=CATEGORIES, kinds=KINDS, title="")
    bumped("analysis results")
    second = analysed(engine, TEXTS[:2], "b", categories=CATEGORIES[:2], kinds=KINDS[:2])
    bumped("analysis results of a second meeting")
    queries.add_correction(engine, first[0], ["funding"], "request", "검토자", taxonomy=DEFAULT_TAXONOMY)
    bumped("a correction")
    assert queries.remap_corrections(engine, evolved())["remapped"] == 1
    bumped("a remap of the corrections to a new taxonomy")
    meeting, _ = _meeting_and_document(engine, first[0])
    with engine.begin() as conn, maintained(conn, [meeting]):
        fill_meeting(conn, meeting, {"title": "새 제목"})
    bumped("a meeting's title (shown with quotes, not in the summary rows)")
    with engine.begin() as conn, maintained(conn, [meeting]):
        fill_meeting(conn, meeting, {"date": "2024-05-02"})
    bumped("a meeting's date (moves its summary rows)")
    _, document = _meeting_and_document(engine, second[0])
    assert delete_document(engine, document, actor="검토자") is not None
    bumped("a deleted document")
    assert delete_meeting(engine, meeting, actor="검토자") is not None
    bumped("a deleted meeting")
    assert data_version(engine) == seen[-1]  # the services' cache key reads the same counter


def test_reads_and_job_bookkeeping_leave_the_version(engine: Engine, upload: Upload) -> None:
    unit_ids = analysed(engine, TEXTS, "a", categories=CATEGORIES, kinds=KINDS)
    before = current(engine)
    queries.list_meetings(engine, None)
    queries.list_units(engine, agency_id=None, model_version=MODEL)
    queries.corrections_of(engine, unit_ids[0])
    read_summaries(engine, MODEL)
    upload(b"queued, not analysed yet")
    job = jobs.claim(engine, "w", 60)
    assert job is not None
    jobs.fail(engine, job, "parse_failed", "시험")
    meeting, _ = _meeting_and_document(engine, unit_ids[0])
    with engine.begin() as conn:
        fill_meeting(conn, meeting, {"title": "다른 제목"})  # the title is set already: nothing changes
    assert current(engine) == before


def test_an_uncommitted_write_is_not_seen_and_a_rolled_back_one_never_counts(engine: Engine) -> None:
    analysed(engine, TEXTS, "a", categories=CATEGORIES, kinds=KINDS)
    before = current(engine)
    with engine.connect() as writer, writer.begin() as transaction:
        writer.execute(update(version_table).values(version=version_table.c.version + 1))
        assert current(engine) == before
        transaction.rollback()
    assert current(engine) == before


def test_reading_the_version_never_waits_for_sqlites_write_lock(tmp_path: Path) -> None:
    """With a write transaction open (the lock held, as a correction rebuilding its summary rows holds it), the
    cache key's read answers at once; a read that began IMMEDIATE would wait the 10 s busy timeout and fail."""
    engine = make_engine(f"sqlite:///{tmp_path / 'moksori.db'}")
    migrate(engine)
    holding, release = threading.Event(), threading.Event()

    def writer() -> None:
        with engine.begin() as conn:
            conn.execute(update(version_table).values(version=version_table.c.version + 1))
            holding.set()
            release.wait(30)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert holding.wait(10)
        started = time.perf_counter()
        assert data_version(engine) == 1  # the open write is not visible yet
        assert time.perf_counter() - started < 2
    finally:
        release.set()
        thread.join()
    assert data_version(engine) == 2
    engine.dispose()


def test_two_writers_rebuilding_crossing_partitions_do_not_deadlock(engine: Engine) -> None:
    """One transaction rebuilds partition 1 then partition 2 (results, then a meeting's new date) while another
    rebuilds partition 2: both take the version's row first, so the second waits instead of deadlocking (with the
    bump last, PostgreSQL aborted one of them)."""
    first = analysed(engine, TEXTS, "a", categories=CATEGORIES, kinds=KINDS, date="2024-01-15")
    second = analysed(engine, TEXTS, "b", categories=CATEGORIES, kinds=KINDS, date="2024-02-15")
    one, two = (_meeting_and_document(engine, ids[0])[0] for ids in (first, second))
    before = current(engine)
    started = threading.Event()
    errors: list[BaseException] = []

    def crossing() -> None:
        try:
            with engine.begin() as conn:
                with maintained(conn, [one]):
                    started.set()
                    time.sleep(0.5)  # the other writer starts on partition 2 meanwhile
                with maintained(conn, [two]):
                    pass
        except BaseException as error:  # collected and asserted below
            errors.append(error)
            started.set()

    thread = threading.Thread(target=crossing)
    thread.start()
    assert started.wait(30)
    try:
        with engine.begin() as conn, maintained(conn, [two]):
            pass
    except BaseException as error:  # collected and asserted below
        errors.append(error)
    thread.join()
    assert errors == []
    assert current(engine) == before + 3
