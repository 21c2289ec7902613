"""``moksori serve``: API, dashboard and a worker process on one machine, ready on first start."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys

import uvicorn
from sqlalchemy.engine import Engine

from analyzer.services.context import Context
from analyzer.services.samples import load_samples
from analyzer.settings import Settings
from analyzer.store import keys
from api.app import create_app

PR_SET_PDEATHSIG = 1
#: Seconds an idle kept-alive connection stays open. Above what clients and proxies keep theirs (60 s for common
#: load balancers): uvicorn's 5 s default closed connections that a client pacing its requests every 5 s was
#: reusing at that moment, and the request sent on the closing connection was lost ("connection reset by peer").
KEEP_ALIVE_S = 75
#: What each of several web processes imports and calls to build its app (settings from the environment).
APP_FACTORY = "api.app:create_app"


def first_admin_key(engine: Engine) -> str | None:
    """Create an admin key when there is none yet; return it (shown once)."""
    if any(row["role"] == "admin" and not row.get("revoked_at") for row in keys.list_keys(engine)):
        return None
    _, plaintext = keys.create_key(engine, "admin", None, "첫 관리자 키", None)
    return plaintext


def _die_with_parent() -> None:
    """In the worker child: receive SIGTERM when `moksori serve` ends, however it ends (Linux prctl)."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def serve(settings: Settings, host: str, port: int, workers: int = 1, *, web_workers: int = 1) -> None:
    """The API and dashboard on *host*:*port* in *web_workers* processes (each with its own context and caches;
    several use more than one core for the findings, which hold the GIL while they compute) and *workers*
    analysis worker processes beside them."""
    with Context.open(settings) as context:
        queued = load_samples(context)
        admin = first_admin_key(context.engine)
    command = [
        sys.executable,
        "-m",
        "analyzer.worker",
        "--database-url",
        settings.effective_database_url,
        "--data-dir",
        str(settings.data_dir),
        "--models-root",
        str(settings.effective_models_root),
    ]
    processes = [
        subprocess.Popen(command, env=os.environ | settings.environment(), preexec_fn=_die_with_parent)
        for _ in range(workers)
    ]
    print(f"목소리 대시보드: http://{host}:{port}/   API 문서: http://{host}:{port}/docs")
    if queued:
        print(f"예시 회의 {queued}건을 분석 대기열에 넣었습니다.")
    if admin:
        print(f"관리자 API 키 (한 번만 표시됩니다): {admin}")
    try:
        if web_workers > 1:  # uvicorn starts each process from an import string; they read the settings' variables
            os.environ.update(settings.environment())
            uvicorn.run(
                APP_FACTORY,
                factory=True,
                host=host,
                port=port,
                workers=web_workers,
                log_level="warning",
                timeout_keep_alive=KEEP_ALIVE_S,
            )
        else:
            uvicorn.run(
                create_app(settings), host=host, port=port, log_level="warning", timeout_keep_alive=KEEP_ALIVE_S
            )
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
