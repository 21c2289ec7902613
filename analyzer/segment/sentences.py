"""Sentence spans inside a speaker turn, from Kiwi (handles spoken run-ons without punctuation)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

Span = tuple[int, int]


class SentenceSplitter(Protocol):
    """Anything that splits a batch of texts into sentence spans."""

    def split(self, texts: Sequence[str]) -> list[list[Span]]: ...


class KiwiSentenceSplitter:
    """Kiwi's ``split_into_sents`` over a batch; spans are trimmed of surrounding whitespace."""

    def __init__(self, kiwi: object) -> None:
        self.kiwi = kiwi

    def split(self, texts: Sequence[str]) -> list[list[Span]]:
        if not texts:
            return []
        batches = self.kiwi.split_into_sents(iter(texts))  # type: ignore[attr-defined]
        return [trim_spans(text, [(s.start, s.end) for s in sents]) for text, sents in zip(texts, batches, strict=True)]


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
