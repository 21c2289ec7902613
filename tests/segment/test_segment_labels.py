"""Speaker labels in the forms Korean minutes and transcripts use."""

from __future__ import annotations

import pytest

from analyzer.names import TITLES
from analyzer.redact import mask_text
from analyzer.segment.labels import parse_label

LABELS = [
    ("김OO 대표: 장비가 없어요", "김OO", "대표", ""),
    ("○ 홍길동 대표(㈜가나): 네 말씀드리면", "홍길동", "대표", "㈜가나"),
    ("[이 팀장] 저희는", "이", "팀장", ""),
    ("사회자: 시작하겠습니다", "사회자", "", ""),
    ("- 박 과장: 네", "박", "과장", ""),
    ("Q. 무엇이 문제인가요", "질문자", "", ""),
    ("A. 예약입니다", "답변자", "", ""),
    ("○ 김○○ 대표(㈜한빛전자): 장비", "김○○", "대표", "㈜한빛전자"),
    ("㈜가나전자 대표: 말씀", "", "대표", "㈜가나전자"),
    ("구미시 과장: 네", "", "과장", "구미시"),
    ("남궁민수 본부장(KIAT): 네", "남궁민수", "본부장", "KIAT"),
    ("○ 송○○ 대표((주)동해조선기자재): 네", "송○○", "대표", "(주)동해조선기자재"),
    ("참석자 3: 네", "참석자 3", "", ""),
    ("대성오토텍 대표이사: 네", "", "대표이사", "대성오토텍"),
    ("화자-1A2B3C 대표(㈜가나): 네", "화자-1A2B3C", "대표", "㈜가나"),
    ("최수진 연구소장: 시험 장비가 부족합니다", "최수진", "연구소장", ""),
    ("김철수  대표  : 인증 비용", "김철수", "대표", ""),
    ("○ 박영희\u00a0사무국장(협회): 네", "박영희", "사무국장", "협회"),
]

NOT_LABELS = [
    "맞나요 사회자: 네",
    "장비 예약이 어렵다: 이것",
    "일시: 2024. 5. 14.",
    "문제는 이겁니다: 네",
    "김 씨 말로는: 뭐",
]


@pytest.mark.parametrize(("line", "name", "title", "organisation"), LABELS)
def test_parse_label_splits_speaker_title_organisation(line: str, name: str, title: str, organisation: str) -> None:
    label = parse_label(line)
    assert label is not None
    assert (label.name, label.title, label.organisation) == (name, title, organisation)
    assert not line[label.end :].startswith((":", " "))


@pytest.mark.parametrize("line", NOT_LABELS)
def test_parse_label_ignores_running_text(line: str) -> None:
    assert parse_label(line) is None


def test_parse_label_reads_a_speaker_cell_of_a_table_row() -> None:
    label = parse_label("김○○ 대표\t장비가 부족합니다", table_row=True)
    assert label is not None and label.name == "김○○" and label.title == "대표"
    assert "김○○ 대표\t장비가 부족합니다"[label.end :] == "장비가 부족합니다"


@pytest.mark.parametrize("title", TITLES)
def test_parse_label_and_masking_share_one_title_list(title: str) -> None:
    line = f"최수진  {title}: 네 말씀드리겠습니다"
    label = parse_label(line)
    assert label is not None and (label.name, label.title) == ("최수진", title)
    assert "최수진" not in mask_text(line)
