"""The worker's time limit: a job over it is stopped (by a deadline in the worker's main thread) and failed with
``analysis_timeout``, and the worker goes on with the next job."""

from __future__ import annotations

import contextlib
import csv
import io
import multiprocessing
import sys
import time
from typing import Any

import pytest
from sqlalchemy import Engine

from analyzer.analyze import Analyzer
from analyzer.errors import CATALOGUE, AnalyzerError
from analyzer.services.analysis import deadline
from analyzer.store import jobs
from analyzer.store.blobs import BlobStore
from analyzer.worker import run_worker
from tests.store.minutes import minutes
from tests.store.test_store_worker import enqueue

LIMIT_SECONDS = 10.0


def _survey_with_one_huge_cell(chars: int) -> bytes:
    sentence = "장비 예약이 너무 밀려 있습니다. 인증 비용도 부담이에요 그래서 수출을 못 해요 "
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows([["기업명", "의견"], ["㈜가나", (sentence * (chars // len(sentence) + 1))[:chars]]])
    return buffer.getvalue().encode("utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_worker_stops_a_job_over_the_time_limit_and_goes_on(
    engine: Engine, blobs: BlobStore, shipped_analyzer: Analyzer
) -> None:
    slow = enqueue(engine, blobs, shipped_analyzer, _survey_with_one_huge_cell(3_000_000), "huge.csv")
    quick = enqueue(engine, blobs, shipped_analyzer, minutes(1, turns=2).encode(), "quick.txt")
    started = time.monotonic()
    ran = run_worker(
        engine, blobs, shipped_analyzer, worker_id="w", max_jobs=2, poll_seconds=0.05, timeout_seconds=LIMIT_SECONDS
    )
    elapsed = time.monotonic() - started
    assert ran == 2
    stopped, finished = jobs.status(engine, slow), jobs.status(engine, quick)
    assert stopped is not None and finished is not None
    assert (stopped["status"], stopped["error_code"], stopped["attempts"]) == ("failed", "analysis_timeout", 1)
    assert stopped["error_message"].startswith(CATALOGUE["analysis_timeout"])
    assert finished["status"] == "done"
    assert elapsed < LIMIT_SECONDS + 60
    assert multiprocessing.active_children() == []


def test_deadline_fires_again_when_its_first_alarm_is_swallowed() -> None:
    """Python ignores an exception raised in a garbage-collector callback; the limit must still stop the body."""
    started = time.monotonic()
    with pytest.raises(AnalyzerError) as raised, deadline(0.2):
        with contextlib.suppress(BaseException):  # stands for the interpreter ignoring the first alarm
            time.sleep(5)
        time.sleep(5)
    assert raised.value.code == "analysis_timeout"
    assert time.monotonic() - started < 3


class _SlowFinaliser:
    def __del__(self) -> None:
        time.sleep(1.0)  # the first alarm lands here, where Python can only ignore it


def test_deadline_drops_an_alarm_lost_in_a_finaliser_and_still_stops_the_body() -> None:
    """An alarm raised in a ``__del__`` reaches no hook (no "Exception ignored" noise); the next one stops the body.
    Other ignored exceptions still reach the hook in place before, which is put back afterwards."""
    seen: list[Any] = []
    before = sys.unraisablehook
    sys.unraisablehook = seen.append
    started = time.monotonic()
    try:
        with pytest.raises(AnalyzerError) as raised, deadline(0.2):
            _SlowFinaliser()
            time.sleep(5)
        with deadline(5):
            _Failing()
        assert sys.unraisablehook == seen.append
    finally:
        sys.unraisablehook = before
    assert raised.value.code == "analysis_timeout"
    assert time.monotonic() - started < 3
    assert [type(each.exc_value) for each in seen] == [ValueError]


class _Failing:
    def __del__(self) -> None:
        raise ValueError("not the alarm")
