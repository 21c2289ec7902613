"""Turn extracted text into clean blocks: NFC, no NUL, one line each, never blank."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from analyzer.records import Block, BlockKind


def clean_line(text: str) -> str:
    """NFC-normalise *text*, drop NUL, fold any line break into a space and strip the ends."""
    text = unicodedata.normalize("NFC", text.replace("\x00", ""))
    return " ".join(text.splitlines()).strip()


def line_blocks(text: str, kind: BlockKind = "paragraph") -> list[Block]:
    """One block per non-blank line of *text*; lines are never merged."""
    text = unicodedata.normalize("NFC", text.replace("\x00", ""))
    return [Block(line.strip(), kind) for line in text.splitlines() if line.strip()]


def row_block(cells: Iterable[str]) -> Block | None:
    """A ``table_row`` block of the non-empty cells joined by tabs, or ``None`` for a blank row.

    A cell's own line breaks and tabs become spaces so that tabs only separate cells.
    """
    texts = [clean_line(cell.replace("\t", " ")) for cell in cells]
    texts = [text for text in texts if text]
    return Block("\t".join(texts), "table_row") if texts else None


def answer_block(text: str, meta: Mapping[str, str]) -> Block | None:
    """A survey ``answer`` block, or ``None`` when the cell is blank."""
    text = clean_line(text)
    return Block(text, "answer", MappingProxyType(dict(meta))) if text else None
