"""Format detection: from the bytes, with the extension agreeing."""

from __future__ import annotations

import pytest
from hwpx.hwp5.cfb import build_compound_file

from analyzer.errors import AnalyzerError
from analyzer.ingest import IngestLimits, ingest
from analyzer.ingest.sniff import sniff

LIMITS = IngestLimits()
UNKNOWN_BYTES = bytes(range(256)) * 16


@pytest.mark.parametrize(
    ("name", "fixture", "expected"),
    [
        ("회의록.hwp", "hwp_bytes", "hwp"),
        ("회의록.HWP", "hwp_bytes", "hwp"),
        ("회의록", "hwp_bytes", "hwp"),
        ("회의록.hwpx", "hwpx_bytes", "hwpx"),
        ("회의록.Hwpx", "hwpx_bytes", "hwpx"),
        ("회의록.docx", "docx_bytes", "docx"),
        ("회의록.bak", "docx_bytes", "docx"),
        ("설문.xlsx", "xlsx_bytes", "xlsx"),
        ("결과.pdf", "pdf_bytes", "pdf"),
        ("C:\\Users\\담당자\\결과.PDF", "pdf_bytes", "pdf"),
    ],
)
def test_sniff_detects_containers(name: str, fixture: str, expected: str, request: pytest.FixtureRequest) -> None:
    assert sniff(name, request.getfixturevalue(fixture), LIMITS) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [("메모.txt", "txt"), ("메모", "txt"), ("메모.log", "txt"), ("설문.csv", "csv"), ("설문.CSV", "csv")],
)
def test_sniff_text_is_told_apart_by_extension(name: str, expected: str) -> None:
    assert sniff(name, "응답자,의견\n1,좋아요\n".encode(), LIMITS) == expected


@pytest.mark.parametrize(
    ("name", "fixture", "code"),
    [
        ("회의록.hwpx", "docx_bytes", "type_mismatch"),
        ("회의록.docx", "hwpx_bytes", "type_mismatch"),
        ("회의록.hwpx", "hwp_bytes", "type_mismatch"),
        ("설문.csv", "xlsx_bytes", "type_mismatch"),
        ("결과.txt", "pdf_bytes", "type_mismatch"),
        ("결과.docx", "pdf_bytes", "type_mismatch"),
    ],
)
def test_sniff_refuses_extension_mismatch(name: str, fixture: str, code: str, request: pytest.FixtureRequest) -> None:
    with pytest.raises(AnalyzerError) as caught:
        ingest(name, request.getfixturevalue(fixture), sandbox=False)
    assert caught.value.code == code


def test_sniff_refuses_text_named_as_office_file() -> None:
    with pytest.raises(AnalyzerError) as caught:
        sniff("회의록.docx", "그냥 글입니다.".encode(), LIMITS)
    assert caught.value.code == "type_mismatch"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("파일", "unknown_type"),
        ("파일.bin", "unknown_type"),
        ("파일.pdf", "type_mismatch"),
        ("파일.txt", "undecodable_text"),
    ],
)
def test_sniff_unknown_bytes(name: str, code: str) -> None:
    with pytest.raises(AnalyzerError) as caught:
        ingest(name, UNKNOWN_BYTES, sandbox=False)
    assert caught.value.code == code


@pytest.mark.parametrize(("name", "code"), [("문서", "unknown_type"), ("문서.hwp", "type_mismatch")])
def test_sniff_ole_file_that_is_not_hwp(name: str, code: str) -> None:
    data = build_compound_file([("WordDocument", b"\x00" * 600), ("Other/Stream", b"abc")])
    with pytest.raises(AnalyzerError) as caught:
        sniff(name, data, LIMITS)
    assert caught.value.code == code


def test_sniff_empty_file() -> None:
    with pytest.raises(AnalyzerError) as caught:
        ingest("빈.txt", b"")
    assert caught.value.code == "empty_file"


def test_sniff_file_over_max_bytes(docx_bytes: bytes) -> None:
    with pytest.raises(AnalyzerError) as caught:
        ingest("큰.docx", docx_bytes, limits=IngestLimits(max_bytes=1024))
    assert caught.value.code == "file_too_large"


def test_ingest_blank_text_has_no_text() -> None:
    with pytest.raises(AnalyzerError) as caught:
        ingest("공백.txt", b" \r\n\t\r\n", sandbox=False)
    assert caught.value.code == "no_text"
