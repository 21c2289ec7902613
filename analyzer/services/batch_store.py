"""A batch into the store, as the service does it: every file is uploaded (original stored encrypted, a job
queued for the model version), then queued jobs are claimed and run by :func:`analyzer.services.runs.run_job`,
which writes units, taggings and ``done`` in one transaction; only the analysis itself goes to a partition on a
worker (this process, local processes or a Dask cluster). A re-run finds the same bytes already stored and
their jobs done, so nothing is analysed twice; the results appear in the dashboard like any upload's.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from analyzer.errors import AnalyzerError
from analyzer.services.analysis import Results, analyse
from analyzer.services.batch import BatchOptions, FileResult, Source
from analyzer.services.context import Context
from analyzer.services.runs import run_job
from analyzer.services.uploads import Upload, upload
from analyzer.store.jobs import Job, claim, status


def analyse_job(job: Job, data: bytes, options: BatchOptions) -> Results:
    """One job's partition: the rows the worker would store for it."""
    analyzer = options.analyzer()
    return analyse(analyzer, job, data)


def store_files(
    context: Context,
    files: Sequence[Source],
    options: BatchOptions,
    *,
    agency: str,
    workers: int = 1,
    executor: Any = None,
    lease_seconds: float = 600,
) -> Iterator[FileResult]:
    """Upload every file for *agency*, run the queued jobs of the model version on *workers* concurrent
    partitions, and give each file's stored rows (or its refusal) in the given order."""
    queued: list[int | AnalyzerError] = []
    for name, load in files:
        try:
            survey = tuple(options.survey.answers) if options.survey is not None else ()
            given = Upload(filename=name, data=load(), survey_columns=survey)
            stored = upload(context, given, own_agency=None, named_agency=agency, model_version=options.model_version)
            queued.append(stored.job_id)
        except AnalyzerError as error:
            queued.append(error)
    found: dict[int, Results] = {}
    lock = threading.Lock()

    def analysis(job: Job, data: bytes) -> Results:
        if executor is None:
            results = analyse_job(job, data, options)
        else:
            results = executor.submit(analyse_job, job, data, options, pure=False).result()
        with lock:
            found[job.id] = results
        return results

    def drain(worker: int) -> None:
        owner = f"{socket.gethostname()}:batch-{worker}"
        while (job := claim(context.engine, owner, lease_seconds, model_version=options.model_version)) is not None:
            run_job(context.engine, context.blobs, None, job, lease_seconds=lease_seconds, analysis=analysis)  # type: ignore[arg-type]

    with ThreadPoolExecutor(max(1, workers)) as pool:
        for future in [pool.submit(drain, worker) for worker in range(max(1, workers))]:
            future.result()
    for item in queued:
        yield item if isinstance(item, FileResult) else _outcome(context, item, found)


def _outcome(context: Context, item: int | AnalyzerError, found: dict[int, Results]) -> FileResult:
    if isinstance(item, AnalyzerError):
        return FileResult(error=item)
    state = status(context.engine, item) or {}
    if state.get("status") != "done":
        code = str(state.get("error_code") or "analysis_failed")
        return FileResult(error=AnalyzerError(code))
    results = found.get(item)
    if results is None:  # done before this run (the same bytes stored earlier): nothing analysed again
        return FileResult(skipped=True)
    records = [{**unit, **tags} for unit, tags in zip(results.units, results.taggings, strict=True)]
    return FileResult(results.document.get("format", ""), records)
