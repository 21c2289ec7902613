"""Run one claimed job: read its original, analyse it within the time limit, write every result or the failure.

Whether a failure is tried again is decided in one place (:func:`retry_decision`): only when its error class is
retryable (a resource limit, an unexpected crash) and attempts remain.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Literal

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from analyzer.analyze import Analyzer
from analyzer.errors import CATALOGUE, CODE_CLASS, AnalyzerError
from analyzer.services.analysis import JOB_TIMEOUT_SECONDS, Results, analyse_within
from analyzer.store.blobs import BlobStore
from analyzer.store.jobs import MAX_ATTEMPTS, Job, claim, complete, fail, renew

log = logging.getLogger("moksori.worker")

Outcome = Literal["done", "failed", "retry", "lost"]


def retry_decision(job: Job, code: str) -> bool:
    """Whether a failure with *code* goes back to the queue: its error class is retryable (``resource_limit``,
    an unexpected crash ``analysis_failed``) and the job has attempts left."""
    return CODE_CLASS[code].retryable and job.attempts < MAX_ATTEMPTS


def run_job(
    engine: Engine,
    blobs: BlobStore,
    analyzer: Analyzer,
    job: Job,
    *,
    lease_seconds: float = 60,
    timeout_seconds: float | None = JOB_TIMEOUT_SECONDS,
    analysis: Callable[[Job, bytes], Results] | None = None,
) -> Outcome:
    """Run one claimed job: ``done``, ``failed``, ``retry`` or ``lost`` (the lease went to another worker).

    The analysis is stopped after *timeout_seconds* (``analysis_timeout``; ``None`` or 0: no limit). *analysis*,
    when given, computes the results instead of *analyzer* here (a batch sends it to a cluster worker)."""
    with Heartbeat(engine, job, lease_seconds):
        try:
            data = blobs.read(job.blob_path)
            if analysis is not None:
                results = analysis(job, data)
            else:
                results = analyse_within(analyzer, job, data, timeout_seconds)
        except AnalyzerError as exc:
            return _fail(engine, job, exc.code, exc.message)
        except Exception as exc:
            log.exception("job %s: analysis failed", job.id)
            return _fail(engine, job, "analysis_failed", f"{CATALOGUE['analysis_failed']} ({type(exc).__name__})")
    try:
        written = complete(
            engine, job, results.units, results.taggings, results.meeting, document_updates=results.document
        )
    except SQLAlchemyError as exc:
        log.exception("job %s: results not written", job.id)
        return _fail(engine, job, "analysis_failed", f"{CATALOGUE['analysis_failed']} ({type(exc).__name__})")
    return "done" if written else "lost"


def drain(engine: Engine, blobs: BlobStore, analyzer: Analyzer, *, timeout_seconds: float | None = None) -> int:
    """Run queued jobs of the analyzer's version in this process until none is left; how many ran."""
    ran = 0
    while (job := claim(engine, "local", 600, model_version=analyzer.tagger.model_version)) is not None:
        run_job(engine, blobs, analyzer, job, lease_seconds=600, timeout_seconds=timeout_seconds)
        ran += 1
    return ran


def _fail(engine: Engine, job: Job, code: str, message: str) -> Outcome:
    retry = retry_decision(job, code)
    try:
        recorded = fail(engine, job, code, message, retry=retry)
    except SQLAlchemyError:
        log.exception("job %s: cannot record the failure; its lease will expire", job.id)
        return "lost"
    if not recorded:
        return "lost"
    return "retry" if retry else "failed"


class Heartbeat:
    """Renews the job's lease every third of its length while the analysis runs."""

    def __init__(self, engine: Engine, job: Job, lease_seconds: float) -> None:
        self.engine, self.job, self.lease_seconds = engine, job, lease_seconds
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"lease-{job.id}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.thread.join()

    def _beat(self) -> None:
        while not self.done.wait(self.lease_seconds / 3):
            try:
                if renew(self.engine, self.job, self.lease_seconds) is None:
                    log.warning("job %s: lease lost", self.job.id)
                    return
            except SQLAlchemyError:
                log.exception("job %s: cannot renew the lease", self.job.id)
