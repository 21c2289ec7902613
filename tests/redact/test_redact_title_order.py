"""Names after their title (contact tables, attendee lists), new ranks, and title-like ordinary words."""

from __future__ import annotations

import pytest

from analyzer.records import Block, Document
from analyzer.redact import NAME, mask_text, redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("담당과장 홍길동 (044-201-1234)", f"담당과장 {NAME} ([전화번호])"),
        ("담당자 주무관 김철수 (044-201-1234)", f"담당자 주무관 {NAME} ([전화번호])"),
        ("과장 홍길동 / 사무관 이영희", f"과장 {NAME} / 사무관 {NAME}"),
        ("본부장 이광수 / 팀장 박은비 / 담당 신유나", f"본부장 {NAME} / 팀장 {NAME} / 담당 {NAME}"),
        ("사무관 김 진 (044-202-4540)", f"사무관 {NAME} ([전화번호])"),
        ("공장장 류승범은 인력이 부족하다고 말했다.", f"공장장 {NAME}은 인력이 부족하다고 말했다."),
        ("발언자: 이정재 (주)대한정밀 대표", f"발언자: {NAME} (주)대한정밀 대표"),
        ("과학기술정보통신부(장관 유영민, 이하 과기정통부)", f"과학기술정보통신부(장관 {NAME}, 이하 과기정통부)"),
    ],
)
def test_mask_text_masks_a_name_after_its_title(text: str, expected: str) -> None:
    assert mask_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("김정훈(대표이사), 윤아름(연구소장)", f"{NAME}(대표이사), {NAME}(연구소장)"),
        ("남기현 시의원이 발의했다", f"{NAME} 시의원이 발의했다"),
        ("박형준 부산시장은 말했다", f"{NAME} 부산시장은 말했다"),
        ("반기태 교육감은 약속했다", f"{NAME} 교육감은 약속했다"),
        ("고준혁 CTO는 언급함", f"{NAME} CTO는 언급함"),
        ("한정수 명예교수는 말했다", f"{NAME} 명예교수는 말했다"),
        ("최 강 대리, 황보 관 팀장", f"{NAME} 대리, {NAME} 팀장"),
        ("라미란 박사는 밝혔다", f"{NAME} 박사는 밝혔다"),
        ("최지현 님께 보내 주세요", f"{NAME} 님께 보내 주세요"),
        ("이*민 대리가 보냈다", f"{NAME} 대리가 보냈다"),
        ("김영수: 네, 말씀드리겠습니다.", f"{NAME}: 네, 말씀드리겠습니다."),
    ],
)
def test_mask_text_masks_names_before_more_titles(text: str, expected: str) -> None:
    assert mask_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "전 장관 시절 만든 제도가 남아 있다.",
        "한 대표는 판로 연계를 건의했다.",
        "양 기관 대표가 협약서에 서명했다.",
        "노동 시장 유연성이 떨어진다.",
        "고문 위촉식은 생략하였다.",
        "책임자 지정하는 비용이 크다.",
        "강남구청장실 앞에서 1인 시위가 있었다.",
        "창원을 지역구로 둔 국회의원은 간담회를 열었다.",
        "소부장 성능평가 통과 제품",
        "친환경 선박 기자재 간담회",
        "임직원 9명 중 박사 4명",
        "당사 대표 제품은 감속기입니다.",
        "연락처: 055-259-3300",
    ],
)
def test_mask_text_keeps_title_like_ordinary_words(text: str) -> None:
    assert NAME not in mask_text(text)


def test_redact_masks_a_bare_name_in_a_speaker_cell() -> None:
    row = Block("홍민지\t한국기계연구원\t인증 비용 지원이 필요합니다.", kind="table_row")
    heading = Block("구분\t기관\t내용", kind="table_row")
    masked = redact(Document("t.docx", "docx", (heading, row)), b"key")
    assert [block.text for block in masked.blocks] == [
        heading.text,
        f"{NAME}\t한국기계연구원\t인증 비용 지원이 필요합니다.",
    ]
