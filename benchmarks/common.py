"""What the benchmarks share: corpus texts as realistic input, and a median-of-runs timer."""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the throwaway PostgreSQL cluster of the test suite (tests/postgres_support.py)
    sys.path.insert(0, str(ROOT))


def corpus_texts() -> list[str]:
    """Every unit text of the corpus, in file order."""
    texts = []
    for path in sorted((ROOT / "corpora" / "units").glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return texts


def minutes_text(texts: list[str], repeat: int = 1) -> str:
    """A long transcript: the texts as speaker turns of a few speakers, ``repeat`` times over."""
    speakers = ["사회자:", "○ 김OO 대표(㈜가나전자):", "[이 팀장]", "- 박 과장(구미시):"]
    lines = ["2024년 기업 간담회", "일시: 2024. 5. 14.(화) 14:00", "장소: 테크노파크 회의실"]
    for r in range(repeat):
        lines += [f"{speakers[(i + r) % len(speakers)]} {text}" for i, text in enumerate(texts)]
    return "\n".join(lines)


def median_seconds(run: Callable[[], object], repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)
