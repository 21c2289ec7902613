"""Real Hancom-authored HWP and HWPX files (tests/real_documents, Apache-2.0, see its README): text or a catalogue
code, never a crash."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from analyzer.errors import CATALOGUE, AnalyzerError
from analyzer.ingest import ingest

REAL_DOCUMENTS = Path(__file__).resolve().parents[1] / "real_documents"
DOCUMENTS = sorted(path for path in REAL_DOCUMENTS.iterdir() if path.suffix.lower() in (".hwp", ".hwpx"))


def _real(name: str) -> bytes:
    return (REAL_DOCUMENTS / name).read_bytes()


def test_real_documents_ship_inside_the_project_with_their_licence() -> None:
    assert sum(path.suffix == ".hwp" for path in DOCUMENTS) >= 20
    assert sum(path.suffix == ".hwpx" for path in DOCUMENTS) >= 40
    assert "Apache License 2.0" in (REAL_DOCUMENTS / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", DOCUMENTS, ids=[path.name for path in DOCUMENTS])
def test_real_document_gives_text_or_a_catalogue_code(path: Path) -> None:
    try:
        document = ingest(path.name, path.read_bytes(), sandbox=False)
    except AnalyzerError as error:
        assert error.code in CATALOGUE
        return
    assert document.format == path.suffix.lower().lstrip(".")
    for block in document.blocks:
        assert block.text.strip() and "\n" not in block.text
        assert unicodedata.is_normalized("NFC", block.text)


def test_real_distribution_document_is_read() -> None:
    document = ingest("sample_hwp_distribution.hwp", _real("sample_hwp_distribution.hwp"), sandbox=False)
    assert "입찰공고" in document.text


@pytest.mark.parametrize("name", ["sample_hwp_blank.hwp", "testFile_tool_blank.hwpx"])
def test_real_blank_document_has_no_text(name: str) -> None:
    with pytest.raises(AnalyzerError) as caught:
        ingest(name, _real(name), sandbox=False)
    assert caught.value.code == "no_text"


def test_real_table_rows_keep_their_cells() -> None:
    document = ingest("t.hwpx", _real("testFile_tool_textextractor_Table.hwpx"), sandbox=False)
    rows = [block.text for block in document.blocks if block.kind == "table_row"]
    assert rows[:2] == ["이름\t국어\t영어\t수학", "개똥이\t89\t65\t78"]


def test_real_hwp_table_and_paragraphs() -> None:
    document = ingest("s.hwp", _real("sample_hwp_source.hwp"), sandbox=False)
    assert [(block.kind, block.text) for block in document.blocks] == [
        ("paragraph", "첫 문단..."),
        ("paragraph", "이것은 원본 HWP 파일의 내용입니다."),
        ("table_row", "ABC\t123"),
    ]


def test_real_drop_cap_stays_with_its_word() -> None:
    document = ingest("d.hwpx", _real("testFile_error_20230809_test.hwpx"), sandbox=False)
    assert document.blocks[0].text.startswith("발광다이오드(LED")


def test_real_header_and_footer_text_is_read() -> None:
    document = ingest("h.hwpx", _real("testFile_reader_writer_HeaderFooter.hwpx"), sandbox=False)
    assert {"머리말 테스트", "꼬리말"} <= {block.text for block in document.blocks}


def test_real_press_release_in_the_sandbox() -> None:
    document = ingest("mot.hwpx", _real("testFile_error_20241104_mot.hwpx"))
    assert "장미란" in document.text
    assert any(block.kind == "table_row" for block in document.blocks)
