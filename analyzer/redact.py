"""Mask personal data before anything derived is stored: typed placeholders and speaker pseudonyms.

Masking is idempotent: placeholders are never matched again.

Real layouts spell the same value many ways: PDF extraction puts runs of spaces, tabs, no-break spaces or a
line wrap between a name and its title, and people type full-width digits (０１０), full-width or typographic
dashes (－ – — ‐, even the vowel ㅡ) and spaced hyphens (``010 - 1234 - 5678``). The digit and e-mail patterns
therefore match on a *folded view* of the text: full-width ASCII forms become ASCII (what NFKC does to them),
other spaces become a space and every dash becomes ``-``. The fold maps each character to exactly one
character, so the view has the original's offsets and the placeholders replace spans of the original text;
full NFKC is not used because it changes lengths (㈜ becomes (주)), which would break the offsets that
segmentation relies on (``document.text[start:end] == unit.text``). Name patterns need no fold: whitespace
(``\\s``) already matches every space and line break, and Hangul has no full-width form. A name at the end of
one line whose title starts the next line (a wrapped PDF line, two blocks) is masked by :func:`redact`.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from types import MappingProxyType

from analyzer.names import (
    AMBIGUOUS_TITLES,
    NAME_LEADERS,
    NOT_AFTER_TITLE,
    NOT_NAMES,
    NOUN_ENDINGS,
    ROLES,
    SURNAMES,
    TITLES,
    TWO_SYLLABLE_SURNAMES,
)
from analyzer.records import BLOCK_SEPARATOR, Block, Document
from analyzer.speakers import PSEUDONYM, block_label

RRN, PHONE, EMAIL, BRN, NAME = "[주민번호]", "[전화번호]", "[이메일]", "[사업자번호]", "[이름]"
PLACEHOLDERS = (RRN, PHONE, EMAIL, BRN, NAME)

_SPACES = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u202f\u205f\u3000"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\u3161"  # ‐ ‑ ‒ – — ― − ﹘ ﹣ ㅡ
FOLD: Mapping[int, str] = MappingProxyType(
    str.maketrans(
        {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}  # full-width ASCII forms (NFKC)
        | dict.fromkeys(_SPACES, " ")
        | dict.fromkeys(_DASHES, "-")
    )
)

_GAP = r"[ \t]{0,3}"
_SEP = rf"(?:{_GAP}[.\-)]{_GAP}|[ \t]{{1,3}})?"  # between the groups of a phone number
_DASH = rf"(?:{_GAP}-{_GAP}|[ \t])"  # between the groups of a business number
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_RRN = re.compile(rf"(?<!\d)(\d{{2}})(\d{{2}})(\d{{2}}){_GAP}-?{_GAP}([1-8])\d{{6}}(?!\d)")
_BRN = re.compile(rf"(?<!\d)(\d{{3}}){_DASH}(\d{{2}}){_DASH}(\d{{5}})(?!\d)")
_UNIT = r"(?:만\s?[원명개건]|억|천|원|년|명|개|건|회|%)"  # a unit: not a phone; 만 alone is "only"
_AREA = r"0(?:1[016789]|2|[3-6][1-5]|70|50\d)"
_PHONE = re.compile(
    r"(?<![\d+])(?:"
    rf"\+82{_SEP}\(?0?(?:1[016789]|2|[3-6][1-5]|70){_SEP}\d{{3,4}}{_SEP}\d{{4}}"
    rf"|(?:\({_AREA}\)|{_AREA}){_SEP}\d{{3,4}}{_SEP}\d{{4}}"
    rf"|1[568]\d{{2}}(?:{_GAP}[-.]{_GAP}|[ \t]{{1,3}})\d{{4}}"
    rf")(?!\d|{_UNIT})"  # 1500-2000만원 is a range of amounts
)
_SURNAME = "(?:" + "|".join(TWO_SYLLABLE_SURNAMES) + f"|[{SURNAMES}])"
_MASKED_GIVEN = r"(?:[○◯OＯ〇*＊xX×]{1,3}|[*＊○◯][가-힣])"
_TITLE = "(?:" + "|".join(TITLES) + ")"
_START = r"(?<![가-힣A-Za-z0-9])(?!이름\])"  # a word start that is not the [이름] placeholder
# 박형준 부산시장, 김동연 경기도지사: a public title after its province or metropolitan city.
_PROVINCES = "서울|부산|대구|인천|광주|대전|울산|세종|경기|강원|충북|충남|전북|전남|경북|경남|제주"
_PROVINCE = f"(?:{_PROVINCES})(?:특별자치|특별|광역)?[시도]?"
_NAME_TITLE = re.compile(
    rf"{_START}(?P<name>{_SURNAME}(?:[가-힣]{{1,2}}|\s?{_MASKED_GIVEN}|\s[가-힣](?=\s))?)"
    rf"(?P<gap>\s*(?:[前現]\s?|\(|{_PROVINCE})?)(?P<title>{_TITLE})(?P<hon>님?)(?![{NOT_AFTER_TITLE}])"
)
_NAME_HONORIFIC = re.compile(
    rf"{_START}(?P<name>{_SURNAME}[가-힣]{{2}})(?P<gap>\s?)님(?=$|[^가-힣]|[은는이께의을과도])"
)
# A full name after a title or a contact-table word (담당과장 홍길동 (044-...), 팀장 김준형이, 발언자: 이정재),
# followed by a table-like boundary, or by a particle when the name has three syllables.
_LEAD = "(?:" + "|".join(sorted({*TITLES, *NAME_LEADERS} - {"씨"}, key=len, reverse=True)) + ")"
_WHOLE_NAME = "(?:" + "|".join(f"{s}[가-힣]{{1,2}}" for s in TWO_SYLLABLE_SURNAMES) + rf"|[{SURNAMES}][가-힣]{{2}})"
_FULL_NAME = rf"(?:{_WHOLE_NAME}|{_SURNAME}\s[가-힣](?![가-힣])|{_SURNAME}{_MASKED_GIVEN})"
_TABLE_END = rf"\s*(?:$|[(),/·|;:\t\n☎<]|\d|{re.escape(PHONE)}|{re.escape(EMAIL)})"
_TITLE_NAME = re.compile(
    rf"(?P<lead>{_LEAD})(?P<gap>\s*[:：]\s*|\s+|\s*\(\s*)(?P<name>{_FULL_NAME})"
    rf"(?=(?P<end>{_TABLE_END})|(?P<topic>께서|입니다|이고|이며|이라|이에요|[은는])|(?P<subject>[이가])(?![가-힣]))"
)
# A bare full name that opens a line and is followed by a colon: a speaker in a transcript (김영수: 네, ...).
_SPEAKER_NAME = re.compile(
    rf"(?m)^(?P<lead>[ \t\-·○◇□■▶>*\[]*)(?P<name>{_WHOLE_NAME})(?P<gap>)(?=\s*(?:\([^)\n]{{1,20}}\))?\s*[:：])"
)
# A speaker cell holding a bare full name at the start of a table row (홍민지 | 한국기계연구원 | 의견).
_CELL_NAME = re.compile(rf"^(?P<lead>)(?P<name>{_WHOLE_NAME})(?P<gap>)(?=\t)")
#: Words before a title that read as "former", "current", "the late", "new", "both", "one" (전 장관).
_DETERMINERS = "전현고신양한구총각동본모"
#: Last syllables of headings and column names (연락처, 문제점, 사업명), never of the speakers masked here.
_HEADING_ENDINGS = NOUN_ENDINGS + "자점명일란측항안표액록건목황법적시구도업"
_GIVEN_SSI = re.compile(rf"{_START}(?P<name>[가-힣]{{2}})\s*씨(?=$|[^가-힣]|[은는이가의를에도와께한])")
PSEUDONYM_RE = re.compile(PSEUDONYM)
_NOT_GIVEN = frozenset({"아저", "아가", "마음", "말솜", "아주머", "글솜", "맵시", "불씨"})
_PARTICLES = "는를을에와과의"
_NOT_BARE = frozenset((*TITLES, *ROLES, *NOT_NAMES))
#: What the number patterns need in the text (ASCII or full-width digits) and in its folded view.
_DIGIT = re.compile("[0-9\uff10-\uff19]")
_ASCII_DIGIT = re.compile("[0-9]")
#: Where a title can start in the line after a name that ends the previous line: after the gap's spaces and at
#: most a prefix of it (前, (, a province), so a line that has no title there cannot complete a wrapped name.
_TITLE_NEAR_START = re.compile(rf"\s*\S{{0,8}}?\s?{_TITLE}")


def _sub_folded(
    pattern: re.Pattern[str],
    text: str,
    folded: str,
    replace_match: Callable[[re.Match[str]], str | None],
) -> tuple[str, str]:
    """Replace the matches of *pattern* in the folded view by ``replace_match``'s text (``None`` keeps the
    original); everything between matches is the original text. Returns the new text and its folded view (the
    fold maps character to character, so the view of the result is the view's pieces around the folded
    replacements: the text is folded once for every pattern)."""
    pieces, folds, last = [], [], 0
    for match in pattern.finditer(folded):
        replacement = replace_match(match)
        if replacement is not None:
            pieces += [text[last : match.start()], replacement]
            folds += [folded[last : match.start()], replacement.translate(FOLD)]
            last = match.end()
    if not pieces:
        return text, folded
    return "".join(pieces) + text[last:], "".join(folds) + folded[last:]


def _valid_rrn(match: re.Match[str]) -> bool:
    yy, mm, dd, sex = (int(match.group(i)) for i in range(1, 5))
    century = 1900 if sex in (1, 2, 5, 6) else 2000
    try:
        date(century + yy, mm, dd)
    except ValueError:
        return False
    return True


def _valid_brn(match: re.Match[str]) -> bool:
    digits = [int(ch) for ch in "".join(match.groups())]
    weights = (1, 3, 7, 1, 3, 7, 1, 3, 5)
    total = sum(d * w for d, w in zip(digits, weights, strict=False)) + digits[8] * 5 // 10
    return (10 - total % 10) % 10 == digits[9]


def _is_titled_name(match: re.Match[str]) -> bool:
    bare = re.sub(r"\s", "", match.group("name"))
    title, gap = match.group("title"), match.group("gap")
    if len(bare) == 3 and (bare[-1] in _PARTICLES or bare[:2] in TITLES):  # 문의는 대표번호, 부장이 본부장
        return False
    if not gap and ({bare + title, bare[-1] + title} & _NOT_BARE):  # 사무국장, 유성구+청장, 소부장: one word
        return False
    if "(" in gap and not re.match(r"\s*[),]", match.string[match.end() :]):  # 김정훈(대표이사) only
        return False
    if len(bare) == 1 and bare in _DETERMINERS and not match.group("hon"):  # 전 장관: the former minister
        return False
    short = len(bare) <= 2 and not re.search(_MASKED_GIVEN, bare)
    return bare not in _NOT_BARE and not (title in AMBIGUOUS_TITLES and short)


def _is_bare_name(name: str, endings: str = NOUN_ENDINGS) -> bool:
    """A full name standing next to a title or a colon, not an ordinary noun (대표 제품군, 연락처:)."""
    bare = re.sub(r"\s", "", name)
    return bare not in _NOT_BARE and bare[:2] not in _NOT_BARE and bare[-1] not in endings


def _mask_name_title(match: re.Match[str]) -> str:
    if not _is_titled_name(match):
        return match.group(0)
    return f"{NAME}{match.group('gap') or ' '}{match.group('title')}{match.group('hon')}"


def _mask_title_name(match: re.Match[str]) -> str:
    name = match.group("name")
    spaced = " " in name or len(name) == 2 + any(name.startswith(s) for s in TWO_SYLLABLE_SURNAMES) - 1
    lead = match.group("lead")
    # 노동 시장 유연성이, 고문 위촉식은, 책임자 지정하는: only a table boundary tells a name there.
    table_only = spaced or lead in AMBIGUOUS_TITLES or lead in NAME_LEADERS
    # 소부장 성능평가: a subject particle only counts after a title that is a word of its own (팀장 김준형이).
    inside_word = match.start() > 0 and "가" <= match.string[match.start() - 1] <= "힣"
    if match.group("subject") is not None and inside_word:
        return match.group(0)
    # 연락처 예약이 …: after a leader word (no title to vouch for it), three syllables ending in a subject particle
    # are a noun and its particle, not a name.
    if lead in NAME_LEADERS and len(name) == 3 and name[-1] in "이가" and match.string[match.end() :].strip():
        return match.group(0)
    if not _is_bare_name(name) or (table_only and match.group("end") is None):
        return match.group(0)
    return f"{match.group('lead')}{match.group('gap')}{NAME}"


def _mask_speaker_name(match: re.Match[str]) -> str:
    if not _is_bare_name(match.group("name"), _HEADING_ENDINGS):
        return match.group(0)
    return f"{match.group('lead')}{NAME}"


def _mask_honorific(match: re.Match[str]) -> str:
    return match.group(0) if match.group("name") in _NOT_BARE else f"{NAME}{match.group('gap')}님"


def _mask_given_ssi(match: re.Match[str]) -> str:
    name = match.group("name")
    if name in _NOT_GIVEN or name in _NOT_BARE:
        return match.group(0)
    return f"{NAME} 씨"


def mask_text(text: str) -> str:
    """Replace resident numbers, phones, e-mails, business numbers and titled names by placeholders.

    A pattern runs only when the text holds what every one of its matches must contain (a digit, ``@``, ``님``,
    ``씨``, a colon); the placeholders bring none of these, so the skipped passes would have found nothing."""
    has_at = "@" in text or "\uff20" in text
    if has_at or _DIGIT.search(text):
        folded = text.translate(FOLD)
        if has_at:
            text, folded = _sub_folded(_EMAIL, text, folded, lambda _: EMAIL)
        if _ASCII_DIGIT.search(folded):
            text, folded = _sub_folded(_RRN, text, folded, lambda m: RRN if _valid_rrn(m) else None)
            text, folded = _sub_folded(_BRN, text, folded, lambda m: BRN if _valid_brn(m) else None)
            text, folded = _sub_folded(_PHONE, text, folded, lambda _: PHONE)
    text = _NAME_TITLE.sub(_mask_name_title, text)
    text = _TITLE_NAME.sub(_mask_title_name, text)
    if ":" in text or "\uff1a" in text:
        text = _SPEAKER_NAME.sub(_mask_speaker_name, text)
    if "님" in text:
        text = _NAME_HONORIFIC.sub(_mask_honorific, text)
    return _GIVEN_SSI.sub(_mask_given_ssi, text) if "씨" in text else text


def pseudonym(name: str, key: bytes) -> str:
    """A stable pseudonym for a speaker: keyed HMAC, so the same person keeps the same id."""
    digest = hmac.new(key, name.replace(" ", "").encode(), hashlib.sha256).hexdigest()
    return f"화자-{digest[:6].upper()}"


def _redact_block(block: Block, key: bytes, survey: str) -> Block:
    text = block.text
    label = block_label(block)
    if label is not None and label.name_span is not None:
        start, end = label.name_span
        name = text[start:end]
        alias = name if PSEUDONYM_RE.fullmatch(name) else pseudonym(name, key)
        head = text[:start] + alias + text[end : label.end]
        text = head + mask_text(text[label.end :])
    else:
        text = mask_text(text)
        if block.kind == "table_row":
            text = _CELL_NAME.sub(_mask_speaker_name, text)
    meta = dict(block.meta)
    if meta.get("respondent") and not PSEUDONYM_RE.fullmatch(meta["respondent"]):
        # A respondent column holds ids (1, 2, R-07) that only mean something inside their survey.
        meta["respondent"] = pseudonym(f"{survey}:{meta['respondent']}", key)
    return replace(block, text=text, meta=meta)


def _mask_wrapped_names(blocks: list[Block]) -> list[Block]:
    """Mask a name that ends one paragraph line when its title starts the next one (a wrapped PDF line)."""
    for index in range(len(blocks) - 1):
        first, second = blocks[index], blocks[index + 1]
        if first.kind != "paragraph" or second.kind != "paragraph" or not _TITLE_NEAR_START.match(second.text):
            continue
        cut = len(first.text)
        joined = first.text + BLOCK_SEPARATOR + second.text
        for match in _NAME_TITLE.finditer(joined):
            if match.start("gap") <= cut < match.end("gap") and _is_titled_name(match):
                start, end = match.span("name")
                blocks[index] = replace(first, text=first.text[:start] + NAME + first.text[end:])
    return blocks


def redact(document: Document, key: bytes) -> Document:
    """Return the document with personal data masked and speaker names pseudonymised."""
    survey = document.sha256 or hashlib.sha256(document.text.encode()).hexdigest()
    blocks = _mask_wrapped_names([_redact_block(block, key, survey) for block in document.blocks])
    return replace(document, blocks=tuple(blocks))
