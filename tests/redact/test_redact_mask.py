"""PII masking: typed placeholders, no false alarms on ordinary words, idempotence."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analyzer.records import Block, Document
from analyzer.redact import PLACEHOLDERS, mask_text, pseudonym, redact

MASKED = [
    ("주민번호 900101-1234568은 파기", "주민번호 [주민번호]은 파기"),
    ("번호가 0312293456789입니다", "번호가 [주민번호]입니다"),
    ("2001년생 010101-3234567", "2001년생 [주민번호]"),
    ("연락처 010-2345-6789로", "연락처 [전화번호]로"),
    ("01023456789번", "[전화번호]번"),
    ("서울 02-123-4567", "서울 [전화번호]"),
    ("(031) 555-1234 대표전화", "[전화번호] 대표전화"),
    ("+82 10 1234 5678", "[전화번호]"),
    ("+82-2-312-3456", "[전화번호]"),
    ("고객센터 1588-1234", "고객센터 [전화번호]"),
    ("안심번호 0505-123-4567", "안심번호 [전화번호]"),
    ("인터넷전화 070-1234-5678", "인터넷전화 [전화번호]"),
    ("경남 055-212-3456", "경남 [전화번호]"),
    ("메일은 contact@example.co.kr 입니다", "메일은 [이메일] 입니다"),
    ("kim.ok+tag@mail.gov.kr로 보내", "[이메일]로 보내"),
    ("사업자번호 220-81-62517", "사업자번호 [사업자번호]"),
    ("남궁민수 본부장이 말했다", "[이름] 본부장이 말했다"),
    ("황보영 대표님께서", "[이름] 대표님께서"),
    ("정민 씨가 왔다", "[이름] 씨가 왔다"),
    ("수진 씨는", "[이름] 씨는"),
    ("박 과장님께서", "[이름] 과장님께서"),
    ("김철수 대표는", "[이름] 대표는"),
    ("김○○ 대표", "[이름] 대표"),
    ("홍길동님이 오셨다", "[이름]님이 오셨다"),
    ("이 팀장이 설명", "[이름] 팀장이 설명"),
    ("010-1234-5678만 알려 주세요", "[전화번호]만 알려 주세요"),
    ("[이 팀장] 의견", "[[이름] 팀장] 의견"),
]

UNCHANGED = [
    "기업 대표들은 공감했다",
    "이 과장된 표현은 빼자",
    "대표적인 사례다",
    "우리 대표가 말했다",
    "국내 시장이 작다",
    "이 시장은 커지고 있다",
    "연구원님 덕분입니다",
    "정부 과장 자리",
    "아저씨가 왔다",
    "2024년 5월 14일 14:00",
    "매출 120억원, 1,234,567원",
    "2023-2024 사업",
    "사업자번호 220-81-62518",  # wrong check digit
    "991332-1234567",  # not a date
    "예산 2,500만원을 010 계정에",
    "[이름] 대표",
    "예산 1500-2000만원, 1800 - 1900억",
    "2024. 5. 13. 공고문 게시",
    "설계 총괄, 회계 감사, 부품 시장, 한 팀원이",
    "부사장님께서 이사장님과",
    "정말 감사합니다, 여러분 감사드립니다",
]


@pytest.mark.parametrize(("text", "expected"), MASKED)
def test_mask_text_replaces_personal_data(text: str, expected: str) -> None:
    assert mask_text(text) == expected


@pytest.mark.parametrize("text", UNCHANGED)
def test_mask_text_keeps_ordinary_text(text: str) -> None:
    assert mask_text(text) == text


@given(st.text(alphabet=st.sampled_from(list("가나다김이박대표과장님씨 0123456789-@.[]이름")), max_size=60))
def test_mask_text_is_idempotent(text: str) -> None:
    once = mask_text(text)
    assert mask_text(once) == once


@given(st.dates(), st.integers(1, 8), st.integers(0, 999_999), st.sampled_from(["", "은", "입니다", " "]))
def test_mask_text_catches_every_date_valid_rrn(day, sex: int, serial: int, suffix: str) -> None:  # type: ignore[no-untyped-def]
    if (sex in (1, 2, 5, 6)) != (1900 <= day.year < 2000) or not 1900 <= day.year < 2100:
        return
    rrn = f"{day:%y%m%d}-{sex}{serial:06d}"
    assert mask_text(f"번호 {rrn}{suffix}") == f"번호 [주민번호]{suffix}"


def test_pseudonym_is_stable_and_keyed() -> None:
    assert pseudonym("홍길동", b"k1") == pseudonym("홍 길동", b"k1")
    assert pseudonym("홍길동", b"k1") != pseudonym("홍길동", b"k2")
    assert pseudonym("홍길동", b"k1").startswith("화자-")


def test_redact_pseudonymises_speakers_and_is_idempotent() -> None:
    document = Document(
        name="m.txt",
        format="txt",
        blocks=(
            Block("○ 홍길동 대표(㈜가나): 제 번호는 010-1234-5678입니다."),
            Block("[이 팀장] 정민 씨 말이 맞습니다"),
            Block("김○○ 대표\t예약이 어렵습니다", "table_row"),
            Block("1", "answer", {"respondent": "김영희", "organisation": "㈜가나"}),
        ),
    )
    masked = redact(document, b"key")
    text = masked.text
    for personal in ("홍길동", "010-1234-5678", "정민", "김영희", "김○○"):
        assert personal not in text and personal not in str([b.meta for b in masked.blocks])
    assert "㈜가나" in text
    assert "[전화번호]" in text and "[이름] 씨" in text
    assert masked.blocks[0].text.startswith("○ 화자-")
    assert redact(masked, b"key") == masked


def test_placeholders_are_distinct() -> None:
    assert len(set(PLACEHOLDERS)) == len(PLACEHOLDERS)


@pytest.mark.parametrize("text", ["액화수소 운반선 부품 시장에 들어가", "중국 시장 개척", "부품 공급이 끊겼다"])
def test_markets_are_not_mayors(text: str) -> None:
    assert mask_text(text) == text
