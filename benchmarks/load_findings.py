"""The overview under load: ``moksori serve`` on loopback over 1 M stored units, 20 leadership users, uploads and
corrections arriving (issue #14, point 5).

Fills a data directory with the findings benchmark's units (``bench_findings.fill``, stored under the deployed
model's version so the service reads them), creates the keys through the services layer (leadership of 기관1 and
기관2, a global admin, staff of 기관1), starts ``moksori serve`` (API, dashboard and its analysis worker) on a free
loopback port and runs ``benchmarks/locustfile.py`` headless for ``--seconds``: *users* leadership users GET
``/api/v1/findings`` and the dashboard overview ``/`` with varied filters (agency, programme, region, period), one
staff user uploads a small TXT made at run time every ``--upload-every`` seconds and another posts a correction
every ``--correct-every`` seconds. Prints p50/p95/p99 and errors per request kind (``--json``: one line each) and
exits 1 when any request failed.

Run: python benchmarks/load_findings.py [--units 1000000] [--seconds 120] [--users 20] [--reuse DIR]
     [--database-url URL | --postgres] [--web-workers N] [--json]
Needs the ``load`` extra (``pip install -e '.[load]'``: locust).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import bench_findings
from common import ROOT
from sqlalchemy import Engine, func, select

from analyzer.classify import registry
from analyzer.services import keys
from analyzer.services.access import OPERATOR
from analyzer.store.engine import make_engine
from analyzer.store.migrate import migrate
from analyzer.store.tables import jobs, units
from tests.postgres_support import postgres_bin_dir, scratch_postgres

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
#: The request kinds whose latency is the overview's (the API call and the dashboard page that renders it).
OVERVIEW_KINDS = ("findings", "overview page")


def deployed_version() -> str:
    """The shipped deployed model's version (what a new data directory's service reads findings for)."""
    found = registry.pointer(ROOT / "models")
    if found is None:
        raise SystemExit("no deployed model under models/")
    return "/".join(found)


def stored_units(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(units)).scalar_one())


def prepare(engine: Engine, n_units: int) -> int:
    """Migrate, fill *n_units* when the database holds none, return how many units it holds."""
    migrate(engine)
    if stored_units(engine) == 0:
        bench_findings.MODEL = deployed_version()  # fill() labels the rows with this version
        started = time.perf_counter()
        bench_findings.fill(engine, n_units)
        print(f"# filled {n_units:,} units in {time.perf_counter() - started:.0f} s", flush=True)
    return stored_units(engine)


def make_keys(engine: Engine) -> dict[str, Any]:
    """The run's keys, created through the services layer as the command line does."""

    def new(role: str, agency: str | None, label: str) -> str:
        return keys.create(engine, OPERATOR, role, agency, label, None).plaintext

    return {
        "leadership": [
            {"key": new("leadership", "기관1", "load leadership 1"), "agency": "기관1"},
            {"key": new("leadership", "기관2", "load leadership 2"), "agency": "기관2"},
            {"key": new("admin", None, "load global"), "agency": None},
        ],
        "staff": new("staff", "기관1", "load staff 1"),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/api/v1/health", timeout=5) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


def cpu_seconds(pid: int) -> dict[str, float]:
    """User + system CPU seconds of the server's process tree (*pid* and its web processes) and, apart, of the
    analysis worker (a process running ``analyzer.worker``) with its own children."""

    def of(one: int) -> float:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def children(one: int) -> list[int]:
        found: list[int] = []
        for task in Path(f"/proc/{one}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                found += [int(k) for k in task.read_text().split()]
        return found

    totals = {"server": 0.0, "worker": 0.0}
    pending = [(pid, "server")]
    while pending:
        one, role = pending.pop()
        with contextlib.suppress(OSError):
            if b"analyzer.worker" in Path(f"/proc/{one}/cmdline").read_bytes():
                role = "worker"
        totals[role] += of(one)
        pending += [(kid, role) for kid in children(one)]
    return totals


@contextlib.contextmanager
def serving(data_dir: Path, database_url: str, log: Path, web_workers: int = 1) -> Iterator[tuple[str, int]]:
    """``moksori serve`` (with its worker, and *web_workers* web processes) on a free loopback port until
    /api/v1/health answers; its address and process id."""
    port = free_port()
    command = [sys.executable, "-m", "analyzer.cli", "serve", "--port", str(port), "--data-dir", str(data_dir)]
    command += ["--web-workers", str(web_workers)]
    env = os.environ | {"MOKSORI_HOME": str(data_dir / "home"), "MOKSORI_DATABASE_URL": database_url}
    with log.open("ab") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600
        while not healthy(base):
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"moksori serve did not become healthy; see {log}")
            time.sleep(1)
        yield base, server.pid
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the server and the worker it started, nothing else
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def get_findings(base: str, key: str, query: str = "") -> float:
    """One findings call; its milliseconds."""
    started = time.perf_counter()
    request = urllib.request.Request(f"{base}/api/v1/findings{query}", headers={"Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request, timeout=600) as answer:
        answer.read()
    return 1000 * (time.perf_counter() - started)


#: The baseline before the load: one caller alone, each filter new (no cache hit), the service time of a request.
ALONE = [f"?{urllib.parse.urlencode({'region': region})}" for region in bench_findings.REGIONS] + [
    f"?date_from=2023-{month:02d}-01&date_to=2024-{month:02d}-28" for month in range(1, 11)
]


def run_locust(base: str, made: dict[str, Any], n_units: int, args: argparse.Namespace, out: Path) -> int:
    """Locust headless in a subprocess; its samples (per request kind: latencies in ms, errors) go to *out*."""
    env = os.environ | {
        "LOAD_KEYS": json.dumps(made),
        "LOAD_UNITS": str(n_units),
        "LOAD_SAMPLES": str(out),
        "LOAD_UPLOAD_EVERY": str(args.upload_every),
        "LOAD_CORRECT_EVERY": str(args.correct_every),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "benchmarks"), str(ROOT)]),
    }
    users = args.users + 2  # the uploader and the corrector are fixed_count users
    command = [
        *(sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--only-summary"),
        *("-u", str(users), "-r", str(users), "-t", f"{args.seconds}s", "-H", base, "--stop-timeout", "30"),
    ]
    with (out.parent / "locust.log").open("ab") as log:
        return subprocess.run(command, cwd=ROOT, env=env, stdout=log, stderr=log, check=False).returncode


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile of *values* (ms)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered), math.ceil(share * len(ordered))) - 1)]


def summarise(samples: dict[str, Any], database: str, n_units: int) -> list[dict[str, Any]]:
    """One record per request kind, plus ``overview (all)`` (the API call and the page together under load)."""
    kinds = dict(samples)
    kinds["overview (all)"] = {
        "ms": [ms for kind in OVERVIEW_KINDS for ms in samples.get(kind, {}).get("ms", [])],
        "errors": sum(samples.get(kind, {}).get("errors", 0) for kind in OVERVIEW_KINDS),
        "messages": [],
    }
    records = []
    for kind, found in kinds.items():
        ms = found["ms"]
        records.append(
            {
                "database": database,
                "units": n_units,
                "request": kind,
                "count": len(ms),
                "p50_ms": round(statistics.median(ms)) if ms else None,
                "p95_ms": round(percentile(ms, 0.95)) if ms else None,
                "p99_ms": round(percentile(ms, 0.99)) if ms else None,
                "max_ms": round(max(ms)) if ms else None,
                "errors": found["errors"],
                "error_examples": sorted(set(found["messages"]))[:3],
            }
        )
    return records


def job_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(select(jobs.c.status, func.count()).group_by(jobs.c.status)).all()
    return {str(status): int(count) for status, count in rows}


def commit() -> str:
    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return found.stdout.strip() or "unknown"


def load_run(data_dir: Path, database_url: str, database: str, args: argparse.Namespace) -> int:
    measured = commit()  # the code that runs, before anything is committed meanwhile
    engine = make_engine(database_url)
    n_units = prepare(engine, args.units)
    made = make_keys(engine)
    jobs_before = job_counts(engine)
    with serving(data_dir, database_url, data_dir / "serve.log", args.web_workers) as (base, pid):
        global_key = made["leadership"][2]["key"]
        warm_s = get_findings(base, global_key) / 1000  # module imports, first connections: not counted
        alone = [get_findings(base, global_key, query) for query in ALONE]
        load_before, cpu_before = os.getloadavg(), cpu_seconds(pid)
        started = time.perf_counter()
        status = run_locust(base, made, n_units, args, data_dir / "samples.json")
        took = time.perf_counter() - started
        load_after, cpu_after = os.getloadavg(), cpu_seconds(pid)
    samples = json.loads((data_dir / "samples.json").read_text(encoding="utf-8"))
    samples["findings alone"] = {"ms": alone, "errors": 0, "messages": []}
    (data_dir / "samples.json").write_text(json.dumps(samples), encoding="utf-8")  # every latency, to look again
    records = summarise(samples, database, n_units)
    jobs_after = job_counts(engine)
    engine.dispose()
    cpu = {name: round(cpu_after[name] - cpu_before[name], 1) for name in cpu_after}
    served = sum(r["count"] for r in records if r["request"] not in ("overview (all)", "findings alone"))
    context: dict[str, Any] = {
        "commit": measured,
        "web_workers": args.web_workers,
        "seconds": round(took),
        "warm_up_s": round(warm_s, 2),
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in load_after],
        "jobs_before": jobs_before,
        "jobs_after": jobs_after,
        "locust_exit": status,
        "cpu_s": cpu,
        "server_cpu_ms_per_request": round(1000 * cpu["server"] / max(1, served)),
        "requests_per_s": round(served / max(1.0, took), 2),
    }
    if args.json:
        for record in records:
            print(json.dumps(record, ensure_ascii=False), flush=True)
        print(json.dumps({"database": database, "units": n_units, "run": context}, ensure_ascii=False), flush=True)
    else:
        print(f"# {database}, {n_units:,} units, {context}")
        print(f"{'request':<16} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>6}")
        for r in records:
            print(
                f"{r['request']:<16} {r['count']:>6} {r['p50_ms']!s:>8} {r['p95_ms']!s:>8} {r['p99_ms']!s:>8} "
                f"{r['max_ms']!s:>8} {r['errors']:>6}  {'; '.join(r['error_examples'])}"
            )
    failed = sum(r["errors"] for r in records if r["request"] != "overview (all)")
    return 1 if failed or not records else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--units", type=int, default=1_000_000, help="units to fill into an empty database")
    parser.add_argument("--seconds", type=int, default=120, help="length of the load run")
    parser.add_argument("--users", type=int, default=20, help="concurrent leadership users")
    parser.add_argument("--upload-every", type=float, default=5.0, help="seconds between uploads")
    parser.add_argument("--correct-every", type=float, default=3.0, help="seconds between corrections")
    parser.add_argument("--reuse", type=Path, help="data directory to keep and reuse (filled when empty)")
    parser.add_argument("--database-url", help="a PostgreSQL (or SQLite) database instead of DIR/moksori.db")
    parser.add_argument("--postgres", action="store_true", help="a scratch PostgreSQL cluster (tests' helper)")
    parser.add_argument("--web-workers", type=int, default=1, help="moksori serve --web-workers (processes)")
    parser.add_argument("--json", action="store_true", help="one JSON line per request kind")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        data_dir = args.reuse or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="moksori-load-")))
        data_dir.mkdir(parents=True, exist_ok=True)
        url = args.database_url or f"sqlite:///{data_dir / 'moksori.db'}"
        if args.postgres:
            bin_dir = postgres_bin_dir()
            if bin_dir is None:
                raise SystemExit("--postgres needs Debian's postgresql package")
            server = stack.enter_context(scratch_postgres(bin_dir))
            url = server.url(server.create_database()).render_as_string(hide_password=False)
        database = "postgresql" if url.startswith("postgres") else "sqlite"
        status = load_run(data_dir, url, database, args)
    sys.exit(status)


if __name__ == "__main__":
    main()
