"""An upload wakes the workers of its machine: a real worker process polling every 30 s claims the job at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from api_support import Keys, auth
from fastapi.testclient import TestClient

from analyzer.services.wake import JobBell
from analyzer.settings import Settings

PROJECT_ROOT = Path(__file__).resolve().parents[2]
POLL_SECONDS = 30.0


def test_ring_reaches_each_listener_once_and_drops_dead_sockets(tmp_path: Path) -> None:
    bell = JobBell(tmp_path / "bell")
    assert bell.ring() == 0  # nobody listens yet: nothing happens
    first, second = bell.listen(), bell.listen()
    assert first is not None and second is not None
    assert not first.wait(0.05)
    assert bell.ring() == 2
    assert first.wait(5.0) and second.wait(5.0)
    assert not first.wait(0.05)  # the wake-up was consumed
    bell.ring()  # rung while the worker is busy: the next wait returns at once
    started = time.monotonic()
    assert first.wait(POLL_SECONDS) and time.monotonic() - started < 1.0
    second.socket.close()  # a worker that died without removing its socket
    assert bell.ring() == 1 and not second.path.exists()
    first.close()
    assert list(bell.folder.iterdir()) == []


def test_bells_are_per_queue() -> None:
    one, other = JobBell.for_queue("sqlite:///a/moksori.db"), JobBell.for_queue("sqlite:///b/moksori.db")
    assert one.folder != other.folder and len(str(one.folder / "123456-abcdefgh.sock")) < 100


@pytest.mark.slow
def test_upload_is_claimed_at_once_by_a_worker_process(
    client: TestClient, api_keys: Keys, settings: Settings, tmp_path: Path
) -> None:
    log = tmp_path / "worker.log"
    command = [sys.executable, "-m", "analyzer.worker", "--data-dir", str(settings.data_dir)]
    command += ["--poll-seconds", str(POLL_SECONDS), "--worker-id", "waker"]
    env = os.environ | {"MOKSORI_DATABASE_URL": ""}  # the same originals key (MOKSORI_HOME) as this process
    with log.open("wb") as handle:
        worker = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while "worker waker ready" not in log.read_text(errors="replace"):
            assert worker.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.1)
        time.sleep(1.0)  # the worker found the queue empty and waits (up to POLL_SECONDS)
        started = time.monotonic()
        response = client.post(
            "/api/v1/uploads",
            headers=auth(api_keys.staff),
            files={"file": ("minutes.txt", "○ 김 대표: 장비 예약이 어렵습니다.\n사회자: 검토하겠습니다.\n".encode())},
            data={"title": "간담회", "date": "2024-07-09"},
        )
        assert response.status_code == 202, response.text
        status = ""
        while status != "done" and time.monotonic() - started < POLL_SECONDS / 2:
            status = client.get(response.json()["status_url"], headers=auth(api_keys.staff)).json()["status"]
            time.sleep(0.02)
        waited = time.monotonic() - started
        job = client.get(response.json()["status_url"], headers=auth(api_keys.staff)).json()
        assert status == "done", (job.get("error_code"), job.get("error_message"), log.read_text(errors="replace"))
        assert waited < 5.0, f"upload to done took {waited:.2f} s"
    finally:
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0  # the stop wakes the wait too: no 30 s poll to sit out
