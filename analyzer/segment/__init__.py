"""Split a (masked) document into units: speaker turns, their sentences, or survey answers.

The conservation law: every non-blank character of ``document.text`` is in exactly one unit or one
:class:`~analyzer.records.Skipped` piece (a header field, the title, a speaker label, a page number, ...);
:func:`uncovered` finds the characters that break it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import NamedTuple

from analyzer.records import Document, Meeting, Skipped, Unit, UnitKind
from analyzer.segment.sentences import MAX_UNIT_CHARS, KiwiSentenceSplitter, SentenceSplitter, Span, trim_spans
from analyzer.segment.turns import read_turns

__all__ = [
    "MAX_UNIT_CHARS",
    "KiwiSentenceSplitter",
    "Segmentation",
    "SentenceSplitter",
    "segment",
    "segment_document",
    "trim_spans",
    "uncovered",
]


class Segmentation(NamedTuple):
    """The meeting (header fields filled in), the units, and every piece of text that is in no unit."""

    meeting: Meeting
    units: list[Unit]
    skipped: list[Skipped]


def segment(
    document: Document, splitter: SentenceSplitter, meeting: Meeting | None = None
) -> tuple[Meeting, list[Unit]]:
    """Return the meeting (header fields filled in) and the units of ``document``."""
    found = segment_document(document, splitter, meeting)
    return found.meeting, found.units


def segment_document(
    document: Document,
    splitter: SentenceSplitter,
    meeting: Meeting | None = None,
    each_turn: Callable[[list[Unit]], object] | None = None,
) -> Segmentation:
    """:func:`segment` with the account of what was skipped and why; *each_turn*, when given, gets each speaker
    turn's units as soon as they are found (while Kiwi goes on with the following turns)."""
    meeting = meeting or Meeting()
    if document.is_survey:
        return _survey_units(document, meeting, splitter)
    turns, meeting, skipped = read_turns(document, meeting)
    bodies = [text for turn in turns for _, text in turn.pieces]
    spans = splitter.split_each(bodies)
    units: list[Unit] = []
    whole = document.text  # a join of every block: read once, not once per unit
    for turn in turns:
        sentences: list[Span] = []
        for offset, text in turn.pieces:
            found = next(spans)
            sentences += [(offset + s, offset + e) for s, e in found]
            skipped += _gaps(text, found, offset)
        kind: UnitKind = "turn" if len(sentences) == 1 else "sentence"
        label = turn.label
        first = len(units)
        for start, end in sentences:
            units.append(
                Unit(
                    seq=len(units),
                    unit_kind=kind,
                    text=whole[start:end],
                    start=start,
                    end=end,
                    turn=turn.index,
                    speaker=label.name if label else "",
                    title=label.title if label else "",
                    organisation=label.organisation if label else "",
                )
            )
        if each_turn is not None:
            each_turn(units[first:])
    return Segmentation(meeting, units, sorted(skipped, key=lambda piece: piece.start))


def uncovered(document: Document, units: Iterable[Unit], skipped: Iterable[Skipped]) -> list[Span]:
    """Spans of non-blank characters in no unit or skipped piece, and spans claimed twice (the law's breaches)."""
    text = document.text
    claims = [0] * len(text)
    for start, end in [(u.start, u.end) for u in units] + [(s.start, s.end) for s in skipped]:
        for index in range(start, end):
            claims[index] += 1
    bad = [i for i, ch in enumerate(text) if (claims[i] == 0 and not ch.isspace()) or claims[i] > 1]
    breaches: list[Span] = []
    for index in bad:
        if breaches and breaches[-1][1] == index:
            breaches[-1] = (breaches[-1][0], index + 1)
        else:
            breaches.append((index, index + 1))
    return breaches


def _gaps(text: str, spans: Sequence[Span], offset: int) -> list[Skipped]:
    """Non-blank text before, between or after sentence spans (the splitter leaves none; this records any)."""
    gaps: list[Skipped] = []
    cursor = 0
    for lo, hi in [*spans, (len(text), len(text))]:
        piece = text[cursor:lo]
        if piece.strip():
            first = cursor + len(piece) - len(piece.lstrip())
            gaps.append(Skipped(offset + first, offset + cursor + len(piece.rstrip()), "between_sentences"))
        cursor = max(cursor, hi)
    return gaps


def _survey_units(document: Document, meeting: Meeting, splitter: SentenceSplitter) -> Segmentation:
    """One unit per answer cell; a cell longer than the splitter's limit is split into sentences."""
    units: list[Unit] = []
    skipped = [
        Skipped(start, start + len(block.text), "not_an_answer")
        for start, block in zip(document.block_starts(), document.blocks, strict=True)
        if block.kind != "answer" and block.text.strip()
    ]
    answers = [
        (start, block)
        for start, block in zip(document.block_starts(), document.blocks, strict=True)
        if block.kind == "answer" and block.text.strip()
    ]
    for turn, (start, block) in enumerate(answers):
        if len(block.text) > splitter.max_chars:
            (spans,) = splitter.split([block.text])
        else:
            spans = trim_spans(block.text, [(0, len(block.text))])
        skipped += _gaps(block.text, spans, start)
        meta = dict(block.meta)
        speaker, organisation = meta.pop("respondent", ""), meta.pop("organisation", "")
        for lo, hi in spans:
            units.append(
                Unit(
                    seq=len(units),
                    unit_kind="answer",
                    text=block.text[lo:hi],
                    start=start + lo,
                    end=start + hi,
                    turn=turn,
                    speaker=speaker,
                    organisation=organisation,
                    meta=meta,
                )
            )
    kind_meeting = meeting if meeting.kind == "survey" else replace(meeting, kind="survey")
    return Segmentation(kind_meeting, units, skipped)
