"""Masking survives real layouts: full-width forms, dash variants, spaced separators, runs of spaces, no-break
spaces and line wraps, embedded in Korean context with particles."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.names import TITLES
from analyzer.records import Block, Document
from analyzer.redact import BRN, EMAIL, FOLD, NAME, PHONE, RRN, mask_text, redact

FAST = settings(max_examples=150, deadline=None, database=None)

WORDS = [
    "지원",
    "사업",
    "인증",
    "비용이",
    "너무",
    "큽니다",
    "장비",
    "예약이",
    "건의합니다",
    "그리고",
    "회의에서",
    "말씀",
    "기업",
    "애로",
    "2024년",
    "5월",
    "연락처",
    "번호",
    "메일",
    "참석",
    "(주)가나",
    "제1조",
    "1,234원",
]
CONTEXT = st.lists(st.sampled_from(WORDS), max_size=6).map(" ".join)
PARTICLES = st.sampled_from(["", "은", "는", "이", "으로", "입니다", "로", "번", ")", ".", ",", " "])
DASHES = ["-", "－", "–", "—", "‐", "﹣", "−", "ㅡ", " - ", " – ", "  -  "]
SPACES = [" ", "  ", "\t", "\u00a0", "\u3000"]
SURNAMES = ["김", "이", "박", "최", "정", "조", "윤", "한", "남궁", "황보", "서", "문"]
GIVEN = ["철수", "영희", "민호", "지현", "수진", "대호", "상우", "하늘", "은비", "현우", "지훈"]


def widen(text: str, wide: list[bool]) -> str:
    """Full-width forms (what NFKC folds back) for the characters picked by *wide*."""
    return "".join(chr(ord(c) + 0xFEE0) if w and "!" <= c <= "~" else c for c, w in zip(text, wide, strict=False))


@st.composite
def spelled(draw: st.DrawFn, groups: list[str], separators: list[str]) -> str:
    """*groups* of digits joined by drawn separators, each character possibly full-width."""
    text = groups[0]
    for group in groups[1:]:
        text += draw(st.sampled_from(separators)) + group
    return widen(text, draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text))))


def embedded(value: str, prefix: str, particle: str, suffix: str) -> str:
    return f"{prefix} {value}{particle} {suffix}"


def assert_masked(value: str, text: str, placeholder: str) -> None:
    masked = mask_text(text)
    assert value not in masked
    assert placeholder in masked
    assert mask_text(masked) == masked


@st.composite
def rrns(draw: st.DrawFn) -> tuple[str, str]:
    day = draw(st.dates(date(1900, 1, 1), date(2099, 12, 31)))
    sex = draw(st.sampled_from([1, 2, 5, 6] if day.year < 2000 else [3, 4, 7, 8]))
    serial = draw(st.integers(0, 999_999))
    return f"{day:%y%m%d}", f"{sex}{serial:06d}"


@FAST
@given(rrns(), st.data(), CONTEXT, PARTICLES, CONTEXT)
def test_mask_text_rrn_variants(
    rrn: tuple[str, str], data: st.DataObject, prefix: str, particle: str, suffix: str
) -> None:
    value = data.draw(spelled(list(rrn), ["", *DASHES, " "]))
    assert_masked(value, embedded(value, prefix, particle, suffix), RRN)


PHONES = st.sampled_from(
    [
        ["010", "1234", "5678"],
        ["011", "987", "6543"],
        ["02", "312", "3456"],
        ["031", "8012", "3456"],
        ["055", "212", "3456"],
        ["070", "4321", "8765"],
        ["0505", "123", "4567"],
        ["1588", "1234"],
        ["1644", "0001"],
    ]
)


@FAST
@given(PHONES, st.data(), CONTEXT, PARTICLES, CONTEXT)
def test_mask_text_phone_variants(
    groups: list[str], data: st.DataObject, prefix: str, particle: str, suffix: str
) -> None:
    separators = [*DASHES, *SPACES, ".", ". ", " . "] + ([""] if len(groups) == 3 else [])
    value = data.draw(spelled(groups, separators))
    assert_masked(value, embedded(value, prefix, particle, suffix), PHONE)


@FAST
@given(st.data(), CONTEXT, PARTICLES, CONTEXT)
def test_mask_text_international_phone_variants(data: st.DataObject, prefix: str, particle: str, suffix: str) -> None:
    value = "+" + data.draw(spelled(["82", "10", "1234", "5678"], [*DASHES, " ", "."]))
    assert_masked(value, embedded(value, prefix, particle, suffix), PHONE)


@FAST
@given(
    st.sampled_from(["220-81-62517", "526-01-81593", "186-09-13909", "996-03-08247", "628-19-48217"]),
    st.data(),
    CONTEXT,
    PARTICLES,
    CONTEXT,
)
def test_mask_text_business_number_variants(
    brn: str, data: st.DataObject, prefix: str, particle: str, suffix: str
) -> None:
    value = data.draw(spelled(brn.split("-"), [*DASHES, " "]))
    assert_masked(value, embedded(value, prefix, particle, suffix), BRN)


@FAST
@given(
    st.from_regex(r"[a-z][a-z0-9._]{0,10}@[a-z]{2,8}(\.[a-z]{2,3}){1,2}", fullmatch=True),
    st.data(),
    CONTEXT,
    PARTICLES,
    CONTEXT,
)
def test_mask_text_email_variants(email: str, data: st.DataObject, prefix: str, particle: str, suffix: str) -> None:
    value = widen(email, data.draw(st.lists(st.booleans(), min_size=len(email), max_size=len(email))))
    assert_masked(value, embedded(value, prefix, particle, suffix), EMAIL)


GAPS = st.sampled_from(["", " ", "  ", "   ", "\t", "\u00a0", "\u00a0\u00a0", "\n", " \n", "\u3000"])


@FAST
@given(
    st.sampled_from(SURNAMES),
    st.sampled_from(GIVEN),
    GAPS,
    st.sampled_from(TITLES),
    st.sampled_from(["", "님", "은", "이", "께서", ":", ",", "(㈜가나)"]),
    CONTEXT,
    CONTEXT,
)
def test_mask_text_name_title_variants(
    surname: str, given_name: str, gap: str, title: str, particle: str, prefix: str, suffix: str
) -> None:
    name = surname + given_name
    text = embedded(f"{name}{gap}{title}", prefix, particle, suffix)
    assert_masked(name, text, NAME)


ORDINARY = st.one_of(
    st.dates().map(lambda day: st.sampled_from([f"{day:%Y-%m-%d}", f"{day:%Y. %m. %d.}", f"{day:%Y.%m.%d}"])),
    st.integers(0, 10**12).map(lambda amount: st.just(f"{amount:,}원")),
    st.integers(1, 300).map(
        lambda number: st.sampled_from([f"제{number}조", f"제 {number} 항", f"{number}명", f"{number}%"])
    ),
    st.tuples(st.integers(0, 9999), st.integers(0, 9999)).map(
        lambda pair: st.sampled_from([f"{pair[0]} - {pair[1]}만원", f"{pair[0]}~{pair[1]}년", f"{pair[0]}-{pair[1]}억"])
    ),
).flatmap(lambda strategy: strategy)


@FAST
@given(st.lists(ORDINARY, min_size=1, max_size=5), CONTEXT)
def test_mask_text_keeps_dates_amounts_counts_and_articles(values: list[str], context: str) -> None:
    text = f"{context} {' '.join(values)} (주)가나테크 구미전자정보기술원"
    assert mask_text(text) == text


@FAST
@given(st.text(max_size=80))
def test_fold_keeps_every_offset(text: str) -> None:
    assert len(text.translate(FOLD)) == len(text)


@given(st.text(st.sampled_from(list("김이박대표소장연구님씨 \u00a0\n\t0123456789０１２－–-@＠.ㅡ[]이름")), max_size=60))
def test_mask_text_is_idempotent_on_layout_characters(text: str) -> None:
    once = mask_text(text)
    assert mask_text(once) == once


def test_redact_masks_a_name_whose_title_wraps_to_the_next_line() -> None:
    document = Document("m.pdf", "pdf", (Block("참석: 김철수"), Block("대표, 박영희"), Block("사무국장 외 3명")))
    masked = redact(document, b"key")
    assert [block.text for block in masked.blocks] == [f"참석: {NAME}", f"대표, {NAME}", "사무국장 외 3명"]
    assert redact(masked, b"key") == masked


def test_redact_does_not_join_survey_answers() -> None:
    answers = (Block("담당은 김철수", "answer", {"row": "1"}), Block("대표 면담 요청", "answer", {"row": "2"}))
    masked = redact(Document("s.csv", "csv", answers), b"key")
    assert [block.text for block in masked.blocks] == ["담당은 김철수", "대표 면담 요청"]
