"""Immutable records that flow through the pipeline: ingest → redact → segment → analyze."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import orjson

#: ``page_header``/``page_footer``: a Word document's running headers and footers; ``table_heading``: a table's
#: column headings (발언자 | 소속 | 발언 내용). None of the three holds statements.
BlockKind = Literal["paragraph", "table_row", "answer", "page_header", "page_footer", "table_heading"]
#: Meta key of a table row under a column heading row: the role of each of its cells (speaker, organisation,
#: title, statement, other), tab-separated like the cells.
COLUMNS_META = "columns"
UnitKind = Literal["turn", "sentence", "answer"]
Register = Literal["minutes", "transcript", "survey"]

BLOCK_SEPARATOR = "\n"


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph, table row or survey answer of a document, in reading order."""

    text: str
    kind: BlockKind = "paragraph"
    meta: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Document:
    """The text of one uploaded file, as blocks joined by newlines."""

    name: str
    format: str
    blocks: tuple[Block, ...]
    encoding: str | None = None
    sha256: str = ""

    @property
    def text(self) -> str:
        return BLOCK_SEPARATOR.join(block.text for block in self.blocks)

    def block_starts(self) -> list[int]:
        """Offset of each block in :attr:`text`."""
        starts, offset = [], 0
        for block in self.blocks:
            starts.append(offset)
            offset += len(block.text) + len(BLOCK_SEPARATOR)
        return starts

    @property
    def is_survey(self) -> bool:
        return any(block.kind == "answer" for block in self.blocks)


@dataclass(frozen=True, slots=True)
class Meeting:
    """Metadata of one meeting or survey batch (from the minutes header or the uploader)."""

    title: str = ""
    date: str = ""
    place: str = ""
    attendees: str = ""
    agenda: str = ""
    agency: str = ""
    programme: str = ""
    region: str = ""
    kind: Literal["roundtable", "survey"] = "roundtable"

    def as_dict(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class Skipped:
    """A piece of a document's text that is in no unit, and why: a meeting header field (``header:date``), the
    title, a speaker label, a bullet, a page number, a running header or footer, or text without letters."""

    start: int
    end: int
    reason: str


@dataclass(frozen=True, slots=True)
class Unit:
    """The smallest piece that is tagged: a speaker turn, a sentence of a turn, or a survey answer.

    ``document.text[start:end] == text`` always holds.
    """

    seq: int
    unit_kind: UnitKind
    text: str
    start: int
    end: int
    turn: int = 0
    speaker: str = ""
    title: str = ""
    organisation: str = ""
    meta: Mapping[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "seq": self.seq,
            "unit_kind": self.unit_kind,
            "text": self.text,
            "speaker": self.speaker,
            "title": self.title,
            "organisation": self.organisation,
            "start": self.start,
            "end": self.end,
            "turn": self.turn,
            **dict(self.meta),
        }


def json_line(record: Mapping[str, Any]) -> str:
    """One record as a line of JSON: Korean text as is, NumPy scalars as Python values, anything else unknown as its
    text (a float that is not a number as ``null``)."""
    return orjson.dumps(record, default=_jsonable).decode()


def json_lines(records: Iterable[Mapping[str, Any]]) -> Iterator[bytes]:
    """Records as UTF-8 lines of JSON, each as :func:`json_line` gives it and ending in a newline (for a file opened
    in binary mode: no text layer encoding each line again, no one string of the whole file)."""
    for record in records:
        yield orjson.dumps(record, default=_jsonable, option=orjson.OPT_APPEND_NEWLINE)


def _jsonable(value: object) -> object:
    return value.item() if hasattr(value, "item") else str(value)
