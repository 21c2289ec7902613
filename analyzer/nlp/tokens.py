"""Tokens of one text without spaCy: the words, tags and lemmas a spaCy ``Doc`` would hold, as plain lists.

The hot path (features, key phrases) reads these directly; :func:`analyzer.nlp.tokenizer.doc_from_morphs` builds a
``Doc`` from the same lists in one call when a component needs one. Surfaces are slices of the text, so
``"".join(word + " " * space) == text`` always holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

#: (start, end, tag, lemma) of one morpheme, offsets in the text.
Morph = tuple[int, int, str, str]


@dataclass(slots=True)
class Tokens:
    """The tokens of ``text``: surface, trailing space, tag (``XSV+EC`` for merged morphemes) and lemma."""

    text: str
    words: list[str] = field(default_factory=list)
    spaces: list[bool] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    lemmas: list[str] = field(default_factory=list)

    def rows(self) -> Iterable[tuple[int, str, str]]:
        """``(offset, surface, tag)`` of each token, as ``Token.idx``, ``.text`` and ``.tag_`` give them."""
        offset = 0
        for word, space, tag in zip(self.words, self.spaces, self.tags, strict=True):
            yield offset, word, tag
            offset += len(word) + space

    @classmethod
    def of_doc(cls, doc: Any) -> Tokens:
        """The tokens of a spaCy ``Doc``."""
        return cls(
            doc.text,
            [t.text for t in doc],
            [bool(t.whitespace_) for t in doc],
            [t.tag_ for t in doc],
            [t.lemma_ for t in doc],
        )


def tokens_from_morphs(text: str, morphs: Sequence[Morph]) -> Tokens:
    """Tokens covering ``text`` exactly, from possibly overlapping morphemes.

    Overlapping or zero-width morphemes (지원돼야: 되/XSV + 어야/EC) are merged into one token tagged ``XSV+EC``
    with the first one's lemma; text between morphemes becomes a ``_SP`` (whitespace) or ``SW`` token, except one
    space after a word, which is that word's trailing space.
    """
    out = Tokens(text)
    size, cursor = len(text), 0
    first = last = 0  # the span of the group being built, its tags and its lemma
    tags: list[str] = []
    lemma = ""
    for start, end, tag, form in sorted(morphs, key=itemgetter(0)):
        if start < 0 or end > size or start > end:
            continue
        if tags and (start < last or start == end):
            last = max(last, end)
            tags.append(tag)
            continue
        if tags:
            cursor = _word(out, cursor, first, last, tags, lemma)
        first, last, tags, lemma = start, end, [tag], form
    if tags:
        cursor = _word(out, cursor, first, last, tags, lemma)
    _gap(out, text[cursor:])
    return out


def _word(out: Tokens, cursor: int, start: int, end: int, tags: list[str], lemma: str) -> int:
    """Append the group ``text[start:end]`` after the gap before it; the new cursor."""
    text = out.text
    if start > cursor:
        _gap(out, text[cursor:start])
    surface = text[start:end]
    out.words.append(surface)
    out.spaces.append(False)
    out.tags.append(tags[0] if len(tags) == 1 else "+".join(tags))
    out.lemmas.append(lemma or surface)
    return end


def _gap(out: Tokens, gap: str) -> None:
    if not gap:
        return
    if gap[0] == " " and out.words and not out.spaces[-1] and not out.words[-1].isspace():
        out.spaces[-1] = True
        gap = gap[1:]
    if gap:
        out.words.append(gap)
        out.spaces.append(False)
        out.tags.append("_SP" if gap.isspace() else "SW")
        out.lemmas.append(gap)
