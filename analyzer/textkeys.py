"""Exact-duplicate keys of unit texts, shared by the store (computed once when a unit is written) and the aggregates.

Two texts that differ only in spacing, case or punctuation at either end have the same key; the stored form is a
64-bit hash of that key (0 for a text that is blank or punctuation only), so counting duplicates never reads text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

PUNCTUATION = ".,!?;:·…~-–—\"'“”‘’()[]<>「」『』《》〈〉、。"


def text_keys(texts: Iterable[str]) -> list[str]:
    """A key per text, equal for texts that differ only in spacing, case or punctuation at either end."""
    return ["".join(text.casefold().split()).strip(PUNCTUATION) for text in texts]


def key_hash(key: str) -> int:
    """A signed 64-bit hash of a text key; 0 only for the blank key."""
    if not key:
        return 0
    value = int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big", signed=True)
    return value or 1


def text_hashes(texts: Iterable[str]) -> list[int]:
    """:func:`key_hash` of each text's key."""
    return [key_hash(key) for key in text_keys(texts)]


def main_phrase(phrases: Iterable[str]) -> str:
    """The most specific of a unit's key phrases: most words, then most characters, then first seen ('' if none)."""
    ranked = sorted(enumerate(phrases), key=lambda item: (-len(item[1].split()), -len(item[1]), item[0]))
    return ranked[0][1] if ranked else ""


def signature_of(phrases: Iterable[str], text_key: int) -> int:
    """A unit's recurring-issue signature: the hash of its :func:`main_phrase`, else its exact-duplicate key hash
    (*text_key*; 0, no signature, for a blank text without key phrases)."""
    phrase = main_phrase(phrases)
    return key_hash("#" + phrase) if phrase else text_key


def clean_labels(values: Iterable[object] | None) -> list[str]:
    """Distinct non-empty items with inner whitespace collapsed, in first-seen order (a plain string is one item)."""
    if values is None:
        return []
    items = [values] if isinstance(values, str) else list(values)
    cleaned = (" ".join(str(item).split()) for item in items if item is not None)
    return list(dict.fromkeys(item for item in cleaned if item))
