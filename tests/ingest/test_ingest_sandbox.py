"""The parser child process: limits are enforced and its errors come back with their codes."""

from __future__ import annotations

import pytest

from analyzer.errors import AnalyzerError
from analyzer.ingest import IngestLimits, SurveyColumns, ingest

MiB = 1024 * 1024


def refused(name: str, data: bytes, limits: IngestLimits, survey: SurveyColumns | None = None) -> AnalyzerError:
    with pytest.raises(AnalyzerError) as caught:
        ingest(name, data, limits=limits, survey=survey)
    return caught.value


def test_sandbox_memory_limit(docx_bytes: bytes) -> None:
    error = refused("회의록.docx", docx_bytes, IngestLimits(memory_bytes=32 * MiB))
    assert error.code == "resource_limit"


def test_sandbox_wall_clock_limit(hwp_bytes: bytes) -> None:
    error = refused("회의록.hwp", hwp_bytes, IngestLimits(wall_seconds=0.05))
    assert error.code == "resource_limit"


def test_sandbox_child_error_keeps_its_code(scanned_pdf_bytes: bytes) -> None:
    assert refused("스캔.pdf", scanned_pdf_bytes, IngestLimits()).code == "no_text_layer"


def test_sandbox_child_survey_error_keeps_its_code(xlsx_bytes: bytes) -> None:
    error = refused("설문.xlsx", xlsx_bytes, IngestLimits(), SurveyColumns(answers=("없는 열",)))
    assert (error.code, error.detail) == ("survey_unknown_column", "없는 열")
