"""The content of a 보고서, independent of its file format: a title block and a flow of blocks that every writer
(HWPX, DOCX, PDF) renders the same way.

개조식 lines carry their level, and the level gives the marker Korean agencies use: □ (heading point), ○ (point),
- (detail), ※ (note).
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The 개조식 marker of each :class:`Line` level.
MARKERS = ("□", "○", "-", "※")


@dataclass(frozen=True)
class Heading:
    """A section heading (level 1: ``Ⅰ. 요약``) or a sub-heading (level 2: one category)."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Line:
    """One 개조식 line: *level* 0 □, 1 ○, 2 -, 3 ※; *strong* lines are set in bold."""

    text: str
    level: int = 0
    strong: bool = False

    @property
    def marker(self) -> str:
        return MARKERS[min(self.level, len(MARKERS) - 1)]


@dataclass(frozen=True)
class Table:
    """A table with one heading row; *widths* are relative column widths, *numeric* columns are right-aligned."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    numeric: tuple[bool, ...] = ()
    caption: str = ""

    def is_numeric(self, column: int) -> bool:
        return column < len(self.numeric) and self.numeric[column]


@dataclass(frozen=True)
class Chart:
    """A chart already drawn as PNG (with the bundled Korean font), placed *width_mm* wide."""

    png: bytes
    width_px: int
    height_px: int
    width_mm: float
    caption: str

    @property
    def height_mm(self) -> float:
        return self.width_mm * self.height_px / self.width_px


@dataclass(frozen=True)
class PageBreak:
    """The next block starts a new page."""


Block = Heading | Line | Table | Chart | PageBreak


@dataclass(frozen=True)
class Report:
    """A whole report: the title block (title, the conditions as label/value rows) and its blocks in order."""

    title: str
    meta: tuple[tuple[str, str], ...]
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    #: A short ASCII stem for file names (``moksori-report``).
    stem: str = "moksori-report"

    def text(self) -> str:
        """Everything the report says as plain lines (the title, the conditions, every block's text)."""
        out = [self.title, *(f"{label}: {value}" for label, value in self.meta)]
        for block in self.blocks:
            if isinstance(block, Heading):
                out.append(block.text)
            elif isinstance(block, Line):
                out.append(f"{block.marker} {block.text}")
            elif isinstance(block, Table):
                out.extend(" | ".join(row) for row in (block.header, *block.rows))
            elif isinstance(block, Chart):
                out.append(block.caption)
        return "\n".join(out)
