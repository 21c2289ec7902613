"""Fuzzing every parser through the worker's entry point (``ingest`` with the sandbox): real files made by the
writer libraries (and real Hancom files), mutated; the only outcomes are a Document or an AnalyzerError with a
catalogue code, within the sandbox's time limit. Bounded for CI: a few examples per format."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from analyzer.errors import CATALOGUE, AnalyzerError
from analyzer.ingest import IngestLimits, ingest
from analyzer.records import Document
from tests.file_samples import (
    MINUTES_HEADER,
    SPEAKER_LINES,
    make_docx,
    make_hwp,
    make_pdf,
    make_xlsx,
    survey_csv_text,
)
from tests.fuzz.mutations import mutated

REAL_DOCUMENTS = Path(__file__).resolve().parents[1] / "real_documents"
LIMITS = IngestLimits(cpu_seconds=20, wall_seconds=30.0)
#: Examples per format: small in CI; ``MOKSORI_FUZZ_EXAMPLES=2000`` for a long local run.
EXAMPLES = int(os.environ.get("MOKSORI_FUZZ_EXAMPLES", "12"))

MINUTES = "\n".join((*MINUTES_HEADER, *SPEAKER_LINES))
SEEDS: dict[str, Callable[[], list[bytes]]] = {
    "txt": lambda: [MINUTES.encode("utf-8"), MINUTES.encode("cp949"), MINUTES.encode("utf-16")],
    "csv": lambda: [survey_csv_text().encode("utf-8-sig"), survey_csv_text().encode("cp949")],
    "docx": lambda: [make_docx()],
    "xlsx": lambda: [make_xlsx()],
    "pdf": lambda: [make_pdf([MINUTES_HEADER, SPEAKER_LINES])],
    "hwp": lambda: [make_hwp("hwp"), (REAL_DOCUMENTS / "sample_hwp_merging-cell.hwp").read_bytes()],
    "hwpx": lambda: [make_hwp("hwpx"), (REAL_DOCUMENTS / "testFile_tool_textextractor_Table.hwpx").read_bytes()],
}


def check_outcome(fmt: str, data: bytes) -> None:
    """A Document or a catalogue refusal, and no longer than the sandbox's wall-clock limit."""
    started = time.monotonic()
    try:
        document = ingest(f"fuzz.{fmt}", data, limits=LIMITS)
    except AnalyzerError as exc:
        assert exc.code in CATALOGUE
    else:
        assert isinstance(document, Document)
    assert time.monotonic() - started < LIMITS.wall_seconds + 5


@pytest.mark.slow
@pytest.mark.parametrize("fmt", sorted(SEEDS))
def test_fuzz_parser_gives_a_document_or_a_catalogue_error(fmt: str) -> None:
    seeds = SEEDS[fmt]()
    for seed in seeds:  # the unmutated seeds are read
        assert ingest(f"seed.{fmt}", seed, limits=LIMITS).blocks

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(mutated(seeds))
    def fuzz(data: bytes) -> None:
        check_outcome(fmt, data)

    fuzz()
