"""Mask personal data before anything derived is stored: typed placeholders and speaker pseudonyms.

Masking is idempotent: placeholders are never matched again.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import replace
from datetime import date

from analyzer.names import NOT_AFTER_TITLE, NOT_NAMES, ROLES, SURNAMES, TITLES, TWO_SYLLABLE_SURNAMES
from analyzer.records import Block, Document
from analyzer.segment.labels import PSEUDONYM, parse_label

RRN, PHONE, EMAIL, BRN, NAME = "[주민번호]", "[전화번호]", "[이메일]", "[사업자번호]", "[이름]"
PLACEHOLDERS = (RRN, PHONE, EMAIL, BRN, NAME)

_SEP = r"[ \t.\-–)]{0,2}"
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_RRN = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{2})\s?[-–]?\s?([1-8])\d{6}(?!\d)")
_BRN = re.compile(r"(?<!\d)(\d{3})[-\s](\d{2})[-\s](\d{5})(?!\d)")
_PHONE = re.compile(
    r"(?<![\d+])(?:"
    rf"\+82{_SEP}\(?0?(?:1[016789]|2|[3-6][1-5]|70){_SEP}\d{{3,4}}{_SEP}\d{{4}}"
    rf"|\(?0(?:1[016789]|2|[3-6][1-5]|70|50\d)\)?{_SEP}\d{{3,4}}{_SEP}\d{{4}}"
    r"|1[568]\d{2}[-\s.]\d{4}"
    r")(?!\d)"
)
_SURNAME = "(?:" + "|".join(TWO_SYLLABLE_SURNAMES) + f"|[{SURNAMES}])"
_MASKED_GIVEN = r"(?:[○◯OＯ〇*＊xX×]{1,3})"
_TITLE = "(?:" + "|".join(TITLES) + ")"
_NAME_TITLE = re.compile(
    rf"(?<![\[가-힣A-Za-z])(?P<name>{_SURNAME}(?:[가-힣]{{1,2}}|\s?{_MASKED_GIVEN})?)(?P<gap>\s?)"
    rf"(?P<title>{_TITLE})(?P<hon>님?)(?![{NOT_AFTER_TITLE}])"
)
_NAME_HONORIFIC = re.compile(rf"(?<![\[가-힣])(?P<name>{_SURNAME}[가-힣]{{2}})님(?=$|[^가-힣]|[은는이께의을과도])")
_GIVEN_SSI = re.compile(r"(?<![\[가-힣])(?P<name>[가-힣]{2})\s?씨(?=$|[^가-힣]|[은는이가의를에도와께한])")
PSEUDONYM_RE = re.compile(PSEUDONYM)
_NOT_GIVEN = frozenset({"아저", "아가", "마음", "말솜", "아주머", "글솜", "맵시", "불씨"})
_NOT_BARE = frozenset((*TITLES, *ROLES, *NOT_NAMES))


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


def _mask_name_title(match: re.Match[str]) -> str:
    name, title = match.group("name"), match.group("title")
    bare = name.replace(" ", "")
    if bare in _NOT_BARE or (title == "시장" and len(bare) <= 2):  # 부품 시장, 중국 시장: markets, not mayors
        return match.group(0)
    return f"{NAME}{match.group('gap') or ' '}{title}{match.group('hon')}"


def _mask_honorific(match: re.Match[str]) -> str:
    return match.group(0) if match.group("name") in _NOT_BARE else f"{NAME}님"


def _mask_given_ssi(match: re.Match[str]) -> str:
    name = match.group("name")
    if name in _NOT_GIVEN or name in _NOT_BARE:
        return match.group(0)
    return f"{NAME} 씨"


def mask_text(text: str) -> str:
    """Replace resident numbers, phones, e-mails, business numbers and titled names by placeholders."""
    text = _EMAIL.sub(EMAIL, text)
    text = _RRN.sub(lambda m: RRN if _valid_rrn(m) else m.group(0), text)
    text = _BRN.sub(lambda m: BRN if _valid_brn(m) else m.group(0), text)
    text = _PHONE.sub(PHONE, text)
    text = _NAME_TITLE.sub(_mask_name_title, text)
    text = _NAME_HONORIFIC.sub(_mask_honorific, text)
    return _GIVEN_SSI.sub(_mask_given_ssi, text)


def pseudonym(name: str, key: bytes) -> str:
    """A stable pseudonym for a speaker: keyed HMAC, so the same person keeps the same id."""
    digest = hmac.new(key, name.replace(" ", "").encode(), hashlib.sha256).hexdigest()
    return f"화자-{digest[:6].upper()}"


def _redact_block(block: Block, key: bytes) -> Block:
    text = block.text
    label = parse_label(text, table_row=block.kind == "table_row")
    if label is not None and label.name_span is not None:
        start, end = label.name_span
        name = text[start:end]
        alias = name if PSEUDONYM_RE.fullmatch(name) else pseudonym(name, key)
        head = text[:start] + alias + text[end : label.end]
        text = head + mask_text(text[label.end :])
    else:
        text = mask_text(text)
    meta = dict(block.meta)
    if meta.get("respondent") and not PSEUDONYM_RE.fullmatch(meta["respondent"]):
        meta["respondent"] = pseudonym(meta["respondent"], key)
    return replace(block, text=text, meta=meta)


def redact(document: Document, key: bytes) -> Document:
    """Return the document with personal data masked and speaker names pseudonymised."""
    return replace(document, blocks=tuple(_redact_block(block, key) for block in document.blocks))
