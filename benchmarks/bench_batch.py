"""Batch analysis scaling and upload-to-done, each against its baseline measured in the same run.

* a folder of 6,000 survey answers in 40 CSV files: ``moksori analyze DIR --out rows.jsonl --workers 2`` (the
  default: the process with Kiwi's two threads and its reading-and-tagging helper) against ``--workers 1`` (the
  process alone, Kiwi on one thread) as whole processes (target: ≥ 1.5x, aim 1.8x), and every answer in the rows
  exactly once;
* a 30-page minutes file (HWPX) from upload to done (upload, queued job, worker claim, analysis, stored units and
  taggings), target ≤ 1 s, beside the analysis of the same bytes alone: once with the job run in this process
  (``drain``; also with the meeting's industry given, whose summary rows are then written too), once by a
  ``python -m analyzer.worker`` process polling every 0.5 s, woken by the upload;
* the same folder's 40 files uploaded one after another into one store partition (one agency, no programme, no
  date): upload-to-done of the last five files against the first five, the growth of a write as its partition
  fills (target: flat, 1x).

Run: python benchmarks/bench_batch.py [--files 40] [--answers 6000] [--skip-scaling] [--skip-upload] [--skip-growth]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import ROOT, corpus_texts, median_seconds


def survey_folder(folder: Path, files: int, answers: int) -> set[str]:
    """*answers* distinct answers (corpus texts, numbered) spread over *files* CSV files; the answers."""
    texts = corpus_texts()
    written: set[str] = set()
    per_file = answers // files
    for f in range(files):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(("응답자", "기업명", "의견"))
        for r in range(per_file):
            n = f * per_file + r
            answer = f"{texts[n % len(texts)]} ({n}번 응답)"
            written.add(answer)
            writer.writerow((r + 1, f"㈜가나{n}", answer))
        (folder / f"survey-{f:02d}.csv").write_bytes(out.getvalue().encode("utf-8-sig"))
    return written


def run_folder(folder: Path, out: Path, workers: int, home: str) -> float:
    env = {"MOKSORI_HOME": home, "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home}
    argv = [sys.executable, "-m", "analyzer.cli", "analyze", str(folder), "--out", str(out), "--workers", str(workers)]
    started = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True, cwd=ROOT, env=env)
    return time.perf_counter() - started


def scaling(files: int, answers: int, repeats: int = 3) -> None:
    """Each worker count run *repeats* times, taking turns, so that a change in the machine's load reaches both."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "surveys"
        folder.mkdir()
        written = survey_folder(folder, files, answers)
        seconds: dict[int, list[float]] = {1: [], 2: []}
        for _ in range(repeats):
            for workers in (1, 2):
                out = Path(tmp) / f"rows-{workers}.jsonl"
                for parts in Path(tmp).glob(".rows-*.parts"):  # a re-run would skip the finished files
                    shutil.rmtree(parts)
                seconds[workers].append(run_folder(folder, out, workers, tmp))
                rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
                # masking may change an answer's text, never its number
                numbers = sorted(int(n) for row in rows for n in re.findall(r"\((\d+)번 응답\)", row["text"]))
                once = numbers == list(range(len(written)))
                took = seconds[workers][-1]
                print(f"{workers} worker(s): {took:.1f} s, {len(rows):,} rows, every answer once: {once}")
    one, two = statistics.median(seconds[1]), statistics.median(seconds[2])
    print(f"{answers:,} answers in {files} files, medians of {repeats}: one worker {one:.1f} s, two {two:.1f} s")
    print(f"2 workers = {one / two:.2f}x one worker")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


def upload_to_done() -> None:
    """A 30-page minutes file (HWPX) from upload to done, beside analysing the same bytes without storage."""
    from hwpx import HwpxDocument

    from analyzer.analyze import Analyzer
    from analyzer.classify.registry import deployed_dir, shipped_models_root
    from analyzer.services.context import Context
    from analyzer.services.heap import settle
    from analyzer.services.runs import drain
    from analyzer.services.uploads import Upload, upload
    from analyzer.settings import Settings
    from analyzer.store.agencies import create_agency

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
    analyzer = Analyzer.load(deployed_dir(shipped_models_root()), b"bench-key")
    analyzer.analyze("warm.txt", "사회자: 시작합니다".encode())
    settle()  # the garbage collector as the analysis worker sets it once loaded
    alone = median_seconds(lambda: analyzer.analyze("minutes.hwpx", data), repeats=3)
    print(f"30-page minutes ({chars:,} chars, {len(data):,} bytes HWPX): analysis alone {alone:.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.from_env(data_dir=Path(tmp), home=Path(tmp))
        with Context.open(settings) as context:
            create_agency(context.engine, "기관")

            def once(serial: int, industry: str = "") -> float:
                started = time.perf_counter()
                given = Upload(f"minutes-{serial}.hwpx", data + b" " * serial, industry=industry)  # a new document
                upload(
                    context, given, own_agency=None, named_agency="기관", model_version=analyzer.tagger.model_version
                )
                drain(context.engine, context.blobs, analyzer)
                return time.perf_counter() - started

            total = sorted(once(serial) for serial in range(3))[1]
            # the meeting's industry given: the summary rows are also written for that industry
            with_industry = sorted(once(serial, "자동차 부품") for serial in range(3, 6))[1]
            woken = worker_process_seconds(context, settings, data, analyzer.tagger.model_version)
    print(f"upload-to-done {total:.2f} s (target <= 1 s) = {total / alone:.2f}x the analysis alone")
    print(f"upload-to-done with the meeting's industry given: {with_industry:.2f} s")
    print(f"upload-to-done with a worker process (woken by the upload; median of 3): {woken:.2f} s")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


def partition_growth(files: int, answers: int) -> None:
    """Upload-to-done of each survey file uploaded into one partition, in process (``drain``)."""
    from analyzer.analyze import Analyzer
    from analyzer.classify.registry import deployed_dir, shipped_models_root
    from analyzer.services.context import Context
    from analyzer.services.heap import settle
    from analyzer.services.runs import drain
    from analyzer.services.uploads import Upload, upload
    from analyzer.settings import Settings
    from analyzer.store.agencies import create_agency

    analyzer = Analyzer.load(deployed_dir(shipped_models_root()), b"bench-key")
    settle()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "surveys"
        folder.mkdir()
        survey_folder(folder, files, answers)
        settings = Settings.from_env(data_dir=Path(tmp) / "data", home=Path(tmp))
        times, version = [], analyzer.tagger.model_version
        with Context.open(settings) as context:
            create_agency(context.engine, "기관")
            for path in sorted(folder.iterdir()):
                started = time.perf_counter()
                given = Upload(path.name, path.read_bytes())
                upload(context, given, own_agency=None, named_agency="기관", model_version=version)
                drain(context.engine, context.blobs, analyzer)
                times.append(time.perf_counter() - started)
    first, last = sorted(times[1:6])[2], sorted(times[-5:])[2]  # the very first file also warms the parsers
    print(f"{files} survey files into one partition: upload-to-done files 2-6 {first:.3f} s, last 5 {last:.3f} s")
    print(f"  growth as the partition fills: {last / first:.2f}x (target: flat)")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


def worker_process_seconds(context: Any, settings: Any, data: bytes, version: str) -> float:
    """Median time from upload to done of three new copies of *data*, run by a worker process started here."""
    from analyzer.services.uploads import Upload, upload
    from analyzer.store import jobs

    log = settings.data_dir / "worker.log"
    argv = [sys.executable, "-m", "analyzer.worker", "--data-dir", str(settings.data_dir), "--worker-id", "bench"]
    env = os.environ | {"MOKSORI_HOME": str(settings.home), "MOKSORI_DATABASE_URL": ""}
    with log.open("wb") as handle:
        worker = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
    try:
        while "worker bench ready" not in log.read_text(errors="replace"):
            if worker.poll() is not None:
                raise RuntimeError(log.read_text(errors="replace"))
            time.sleep(0.1)
        times = []
        for serial in range(10, 13):
            time.sleep(1.0)  # the worker waits on an empty queue
            started = time.perf_counter()
            given = Upload(f"minutes-{serial}.hwpx", data + b" " * serial)
            job = upload(context, given, own_agency=None, named_agency="기관", model_version=version).job_id
            while (jobs.status(context.engine, job) or {}).get("status") not in ("done", "failed"):
                time.sleep(0.02)
            times.append(time.perf_counter() - started)
        return sorted(times)[1]
    finally:
        worker.terminate()
        worker.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--answers", type=int, default=6000)
    parser.add_argument("--skip-upload", action="store_true")
    parser.add_argument("--skip-scaling", action="store_true")
    parser.add_argument("--skip-growth", action="store_true")
    args = parser.parse_args()
    if not args.skip_scaling:
        scaling(args.files, args.answers)
    if not args.skip_upload:
        upload_to_done()
    if not args.skip_growth:
        partition_growth(args.files, args.answers)


if __name__ == "__main__":
    main()
