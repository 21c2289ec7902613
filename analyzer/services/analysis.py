"""One job's analysis, optionally under a deadline, so a job that runs too long is stopped and the worker goes on.

The deadline is an interval timer (``SIGALRM``) in the worker's main thread: its handler raises between two
Python steps, and every step of the analysis is short (parsing runs in its own limited process, which
``subprocess.run`` kills when the exception passes; Kiwi and the classifier see texts of at most
``MAX_UNIT_CHARS``). The exception derives from ``BaseException`` so that no ``except Exception`` on the way can
swallow it. Forking a child per job instead was measured to deadlock now and then (locks held by other threads at
fork time) and forced Kiwi to run single-threaded.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import Any, Literal

from analyzer.analyze import Analysis, Analyzer
from analyzer.errors import AnalyzerError
from analyzer.ingest import SurveyColumns
from analyzer.records import Meeting
from analyzer.settings import Settings
from analyzer.store.jobs import Job
from analyzer.store.rows import meeting_updates, tagging_rows, unit_rows

log = logging.getLogger("moksori.worker")

#: The default time limit of one job's analysis, in seconds (``MOKSORI_JOB_TIMEOUT_SECONDS``).
JOB_TIMEOUT_SECONDS: float = Settings.model_fields["job_timeout_seconds"].default


@dataclass(frozen=True)
class Results:
    """Everything the worker writes for one job."""

    units: list[dict[str, Any]]
    taggings: list[dict[str, Any]]
    meeting: dict[str, str]
    document: dict[str, str]


class _Expired(BaseException):
    """Raised by the deadline's signal handler; turned into ``analysis_timeout`` by :func:`deadline`."""


def analyse(analyzer: Analyzer, job: Job, data: bytes) -> Results:
    """The whole analysis of one job's bytes, as the rows to store."""
    survey = SurveyColumns(answers=job.survey_columns) if job.survey_columns else None
    analysis = analyzer.analyze(job.filename, data, meeting=_meeting(job), sandbox=True, survey=survey)
    return Results(
        units=unit_rows(analysis.units, _keyphrases(analysis)),
        taggings=tagging_rows(analysis.tags),
        meeting=meeting_updates(analysis.meeting),
        document={"format": analysis.document.format, "encoding": analysis.document.encoding or ""},
    )


def analyse_within(analyzer: Analyzer, job: Job, data: bytes, seconds: float | None) -> Results:
    """:func:`analyse`, stopped with ``analysis_timeout`` after *seconds* (``None`` or not positive: no limit).

    The limit needs the main thread (signals are delivered there); elsewhere the job runs without one."""
    if seconds is None or seconds <= 0:
        return analyse(analyzer, job, data)
    if threading.current_thread() is not threading.main_thread():
        log.warning("job %s: not on the main thread, so no time limit", job.id)
        return analyse(analyzer, job, data)
    with deadline(seconds):
        return analyse(analyzer, job, data)


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise ``analysis_timeout`` in the body once *seconds* have passed (main thread only).

    The alarm repeats every second until the body has stopped: an exception raised while a garbage-collector
    callback or a ``__del__`` runs is ignored by Python, so one alarm alone could be lost. Such a lost alarm is
    dropped quietly (it is not an error of the finaliser it landed in); every other ignored exception goes on to
    the hook in place before."""
    armed = [True]

    def expire(_signum: int, _frame: FrameType | None) -> None:
        if armed[0]:
            raise _Expired

    hook = sys.unraisablehook

    def ignore_lost_alarm(unraisable: Any) -> None:
        if isinstance(unraisable.exc_value, _Expired):
            log.debug("the time limit's alarm landed in a finaliser; it repeats in a second")
        else:
            hook(unraisable)

    previous = signal.signal(signal.SIGALRM, expire)
    sys.unraisablehook = ignore_lost_alarm
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    except _Expired:
        armed[0] = False
        raise AnalyzerError("analysis_timeout", f"{seconds:g}초 초과") from None
    finally:
        armed[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        sys.unraisablehook = hook


def _meeting(job: Job) -> Meeting:
    fields = job.meeting
    kind: Literal["roundtable", "survey"] = "survey" if fields.get("kind") == "survey" else "roundtable"
    return Meeting(
        title=fields.get("title", ""),
        date=fields.get("date", ""),
        place=fields.get("place", ""),
        agency=fields.get("agency", ""),
        programme=fields.get("programme", ""),
        region=fields.get("region", ""),
        kind=kind,
    )


def _keyphrases(analysis: Analysis) -> list[list[str]]:
    """Key phrases per unit, as the analyzer found them (the tags' ``keyphrases``)."""
    return [list(row["keyphrases"]) for row in analysis.tags]
