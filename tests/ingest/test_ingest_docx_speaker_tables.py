"""DOCX speaker tables: a heading row is column headings, not a statement; each row's speaker cell is a
speaker whatever the title, masked like any speaker label, and the organisation cell stays the organisation."""

from __future__ import annotations

import io

import pytest
from docx import Document as new_docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from analyzer.ingest import ingest
from analyzer.names import SURNAMES, TWO_SYLLABLE_SURNAMES
from analyzer.names import TITLES as KNOWN_TITLES
from analyzer.records import Document, Unit
from analyzer.redact import redact
from analyzer.segment import segment

KEY = b"speaker-table-test-key-000000000"
STATEMENTS = ("장비 예약이 어렵습니다.", "인증 비용 지원을 늘려 주십시오.", "판로 개척이 필요합니다.")
TITLES = ("연구소장", "사무국장", "수석연구원", "대표이사", "센터장", "총괄", "고문", "책임매니저", "")
ORGANISATIONS = ("가나연구소", "㈜다라테크", "경남테크노파크", "마바협동조합")


def _docx(rows: list[tuple[str, ...]], *, declared: tuple[int, ...] = (), switched_off: tuple[int, ...] = ()) -> Table:
    document = new_docx()
    document.add_paragraph("2024년 제2차 기업 간담회 결과")
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    for r in declared:  # Word's "repeat as header row at the top of each page"
        table.rows[r]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for r in switched_off:
        table.rows[r]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader", {qn("w:val"): "0"}))
    return table


def _read(table: Table, splitter: object) -> tuple[Document, list[Unit]]:
    out = io.BytesIO()
    table._parent.part.document.save(out)
    document = redact(ingest("간담회.docx", out.getvalue(), sandbox=False), KEY)
    _, units = segment(document, splitter)  # type: ignore[arg-type]
    return document, units


def _turns(units: list[Unit]) -> list[tuple[str, str, str, str]]:
    """(speaker, title, organisation, text) of each turn."""
    turns: dict[int, list[Unit]] = {}
    for unit in units:
        turns.setdefault(unit.turn, []).append(unit)
    return [
        (group[0].speaker, group[0].title, group[0].organisation, " ".join(u.text for u in group))
        for group in turns.values()
    ]


@pytest.mark.parametrize(
    "heading",
    [
        ("발언자", "소속", "발언 내용"),
        ("성명", "기관", "내용"),
        ("이름", "회사", "의견"),
        ("화자", "소속 기관", "발언내용"),
        ("성명(직위)", "소속기관", "주요 발언"),
        ("발 언 자", "소 속", "발 언"),
    ],
)
def test_ingest_docx_heading_row_is_not_a_unit(heading: tuple[str, ...], splitter) -> None:  # type: ignore[no-untyped-def]
    rows = [heading, ("김철수 연구소장", "가나연구소", STATEMENTS[0]), ("이영희 사무국장", "㈜다라테크", STATEMENTS[1])]
    document, units = _read(_docx(rows), splitter)
    assert [text for *_, text in _turns(units)] == list(STATEMENTS[:2])
    assert [block.kind for block in document.blocks][1] == "table_heading"
    assert [(title, org) for _, title, org, _ in _turns(units)] == [
        ("연구소장", "가나연구소"),
        ("사무국장", "㈜다라테크"),
    ]
    assert "김철수" not in document.text and "이영희" not in document.text


def test_ingest_docx_speaker_without_title_or_with_an_unknown_one(splitter) -> None:  # type: ignore[no-untyped-def]
    rows = [
        ("발언자", "발언 내용"),
        ("홍길동", STATEMENTS[0]),
        ("남궁민수 책임매니저", STATEMENTS[1]),
        ("사회자", "감사합니다."),
    ]
    document, units = _read(_docx(rows), splitter)
    turns = _turns(units)
    assert [text for *_, text in turns] == [STATEMENTS[0], STATEMENTS[1], "감사합니다."]
    assert turns[0][0].startswith("화자-") and turns[1][0].startswith("화자-") and turns[0][0] != turns[1][0]
    assert turns[1][1] == "책임매니저" and turns[2][0] == "사회자"
    assert "홍길동" not in document.text and "남궁민수" not in document.text


def test_ingest_docx_three_columns_without_heading_keep_the_organisation(splitter) -> None:  # type: ignore[no-untyped-def]
    rows = [("김철수 연구소장", "가나연구소", STATEMENTS[0]), ("이영희 사무국장", "㈜다라테크", STATEMENTS[1])]
    document, units = _read(_docx(rows), splitter)
    assert [(org, text) for _, _, org, text in _turns(units)] == [
        ("가나연구소", STATEMENTS[0]),
        ("㈜다라테크", STATEMENTS[1]),
    ]
    assert "김철수" not in document.text and "이영희" not in document.text


def test_ingest_docx_two_columns_without_heading(splitter) -> None:  # type: ignore[no-untyped-def]
    rows = [("김철수 연구소장", STATEMENTS[0]), ("이영희 대표이사", STATEMENTS[1])]
    document, units = _read(_docx(rows), splitter)
    turns = _turns(units)
    assert [(title, text) for _, title, _, text in turns] == [("연구소장", STATEMENTS[0]), ("대표이사", STATEMENTS[1])]
    assert turns[0][0] != turns[1][0] and "김철수" not in document.text


def test_ingest_docx_merged_cells(splitter) -> None:  # type: ignore[no-untyped-def]
    rows = [
        ("발언자", "소속", "발언 내용"),
        ("김철수 연구소장", "가나연구소", STATEMENTS[0]),
        ("", "", STATEMENTS[1]),
        ("휴식 시간", "", ""),
        ("이영희 센터장", "㈜다라테크", STATEMENTS[2]),
    ]
    table = _docx(rows)
    table.cell(1, 0).merge(table.cell(2, 0))  # the speaker cell spans two rows
    table.cell(1, 1).merge(table.cell(2, 1))
    table.cell(3, 0).merge(table.cell(3, 2))  # a note across the whole row
    document, units = _read(table, splitter)
    turns = _turns(units)
    # the continuation row is the same speaker's; the row-wide note is nobody's
    assert turns[0][2:] == ("가나연구소", f"{STATEMENTS[0]} {STATEMENTS[1]}")
    assert turns[1] == ("", "", "", "휴식 시간")
    assert turns[2][1:] == ("센터장", "㈜다라테크", STATEMENTS[2])
    assert len(turns) == 3 and "김철수" not in document.text


def test_ingest_docx_declared_heading_repeated_in_the_table(splitter) -> None:  # type: ignore[no-untyped-def]
    heading = ("성명", "구분", "의견")
    rows = [heading, ("김철수 수석연구원", "기업", STATEMENTS[0]), heading, ("이영희 대표이사", "기관", STATEMENTS[1])]
    document, units = _read(_docx(rows, declared=(0,)), splitter)
    assert [block.kind for block in document.blocks].count("table_heading") == 2
    assert [text for *_, text in _turns(units)] == list(STATEMENTS[:2])


def test_ingest_docx_declared_heading_of_unknown_words_is_not_a_unit(splitter) -> None:  # type: ignore[no-untyped-def]
    rows = [("참석 기업", "세부 사항"), ("김○○ 대표", STATEMENTS[0])]
    document, units = _read(_docx(rows, declared=(0,)), splitter)
    assert [unit.text for unit in units] == [STATEMENTS[0]]
    assert document.blocks[1].kind == "table_heading"


def test_ingest_docx_heading_switched_off_is_a_row(splitter) -> None:  # type: ignore[no-untyped-def]
    rows = [("지원 분야", "세부 사항"), ("김○○ 대표", STATEMENTS[0])]
    document, _ = _read(_docx(rows, switched_off=(0,)), splitter)
    assert [block.kind for block in document.blocks[1:]] == ["table_row", "table_row"]


_GIVEN = "민서준현우철희윤하은"
_FIXED = "2024년 제2차 기업 간담회 결과 발언자 소속 발언 내용"
_SURNAMES = st.one_of(st.sampled_from(SURNAMES), st.sampled_from(TWO_SYLLABLE_SURNAMES))
_NAMES = st.tuples(_SURNAMES, st.text(_GIVEN, min_size=1, max_size=2)).map("".join)
_ROWS = st.lists(
    st.tuples(_NAMES, st.sampled_from(TITLES), st.sampled_from(ORGANISATIONS), st.sampled_from(STATEMENTS)),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
)
@given(rows=_ROWS, heading=st.booleans(), spaced=st.booleans(), bullet=st.sampled_from(("", "○ ", "- ", "· ")))
def test_ingest_docx_every_speaker_cell_masked_and_its_own_turn(  # type: ignore[no-untyped-def]
    rows: list[tuple[str, str, str, str]], heading: bool, spaced: bool, bullet: str, splitter
) -> None:
    assume(all(name not in f"{org} {statement} {title} {_FIXED}" for name, title, org, statement in rows))
    # Without a heading row a speaker cell needs a known title; unspaced, an unknown title cannot be told apart.
    assume(all(title in KNOWN_TITLES or (heading and spaced) for _, title, _, _ in rows))
    gap = " " if spaced else ""
    cells = [(f"{bullet}{name}{gap}{title}".strip(), org, statement) for name, title, org, statement in rows]
    table = _docx([("발언자", "소속", "발언 내용"), *cells] if heading else cells)
    document, units = _read(table, splitter)
    turns = _turns(units)
    assert [(title, org, text) for _, title, org, text in turns] == [(t, o, s) for _, t, o, s in rows]
    for name, *_ in rows:
        assert name not in document.text
        assert all(name not in value for turn in turns for value in turn)
    assert all(speaker.startswith("화자-") for speaker, *_ in turns)
