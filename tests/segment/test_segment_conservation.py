"""The conservation law: every non-blank character of a document is in exactly one unit, one header field, or one
skipped piece with a reason. Checked on generated documents, on short-line documents that used to vanish into the
title, and on every real document of the suite."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.errors import AnalyzerError
from analyzer.ingest import ingest
from analyzer.records import Block, Document
from analyzer.redact import redact
from analyzer.segment import segment_document, uncovered

REAL_DOCUMENTS = Path(__file__).resolve().parents[1] / "real_documents"
KEY = b"conservation-test-key-0123456789"


def _document(lines: list[str], kind: str = "paragraph") -> Document:
    return Document(name="m.txt", format="txt", blocks=tuple(Block(line, kind) for line in lines))  # type: ignore[arg-type]


def test_short_lines_without_a_speaker_are_units_not_title(splitter) -> None:  # type: ignore[no-untyped-def]
    lines = ["인력 구하기가 너무 어려움", "수출 판로 개척 지원 필요", "장비 사용료 인하 요청", "인증 기간 단축"]
    found = segment_document(_document(lines), splitter)
    assert [unit.text for unit in found.units] == lines
    assert found.meeting.title == "" and found.skipped == []


def test_only_the_first_title_like_line_is_the_title(splitter) -> None:  # type: ignore[no-untyped-def]
    lines = [
        "2024 창원 로봇기업 간담회 결과",
        "장소 경남테크노파크 세미나실",
        "로봇 실증 장비 부족",
        "전문 인력 채용 곤란",
    ]
    found = segment_document(_document(lines), splitter)
    assert found.meeting.title == lines[0] and found.meeting.place == "경남테크노파크 세미나실"
    assert [unit.text for unit in found.units] == lines[2:]
    assert [piece.reason for piece in found.skipped] == ["title", "header:place"]


def test_labels_bullets_and_page_numbers_are_skipped_with_reasons(splitter) -> None:  # type: ignore[no-untyped-def]
    lines = ["○ 화자-1A2B3C 대표(㈜가나): 장비 예약이 어렵습니다.", "- 3 -", "※ 인증 비용 지원 필요", "======"]
    document = _document(lines)
    found = segment_document(document, splitter)
    reasons = {document.text[s.start : s.end]: s.reason for s in found.skipped}
    assert reasons == {
        "○ 화자-1A2B3C 대표(㈜가나): ": "speaker_label",
        "- 3 -": "page_number",
        "※ ": "bullet",
        "======": "no_words",
    }
    assert uncovered(document, found.units, found.skipped) == []


def test_uncovered_finds_a_lost_character(splitter) -> None:  # type: ignore[no-untyped-def]
    document = _document(["장비가 부족합니다. 인력도 없습니다."])
    found = segment_document(document, splitter)
    assert uncovered(document, found.units[:1], found.skipped) == [(11, 14), (15, 20)]
    assert uncovered(document, found.units + found.units[:1], found.skipped) == [(0, 10)]


_HANGUL = st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)
_WORD = st.text(_HANGUL, min_size=1, max_size=6)
_SENTENCE = st.lists(_WORD, min_size=1, max_size=12).map(" ".join)
_LINE = st.one_of(
    _SENTENCE,
    _SENTENCE.map(lambda s: s + "습니다."),
    _SENTENCE.map(lambda s: s + " 필요"),
    st.sampled_from(
        ["일시: 2024. 5. 14.", "장소 경남테크노파크", "참석자: 기업 대표 7명", "안건 장비 공동활용", "- 2 -", "3"]
    ),
    st.tuples(
        st.sampled_from(["○ 김OO 대표: ", "[이 팀장] ", "사회자: ", "Q. ", "- 박 과장: ", "화자-ABC123 연구소장: "]),
        _SENTENCE,
    ).map("".join),
    st.tuples(st.sampled_from(["○ ", "※ ", "1. ", "□ ", "- "]), _SENTENCE).map("".join),
    st.text(st.sampled_from("가나다 .,?!…-·○※()[]:0123456789abc\t"), min_size=1, max_size=40),
    _SENTENCE.map(lambda s: "  " + s + "   "),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(_LINE, min_size=1, max_size=14), kind=st.sampled_from(["paragraph", "table_row"]))
def test_conservation_law_on_generated_documents(splitter, lines: list[str], kind: str) -> None:  # type: ignore[no-untyped-def]
    document = redact(_document([line.replace("\n", " ") for line in lines], kind), KEY)
    found = segment_document(document, splitter)
    assert uncovered(document, found.units, found.skipped) == []
    assert all(document.text[unit.start : unit.end] == unit.text for unit in found.units)


REAL = sorted(path for path in REAL_DOCUMENTS.glob("*") if path.suffix.lower() in (".hwp", ".hwpx"))


@pytest.mark.slow
@pytest.mark.parametrize("path", REAL, ids=[path.name for path in REAL])
def test_conservation_law_on_real_documents(splitter, path: Path) -> None:  # type: ignore[no-untyped-def]
    try:
        document = redact(ingest(path.name, path.read_bytes(), sandbox=False), KEY)
    except AnalyzerError:
        return  # refused with a code: the ingestion tests check which
    found = segment_document(document, splitter)
    breaches = uncovered(document, found.units, found.skipped)
    assert breaches == [], [document.text[s:e] for s, e in breaches[:5]]
