"""Mask an uploaded file's name before it is stored: people name files after people.

A file name has no sentence around a name to tell it apart (``김철수_900101-1234568_010-1234-5678.txt``), so
on top of the text masking, every token between separators that has the shape of a Korean full name (a surname
and two syllables, or a two-syllable surname and two) becomes ``[이름]``, unless it ends like an ordinary
noun of file names (간담회, 녹취록, 울산시, ...). Over-masking a file name loses little; a leaked name cannot be
taken back.
"""

from __future__ import annotations

import re

from analyzer.names import NOT_NAMES, SURNAMES, TWO_SYLLABLE_SURNAMES
from analyzer.redact import NAME, PLACEHOLDERS, mask_text

#: Last syllables of common nouns in file names (meetings, places, documents), never of the names masked here.
NOUN_ENDINGS = "회록서지표안문청시군구도원단부과팀실소국처관업사장별본건차용류"
_PLACEHOLDER_WORDS = frozenset(placeholder.strip("[]") for placeholder in PLACEHOLDERS)
_SEPARATORS = re.compile(r"([_\-\s.,()\[\]{}+~&#@=]+)")
_FULL_NAME = re.compile(
    "(?:" + "|".join(f"{s}[가-힣]{{2}}" for s in TWO_SYLLABLE_SURNAMES) + f"|[{SURNAMES}][가-힣]{{2}})"
)


def mask_filename(name: str) -> str:
    """*name* with personal data masked: numbers, e-mails and names with titles as in text, and full-name-shaped
    tokens. Idempotent; the extension is kept."""
    stem, dot, extension = name.rpartition(".")
    if not dot or not re.fullmatch(r"[A-Za-z0-9]{1,8}", extension):
        stem, dot, extension = name, "", ""
    parts = _SEPARATORS.split(mask_text(stem))
    return "".join(NAME if _looks_like_name(part) else part for part in parts) + dot + extension


def _looks_like_name(token: str) -> bool:
    return (
        _FULL_NAME.fullmatch(token) is not None
        and token not in NOT_NAMES
        and token not in _PLACEHOLDER_WORDS
        and token[:2] not in NOT_NAMES
        and token[-1] not in NOUN_ENDINGS
    )
