"""What the API tests share besides fixtures: the keys of every role, auth headers, and running queued jobs."""

from __future__ import annotations

import re
import subprocess
import time
from dataclasses import dataclass

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient


@dataclass
class Keys:
    admin: str
    staff: str
    leadership: str
    researcher: str
    other_staff: str


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def run_jobs(client: TestClient, analyzer) -> None:  # type: ignore[no-untyped-def]
    """Run the worker in this process until the queue is empty."""
    from analyzer.store import jobs
    from analyzer.worker import run_worker

    state = client.app.state  # type: ignore[attr-defined]
    queued = jobs.counts(state.context.engine, analyzer.tagger.model_version)["queued"]
    if queued:
        run_worker(
            state.context.engine, state.context.blobs, analyzer, worker_id="test", poll_seconds=0, max_jobs=queued
        )


def api_routes(routes, prefix: str = ""):  # type: ignore[no-untyped-def]
    """Every APIRoute with its full path, including those of included routers."""
    for route in routes:
        if hasattr(route, "original_router"):  # FastAPI's wrapper of an included router
            yield from api_routes(route.original_router.routes, prefix + (route.include_context.prefix or ""))
        elif isinstance(route, APIRoute):
            yield prefix + route.path, route


def first_run_key(process: subprocess.Popen[str], deadline: float) -> str:
    """The admin key a first ``moksori serve`` prints on a new data dir, read from its output until *deadline*."""
    assert process.stdout is not None
    key, lines = None, []
    while key is None and time.monotonic() < deadline:
        line = process.stdout.readline()
        lines.append(line)
        found = re.search(r"(mks_\S+)", line)
        key = found.group(1) if found else None
    assert key, "".join(lines)
    return key
