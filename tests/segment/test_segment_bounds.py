"""No unit is longer than the maximum, and splitting a long text never loses or reorders a character."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.records import Block, Document
from analyzer.segment import MAX_UNIT_CHARS, KiwiSentenceSplitter, segment

RUN_ON = "어 그러니까 장비 예약이 너무 밀려 있고 인증 비용도 부담이라서 수출을 못 하고 있는데 "
PIECE = st.sampled_from([*"가나다라마바사요다 \t\n.,?!·)(", "습니다. ", "거든요 ", "가" * 30])
TEXT = st.lists(PIECE, max_size=120).map("".join)


def _non_blank(text: str) -> str:
    return "".join(text.split())


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(TEXT, min_size=1, max_size=4), st.integers(min_value=1, max_value=90))
def test_kiwi_splitter_bounds_every_span_and_covers_the_text(nlp, texts: list[str], max_chars: int) -> None:  # type: ignore[no-untyped-def]
    splitter = KiwiSentenceSplitter(nlp.tokenizer.kiwi, max_chars=max_chars)
    for text, spans in zip(texts, splitter.split(texts), strict=True):
        assert all(0 < end - start <= max_chars for start, end in spans)
        assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(spans))
        assert all(text[start:end] == text[start:end].strip() for start, end in spans)
        assert "".join(_non_blank(text[start:end]) for start, end in spans) == _non_blank(text)


def _survey(*cells: str) -> Document:
    return Document(
        name="s.csv",
        format="csv",
        blocks=tuple(Block(cell, "answer", {"row": str(n), "respondent": f"화자-{n}"}) for n, cell in enumerate(cells)),
    )


def test_segment_splits_a_long_survey_cell_into_bounded_units(splitter) -> None:  # type: ignore[no-untyped-def]
    cell = RUN_ON * 150 + "가" * 5000 + " 끝입니다."
    document = _survey("짧은 답", cell)
    _, units = segment(document, splitter)
    long_units = [unit for unit in units if unit.turn == 1]
    assert len(long_units) > 1 and units[0].text == "짧은 답"
    assert all(len(unit.text) <= MAX_UNIT_CHARS for unit in units)
    assert all(document.text[unit.start : unit.end] == unit.text for unit in units)
    assert "".join(_non_blank(unit.text) for unit in long_units) == _non_blank(cell)
    assert {(unit.unit_kind, unit.speaker, unit.meta["row"]) for unit in long_units} == {("answer", "화자-1", "1")}
    assert [unit.seq for unit in units] == list(range(len(units)))


def test_segment_bounds_a_turn_without_sentence_ends(splitter) -> None:  # type: ignore[no-untyped-def]
    body = "가나다라마바사" * 1000
    document = Document(name="m.txt", format="txt", blocks=(Block("사회자: " + body),))
    _, units = segment(document, splitter)
    assert len(units) > 1 and all(len(unit.text) <= MAX_UNIT_CHARS for unit in units)
    assert "".join(unit.text for unit in units) == body
    assert all(document.text[unit.start : unit.end] == unit.text for unit in units)
