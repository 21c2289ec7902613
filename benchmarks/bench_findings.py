"""Findings latency for 100k and 1M stored units on SQLite and PostgreSQL, against a plain pandas groupby over the
same rows already in memory; and upload-to-done time of a 30-page minutes file against the analysis alone.

Run: python benchmarks/bench_findings.py [--sizes 100000 1000000] [--skip-postgres]
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import tempfile
import time
from itertools import islice
from pathlib import Path

from common import ROOT, corpus_texts, median_seconds

from analyzer.aggregate import findings
from analyzer.store.engine import make_engine
from analyzer.store.migrate import migrate
from analyzer.store.queries import tagged_units_frame
from analyzer.store.tables import agencies, documents, meetings, programmes, taggings, units
from analyzer.taxonomy import load_taxonomy
from tests.postgres_support import postgres_bin_dir, scratch_postgres

TAXONOMY_KEY = load_taxonomy().key

MODEL = "bench/1"
REGIONS = ["경북", "경남", "충북", "전북", "울산", "부산", "대구", "광주", "강원", "제주"]
PROGRAMMES = ["산업기반구축사업", "수출바우처", "스마트공장", "기술닥터", "정책자금"]


def labelled_corpus() -> list[dict[str, object]]:
    rows = []
    for path in sorted((ROOT / "corpora" / "units").glob("*.jsonl")):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


def fill(engine, n_units: int, per_meeting: int = 50, seed: int = 0) -> None:  # type: ignore[no-untyped-def]
    """n_units tagged units in n_units/per_meeting meetings over 24 months, written in batches."""
    rng = random.Random(seed)
    corpus = labelled_corpus()
    n_meetings = n_units // per_meeting
    with engine.begin() as connection:
        connection.execute(agencies.insert(), [{"id": i + 1, "name": f"기관{i + 1}"} for i in range(5)])
        connection.execute(
            programmes.insert(),
            [
                {"id": a * 10 + p, "agency_id": a + 1, "name": name}
                for a in range(5)
                for p, name in enumerate(PROGRAMMES)
            ],
        )
        connection.execute(
            meetings.insert(),
            [
                {
                    "id": m + 1,
                    "agency_id": m % 5 + 1,
                    "programme_id": (m % 5) * 10 + m % 5,
                    "title": f"간담회 {m}",
                    "date": f"{2023 + (m % 24) // 12}-{(m % 12) + 1:02d}-15",
                    "place": "",
                    "region": REGIONS[m % 10],
                    "industry": "",
                    "kind": "roundtable",
                }
                for m in range(n_meetings)
            ],
        )
        connection.execute(
            documents.insert(),
            [
                {
                    "id": m + 1,
                    "agency_id": m % 5 + 1,
                    "meeting_id": m + 1,
                    "sha256": f"{m:064x}",
                    "filename": "m.txt",
                    "format": "txt",
                    "encoding": "utf-8",
                    "size": 1,
                    "blob_path": "x",
                }
                for m in range(n_meetings)
            ],
        )
    ids = iter(range(1, n_units + 1))
    while batch := list(islice(ids, 20_000)):
        unit_rows, tag_rows = [], []
        for uid in batch:
            row = corpus[rng.randrange(len(corpus))]
            meeting = (uid - 1) // per_meeting + 1
            unit_rows.append(
                {
                    "id": uid,
                    "document_id": meeting,
                    "meeting_id": meeting,
                    "seq": uid,
                    "unit_kind": "turn",
                    "text": row["text"],
                    "start": 0,
                    "end_offset": len(str(row["text"])),
                    "turn": 0,
                    "speaker": f"화자-{uid % 97:06X}",
                    "title": "",
                    "organisation": f"기업{uid % 300}",
                    "region": "",
                    "industry": str(row.get("industry", "")),
                    "keyphrases": [],
                    "meta": {},
                }
            )
            tag_rows.append(
                {
                    "unit_id": uid,
                    "model_version": MODEL,
                    "categories": row["categories"],
                    "probabilities": {},
                    "kind": row["kind"],
                    "kind_confidence": 0.9,
                    "needs_review": False,
                    "margin": round(rng.random() / 2, 4),
                    "taxonomy": TAXONOMY_KEY,
                }
            )
        with engine.begin() as connection:
            connection.execute(units.insert(), unit_rows)
            connection.execute(taggings.insert(), tag_rows)


def measure(engine) -> dict[str, float]:  # type: ignore[no-untyped-def]
    taxonomy = load_taxonomy()
    frame = tagged_units_frame(engine, None, MODEL)

    def baseline() -> object:
        return frame.explode("categories").groupby(["categories", "kind"]).size()

    def ours() -> object:
        return findings(tagged_units_frame(engine, None, MODEL), taxonomy)

    def ours_cached() -> object:
        return findings(frame, taxonomy)

    base, full, cached = median_seconds(baseline), median_seconds(ours, repeats=1), median_seconds(ours_cached, 1)
    return {"baseline_s": base, "findings_s": full, "aggregate_only_s": cached, "rows": len(frame)}


def report(label: str, result: dict[str, float]) -> None:
    ratio = result["findings_s"] / result["baseline_s"]
    print(
        f"{label}: rows {result['rows']:,}; pandas groupby {result['baseline_s'] * 1000:,.0f} ms; "
        f"findings (query + aggregate) {result['findings_s']:.2f} s = {ratio:,.0f}× baseline; "
        f"aggregate alone {result['aggregate_only_s']:.2f} s"
    )


def upload_to_done() -> None:
    """A 30-page minutes file (HWPX) from upload to done, against analysing the same bytes without storage."""
    from hwpx import HwpxDocument

    from analyzer.analyze import Analyzer
    from analyzer.classify.registry import default_models_root, deployed_dir
    from analyzer.store import jobs
    from analyzer.store.blobs import BlobStore
    from analyzer.worker import run_worker

    texts = corpus_texts()
    document = HwpxDocument.new()
    document.add_paragraph("2024년 지역 기업 간담회 결과")
    document.add_paragraph("일시: 2024. 6. 11.(화) 14:00")
    chars = 0
    speakers = ["사회자:", "○ 김OO 대표(㈜가나전자):", "[이 팀장]", "- 박 과장(구미시):"]
    for i, text in enumerate(texts):
        if chars > 30 * 1500:  # about 1,500 characters per A4 page of minutes
            break
        document.add_paragraph(f"{speakers[i % 4]} {text}")
        chars += len(text)
    data = document.to_bytes(format="hwpx")
    analyzer = Analyzer.load(deployed_dir(default_models_root()), b"bench-key")
    analyzer.analyze("warm.txt", "사회자: 시작합니다".encode())
    alone = median_seconds(lambda: analyzer.analyze("minutes.hwpx", data), repeats=1)
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/m.db")
        migrate(engine)
        blobs = BlobStore(Path(tmp) / "blobs", secrets.token_bytes(32))
        started = time.perf_counter()
        stored = blobs.put_bytes(data)
        jobs.enqueue_upload(
            engine,
            agency="기관",
            programme=None,
            meeting={"title": "30쪽 회의록"},
            filename="minutes.hwpx",
            sha256=stored.sha256,
            size=stored.size,
            fmt="hwpx",
            encoding=None,
            blob_path=stored.path,
            model_version=analyzer.tagger.model_version,
        )
        run_worker(engine, blobs, analyzer, worker_id="bench", poll_seconds=0, max_jobs=1)
        total = time.perf_counter() - started
    print(
        f"30-page minutes ({chars:,} chars, {len(data):,} bytes HWPX): analysis alone {alone:.2f} s; "
        f"upload-to-done {total:.2f} s = {total / alone:.2f}× the analysis alone"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-upload", action="store_true")
    args = parser.parse_args()
    if not args.skip_upload:
        upload_to_done()
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            engine = make_engine(f"sqlite:///{tmp}/bench.db")
            migrate(engine)
            started = time.perf_counter()
            fill(engine, size)
            print(f"SQLite: filled {size:,} units in {time.perf_counter() - started:.0f} s")
            report(f"SQLite {size:,}", measure(engine))
            engine.dispose()
        bin_dir = postgres_bin_dir()
        if args.skip_postgres or bin_dir is None:
            continue
        with scratch_postgres(bin_dir) as server:
            name = server.create_database()
            engine = make_engine(server.url(name).render_as_string(hide_password=False))
            migrate(engine)
            fill(engine, size)
            report(f"PostgreSQL {size:,}", measure(engine))
            engine.dispose()


if __name__ == "__main__":
    main()
