"""Ingest + redact + segment throughput (chars/s) against plain Kiwi sentence splitting of the same text.

Run: python benchmarks/bench_ingest_segment.py
"""

from __future__ import annotations

from common import corpus_texts, median_seconds, minutes_text
from kiwipiepy import Kiwi

from analyzer.ingest import ingest
from analyzer.redact import redact
from analyzer.segment import KiwiSentenceSplitter, segment


def main() -> None:
    text = minutes_text(corpus_texts(), repeat=2)
    data = text.encode("utf-8")
    kiwi = Kiwi(num_workers=2)
    kiwi.split_into_sents("워밍업 문장입니다.")
    splitter = KiwiSentenceSplitter(kiwi)

    def baseline() -> object:
        return kiwi.split_into_sents(text)

    def ours(sandbox: bool) -> object:
        document = redact(ingest("minutes.txt", data, sandbox=sandbox), b"bench-key")
        return segment(document, splitter)

    base = median_seconds(baseline)
    in_process = median_seconds(lambda: ours(False))
    sandboxed = median_seconds(lambda: ours(True))
    n_units = len(ours(False)[1])
    print(f"input: {len(text):,} chars, {n_units:,} units")
    print(f"baseline kiwi.split_into_sents: {len(text) / base:,.0f} chars/s")
    print(f"ingest+redact+segment (in process): {len(text) / in_process:,.0f} chars/s, ratio {base / in_process:.2f}")
    print(f"ingest+redact+segment (sandboxed):  {len(text) / sandboxed:,.0f} chars/s, ratio {base / sandboxed:.2f}")


if __name__ == "__main__":
    main()
