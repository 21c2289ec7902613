"""THE KILL TEST: worker processes SIGKILLed at random moments lose no job and leave no partial results."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from analyzer.analyze import Analyzer
from analyzer.records import Meeting
from analyzer.secrets import key_home, load_or_create_key
from analyzer.store import jobs
from analyzer.store.blobs import BlobStore
from analyzer.store.tables import taggings, units
from tests.store.minutes import minutes

PROJECT_ROOT = Path(__file__).resolve().parents[2]
WORKERS = 3
JOBS = 60  # enough work that kills land mid-job: a job takes well under a second once a worker is up
KILLS = 6
LEASE_SECONDS = 3
DEADLINE_SECONDS = 150


@dataclass
class WorkerSlot:
    """One of the N worker processes; restarted under the same worker id after every kill."""

    name: str
    command: list[str]
    log: Path
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0
    readies_before: int = 0  # "ready" lines in the log when the current process started
    exits: list[int] = field(default_factory=list)

    def start(self) -> None:
        self.readies_before = self._readies()
        with self.log.open("ab") as handle:
            self.process = subprocess.Popen(
                self.command, cwd=PROJECT_ROOT, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.starts += 1

    def _readies(self) -> int:
        if not self.log.exists():
            return 0
        return self.log.read_text(errors="replace").count(f"worker {self.name} ready")

    def ready(self) -> bool:
        """Whether the current process has said it is ready."""
        return self._readies() > self.readies_before

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)  # the worker and its parser sandbox child, if any
        self.exits.append(self.process.wait())

    def stop(self) -> int | None:
        """SIGTERM: the worker finishes its current job and exits 0 (SIGKILL after 30 s)."""
        if self.process is None:
            return None
        ready_by = time.monotonic() + 60
        while self.process.poll() is None and not self.ready() and time.monotonic() < ready_by:
            time.sleep(0.1)  # a worker killed by SIGTERM while still starting has no handler yet: wait until ready
        # (counted for the current process: an earlier one killed while loading never said ready)
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        return self.process.wait()


def busy(slots: list[WorkerSlot], engine: Engine) -> list[WorkerSlot]:
    """The slots whose current process is up and holds a job (a lease of a process killed before it is the old
    process's, not this one's)."""
    owners = running_owners(engine)
    return [slot for slot in slots if slot.name in owners and slot.ready()]


def running_owners(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        rows = conn.execute(select(jobs.jobs.c.lease_owner).where(jobs.jobs.c.status == "running"))
        return {owner for (owner,) in rows}


@pytest.mark.slow
def test_killed_workers_leave_no_partial_results(
    engine: Engine, database_url: str, tmp_path: Path, shipped_analyzer: Analyzer, shipped_model_dir: Path
) -> None:
    pick = random.Random(20240514)
    data_dir = tmp_path / "data"
    blobs = BlobStore.open(data_dir / "blobs", key_home() / "originals.key")
    analyzer = replace(shipped_analyzer, pseudonym_key=load_or_create_key(data_dir / "pseudonym.key"))
    version = analyzer.tagger.model_version

    expected: dict[int, int] = {}
    for n in range(JOBS):
        data = minutes(n, turns=pick.randint(30, 60)).encode()
        stored = blobs.put_bytes(data)
        accepted = jobs.enqueue_upload(
            engine,
            agency="한국산업기술진흥원",
            programme="산업기반구축사업",
            meeting={"title": f"간담회 {n}"},
            filename=f"minutes-{n}.txt",
            sha256=stored.sha256,
            size=stored.size,
            fmt="txt",
            encoding=None,
            blob_path=stored.path,
            model_version=version,
        )
        _, _, found = analyzer.units(f"minutes-{n}.txt", data, meeting=Meeting(title=f"간담회 {n}"), sandbox=False)
        expected[accepted.document_id] = len(found)

    slots = [
        WorkerSlot(
            name=f"w{n}",
            command=[
                sys.executable,
                "-m",
                "analyzer.worker",
                "--database-url",
                database_url,
                "--data-dir",
                str(data_dir),
                "--model-dir",
                str(shipped_model_dir),
                "--worker-id",
                f"w{n}",
                "--no-migrate",
                "--lease-seconds",
                str(LEASE_SECONDS),
                "--poll-seconds",
                "0.2",
            ],
            log=tmp_path / f"w{n}.log",
        )
        for n in range(WORKERS)
    ]
    started = time.monotonic()
    kills: list[tuple[float, str, bool]] = []
    try:
        for slot in slots:
            slot.start()
        while not running_owners(engine) and time.monotonic() - started < 60:
            time.sleep(0.2)  # wait for the first claim: the workers take a few seconds to load the model
        for _ in range(KILLS):
            time.sleep(pick.uniform(0.2, 1.0))
            waited = time.monotonic() + 5
            while not (held := busy(slots, engine)) and time.monotonic() < waited:
                time.sleep(0.05)  # restarted workers are loading: kill one that holds a job, as a crash would
            victim = pick.choice(held or slots)
            victim.kill()
            kills.append((round(time.monotonic() - started, 1), victim.name, victim in held))
            victim.start()
        while time.monotonic() - started < DEADLINE_SECONDS:
            counts = jobs.counts(engine, version)
            if counts["queued"] == counts["running"] == 0:
                break
            time.sleep(0.5)
    finally:
        stopped = [slot.stop() for slot in slots]
    elapsed = time.monotonic() - started
    logs = "\n".join(f"--- {slot.name}\n{slot.log.read_text(errors='replace')[-3000:]}" for slot in slots)

    assert stopped == [0] * WORKERS, f"workers did not stop cleanly on SIGTERM: {stopped}\n{logs}"
    assert all(code == -signal.SIGKILL for slot in slots for code in slot.exits)
    counts = jobs.counts(engine, version)
    assert counts["queued"] == counts["running"] == 0, f"unfinished after {elapsed:.0f} s: {counts}\n{logs}"
    assert counts["done"] + counts["failed"] == JOBS
    with engine.connect() as conn:
        states = conn.execute(
            select(jobs.jobs.c.document_id, jobs.jobs.c.status, jobs.jobs.c.error_code, jobs.jobs.c.attempts)
        ).all()
        unit_counts = {
            document_id: number
            for document_id, number in conn.execute(
                select(units.c.document_id, func.count()).group_by(units.c.document_id)
            )
        }
        taggings_per_unit = [
            tuple(row)
            for row in conn.execute(
                select(units.c.document_id, units.c.id, func.count(taggings.c.unit_id))
                .outerjoin(taggings, (taggings.c.unit_id == units.c.id) & (taggings.c.model_version == version))
                .group_by(units.c.document_id, units.c.id)
            )
        ]
    for document_id, state, error_code, _attempts in states:
        if state == "done":
            assert unit_counts.get(document_id, 0) == expected[document_id], f"document {document_id}\n{logs}"
        else:
            assert error_code == "worker_lost", f"document {document_id} failed with {error_code}\n{logs}"
            assert unit_counts.get(document_id, 0) == 0
    assert all(count == 1 for _, _, count in taggings_per_unit)
    assert sum(1 for _, _, held in kills if held) >= KILLS // 2, kills  # most kills hit a worker mid-job
    print(
        f"\nkill test [{engine.dialect.name}]: {JOBS} jobs, {len(kills)} SIGKILLs "
        f"({sum(held for *_, held in kills)} mid-job) at {[(t, name) for t, name, _ in kills]}; "
        f"done {counts['done']}, failed {counts['failed']}, "
        f"attempts {sorted(attempts for *_, attempts in states)}, "
        f"units {sum(unit_counts.values())}, {elapsed:.0f} s"
    )
