"""End-to-end analysis throughput against raw Kiwi batch tokenization of the same text; cold start; peak RSS.

Run: python benchmarks/bench_analyze.py
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, corpus_texts, median_seconds, minutes_text

from analyzer.analyze import Analyzer
from analyzer.classify.registry import deployed_dir, shipped_models_root


def cold_start_seconds() -> float:
    """From a new process to the first analysed file (`moksori analyze` on a 3-line file)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "small.txt"
        path.write_text("사회자: 시작하겠습니다\n○ 김OO 대표: 장비 예약이 어렵습니다.\n", encoding="utf-8")
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "analyzer.cli", "analyze", str(path), "--json"],
            check=True,
            capture_output=True,
            cwd=ROOT,
            env={"MOKSORI_HOME": tmp, "PATH": "/usr/bin:/bin"},
        )
        return time.perf_counter() - started


def main() -> None:
    texts = corpus_texts() * 2
    chars = sum(map(len, texts))
    analyzer = Analyzer.load(deployed_dir(shipped_models_root()), b"bench-key")
    kiwi = analyzer.nlp.tokenizer.kiwi  # type: ignore[union-attr]
    analyzer.tag_texts(texts[:10])

    base = median_seconds(lambda: list(kiwi.tokenize(iter(texts))))
    tagging = median_seconds(lambda: analyzer.tag_texts(texts))
    document = minutes_text(corpus_texts()).encode("utf-8")
    whole = median_seconds(lambda: analyzer.analyze("minutes.txt", document), repeats=1)
    n_units = len(analyzer.analyze("minutes.txt", document).units)

    print(f"texts: {len(texts):,} units, {chars:,} chars")
    print(f"baseline kiwi.tokenize batch (2 threads): {chars / base:,.0f} chars/s")
    print(
        f"nlp+features+classify: {chars / tagging:,.0f} chars/s, {len(texts) / tagging:,.0f} units/s, "
        f"ratio {base / tagging:.2f}"
    )
    print(f"whole file ingest..classify: {len(document.decode()) / whole:,.0f} chars/s, {n_units / whole:,.0f} units/s")
    print(f"cold start (new process to first result): {cold_start_seconds():.1f} s")
    print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    main()
