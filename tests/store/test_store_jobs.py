"""The job queue on both databases: uploads, claims, leases, completion, failure, retries, re-analysis."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select, update

from analyzer.errors import CATALOGUE
from analyzer.store import jobs
from analyzer.store.tables import agencies, corrections, documents, meetings, programmes, taggings, units, utcnow
from tests.store.conftest import MODEL, Upload
from tests.store.rows import DEFAULT_TAXONOMY, unit_and_tag_rows


def count(engine: Engine, table, *where) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())


def test_enqueue_upload_creates_agency_programme_meeting_document_and_job(engine: Engine, upload: Upload) -> None:
    result = upload(b"minutes", title="구미 간담회", date="2024. 5. 14.(화)", region="경북")
    assert result.created
    assert jobs.status(engine, result.job_id)["status"] == "queued"  # type: ignore[index]
    assert [count(engine, table) for table in (agencies, programmes, meetings, documents)] == [1, 1, 1, 1]
    with engine.connect() as conn:
        meeting = conn.execute(select(meetings).where(meetings.c.id == result.meeting_id)).mappings().one()
    assert (meeting["title"], meeting["date"], meeting["region"], meeting["kind"]) == (
        "구미 간담회",
        "2024-05-14",
        "경북",
        "roundtable",
    )


def test_enqueue_same_bytes_twice_gives_one_document_and_one_job(engine: Engine, upload: Upload) -> None:
    first = upload(b"the same minutes", title="first")
    second = upload(b"the same minutes", title="second")
    assert not second.created
    assert (second.meeting_id, second.document_id, second.job_id) == (first.meeting_id, first.document_id, first.job_id)
    assert [count(engine, table) for table in (meetings, documents, jobs.jobs)] == [1, 1, 1]


def test_enqueue_same_bytes_for_another_agency_is_a_new_document(engine: Engine, upload: Upload) -> None:
    first = upload(b"shared file")
    second = upload(b"shared file", agency="중소벤처기업진흥공단", programme=None)
    assert second.created and second.document_id != first.document_id
    assert count(engine, documents) == 2


def test_enqueue_rejects_an_unknown_meeting_kind(engine: Engine, upload: Upload) -> None:
    with pytest.raises(ValueError, match="kind"):
        upload(b"x", kind="webinar")
    assert count(engine, documents) == 0


def test_claim_takes_the_oldest_job_and_counts_the_attempt(engine: Engine, upload: Upload) -> None:
    first, second = upload(b"one"), upload(b"two")
    job = jobs.claim(engine, "w1", 60)
    assert job is not None and job.id == first.job_id
    assert (job.attempts, job.worker_id, job.filename, job.meeting["agency"]) == (
        1,
        "w1",
        "minutes.txt",
        "한국산업기술진흥원",
    )
    other = jobs.claim(engine, "w2", 60)
    assert other is not None and other.id == second.job_id
    assert jobs.claim(engine, "w3", 60) is None
    assert jobs.counts(engine) == {"queued": 0, "running": 2, "done": 0, "failed": 0}


def test_claim_only_takes_jobs_of_the_given_model(engine: Engine, upload: Upload) -> None:
    upload(b"old", model_version="old/0.1")
    assert jobs.claim(engine, "w", 60, model_version=MODEL) is None
    assert jobs.claim(engine, "w", 60, model_version="old/0.1") is not None


def test_complete_writes_units_taggings_meeting_fields_and_done(engine: Engine, upload: Upload) -> None:
    accepted = upload(b"doc", title="업로드 제목")
    job = jobs.claim(engine, "w1", 60)
    assert job is not None
    unit_rows, tag_rows = unit_and_tag_rows(["장비가 부족합니다.", "인력이 없습니다."])
    assert jobs.complete(
        engine,
        job,
        unit_rows,
        tag_rows,
        {"title": "헤더 제목", "date": "2024. 5. 14.(화)", "place": "구미전자정보기술원"},
    )
    assert jobs.status(engine, job.id)["status"] == "done"  # type: ignore[index]
    assert count(engine, units, units.c.document_id == accepted.document_id) == 2
    assert count(engine, taggings, taggings.c.model_version == MODEL) == 2
    with engine.connect() as conn:
        meeting = conn.execute(select(meetings).where(meetings.c.id == accepted.meeting_id)).mappings().one()
        stored = conn.execute(select(units.c.end_offset, units.c.keyphrases).order_by(units.c.seq)).all()
    # the uploader's title wins; the empty date and place are filled from the minutes header
    assert (meeting["title"], meeting["date"], meeting["place"]) == ("업로드 제목", "2024-05-14", "구미전자정보기술원")
    assert stored[0] == (len("장비가 부족합니다."), ["인력 부족"])


def test_complete_of_a_survey_marks_the_meeting_a_survey(engine: Engine, upload: Upload) -> None:
    accepted = upload(b"survey")
    job = jobs.claim(engine, "w", 60)
    assert job is not None
    assert jobs.complete(engine, job, *unit_and_tag_rows(["답변"]), {"kind": "survey"})
    with engine.connect() as conn:
        kind = conn.execute(select(meetings.c.kind).where(meetings.c.id == accepted.meeting_id)).scalar()
    assert kind == "survey"


def test_complete_with_a_stolen_lease_writes_nothing(engine: Engine, upload: Upload) -> None:
    accepted = upload(b"doc")
    start = utcnow()
    slow = jobs.claim(engine, "slow", 3, now=start)
    assert slow is not None
    thief = jobs.claim(engine, "fast", 3, now=start + timedelta(seconds=4))
    assert thief is not None and thief.id == slow.id and thief.attempts == 2
    assert not jobs.complete(engine, slow, *unit_and_tag_rows(["늦은 결과"]), {"title": "늦은 제목"})
    assert count(engine, units) == 0
    assert count(engine, taggings) == 0
    assert not jobs.fail(engine, slow, "analysis_failed")
    assert jobs.status(engine, slow.id)["status"] == "running"  # type: ignore[index]
    assert jobs.complete(engine, thief, *unit_and_tag_rows(["제때 결과"]), {})
    assert count(engine, units, units.c.document_id == accepted.document_id) == 1


def test_same_worker_id_after_a_restart_cannot_complete_the_old_claim(engine: Engine, upload: Upload) -> None:
    upload(b"doc")
    start = utcnow()
    before = jobs.claim(engine, "host:1", 3, now=start)
    after = jobs.claim(engine, "host:1", 3, now=start + timedelta(seconds=5))
    assert before is not None and after is not None
    assert not jobs.complete(engine, before, *unit_and_tag_rows(["x"]), {})
    assert jobs.complete(engine, after, *unit_and_tag_rows(["x"]), {})


def test_lease_expiry_lets_another_worker_take_the_job(engine: Engine, upload: Upload) -> None:
    upload(b"doc")
    start = utcnow()
    assert jobs.claim(engine, "dead", 3, now=start) is not None
    assert jobs.claim(engine, "alive", 3, now=start + timedelta(seconds=2)) is None
    taken = jobs.claim(engine, "alive", 3, now=start + timedelta(seconds=3.5))
    assert taken is not None and taken.worker_id == "alive"


def test_renew_extends_the_lease_of_its_holder_only(engine: Engine, upload: Upload) -> None:
    upload(b"doc")
    start = utcnow()
    job = jobs.claim(engine, "w", 3, now=start)
    assert job is not None
    renewed = jobs.renew(engine, job, 3, now=start + timedelta(seconds=2))
    assert renewed is not None and renewed.lease_expires_at > job.lease_expires_at
    assert jobs.claim(engine, "other", 3, now=start + timedelta(seconds=4)) is None
    thief = jobs.claim(engine, "other", 3, now=start + timedelta(seconds=6))
    assert thief is not None
    assert jobs.renew(engine, job, 3) is None


def test_expired_job_is_failed_as_worker_lost_after_max_attempts(engine: Engine, upload: Upload) -> None:
    accepted = upload(b"poison")
    now = utcnow()
    for attempt in range(1, 4):
        job = jobs.claim(engine, f"w{attempt}", 1, now=now)
        assert job is not None and job.attempts == attempt
        now += timedelta(seconds=2)
    assert jobs.claim(engine, "w4", 1, now=now) is None
    found = jobs.status(engine, accepted.job_id)
    assert found is not None
    assert (found["status"], found["error_code"], found["error_message"]) == (
        "failed",
        "worker_lost",
        CATALOGUE["worker_lost"],
    )


def test_fail_requeues_until_the_last_attempt(engine: Engine, upload: Upload) -> None:
    accepted = upload(b"flaky")
    for attempt in (1, 2):
        job = jobs.claim(engine, "w", 60)
        assert job is not None and job.attempts == attempt
        assert jobs.fail(engine, job, "analysis_failed", "분석 중 오류")
        assert jobs.status(engine, accepted.job_id)["status"] == "queued"  # type: ignore[index]
    job = jobs.claim(engine, "w", 60)
    assert job is not None and job.attempts == 3
    assert jobs.fail(engine, job, "analysis_failed", "분석 중 오류")
    found = jobs.status(engine, accepted.job_id)
    assert found is not None
    assert (found["status"], found["error_code"], found["error_message"]) == (
        "failed",
        "analysis_failed",
        "분석 중 오류",
    )
    assert jobs.claim(engine, "w", 60) is None
    assert count(engine, units) == 0


def test_fail_without_retry_fails_at_once_with_the_catalogue_message(engine: Engine, upload: Upload) -> None:
    accepted = upload(b"\x00")
    job = jobs.claim(engine, "w", 60)
    assert job is not None
    assert jobs.fail(engine, job, "unknown_type", retry=False)
    found = jobs.status(engine, accepted.job_id)
    assert found is not None
    assert (found["status"], found["error_message"]) == ("failed", CATALOGUE["unknown_type"])


def test_retry_failed_puts_the_job_back_with_fresh_attempts(engine: Engine, upload: Upload) -> None:
    accepted = upload(b"x")
    job = jobs.claim(engine, "w", 60)
    assert job is not None and jobs.fail(engine, job, "corrupt_file", retry=False)
    assert jobs.retry_failed(engine, accepted.job_id)
    assert not jobs.retry_failed(engine, accepted.job_id)
    again = jobs.claim(engine, "w", 60)
    assert again is not None and again.attempts == 1


def test_status_of_an_unknown_job_is_none(engine: Engine) -> None:
    assert jobs.status(engine, 12345) is None


def test_concurrent_claimers_never_share_a_job(engine: Engine, upload: Upload) -> None:
    expected = {upload(f"doc {n}".encode()).job_id for n in range(30)}
    claimed: list[int] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def claimer(name: str) -> None:
        try:
            while (job := jobs.claim(engine, name, 60)) is not None:
                with lock:
                    claimed.append(job.id)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=claimer, args=(f"w{n}",)) for n in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(claimed) == sorted(expected)


def test_rerun_of_a_document_replaces_its_units(engine: Engine, upload: Upload) -> None:
    accepted = upload(b"doc")
    job = jobs.claim(engine, "w", 60)
    assert job is not None and jobs.complete(engine, job, *unit_and_tag_rows(["하나", "둘", "셋"]), {})
    jobs.retry_failed(engine, job.id)  # no effect: the job is done
    with engine.begin() as conn:
        conn.execute(update(jobs.jobs).values(status="queued"))
    again = jobs.claim(engine, "w", 60)
    assert again is not None and jobs.complete(engine, again, *unit_and_tag_rows(["하나", "둘"]), {})
    assert count(engine, units, units.c.document_id == accepted.document_id) == 2
    assert count(engine, taggings) == 2


def test_requeue_for_model_adds_one_job_per_document_and_model(engine: Engine, upload: Upload) -> None:
    first = upload(b"a")
    upload(b"b")
    upload(b"c", agency="다른 기관")
    assert jobs.requeue_for_model(engine, "next/2.0") == 3
    assert jobs.requeue_for_model(engine, "next/2.0") == 0
    with engine.connect() as conn:
        agency_id = conn.execute(select(documents.c.agency_id).where(documents.c.id == first.document_id)).scalar()
    assert jobs.requeue_for_model(engine, "next/3.0", agency_id=agency_id) == 2
    assert jobs.counts(engine, "next/2.0")["queued"] == 3


def test_reanalysis_keeps_units_other_models_and_corrections(engine: Engine, upload: Upload) -> None:
    from analyzer.store.corrections import add_correction

    upload(b"doc")
    job = jobs.claim(engine, "w", 60)
    rows = unit_and_tag_rows(["장비가 부족합니다.", "감사합니다."])
    assert job is not None and jobs.complete(engine, job, *rows, {})
    with engine.connect() as conn:
        unit_id = conn.execute(select(units.c.id).where(units.c.seq == 0)).scalar_one()
    add_correction(engine, unit_id, ["equipment_facilities"], "pain_point", "검토자", taxonomy=DEFAULT_TAXONOMY)
    jobs.requeue_for_model(engine, "next/2.0")
    newer = jobs.claim(engine, "w", 60, model_version="next/2.0")
    assert newer is not None and jobs.complete(engine, newer, *rows, {})
    assert count(engine, units) == 2
    assert count(engine, taggings, taggings.c.model_version == MODEL) == 2
    assert count(engine, taggings, taggings.c.model_version == "next/2.0") == 2
    assert count(engine, corrections, corrections.c.unit_id == unit_id) == 1


def test_resegmented_document_moves_corrections_to_the_same_text(engine: Engine, upload: Upload) -> None:
    from analyzer.store.corrections import add_correction

    upload(b"doc")
    job = jobs.claim(engine, "w", 60)
    assert job is not None and jobs.complete(engine, job, *unit_and_tag_rows(["앞 문장", "고친 문장"]), {})
    with engine.connect() as conn:
        unit_id = conn.execute(select(units.c.id).where(units.c.text == "고친 문장")).scalar_one()
    add_correction(engine, unit_id, ["funding"], "request", "검토자", taxonomy=DEFAULT_TAXONOMY)
    jobs.requeue_for_model(engine, "next/2.0")
    newer = jobs.claim(engine, "w", 60, model_version="next/2.0")
    assert newer is not None
    assert jobs.complete(engine, newer, *unit_and_tag_rows(["새 문장", "앞 문장", "고친 문장"]), {})
    with engine.connect() as conn:
        moved = conn.execute(
            select(units.c.text, corrections.c.categories).join(corrections, corrections.c.unit_id == units.c.id)
        ).all()
    assert [tuple(row) for row in moved] == [("고친 문장", ["funding"])]


def test_complete_fills_the_detected_encoding_only_when_empty(engine: Engine, upload: Upload) -> None:
    accepted = upload(b"cp949 minutes")  # the upload fixture records fmt="txt", encoding="utf-8"
    with engine.begin() as conn:
        conn.execute(update(documents).values(encoding=""))
    job = jobs.claim(engine, "w", 60)
    assert job is not None
    assert jobs.complete(engine, job, [], [], {}, document_updates={"format": "docx", "encoding": "cp949"})
    with engine.connect() as conn:
        row = conn.execute(select(documents.c.format, documents.c.encoding)).one()
    assert tuple(row) == ("txt", "cp949")
    assert jobs.status(engine, accepted.job_id)["status"] == "done"  # type: ignore[index]


def test_concurrent_uploads_of_the_same_bytes_make_one_document(engine: Engine, upload: Upload) -> None:
    results: list[jobs.UploadResult] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def send() -> None:
        barrier.wait()
        try:
            results.append(upload(b"uploaded six times at once", agency="새 기관", programme="새 사업"))
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(result.created for result in results) == [False] * 5 + [True]
    assert len({(result.document_id, result.job_id, result.meeting_id) for result in results}) == 1
    assert [count(engine, table) for table in (agencies, programmes, meetings, documents, jobs.jobs)] == [1] * 5
