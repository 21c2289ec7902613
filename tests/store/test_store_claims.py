"""Fair claiming on both databases: agencies take turns, and every job is still leased by one worker only."""

from __future__ import annotations

import threading

from sqlalchemy import Engine

from analyzer.store import jobs
from tests.store.conftest import Upload

A, B, C = "한국산업기술진흥원", "중소벤처기업진흥공단", "창원산업진흥원"


def test_claim_reaches_a_later_agency_within_two_claims(engine: Engine, upload: Upload) -> None:
    for n in range(20):
        upload(f"A 기관 회의 {n}".encode(), agency=A)
    late = upload(b"B agency", agency=B, programme=None)
    claimed = [jobs.claim(engine, f"w{n}", 60) for n in range(2)]
    assert late.job_id in {job.id for job in claimed if job is not None}


def test_claim_takes_agencies_in_turn_as_jobs_finish(engine: Engine, upload: Upload) -> None:
    queued = {
        agency: [upload(f"{agency} {n}".encode(), agency=agency).job_id for n in range(k)]
        for agency, k in ((A, 3), (B, 2), (C, 1))
    }
    order = []
    while (job := jobs.claim(engine, "w", 60)) is not None:
        order.append(job.meeting["agency"])
        assert jobs.fail(engine, job, "corrupt_file", retry=False)
    assert order == [A, B, C, A, B, A]
    assert sum(len(ids) for ids in queued.values()) == len(order)


def test_claim_prefers_the_agency_with_nothing_running(engine: Engine, upload: Upload) -> None:
    first = upload(b"A slow file", agency=A)
    upload(b"A second file", agency=A)
    other = upload(b"B file", agency=B, programme=None)
    running = jobs.claim(engine, "busy", 600)
    assert running is not None and running.id == first.job_id
    following = jobs.claim(engine, "free", 60)
    assert following is not None and following.id == other.job_id


def test_concurrent_claims_lease_every_job_exactly_once(engine: Engine, upload: Upload) -> None:
    expected = {upload(f"{agency} {n}".encode(), agency=agency).job_id for agency in (A, B, C) for n in range(8)}
    claimed: list[int] = []
    lock = threading.Lock()

    def work(name: str) -> None:
        while (job := jobs.claim(engine, name, 60)) is not None:
            with lock:
                claimed.append(job.id)

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(claimed) == sorted(expected)
    assert jobs.counts(engine)["running"] == len(expected)
