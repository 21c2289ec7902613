"""Split a (masked) document into units: speaker turns, their sentences, or survey answers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from analyzer.records import Document, Meeting, Unit, UnitKind
from analyzer.segment.header import merge_header, parse_header_line
from analyzer.segment.labels import BULLET, SpeakerLabel, parse_label
from analyzer.segment.sentences import KiwiSentenceSplitter, SentenceSplitter, trim_spans

__all__ = ["KiwiSentenceSplitter", "SentenceSplitter", "segment", "trim_spans"]

_CONTENT = re.compile(r"[가-힣A-Za-z]")
_STARTS_WITH_BULLET = re.compile(rf"^\s*(?:{BULLET}|\d+[.)])\s*")


@dataclass
class _Turn:
    index: int
    label: SpeakerLabel | None
    pieces: list[tuple[int, str]] = field(default_factory=list)  # (offset in document, text)


def segment(
    document: Document, splitter: SentenceSplitter, meeting: Meeting | None = None
) -> tuple[Meeting, list[Unit]]:
    """Return the meeting (header fields filled in) and the units of ``document``."""
    meeting = meeting or Meeting()
    if document.is_survey:
        return _survey_units(document, meeting)
    turns, meeting = _turns(document, meeting)
    bodies = [text for turn in turns for _, text in turn.pieces]
    spans = iter(splitter.split(bodies))
    units: list[Unit] = []
    for turn in turns:
        sentences = [(offset + s, offset + e) for offset, _ in turn.pieces for s, e in next(spans)]
        kind: UnitKind = "turn" if len(sentences) == 1 else "sentence"
        label = turn.label
        for start, end in sentences:
            units.append(
                Unit(
                    seq=len(units),
                    unit_kind=kind,
                    text=document.text[start:end],
                    start=start,
                    end=end,
                    turn=turn.index,
                    speaker=label.name if label else "",
                    title=label.title if label else "",
                    organisation=label.organisation if label else "",
                )
            )
    return meeting, units


def _turns(document: Document, meeting: Meeting) -> tuple[list[_Turn], Meeting]:
    turns: list[_Turn] = []
    for start, block in zip(document.block_starts(), document.blocks, strict=True):
        if not _CONTENT.search(block.text):
            continue
        header = parse_header_line(block.text) if not any(t.label for t in turns) else None
        if header is not None:
            meeting = merge_header(meeting, *header)
            continue
        label = parse_label(block.text, table_row=block.kind == "table_row")
        bullet = _STARTS_WITH_BULLET.match(block.text)
        body_start = label.end if label else (bullet.end() if bullet else 0)
        body = block.text[body_start:]
        if label is None and turns and turns[-1].label and not bullet:
            turns[-1].pieces.append((start, block.text))
            continue
        if not turns and label is None and _looks_like_title(block.text):
            meeting = merge_header(meeting, "title", block.text.strip())
            continue
        turns.append(_Turn(index=len(turns), label=label))
        if body.strip():
            turns[-1].pieces.append((start + body_start, body))
    return [turn for turn in turns if turn.pieces], meeting


def _looks_like_title(text: str) -> bool:
    stripped = text.strip()
    return len(stripped) <= 60 and not stripped.endswith((".", "다", "요", "음", "함", "?"))


def _survey_units(document: Document, meeting: Meeting) -> tuple[Meeting, list[Unit]]:
    units: list[Unit] = []
    for start, block in zip(document.block_starts(), document.blocks, strict=True):
        if block.kind != "answer" or not block.text.strip():
            continue
        (lo, hi), *_ = trim_spans(block.text, [(0, len(block.text))])
        meta = dict(block.meta)
        units.append(
            Unit(
                seq=len(units),
                unit_kind="answer",
                text=block.text[lo:hi],
                start=start + lo,
                end=start + hi,
                turn=len(units),
                speaker=meta.pop("respondent", ""),
                organisation=meta.pop("organisation", ""),
                meta=meta,
            )
        )
    kind_meeting = meeting if meeting.kind == "survey" else replace(meeting, kind="survey")
    return kind_meeting, units
