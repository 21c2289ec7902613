"""Sentence spans inside a speaker turn, from Kiwi (handles spoken run-ons without punctuation).

One Kiwi analysis gives both the sentences and their morphemes (each token's ``sent_position``); the splitter
keeps each sentence's morphemes in ``tokens`` (sentence text → morphemes, offsets in the sentence), so the
tagger does not analyse the same text a second time.

No span is longer than :data:`MAX_UNIT_CHARS`: a longer text (a survey cell, a turn without sentence ends) goes to
Kiwi in windows cut near the limit, since Kiwi's time grows faster than the length of one text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol

Span = tuple[int, int]
#: (start, end, tag, lemma) of one morpheme (the same shape as ``analyzer.nlp.tokens.Morph``).
Morph = tuple[int, int, str, str]

#: The longest unit, in characters; longer sentences are cut at a boundary near the limit.
MAX_UNIT_CHARS = 2000

#: Where a cut is best made, most preferred first: after a sentence end or a line break, after other punctuation,
#: at whitespace. A window without any of them in its second half is cut at the limit itself.
_BOUNDARIES = (re.compile(r"[.?!。？！…\n]"), re.compile(r"[,;:·、，)\]」』>]"), re.compile(r"\s"))


class SentenceSplitter(Protocol):
    """Anything that splits a batch of texts into sentence spans of at most ``max_chars`` characters."""

    max_chars: int

    def split(self, texts: Sequence[str]) -> list[list[Span]]: ...

    def split_each(self, texts: Sequence[str]) -> Iterator[list[Span]]: ...


class KiwiSentenceSplitter:
    """Kiwi's sentence split over a batch; spans are trimmed of surrounding whitespace and at most *max_chars*
    long. With *keep_tokens*, ``tokens`` maps each sentence's text to its morphemes (build one splitter per
    document then, so the map stays small)."""

    def __init__(self, kiwi: object, max_chars: int = MAX_UNIT_CHARS, keep_tokens: bool = False) -> None:
        self.kiwi = kiwi
        self.max_chars = max_chars
        self.keep_tokens = keep_tokens
        self.tokens: dict[str, list[Morph]] = {}
        #: The tags and forms seen, each one string object (see :func:`kiwi_sentences`).
        self.names: dict[str, str] = {}

    def split(self, texts: Sequence[str]) -> list[list[Span]]:
        return list(self.split_each(texts))

    def split_each(self, texts: Sequence[str]) -> Iterator[list[Span]]:
        """The spans of each text, as Kiwi's threads analyse them (the next texts go on while a caller works)."""
        if not texts:
            return
        windows = [window_spans(text, self.max_chars) for text in texts]
        pieces = [text[start:end] for text, spans in zip(texts, windows, strict=True) for start, end in spans]
        analysed = iter(self.kiwi.tokenize(iter(pieces)))  # type: ignore[attr-defined]
        for text, spans in zip(texts, windows, strict=True):
            found: list[Span] = []
            morphs: dict[Span, list[Morph]] = {}
            for start, _ in spans:
                for lo, hi, sentence in kiwi_sentences(next(analysed), self.names if self.keep_tokens else None):
                    found.append((start + lo, start + hi))
                    morphs[(start + lo, start + hi)] = sentence
            final = bound_spans(text, trim_spans(text, found), self.max_chars)
            if self.keep_tokens:
                for span in final:
                    if span in morphs:
                        self.tokens[text[span[0] : span[1]]] = morphs[span]
            yield final


def kiwi_sentences(tokens: Iterable[Any], names: dict[str, str] | None = None) -> list[tuple[int, int, list[Morph]]]:
    """Kiwi's tokens of one text grouped into sentences by their ``sent_position`` (as ``split_sents=True``
    groups them, in one pass): each sentence's start, end and morphemes (offsets in the sentence). Each tag and
    form is replaced by the equal string kept in *names*, if there (it is kept there otherwise): Kiwi makes a new
    string per token, and morphemes sent to another process then pickle each string once."""
    one = {} if names is None else names
    out: list[tuple[int, int, list[Morph]]] = []
    position, first, end = -1, 0, 0
    morphs: list[Morph] = []
    for token in tokens:
        start = token.start
        if token.sent_position != position:
            if morphs:
                out.append((first, end, morphs))
            position, first, morphs = token.sent_position, start, []
        end = start + token.len
        tag, form = token.tag, token.form
        morphs.append((start - first, end - first, one.setdefault(tag, tag), one.setdefault(form, form)))
    if morphs:
        out.append((first, end, morphs))
    return out


def window_spans(text: str, max_chars: int) -> list[Span]:
    """Consecutive spans covering *text*, each at most *max_chars* long, cut at the best boundary near the limit."""
    spans: list[Span] = []
    start = 0
    while len(text) - start > max_chars:
        end = start + max_chars
        spans.append((start, _cut(text, start + max_chars // 2, end)))
        start = spans[-1][1]
    spans.append((start, len(text)))
    return spans


def _cut(text: str, low: int, high: int) -> int:
    """The end of the last preferred boundary in ``text[low:high]``, else *high*."""
    for boundary in _BOUNDARIES:
        found = [match.end() for match in boundary.finditer(text, low, high)]
        if found:
            return found[-1]
    return high


def bound_spans(text: str, spans: Sequence[Span], max_chars: int) -> list[Span]:
    """Cut every span longer than *max_chars* at boundaries near the limit (pieces trimmed of whitespace)."""
    out: list[Span] = []
    for start, end in spans:
        if end - start <= max_chars:
            out.append((start, end))
            continue
        for piece_start, piece_end in window_spans(text[start:end], max_chars):
            out.extend(_trimmed(text, start + piece_start, start + piece_end))
    return out


def trim_spans(text: str, spans: Sequence[Span]) -> list[Span]:
    """Trim whitespace around each span, drop empty ones, and cover any text a splitter skipped."""
    out: list[Span] = []
    cursor = 0
    for start, end in sorted(spans):
        start = max(start, cursor)
        if start > cursor and text[cursor:start].strip():
            start = cursor  # never lose characters between two sentences
        out.extend(_trimmed(text, start, end))
        cursor = max(cursor, end)
    if text[cursor:].strip():
        if out and out[-1][1] == cursor:
            out[-1] = (out[-1][0], len(text.rstrip()))
        else:
            out.extend(_trimmed(text, cursor, len(text)))
    return out


def _trimmed(text: str, start: int, end: int) -> list[Span]:
    piece = text[start:end]
    if not piece.strip():
        return []
    lead = len(piece) - len(piece.lstrip())
    trail = len(piece) - len(piece.rstrip())
    return [(start + lead, end - trail)]
