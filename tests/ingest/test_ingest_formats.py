"""Every supported format gives the expected blocks, in reading order, with tables in place."""

from __future__ import annotations

import hashlib
import unicodedata

import pytest
from file_samples import (
    DOCX_BLOCKS,
    MINUTES_BLOCKS,
    MINUTES_HEADER,
    SPEAKER_LINES,
    SURVEY_BLOCKS,
    paragraphs,
    survey_csv_text,
)

import analyzer.ingest
from analyzer.ingest import IngestLimits, SurveyColumns, ingest
from analyzer.records import Block, Document

TEXT_LINES = (*MINUTES_HEADER, "", *SPEAKER_LINES)


def assert_clean(document: Document) -> None:
    """The block invariants every later stage relies on."""
    assert document.blocks
    for block in document.blocks:
        assert block.text.strip()
        assert "\n" not in block.text
        assert unicodedata.is_normalized("NFC", block.text)


def test_ingest_public_names_are_exported() -> None:
    assert analyzer.ingest.__all__ == ["IngestLimits", "ParserServer", "SurveyColumns", "ingest", "precheck"]
    for name in analyzer.ingest.__all__:
        assert hasattr(analyzer.ingest, name)


@pytest.mark.parametrize("fmt", ["hwpx", "hwp"])
def test_ingest_hwp_minutes_with_table_in_place(fmt: str, request: pytest.FixtureRequest) -> None:
    data = request.getfixturevalue(f"{fmt}_bytes")
    document = ingest(f"간담회.{fmt}", data, sandbox=False)
    assert document.format == fmt
    assert document.blocks == MINUTES_BLOCKS
    assert document.encoding is None
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert_clean(document)


def test_ingest_hwpx_footnote_follows_its_paragraph(hwpx_with_footnote: bytes) -> None:
    document = ingest("각주.hwpx", hwpx_with_footnote, sandbox=False)
    assert [block.text for block in document.blocks] == [
        "○ 김○○ 대표: 장비 예약이 어렵습니다.",
        "2023년 기준 예약 대기 3주",
        "이상입니다.",
    ]


def test_ingest_docx_paragraphs_and_rows_in_body_order(docx_bytes: bytes) -> None:
    document = ingest("간담회.DOCX", docx_bytes, sandbox=False)
    assert document.format == "docx"
    assert document.blocks == DOCX_BLOCKS
    assert_clean(document)


def test_ingest_pdf_lines_page_after_page(pdf_bytes: bytes) -> None:
    document = ingest("간담회.pdf", pdf_bytes, sandbox=False)
    assert document.format == "pdf"
    assert document.blocks == tuple(paragraphs(*MINUTES_HEADER, *SPEAKER_LINES))
    assert_clean(document)


@pytest.mark.parametrize(
    ("payload", "encoding"),
    [
        (lambda text: text.encode("utf-8"), "utf-8"),
        (lambda text: text.encode("utf-8-sig"), "utf-8-sig"),
        (lambda text: text.encode("utf-16"), "utf-16"),
        (lambda text: "\ufeff".encode("utf-16-be") + text.encode("utf-16-be"), "utf-16"),
        (lambda text: text.encode("cp949"), "cp949"),
    ],
    ids=["utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "cp949"],
)
def test_ingest_txt_records_its_encoding(payload, encoding: str) -> None:  # type: ignore[no-untyped-def]
    data = payload("\r\n".join(TEXT_LINES) + "\r\n")
    document = ingest("회의록.txt", data, sandbox=False)
    assert (document.format, document.encoding) == ("txt", encoding)
    assert document.blocks == tuple(paragraphs(*MINUTES_HEADER, *SPEAKER_LINES))


def test_ingest_txt_is_nfc_without_nul_and_keeps_lines_apart() -> None:
    decomposed = unicodedata.normalize("NFD", "간담회 결과")
    data = f"{decomposed}\r첫 줄\x00\n\n   \n둘째 줄".encode()
    document = ingest("메모", data, sandbox=False)
    assert document.format == "txt"
    assert [block.text for block in document.blocks] == ["간담회 결과", "첫 줄", "둘째 줄"]
    assert_clean(document)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949"])
def test_ingest_csv_survey_answers(encoding: str) -> None:
    document = ingest("설문.csv", survey_csv_text().encode(encoding), sandbox=False)
    assert (document.format, document.encoding) == ("csv", encoding)
    assert document.blocks == SURVEY_BLOCKS
    assert document.is_survey
    assert_clean(document)


def test_ingest_xlsx_survey_answers(xlsx_bytes: bytes) -> None:
    document = ingest("설문.xlsx", xlsx_bytes, sandbox=False)
    assert document.format == "xlsx"
    assert document.encoding is None
    assert document.blocks == SURVEY_BLOCKS
    assert_clean(document)


def test_ingest_xlsx_named_columns(xlsx_bytes: bytes) -> None:
    columns = SurveyColumns(answers=("애로사항",), respondent="기업명")
    document = ingest("설문.xlsx", xlsx_bytes, survey=columns, sandbox=False)
    assert document.blocks == (
        Block(
            "장비 예약이 어렵습니다.",
            "answer",
            {
                "row": "1",
                "column": "애로사항",
                "respondent": "㈜가나전자",
                "region": "경북",
                "industry": "전자부품",
            },
        ),
    )


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "hwp"])
def test_ingest_sandboxed_equals_in_process(fmt: str, request: pytest.FixtureRequest) -> None:
    data = request.getfixturevalue(f"{fmt}_bytes")
    sandboxed = ingest(f"file.{fmt}", data, limits=IngestLimits(wall_seconds=30))
    assert sandboxed == ingest(f"file.{fmt}", data, sandbox=False)


def test_ingest_sandboxed_csv_keeps_encoding_and_survey_columns() -> None:
    data = survey_csv_text().encode("cp949")
    columns = SurveyColumns(answers=("건의사항",))
    document = ingest("설문.csv", data, survey=columns)
    assert document.encoding == "cp949"
    assert [block.text for block in document.blocks] == [
        "예약 시스템을 개선해 주세요.",
        "시험인증 비용 지원 확대 (특히 EMC)",
    ]
