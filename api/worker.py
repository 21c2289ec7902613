"""The analysis worker: claims jobs from the database queue, analyses the stored file, writes all results.

Run one or more with ``python -m api.worker --database-url URL --data-dir DIR``; each stops after its current
job on SIGTERM or SIGINT. A killed worker loses nothing: its lease expires and another worker re-runs the job.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from types import FrameType

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from analyzer.analyze import Analyzer
from analyzer.classify import registry
from analyzer.classify.artefact import load_tagger
from analyzer.errors import CATALOGUE, AnalyzerError
from analyzer.store.blobs import BlobStore
from analyzer.store.engine import make_engine
from analyzer.store.jobs import MAX_ATTEMPTS, Job, claim, complete, fail, renew
from analyzer.store.migrate import migrate
from api.job_analysis import JOB_TIMEOUT_SECONDS, AnalysisCrashed, analyse_within
from api.settings import Settings

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
) -> int:
    """Claim and run jobs of the analyzer's model version until *stop* is set or *max_jobs* ran; how many ran.

    With *models_root*, the worker follows ``deployed.json``: before a claim (at most every *follow_seconds*)
    it loads the deployed version when that differs from its own, and from then on claims that version's jobs.
    Each job's analysis is stopped after *timeout_seconds* (see :func:`run_job`).
    """
    stop = stop or threading.Event()
    follower = _DeployedFollower(models_root, follow_seconds) if models_root is not None else None
    ran = 0
    while not stop.is_set() and (max_jobs is None or ran < max_jobs):
        if follower is not None:
            analyzer = follower.current(analyzer)
        model_version = analyzer.tagger.model_version
        try:
            job = claim(engine, worker_id, lease_seconds, model_version=model_version)
        except SQLAlchemyError:
            log.exception("cannot claim a job; retrying")
            stop.wait(max(poll_seconds, 1.0))
            continue
        if job is None:
            stop.wait(poll_seconds)
            continue
        outcome = run_job(engine, blobs, analyzer, job, lease_seconds=lease_seconds, timeout_seconds=timeout_seconds)
        log.info("job %s (document %s, attempt %s): %s", job.id, job.document_id, job.attempts, outcome)
        ran += 1
    return ran


def run_job(
    engine: Engine,
    blobs: BlobStore,
    analyzer: Analyzer,
    job: Job,
    *,
    lease_seconds: float = 60,
    timeout_seconds: float | None = JOB_TIMEOUT_SECONDS,
) -> str:
    """Run one claimed job: ``done``, ``failed``, ``retry`` or ``lost`` (the lease went to another worker).

    The analysis runs in a child killed after *timeout_seconds* (``analysis_timeout``; ``None`` or 0: no limit,
    in this process)."""
    with _Heartbeat(engine, job, lease_seconds):
        try:
            results = analyse_within(analyzer, job, blobs.read(job.blob_path), timeout_seconds)
        except AnalyzerError as exc:
            retry = exc.retryable
            return _fail(engine, job, exc.code, exc.message, retry=retry)
        except Exception as exc:
            log.exception("job %s: analysis failed", job.id)
            name = exc.name if isinstance(exc, AnalysisCrashed) else type(exc).__name__
            return _fail(engine, job, "analysis_failed", f"{CATALOGUE['analysis_failed']} ({name})")
    try:
        written = complete(
            engine, job, results.units, results.taggings, results.meeting, document_updates=results.document
        )
    except SQLAlchemyError as exc:
        log.exception("job %s: results not written", job.id)
        return _fail(engine, job, "analysis_failed", f"{CATALOGUE['analysis_failed']} ({type(exc).__name__})")
    return "done" if written else "lost"


def _fail(engine: Engine, job: Job, code: str, message: str, *, retry: bool = True) -> str:
    try:
        recorded = fail(engine, job, code, message, retry=retry)
    except SQLAlchemyError:
        log.exception("job %s: cannot record the failure; its lease will expire", job.id)
        return "lost"
    if not recorded:
        return "lost"
    return "retry" if retry and job.attempts < MAX_ATTEMPTS else "failed"


class _DeployedFollower:
    """Reads the deployed pointer at most every *interval* seconds and swaps in the deployed model when it changed.

    Only the tagger (and with it the taxonomy it was trained on) is reloaded; the spaCy pipeline (and its Kiwi) is
    kept. A version that cannot be loaded is logged and the current model stays in use until the next check.
    """

    def __init__(self, root: Path, interval: float) -> None:
        self.root, self.interval = Path(root), interval
        self.checked = float("-inf")

    def _deployed(self) -> tuple[str, str] | None:
        try:
            return registry.pointer(self.root)
        except AnalyzerError:
            log.warning("cannot read %s", self.root / registry.DEPLOYED_FILE)
            return None

    def current(self, analyzer: Analyzer) -> Analyzer:
        now = time.monotonic()
        if now - self.checked < self.interval:
            return analyzer
        self.checked = now
        deployed = self._deployed()
        if deployed is None or "/".join(deployed) == analyzer.tagger.model_version:
            return analyzer
        try:
            tagger = load_tagger(registry.version_dir(self.root, *deployed))
        except AnalyzerError as exc:
            log.error(
                "deployed model %s not loaded (%s); keeping %s", "/".join(deployed), exc, analyzer.tagger.model_version
            )
            return analyzer
        log.info("following deployment: %s → %s", analyzer.tagger.model_version, tagger.model_version)
        return replace(analyzer, tagger=tagger, taxonomy=tagger.taxonomy)


class _Heartbeat:
    """Renews the job's lease every third of its length while the analysis runs."""

    def __init__(self, engine: Engine, job: Job, lease_seconds: float) -> None:
        self.engine, self.job, self.lease_seconds = engine, job, lease_seconds
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"lease-{job.id}", daemon=True)

    def __enter__(self) -> _Heartbeat:
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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m api.worker", description="moksori analysis worker")
    parser.add_argument("--database-url", required=True, help="sqlite:///path.db or postgresql://...")
    parser.add_argument("--data-dir", required=True, type=Path, help="holds blobs/ and pseudonym.key")
    parser.add_argument("--key-file", type=Path, default=None, help="originals' key (default: $MOKSORI_HOME)")
    parser.add_argument("--model-dir", type=Path, default=None, help="model version to load (default: deployed)")
    parser.add_argument(
        "--models-root",
        type=Path,
        default=None,
        help="models root whose deployment to follow (default: MOKSORI_MODELS_ROOT or <data-dir>/models, over "
        "the shipped models); "
        "a --model-dir without --models-root pins that version",
    )
    parser.add_argument("--worker-id", default=None, help="lease owner name (default: host:pid)")
    parser.add_argument("--lease-seconds", type=float, default=60.0, help="lease length; renewed while working")
    parser.add_argument("--poll-seconds", type=float, default=0.5, help="wait between polls of an empty queue")
    parser.add_argument(
        "--job-timeout-seconds",
        type=float,
        default=Settings.from_env().job_timeout_seconds,
        help="stop a job's analysis after this long and fail it with analysis_timeout; 0: no limit "
        "(default: MOKSORI_JOB_TIMEOUT_SECONDS or %(default)s)",
    )
    parser.add_argument("--max-jobs", type=int, default=None, help="exit after this many jobs")
    parser.add_argument("--no-migrate", action="store_true", help="do not upgrade the schema at start")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Build the engine, blob store and analyzer once, then work until SIGTERM/SIGINT."""
    from analyzer.classify.registry import default_models_root, deployed_dir
    from analyzer.secrets import key_home, load_or_create_key

    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    stop = threading.Event()

    def _stop(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %s: stopping after the current job", signum)
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    engine = make_engine(args.database_url)
    try:
        if not args.no_migrate:
            migrate(engine)
        data_dir: Path = args.data_dir
        blobs = BlobStore.open(data_dir / "blobs", args.key_file or key_home() / "originals.key")
        models_root: Path = args.models_root or default_models_root(data_dir)
        follow = args.models_root is not None or args.model_dir is None
        model_dir = args.model_dir or deployed_dir(models_root)
        analyzer = Analyzer.load(model_dir, load_or_create_key(data_dir / "pseudonym.key"))
        worker_id = args.worker_id or f"{socket.gethostname()}:{os.getpid()}"
        log.info("worker %s ready (model %s)", worker_id, analyzer.tagger.model_version)
        ran = run_worker(
            engine,
            blobs,
            analyzer,
            worker_id=worker_id,
            poll_seconds=args.poll_seconds,
            lease_seconds=args.lease_seconds,
            stop=stop,
            max_jobs=args.max_jobs,
            timeout_seconds=args.job_timeout_seconds,
            models_root=models_root if follow else None,
        )
        log.info("worker %s stopped after %s jobs", worker_id, ran)
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
