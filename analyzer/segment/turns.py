"""Blocks of minutes and transcripts → speaker turns, meeting header fields, and the pieces that are neither.

Every block with a non-blank character goes to exactly one place: a turn's body, a header field, or a
:class:`~analyzer.records.Skipped` entry (its speaker label or bullet prefix too), so nothing is lost silently.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from analyzer.records import Block, Document, Meeting, Skipped
from analyzer.segment.header import merge_header, parse_header_line
from analyzer.speakers import BULLET, SpeakerLabel, block_label

_CONTENT = re.compile(r"[가-힣A-Za-z]")
_STARTS_WITH_BULLET = re.compile(rf"^\s*(?:{BULLET}|\d+[.)])\s*")
_PAGE_NUMBER = re.compile(r"\s*[-–—(\[]?\s*\d{1,4}\s*(?:/\s*\d{1,4}\s*)?[-–—)\]]?\s*(?:쪽|페이지|p\.?)?\s*")
#: Words of a meeting document's own title (간담회 결과, 회의록, 설문 결과 보고, ...).
_TITLE_WORDS = re.compile(
    r"간담회|회의|녹취|설문|결과|보고|토론회|협의회|설명회|포럼|세미나|워크숍|좌담회|면담|청취|의견\s?수렴|조사|현장"
)
#: Block kinds that never hold statements: a Word document's running headers and footers, a table's column headings.
RUNNING_KINDS = frozenset({"page_header", "page_footer", "table_heading"})


@dataclass
class Turn:
    """One speaker turn: its label (``None`` for unlabelled text) and body pieces as (document offset, text)."""

    index: int
    label: SpeakerLabel | None
    pieces: list[tuple[int, str]] = field(default_factory=list)


def read_turns(document: Document, meeting: Meeting) -> tuple[list[Turn], Meeting, list[Skipped]]:
    """The turns of *document*, its meeting with header fields filled in, and what is in neither."""
    turns: list[Turn] = []
    skipped: list[Skipped] = []
    blocks = list(zip(document.block_starts(), document.blocks, strict=True))
    for position, (start, block) in enumerate(blocks):
        text = block.text
        whole = (start, start + len(text))
        if not text.strip():
            continue
        if block.kind in RUNNING_KINDS or not _CONTENT.search(text):
            skipped.append(Skipped(*whole, _reason_without_words(block)))
            continue
        # Header fields come before the first speaker; without a colon, only before any statement at all.
        header = parse_header_line(text, colon_optional=not turns) if not any(t.label for t in turns) else None
        if header is not None:
            meeting = merge_header(meeting, *header)
            skipped.append(Skipped(*whole, f"header:{header[0]}"))
            continue
        label = block_label(block)
        bullet = _STARTS_WITH_BULLET.match(text)
        if label is None and turns and turns[-1].label and not bullet:
            turns[-1].pieces.append((start, text))
            continue
        if not turns and label is None and not _titled(skipped) and looks_like_title(text, blocks[position + 1 :]):
            meeting = merge_header(meeting, "title", text.strip())
            skipped.append(Skipped(*whole, "title"))
            continue
        body_start = label.end if label else (bullet.end() if bullet else 0)
        if text[:body_start].strip():
            skipped.append(Skipped(start, start + body_start, "speaker_label" if label else "bullet"))
        turns.append(Turn(index=len(turns), label=label))
        if text[body_start:].strip():
            turns[-1].pieces.append((start + body_start, text[body_start:]))
    return [turn for turn in turns if turn.pieces], meeting, skipped


def looks_like_title(text: str, following: Sequence[tuple[int, Block]]) -> bool:
    """A document's first line is its title when it is short, is not a sentence, and either names a meeting
    document (간담회, 회의록, 설문 결과, ...) or is followed by a header field (일시, 장소, ...)."""
    stripped = text.strip()
    if len(stripped) > 60 or stripped.endswith((".", "다", "요", "음", "함", "?", "!")):
        return False
    if _TITLE_WORDS.search(stripped):
        return True
    after = next((block.text for _, block in following if block.text.strip()), "")
    return parse_header_line(after) is not None


def _titled(skipped: list[Skipped]) -> bool:
    return any(piece.reason in ("title", "header:title") for piece in skipped)


def _reason_without_words(block: Block) -> str:
    if block.kind in RUNNING_KINDS:
        return block.kind
    return "page_number" if _PAGE_NUMBER.fullmatch(block.text) else "no_words"
