"""``moksori serve --web-workers 2``: two API/dashboard processes on one port, each answering with the settings the
command was given (the data directory passed as a flag, not only through the environment)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.api_support import first_run_key

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(kid) for kid in task.read_text().split()]
    return found


def _get(url: str, key: str) -> tuple[int, dict[str, object]]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return answer.status, json.loads(answer.read())


def test_two_web_processes_serve_the_findings_of_the_given_data_dir(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "MOKSORI_HOME": str(tmp_path / "home")}
    env.pop("MOKSORI_DATA_DIR", None)
    command = [sys.executable, "-m", "analyzer.cli", "serve", "--port", str(port), "--data-dir", str(tmp_path / "d")]
    process = subprocess.Popen(
        [*command, "--web-workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    try:
        deadline = time.monotonic() + 120
        key = first_run_key(process, deadline)
        base = f"http://127.0.0.1:{port}/api/v1"
        while time.monotonic() < deadline:
            try:
                if _get(f"{base}/health", key)[0] == 200:
                    break
            except OSError:
                time.sleep(0.5)
        web = [kid for kid in _children(process.pid) if b"spawn_main" in Path(f"/proc/{kid}/cmdline").read_bytes()]
        assert len(web) == 2  # uvicorn's two spawned web processes (the analysis worker is the other child)
        for _ in range(4):
            status, body = _get(f"{base}/findings", key)
            assert status == 200 and "top" in body
        assert (tmp_path / "d" / "moksori.db").is_file()  # the flag's data directory, in every process
    finally:
        process.terminate()
        process.wait(timeout=60)
        if process.stdout is not None:
            process.stdout.close()
