"""Whole-file analysis and cold start, each against bare Kiwi measured in the same run, as whole processes.

* whole file: ``moksori analyze FILE --out rows.jsonl`` on a ~400,000-character transcript, against a process that
  builds one Kiwi (2 threads) and batch-tokenises the lines of the same file (target: ≥ 0.8x its chars/s);
* cold start: ``moksori analyze`` of a two-line file, against a process that builds a bare ``Kiwi()`` and
  tokenises one sentence (target: ≤ 1.5x its time), and against one that analyses the same two-line file (Kiwi's
  first analysis of most texts, here with sentence splitting, loads more of its model);
* each Kiwi twice: with Kiwi's default options (the issue's baseline) and with the options moksori builds it with
  (:data:`analyzer.nlp.morphology.KIWI_OPTIONS`: no multi-word dictionary, whose build is most of Kiwi's start);
* in process (no start-up on either side): ``Analyzer.analyze`` of the same file against ``kiwi.tokenize`` of
  its lines, and tagging of every corpus unit against ``kiwi.tokenize`` of the same texts.

Run: python benchmarks/bench_analyze.py [--chars 400000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, corpus_texts, median_seconds, minutes_text

from analyzer.nlp.morphology import KIWI_OPTIONS

#: Each Kiwi script reads its options (a Python literal) from its last argument.
KIWI_BATCH = """
import ast, sys
from kiwipiepy import Kiwi
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
kiwi = Kiwi(num_workers=2, **ast.literal_eval(sys.argv[2]))
for tokens in kiwi.tokenize(iter(lines)):
    pass
"""
KIWI_START = """
import ast, sys
from kiwipiepy import Kiwi
Kiwi(**ast.literal_eval(sys.argv[1])).tokenize('장비 예약이 어렵습니다.')
"""
#: The same start, analysing the same two-line file as moksori does (one batch, sentences split).
KIWI_START_FILE = """
import ast, sys
from kiwipiepy import Kiwi
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
list(Kiwi(num_workers=2, **ast.literal_eval(sys.argv[2])).tokenize(iter(lines), split_sents=True))
"""
#: Kiwi's defaults (the issue's baseline), and the options moksori builds it with.
KIWI_VARIANTS = {"default options": "{}", "moksori's options": repr(dict(KIWI_OPTIONS))}


def process_seconds(commands: list[list[str]], home: str, repeats: int) -> list[float]:
    """Median wall time of a new process running each command to its end (see :func:`process_times`)."""
    return process_times(commands, home, repeats)[0]


def process_times(commands: list[list[str]], home: str, repeats: int) -> tuple[list[float], list[float]]:
    """Median wall time and median CPU time (user and system, the process and the children it waited for) of a new
    process running each command to its end; the commands take turns (one run of each, *repeats* times), so that
    a change in the machine's load reaches every command alike. CPU time varies far less than wall time on a
    shared machine, so a change too small to see in the wall time can still be seen there."""
    env = {"MOKSORI_HOME": home, "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home}
    walls: list[list[float]] = [[] for _ in commands]
    cpus: list[list[float]] = [[] for _ in commands]
    for _ in range(repeats):
        for argv, wall, cpu in zip(commands, walls, cpus, strict=True):
            for parts in Path(home).glob(".*.parts"):  # a re-run would skip the finished file: analyse it again
                shutil.rmtree(parts)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run(argv, check=True, capture_output=True, cwd=ROOT, env=env)
            wall.append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return [statistics.median(found) for found in walls], [statistics.median(found) for found in cpus]


def transcript(chars: int) -> str:
    texts = corpus_texts()
    text = minutes_text(texts)
    repeat = max(1, round(chars / len(text)))
    return minutes_text(texts, repeat=repeat)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chars", type=int, default=400_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    text = transcript(args.chars)
    moksori = [sys.executable, "-m", "analyzer.cli", "analyze"]
    with tempfile.TemporaryDirectory() as tmp:
        big, small, out = Path(tmp) / "transcript.txt", Path(tmp) / "small.txt", Path(tmp) / "rows.jsonl"
        big.write_text(text, encoding="utf-8")
        small.write_text("사회자: 시작하겠습니다\n○ 김OO 대표: 장비 예약이 어렵습니다.\n", encoding="utf-8")
        options = list(KIWI_VARIANTS.values())
        (*kiwi_files, ours_file), (*kiwi_cpus, ours_cpu) = process_times(
            [
                *([sys.executable, "-c", KIWI_BATCH, str(big), o] for o in options),
                [*moksori, str(big), "--out", str(out)],
            ],
            tmp,
            args.repeats,
        )
        *kiwi_starts, ours_start = process_seconds(
            [
                *([sys.executable, "-c", KIWI_START, o] for o in options),
                *([sys.executable, "-c", KIWI_START_FILE, str(small), o] for o in options),
                [*moksori, str(small), "--json"],
            ],
            tmp,
            args.repeats,
        )
        load = os.getloadavg()
    print(f"transcript: {len(text):,} chars; load average at the end of the process runs: {load[0]:.1f}")
    print(f"whole process, moksori analyze --out rows.jsonl: {ours_file:.2f} s = {len(text) / ours_file:,.0f} chars/s")
    print(f"  CPU (user and system, with its helper): {ours_cpu:.2f} s")
    for at, name in enumerate(KIWI_VARIANTS):
        kiwi_file, start, start_file = kiwi_files[at], kiwi_starts[at], kiwi_starts[at + len(options)]
        print(f"Kiwi with {name}:")
        print(
            f"  batch tokenisation of the lines: {kiwi_file:.2f} s; ratio (target >= 0.8): {kiwi_file / ours_file:.2f}"
        )
        print(f"    CPU: {kiwi_cpus[at]:.2f} s; moksori's CPU over Kiwi's: {ours_cpu / kiwi_cpus[at]:.2f}")
        print(f"  cold start, Kiwi(): {start:.2f} s; moksori analyze of a two-line file: {ours_start:.2f} s")
        print(f"    ratio (target <= 1.5): {ours_start / start:.2f}")
        print(f"    against Kiwi analysing the same file: {start_file:.2f} s, ratio {ours_start / start_file:.2f}")
    in_process(text)


def in_process(text: str) -> None:
    """The same comparisons without process start-up on either side."""
    from analyzer.analyze import Analyzer
    from analyzer.classify.registry import deployed_dir, shipped_models_root

    analyzer = Analyzer.load(deployed_dir(shipped_models_root()), b"bench-key")
    kiwi = analyzer.morphology.kiwi
    analyzer.tag_texts(["워밍업 문장입니다."])
    lines = text.splitlines()
    data = text.encode("utf-8")
    base = median_seconds(lambda: list(kiwi.tokenize(iter(lines))), repeats=1)
    whole = median_seconds(lambda: analyzer.analyze("transcript.txt", data), repeats=1)
    print(
        f"in process: kiwi.tokenize of the lines {len(text) / base:,.0f} chars/s; Analyzer.analyze (sandboxed "
        f"ingest .. classify) {len(text) / whole:,.0f} chars/s, ratio {base / whole:.2f}"
    )
    texts = corpus_texts()
    chars = sum(map(len, texts))
    base = median_seconds(lambda: list(kiwi.tokenize(iter(texts))), repeats=1)
    tagging = median_seconds(lambda: analyzer.tag_texts(texts), repeats=1)
    print(
        f"in process: tagging {len(texts):,} corpus units {chars / tagging:,.0f} chars/s against kiwi.tokenize "
        f"{chars / base:,.0f} chars/s, ratio {base / tagging:.2f}"
    )
    print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"(benchmark ran {time.perf_counter() - started:.0f} s)")
