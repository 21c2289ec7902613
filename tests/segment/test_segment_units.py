"""Segmentation: header → meeting, turns → sentences, answers → units; offsets always exact."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.records import Block, Document, Meeting
from analyzer.redact import redact
from analyzer.segment import segment, trim_spans

MINUTES = """2024년 구미 산업기반구축사업 수혜기업 간담회
일시: 2024. 5. 14.(화) 14:00
장소: 구미전자정보기술원 2층
참석자: KIAT 원장, 기업 대표 7명
안건: 첨단산업 전환 애로 청취
○ 화자-1A2B3C 대표(㈜가나): 장비 예약이 너무 밀려 있습니다. 장비에 맞는 전문가가 같이 지원돼야 합니다
이어서 말씀드리면 인증 비용도 부담입니다.
[화자-2B3C4D 팀장] 어 그러니까 인증 비용이 너무 비싸거든요 그래서 수출을 못 하고 있어요
사회자: 감사합니다
○ 참석 기업들은 공정 분석 지원을 건의함"""


def _document(text: str) -> Document:
    return Document(name="m.txt", format="txt", blocks=tuple(Block(line) for line in text.split("\n")))


def test_segment_reads_header_into_meeting(splitter) -> None:  # type: ignore[no-untyped-def]
    meeting, _ = segment(_document(MINUTES), splitter)
    assert meeting.title == "2024년 구미 산업기반구축사업 수혜기업 간담회"
    assert meeting.date == "2024. 5. 14.(화) 14:00"
    assert meeting.place == "구미전자정보기술원 2층"
    assert meeting.attendees.startswith("KIAT")
    assert meeting.agenda == "첨단산업 전환 애로 청취"


def test_segment_uploader_metadata_wins(splitter) -> None:  # type: ignore[no-untyped-def]
    meeting, _ = segment(_document(MINUTES), splitter, Meeting(title="업로드 제목", region="경북"))
    assert meeting.title == "업로드 제목" and meeting.region == "경북" and meeting.place


def test_segment_splits_turns_and_sentences(splitter) -> None:  # type: ignore[no-untyped-def]
    document = _document(MINUTES)
    _, units = segment(document, splitter)
    texts = [u.text for u in units]
    assert texts[0] == "장비 예약이 너무 밀려 있습니다."
    assert "이어서 말씀드리면 인증 비용도 부담입니다." in texts  # a continuation line stays in the turn
    first_turn = [u for u in units if u.turn == units[0].turn]
    assert len(first_turn) == 3 and {u.speaker for u in first_turn} == {"화자-1A2B3C"}
    assert first_turn[0].organisation == "㈜가나" and first_turn[0].title == "대표"
    spoken = [u for u in units if u.speaker == "화자-2B3C4D"]
    assert len(spoken) == 2  # a run-on spoken sentence without punctuation is split
    moderator = [u for u in units if u.speaker == "사회자"]
    assert moderator[0].unit_kind == "turn"
    assert units[-1].text == "참석 기업들은 공정 분석 지원을 건의함"
    assert all(u.unit_kind == "sentence" for u in first_turn)
    for unit in units:
        assert document.text[unit.start : unit.end] == unit.text
    assert [u.seq for u in units] == list(range(len(units)))


def test_segment_survey_answers_keep_row_metadata(splitter) -> None:  # type: ignore[no-untyped-def]
    document = Document(
        name="s.csv",
        format="csv",
        blocks=(
            Block(
                "장비 예약 힘듬", "answer", {"row": "1", "column": "의견", "organisation": "㈜가나", "region": "경북"}
            ),
            Block("없음", "answer", {"row": "2", "column": "의견", "respondent": "화자-ABCDEF"}),
        ),
    )
    meeting, units = segment(document, splitter)
    assert meeting.kind == "survey"
    assert [u.unit_kind for u in units] == ["answer", "answer"]
    assert units[0].organisation == "㈜가나" and units[0].meta["region"] == "경북"
    assert units[1].speaker == "화자-ABCDEF"
    for unit in units:
        assert document.text[unit.start : unit.end] == unit.text


LINE = st.one_of(
    st.text(alphabet=st.sampled_from(list("가나다라 마바사.?!요다 \t○-[]:()")), max_size=40),
    st.sampled_from(
        ["사회자: 네 그렇습니다", "○ 김OO 대표(㈜가나): 예약이 어렵다. 지원 바람", "[이 팀장] 음 그러니까"]
    ),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(LINE, min_size=1, max_size=8))
def test_segment_offsets_always_match_text(splitter, lines: list[str]) -> None:  # type: ignore[no-untyped-def]
    blocks = tuple(Block(line) for line in lines if line.strip() and "\n" not in line)
    if not blocks:
        return
    document = Document(name="x.txt", format="txt", blocks=blocks)
    _, units = segment(document, splitter)
    for unit in units:
        assert unit.text and unit.text == unit.text.strip()
        assert document.text[unit.start : unit.end] == unit.text


@given(st.text(max_size=50), st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), max_size=6))
def test_trim_spans_never_loses_text(text: str, raw: list[tuple[int, int]]) -> None:
    spans = trim_spans(text, [(min(a, b, len(text)), min(max(a, b), len(text))) for a, b in raw])
    covered = "".join(text[s:e] for s, e in spans)
    assert "".join(covered.split()) == "".join(text.split())
    assert all(text[s:e] == text[s:e].strip() and s < e for s, e in spans)


def test_segment_tells_a_research_director_apart_after_masking(splitter) -> None:  # type: ignore[no-untyped-def]
    lines = [
        "○ 김철수 대표: 장비가 부족합니다.",
        "최수진 연구소장: 시험 인증 기간이 너무 깁니다.",
        "박영희   사무국장: 협회 차원에서 건의하겠습니다.",
        "참석: 이민호",
        "총괄 외 2명",
    ]
    document = redact(_document("\n".join(lines)), b"key")
    _, units = segment(document, splitter)
    assert not any(name in document.text for name in ("김철수", "최수진", "박영희", "이민호"))
    speakers = [(u.speaker, u.title) for u in units]
    assert [title for _, title in speakers[:3]] == ["대표", "연구소장", "사무국장"]
    assert len({speaker for speaker, _ in speakers[:3]}) == 3
    assert all(speaker.startswith("화자-") for speaker, _ in speakers[:3])
    for unit in units:
        assert document.text[unit.start : unit.end] == unit.text
