"""The analysis worker: claims jobs from the database queue and runs each with :func:`analyzer.services.runs.run_job`.

Run one or more with ``python -m analyzer.worker`` (options override the ``MOKSORI_*`` settings); each stops
after its current job on SIGTERM or SIGINT. A killed worker loses nothing: its lease expires and another worker
re-runs the job.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from types import FrameType

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from analyzer.analyze import Analyzer
from analyzer.classify.compiled import load_predictor
from analyzer.errors import AnalyzerError
from analyzer.services import heap
from analyzer.services.analysis import JOB_TIMEOUT_SECONDS
from analyzer.services.context import Context
from analyzer.services.deployed import DeployedWatcher
from analyzer.services.runs import run_job
from analyzer.services.wake import JobBell, Listener
from analyzer.settings import Settings
from analyzer.store.blobs import BlobStore
from analyzer.store.jobs import claim

log = logging.getLogger("moksori.worker")

#: How often (at most) a worker re-reads ``deployed.json`` to follow a new deployment.
FOLLOW_SECONDS = 3.0


def run_worker(
    engine: Engine,
    blobs: BlobStore,
    analyzer: Analyzer,
    *,
    worker_id: str,
    poll_seconds: float = 0.5,
    lease_seconds: float = 60,
    stop: threading.Event | None = None,
    max_jobs: int | None = None,
    models_root: Path | None = None,
    follow_seconds: float = FOLLOW_SECONDS,
    timeout_seconds: float | None = JOB_TIMEOUT_SECONDS,
    wake: Listener | None = None,
) -> int:
    """Claim and run jobs of the analyzer's model version until *stop* is set or *max_jobs* ran; how many ran.

    With *models_root*, the worker follows its deployment: before a claim (at most every *follow_seconds*) it
    loads the deployed version when that differs from its own, and from then on claims that version's jobs.
    Each job's analysis is stopped after *timeout_seconds* (see :func:`analyzer.services.runs.run_job`).
    With *wake*, an empty queue is waited on that socket: a job queued on this machine is claimed at once, and
    polling every *poll_seconds* stays the fallback (whoever sets *stop* should ``wake.poke()``).
    """
    stop = stop or threading.Event()
    watcher = DeployedWatcher(models_root, follow_seconds) if models_root is not None else None
    ran = 0
    while not stop.is_set() and (max_jobs is None or ran < max_jobs):
        if watcher is not None:
            analyzer = follow(watcher, analyzer)
        try:
            job = claim(engine, worker_id, lease_seconds, model_version=analyzer.tagger.model_version)
        except SQLAlchemyError:
            log.exception("cannot claim a job; retrying")
            stop.wait(max(poll_seconds, 1.0))
            continue
        if job is None:
            if wake is not None:
                wake.wait(poll_seconds)
            else:
                stop.wait(poll_seconds)
            continue
        outcome = run_job(engine, blobs, analyzer, job, lease_seconds=lease_seconds, timeout_seconds=timeout_seconds)
        log.info("job %s (document %s, attempt %s): %s", job.id, job.document_id, job.attempts, outcome)
        ran += 1
    return ran


def follow(watcher: DeployedWatcher, analyzer: Analyzer) -> Analyzer:
    """*analyzer* with the deployed model's tagger when the deployment moved; unchanged when it did not, or when
    the pointer or the deployed version cannot be read (logged; the current model stays in use). Kiwi is kept."""
    try:
        deployed = watcher.current()
        if deployed.model_version == analyzer.tagger.model_version:
            return analyzer
        tagger = load_predictor(deployed.directory)
    except AnalyzerError as exc:
        log.error("deployed model not loaded (%s); keeping %s", exc, analyzer.tagger.model_version)
        return analyzer
    log.info("following deployment: %s → %s", analyzer.tagger.model_version, tagger.model_version)
    return replace(analyzer, tagger=tagger, taxonomy=tagger.taxonomy)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analyzer.worker", description="moksori analysis worker")
    parser.add_argument(
        "--database-url", help="sqlite:///path.db or postgresql://... (default: MOKSORI_DATABASE_URL or the data dir's)"
    )
    parser.add_argument(
        "--data-dir", type=Path, help="holds blobs/ and pseudonym.key (default: MOKSORI_DATA_DIR or ./data)"
    )
    parser.add_argument("--key-file", type=Path, default=None, help="originals' key (default: $MOKSORI_HOME)")
    parser.add_argument("--model-dir", type=Path, default=None, help="model version to load (default: deployed)")
    parser.add_argument(
        "--models-root",
        type=Path,
        default=None,
        help="models root whose deployment to follow (default: MOKSORI_MODELS_ROOT or <data-dir>/models, over "
        "the shipped models); a --model-dir without --models-root pins that version",
    )
    parser.add_argument("--worker-id", default=None, help="lease owner name (default: host:pid)")
    parser.add_argument("--lease-seconds", type=float, default=60.0, help="lease length; renewed while working")
    parser.add_argument("--poll-seconds", type=float, default=0.5, help="wait between polls of an empty queue")
    parser.add_argument(
        "--job-timeout-seconds",
        type=float,
        default=None,
        help="stop a job's analysis after this long and fail it with analysis_timeout; 0: no limit "
        "(default: MOKSORI_JOB_TIMEOUT_SECONDS or 600)",
    )
    parser.add_argument("--max-jobs", type=int, default=None, help="exit after this many jobs")
    parser.add_argument("--no-migrate", action="store_true", help="do not upgrade the schema at start")
    return parser


def worker_settings(args: argparse.Namespace) -> Settings:
    """The environment's settings, overridden by the options given on the command line."""
    return Settings.from_env(
        data_dir=args.data_dir,
        database_url=args.database_url,
        models_root=args.models_root,
        job_timeout_seconds=args.job_timeout_seconds,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Build the context and the analyzer once, then work until SIGTERM/SIGINT."""
    args = _parser().parse_args(argv)
    settings = worker_settings(args)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    stop = threading.Event()
    wake = JobBell.for_queue(settings.effective_database_url).listen()

    def _stop(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %s: stopping after the current job", signum)
        stop.set()
        if wake is not None:
            wake.poke()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        return _work(args, settings, stop, wake)
    finally:
        if wake is not None:
            wake.close()


def _work(args: argparse.Namespace, settings: Settings, stop: threading.Event, wake: Listener | None) -> int:
    with Context.open(settings, upgrade=not args.no_migrate, key_file=args.key_file) as context:
        follows = args.models_root is not None or args.model_dir is None
        model_dir = args.model_dir or context.watcher.directory()
        analyzer = Analyzer.load(model_dir, settings.pseudonym_key("service"))
        worker_id = args.worker_id or f"{socket.gethostname()}:{os.getpid()}"
        heap.settle()
        log.info("worker %s ready (model %s)", worker_id, analyzer.tagger.model_version)
        ran = run_worker(
            context.engine,
            context.blobs,
            analyzer,
            worker_id=worker_id,
            poll_seconds=args.poll_seconds,
            lease_seconds=args.lease_seconds,
            stop=stop,
            max_jobs=args.max_jobs,
            timeout_seconds=settings.job_timeout_seconds,
            models_root=context.models_root if follows else None,
            wake=wake,
        )
        log.info("worker %s stopped after %s jobs", worker_id, ran)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
