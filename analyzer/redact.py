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
    NOT_AFTER_TITLE,
    NOT_NAMES,
    ROLES,
    SURNAMES,
    TITLES,
    TWO_SYLLABLE_SURNAMES,
)
from analyzer.records import BLOCK_SEPARATOR, Block, Document
from analyzer.segment.labels import PSEUDONYM, block_label

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
_MASKED_GIVEN = r"(?:[○◯OＯ〇*＊xX×]{1,3})"
_TITLE = "(?:" + "|".join(TITLES) + ")"
_START = r"(?<![가-힣A-Za-z])(?!이름\])"  # a word start that is not the [이름] placeholder
_NAME_TITLE = re.compile(
    rf"{_START}(?P<name>{_SURNAME}(?:[가-힣]{{1,2}}|\s?{_MASKED_GIVEN})?)(?P<gap>\s*)"
    rf"(?P<title>{_TITLE})(?P<hon>님?)(?![{NOT_AFTER_TITLE}])"
)
_NAME_HONORIFIC = re.compile(rf"{_START}(?P<name>{_SURNAME}[가-힣]{{2}})님(?=$|[^가-힣]|[은는이께의을과도])")
_GIVEN_SSI = re.compile(rf"{_START}(?P<name>[가-힣]{{2}})\s*씨(?=$|[^가-힣]|[은는이가의를에도와께한])")
PSEUDONYM_RE = re.compile(PSEUDONYM)
_NOT_GIVEN = frozenset({"아저", "아가", "마음", "말솜", "아주머", "글솜", "맵시", "불씨"})
_PARTICLES = "는를을에"
_NOT_BARE = frozenset((*TITLES, *ROLES, *NOT_NAMES))


def _sub_folded(pattern: re.Pattern[str], text: str, replace_match: Callable[[re.Match[str]], str | None]) -> str:
    """Replace the matches of *pattern* in the folded view by ``replace_match``'s text (``None`` keeps the
    original); everything between matches is the original text."""
    pieces, last = [], 0
    for match in pattern.finditer(text.translate(FOLD)):
        replacement = replace_match(match)
        if replacement is not None:
            pieces += [text[last : match.start()], replacement]
            last = match.end()
    return "".join(pieces) + text[last:] if pieces else text


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
    if len(bare) == 3 and bare[-1] in _PARTICLES:  # 문의는 대표번호: a word and its particle, not a name
        return False
    if not match.group("gap") and bare + match.group("title") in TITLES:  # 사무국장, 부사장: one title
        return False
    short = len(bare) <= 2 and not re.search(_MASKED_GIVEN, bare)
    return bare not in _NOT_BARE and not (match.group("title") in AMBIGUOUS_TITLES and short)


def _mask_name_title(match: re.Match[str]) -> str:
    if not _is_titled_name(match):
        return match.group(0)
    return f"{NAME}{match.group('gap') or ' '}{match.group('title')}{match.group('hon')}"


def _mask_honorific(match: re.Match[str]) -> str:
    return match.group(0) if match.group("name") in _NOT_BARE else f"{NAME}님"


def _mask_given_ssi(match: re.Match[str]) -> str:
    name = match.group("name")
    if name in _NOT_GIVEN or name in _NOT_BARE:
        return match.group(0)
    return f"{NAME} 씨"


def mask_text(text: str) -> str:
    """Replace resident numbers, phones, e-mails, business numbers and titled names by placeholders."""
    text = _sub_folded(_EMAIL, text, lambda _: EMAIL)
    text = _sub_folded(_RRN, text, lambda m: RRN if _valid_rrn(m) else None)
    text = _sub_folded(_BRN, text, lambda m: BRN if _valid_brn(m) else None)
    text = _sub_folded(_PHONE, text, lambda _: PHONE)
    text = _NAME_TITLE.sub(_mask_name_title, text)
    text = _NAME_HONORIFIC.sub(_mask_honorific, text)
    return _GIVEN_SSI.sub(_mask_given_ssi, text)


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
    meta = dict(block.meta)
    if meta.get("respondent") and not PSEUDONYM_RE.fullmatch(meta["respondent"]):
        # A respondent column holds ids (1, 2, R-07) that only mean something inside their survey.
        meta["respondent"] = pseudonym(f"{survey}:{meta['respondent']}", key)
    return replace(block, text=text, meta=meta)


def _mask_wrapped_names(blocks: list[Block]) -> list[Block]:
    """Mask a name that ends one paragraph line when its title starts the next one (a wrapped PDF line)."""
    for index in range(len(blocks) - 1):
        first, second = blocks[index], blocks[index + 1]
        if first.kind != "paragraph" or second.kind != "paragraph":
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
