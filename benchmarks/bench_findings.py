"""Findings over 100 k and 1 M stored units on SQLite and PostgreSQL, read from the label rows.

Measured in one run per database and size: the findings call with fresh data (no findings cache) in a process that
holds no summary rows yet (``cold_process``: it reads them all) and in one that holds them (as a serving process
does), the same after one new upload (a 50-unit document stored by ``write_results``, the worker's path) and after
one new correction (the held rows refreshed by the partitions the write changed, as the service refreshes them), under
one agency's filter and under the filter of the industry of the most units (its own summary rows), against the
baseline, a pandas ``read_sql`` of the same label rows plus a groupby; and the peak RSS growth of the
call.

Run: python benchmarks/bench_findings.py [--sizes 100000 1000000] [--skip-postgres] [--json] [--keep DIR | --reuse DIR]
(``--keep`` fills the databases in DIR and keeps them, ``--reuse`` measures the ones kept there without filling).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Any

import pandas as pd
from common import ROOT
from sqlalchemy import Engine, text

from analyzer.aggregate.summary import counting_findings
from analyzer.services.deployed import Deployed
from analyzer.services.findings import FindingFilters, compute
from analyzer.services.heap import settle
from analyzer.store.corrections import add_correction
from analyzer.store.engine import make_engine
from analyzer.store.labels import draw_of, quote_rank
from analyzer.store.migrate import migrate
from analyzer.store.results import write_results
from analyzer.store.summaries import maintained, rebuild_all
from analyzer.store.summary_read import SummaryTables, filtered, read_summaries
from analyzer.store.tables import (
    agencies,
    documents,
    meetings,
    programmes,
    taggings,
    unit_categories,
    unit_phrases,
    unit_tags,
    units,
)
from analyzer.taxonomy import load_taxonomy
from analyzer.textkeys import clean_labels, signature_of, text_hashes
from tests.postgres_support import PostgresServer, postgres_bin_dir, scratch_postgres

MODEL = "bench/1"
REGIONS = ["경북", "경남", "충북", "전북", "울산", "부산", "대구", "광주", "강원", "제주"]
PROGRAMMES = ["산업기반구축사업", "수출바우처", "스마트공장", "기술닥터", "정책자금"]
PER_MEETING = 50
BASELINE_SQL = (
    "SELECT c.category, c.kind, c.meeting_id, u.organisation FROM unit_categories c "
    "JOIN units u ON u.id = c.unit_id WHERE c.model_version = 'bench/1'"
)


def labelled_corpus() -> list[dict[str, Any]]:
    rows = []
    for path in sorted((ROOT / "corpora" / "units").glob("*.jsonl")):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


def corpus_industry(row: Mapping[str, Any]) -> str:
    """The industry of a corpus row, which the filled units carry as their own (their meetings have none)."""
    return str(row.get("industry") or "")


def meeting_place(m: int) -> dict[str, Any]:
    """The agency, programme, date and region of the *m*-th meeting (from 0): 5 agencies, 24 months, 10 regions."""
    return {
        "agency_id": m % 5 + 1,
        "programme_id": (m % 5) * 10 + m % 5,
        "date": f"{2023 + (m % 24) // 12}-{(m % 12) + 1:02d}-15",
        "region": REGIONS[m % 10],
    }


def _meetings(engine: Engine, n_meetings: int) -> None:
    with engine.begin() as conn:
        conn.execute(agencies.insert(), [{"id": i + 1, "name": f"기관{i + 1}"} for i in range(5)])
        conn.execute(
            programmes.insert(),
            [{"id": a * 10 + p, "agency_id": a + 1, "name": n} for a in range(5) for p, n in enumerate(PROGRAMMES)],
        )
        conn.execute(
            meetings.insert(),
            [{"id": m + 1, "title": f"간담회 {m}", **meeting_place(m)} for m in range(n_meetings)],
        )
        conn.execute(
            documents.insert(),
            [
                {
                    "id": m + 1,
                    "agency_id": m % 5 + 1,
                    "meeting_id": m + 1,
                    "sha256": f"{m:064x}",
                    "filename": "m.txt",
                    "size": 1,
                    "blob_path": "x",
                }
                for m in range(n_meetings)
            ],
        )


def fill(engine: Engine, n_units: int, seed: int = 0) -> None:
    """*n_units* tagged units (corpus texts and labels) in meetings of 50 over 24 months, with their label rows,
    written with bulk inserts in batches (what ``write_results`` stores, without its per-document reads)."""
    rng = random.Random(seed)
    corpus = labelled_corpus()
    keys = text_hashes(str(row["text"]) for row in corpus)
    # the model's probabilities are a function of the text: one draw per corpus text
    probabilities = [
        {label: round(rng.uniform(0.5, 1.0), 3) for label in clean_labels(row["categories"])} for row in corpus
    ]
    copies: dict[tuple[int, str], int] = {}  # (text key, category) -> copies stored so far, for the quote order
    taxonomy = load_taxonomy().key
    _meetings(engine, n_units // PER_MEETING)
    ids = iter(range(1, n_units + 1))
    while batch := list(islice(ids, 50_000)):
        rows: dict[Any, list[dict[str, Any]]] = {
            t: [] for t in (units, taggings, unit_tags, unit_categories, unit_phrases)
        }
        for uid in batch:
            pick = rng.randrange(len(corpus))
            row, meeting = corpus[pick], (uid - 1) // PER_MEETING + 1
            kind, labels = str(row["kind"]), clean_labels(row["categories"])
            industry = corpus_industry(row)
            phrases = rng.sample(["인력 부족", "장비 노후", "정책자금", "수출 판로", "인증 비용", "기술 인력"], 2)
            rows[units].append(
                {
                    "id": uid,
                    "document_id": meeting,
                    "meeting_id": meeting,
                    "seq": uid,
                    "unit_kind": "turn",
                    "text": row["text"],
                    "start": 0,
                    "end_offset": len(str(row["text"])),
                    "speaker": f"화자-{uid % 97}",
                    "organisation": f"기업{(meeting * 7 + uid % 10) % 3000}",
                    "industry": industry,
                    "keyphrases": phrases,
                    "meta": {},
                    "text_key": keys[pick],
                }
            )
            rows[taggings].append(
                {
                    "unit_id": uid,
                    "model_version": MODEL,
                    "categories": labels,
                    "probabilities": probabilities[pick],
                    "kind": kind,
                    "kind_confidence": 0.9,
                    "needs_review": uid % 13 == 0,
                    "margin": 0.2,
                    "taxonomy": taxonomy,
                }
            )
            common = {"unit_id": uid, "model_version": MODEL, "meeting_id": meeting}
            place = {**meeting_place(meeting - 1), "industry": industry}  # no region of their own: the meeting's
            flags = {"needs_review": uid % 13 == 0, "corrected": False, "industry": industry}
            rows[unit_tags].append({**common, "kind": kind, **flags})
            signature = signature_of(phrases, keys[pick])
            for label in labels:
                copy = copies.get((keys[pick], label), 0)
                copies[(keys[pick], label)] = copy + 1
                rank = quote_rank(probabilities[pick].get(label, 0.0), copy)
                rows[unit_categories].append(
                    {**common, "category": label, "kind": kind, "draw": draw_of(uid)}
                    | {"quote_rank": rank, "signature": signature, **place}
                )
            rows[unit_phrases] += [{"unit_id": uid, "phrase": p, "meeting_id": meeting} for p in phrases]
        with engine.begin() as conn:
            for table, values in rows.items():
                conn.execute(table.insert(), values)
    with engine.begin() as conn:  # the summary rows, as migration 0007 builds them over existing data
        rebuild_all(conn)
    if engine.dialect.name == "postgresql":  # explicit ids leave the sequences behind
        with engine.begin() as conn:
            for name in ("agencies", "programmes", "meetings", "documents", "units"):
                conn.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))")
                )
        with engine.connect() as conn:  # planner statistics for the bulk-loaded tables, as after a restore
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")


def seconds(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def new_upload(engine: Engine, n_units: int, serial: int) -> None:
    """One more 50-unit document in a new meeting, stored through the worker's ``write_results``."""
    corpus = labelled_corpus()[:PER_MEETING]
    taxonomy = load_taxonomy().key  # read once, outside the timed write (it parsed the YAML once per unit)
    with engine.begin() as conn:  # a kept database may hold the uploads of earlier runs
        last = conn.execute(text("SELECT max(id) FROM meetings")).scalar() or 0
        meeting_id = max(n_units // PER_MEETING + serial, int(last) + 1)
        conn.execute(meetings.insert().values(id=meeting_id, agency_id=1, title="새 간담회", date="2024-12-15"))
        conn.execute(
            documents.insert().values(
                id=meeting_id,
                agency_id=1,
                meeting_id=meeting_id,
                sha256=f"new{meeting_id:061x}",
                filename="n.txt",
                size=1,
                blob_path="x",
            )
        )
        with maintained(conn, [meeting_id]):
            write_results(
                conn,
                document_id=meeting_id,
                meeting_id=meeting_id,
                model_version=MODEL,
                unit_rows=[
                    {
                        "seq": i,
                        "unit_kind": "turn",
                        "text": row["text"],
                        "start": 0,
                        "end_offset": 1,
                        "turn": 0,
                        "speaker": "",
                        "title": "",
                        "organisation": "새기업",
                        "region": "",
                        "industry": "",
                        "keyphrases": ["인력 부족"],
                        "meta": {},
                    }
                    for i, row in enumerate(corpus)
                ],
                tagging_rows=[
                    {
                        "categories": row["categories"],
                        "probabilities": {},
                        "kind": row["kind"],
                        "kind_confidence": 0.9,
                        "needs_review": False,
                        "margin": 0.1,
                        "taxonomy": taxonomy,
                    }
                    for row in corpus
                ],
            )


def _status_mb(field: str) -> float:
    """A ``/proc/self/status`` memory field (``VmRSS``, ``VmHWM``) in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise KeyError(field)


def call_in_child(url: str, agency_id: int | None, industry: str) -> dict[str, float]:
    """The findings call in a new process that opens the database at *url*: its peak RSS growth (the peak resident
    set during the call, reset just before it, minus the resident set before it; imports and the engine are
    before) and its duration (a cold process)."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", url, str(agency_id or 0), industry]
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def child(url: str, agency_id: int, industry: str) -> None:
    """The child side of :func:`call_in_child`: one findings call, then a JSON line."""
    engine = make_engine(url)
    deployed = Deployed(MODEL, load_taxonomy(), Path("."))
    Path("/proc/self/clear_refs").write_text("5")  # resets the peak (VmHWM) to the current resident set
    before = _status_mb("VmRSS")
    took = seconds(lambda: compute(engine, agency_id or None, deployed, FindingFilters(industry=industry or None)))
    peak = max(_status_mb("VmHWM"), _status_mb("VmRSS"))
    print(json.dumps({"rss_growth_mb": round(peak - before, 1), "child_s": round(took, 3)}))


def duckdb_reference(frame: pd.DataFrame) -> float | None:
    """Seconds DuckDB takes for the baseline's groupby over the frame the baseline read (None without duckdb)."""
    try:
        import duckdb
    except ImportError:
        print("# duckdb is not installed: no DuckDB reference (pip install duckdb)", flush=True)
        return None
    query = (
        "SELECT category, kind, count(*) AS units, count(DISTINCT meeting_id) AS meetings, "
        "count(DISTINCT organisation) AS organisations FROM frame GROUP BY category, kind"
    )
    with duckdb.connect() as conn:
        conn.register("frame", frame)
        return min(seconds(lambda: conn.execute(query).fetchall()) for _ in range(3))


def largest_industry(engine: Engine) -> str:
    """The (effective) industry of the most units."""
    query = "SELECT industry FROM unit_tags WHERE industry <> '' GROUP BY industry ORDER BY count(*) DESC LIMIT 1"
    with engine.connect() as conn:
        return str(conn.execute(text(query)).scalar() or "")


def measure(engine: Engine, database: str, n_units: int) -> Iterator[dict[str, Any]]:
    """One record per measurement (findings in a process that holds no summary rows yet; fresh; after an upload,
    after a correction, in a process holding the rows before the write, refreshed as the service refreshes them; one
    agency; the industry of the most units, first in a process holding only the rows over every unit): the first
    call after the change and the median of three, the counting part, the write before it, the baseline and the
    DuckDB reference of the same run, and the peak RSS growth of the call in a process of its own (a process
    holding no rows)."""
    deployed = Deployed(MODEL, load_taxonomy(), Path("."))
    url = engine.url.render_as_string(hide_password=False)
    read: list[pd.DataFrame] = []

    def baseline() -> object:
        frame = pd.read_sql(text(BASELINE_SQL), engine)
        read[:] = [frame]
        grouped = frame.groupby(["category", "kind"])
        return grouped.agg(
            units=("meeting_id", "size"), meetings=("meeting_id", "nunique"), organisations=("organisation", "nunique")
        )

    baseline_s = min(seconds(baseline) for _ in range(2))
    duckdb_s = duckdb_reference(read[0])
    read.clear()
    settle()  # the garbage collector as a serving process sets it once loaded
    industry = largest_industry(engine)
    steps: list[tuple[str, Callable[[], object], int | None, str]] = [
        ("cold_process", lambda: held.clear(), None, ""),
        ("fresh", lambda: None, None, ""),
        ("after_upload", lambda: new_upload(engine, n_units, 1), None, ""),
        (
            "after_correction",
            lambda: add_correction(engine, 7, ["funding"], "request", "bench", taxonomy=deployed.taxonomy.key),
            None,
            "",
        ),
        ("one_agency", lambda: None, 1, ""),
        ("one_industry", lambda: None, None, industry),
    ]
    held: dict[str, SummaryTables] = {}  # the summary rows a serving process holds, refreshed as the service does

    def tables(industry: str) -> SummaryTables:
        held[industry] = read_summaries(engine, MODEL, held.get(industry), industry)
        return held[industry]

    def counts(agency_id: int | None, industry: str) -> object:  # from the rows the last call held
        cells, phrases, _ = filtered(held[industry], agency_id, {"industry": industry})
        return counting_findings(cells, phrases, deployed.taxonomy, region_filtered=False)

    for name, change, agency_id, industry in steps:
        write_s = seconds(change)
        chosen = FindingFilters(industry=industry or None)
        call = lambda: compute(engine, agency_id, deployed, chosen, tables)  # noqa: B023, E731
        first_s = seconds(call)
        findings_s = statistics.median([first_s, seconds(call), seconds(call)])
        counting_s = min(seconds(lambda: counts(agency_id, industry)) for _ in range(2))  # noqa: B023
        yield {
            "database": database,
            "units": n_units,
            "measurement": name,
            "write_s": round(write_s, 3),
            "counting_s": round(counting_s, 3),
            "first_s": round(first_s, 3),
            "findings_s": round(findings_s, 3),
            "baseline_s": round(baseline_s, 3),
            "ratio": round(baseline_s / findings_s, 2),
            "duckdb_s": None if duckdb_s is None else round(duckdb_s, 3),
            "industry": industry,
            **call_in_child(url, agency_id, industry),
        }


def run(database: str, engine: Engine, size: int, as_json: bool, filled_already: bool = False) -> None:
    migrate(engine)
    if filled_already:
        print(f"# {database}: reusing {size:,} kept units", flush=True)
    else:
        filled = seconds(lambda: fill(engine, size))
        print(f"# {database}: filled {size:,} units in {filled:.0f} s", flush=True)
    for record in measure(engine, database, size):
        if as_json:
            print(json.dumps(record), flush=True)
        else:
            print(
                f"{database} {size:,} {record['measurement']}: findings {record['findings_s'] * 1000:,.0f} ms "
                f"(counts {record['counting_s'] * 1000:,.0f} ms; write before it {record['write_s'] * 1000:,.0f} ms), "
                f"read_sql+groupby {record['baseline_s'] * 1000:,.0f} ms (x{record['ratio']}), "
                f"DuckDB {record['duckdb_s']} s, in a new process {record['child_s']} s, "
                f"peak RSS growth {record['rss_growth_mb']} MB",
                flush=True,
            )
    engine.dispose()


@contextmanager
def kept_postgres(bin_dir: Path, base: Path) -> Iterator[tuple[PostgresServer, bool]]:
    """A cluster in *base* (created there the first time, kept afterwards) and whether it already holds data."""
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    data, filled_already = base / "data", (base / "filled").exists()
    if not data.exists():
        base.mkdir(parents=True, exist_ok=True)
        if as_postgres:
            shutil.chown(base, "postgres", "postgres")
        initdb = [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8"]
        subprocess.run([*as_postgres, *initdb, "--no-locale", "--no-sync"], check=True, capture_output=True)
    port = 54000 + os.getpid() % 1000
    options = f"-p {port} -k {base} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
    pg_ctl = [*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(data)]
    subprocess.run(
        [*pg_ctl, "-l", str(base / "server.log"), "-o", options, "-w", "start"], check=True, capture_output=True
    )
    try:
        server = PostgresServer(socket_dir=base, port=port)
        if not filled_already:
            with server.admin() as conn:
                conn.execute('DROP DATABASE IF EXISTS "bench" WITH (FORCE)')
                conn.execute('CREATE DATABASE "bench"')
        yield server, filled_already
    finally:
        subprocess.run([*pg_ctl, "-m", "fast", "-w", "stop"], check=False, capture_output=True)


def _postgres_url(server: PostgresServer, name: str) -> str:
    return server.url(name).render_as_string(hide_password=False)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--json", action="store_true", help="one JSON line per measurement")
    kept = parser.add_mutually_exclusive_group()
    kept.add_argument("--keep", type=Path, help="fill the databases in this directory and keep them")
    kept.add_argument("--reuse", type=Path, help="measure the databases kept in this directory (no fill)")
    parser.add_argument("--child", nargs=3, metavar=("URL", "AGENCY", "INDUSTRY"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]), args.child[2])
        return
    home: Path | None = args.keep or args.reuse
    for size in args.sizes:
        if not args.skip_sqlite:
            if home is None:
                with tempfile.TemporaryDirectory() as tmp:
                    run("sqlite", make_engine(f"sqlite:///{tmp}/bench.db"), size, args.json)
            else:
                path = home / f"sqlite-{size}.db"
                if args.reuse and not path.exists():
                    raise SystemExit(f"no kept database {path}")
                home.mkdir(parents=True, exist_ok=True)
                if args.keep:
                    path.unlink(missing_ok=True)
                run("sqlite", make_engine(f"sqlite:///{path}"), size, args.json, filled_already=bool(args.reuse))
        bin_dir = postgres_bin_dir()
        if args.skip_postgres or bin_dir is None:
            continue
        if home is None:
            with scratch_postgres(bin_dir) as server:
                run("postgresql", make_engine(_postgres_url(server, server.create_database())), size, args.json)
            continue
        base = home / f"postgresql-{size}"
        if args.keep:
            shutil.rmtree(base, ignore_errors=True)
        elif not (base / "filled").exists():
            raise SystemExit(f"no kept cluster {base}")
        with kept_postgres(bin_dir, base) as (server, filled_already):
            run("postgresql", make_engine(_postgres_url(server, "bench")), size, args.json, filled_already)
            (base / "filled").touch()


if __name__ == "__main__":
    main()
