"""DOCX: body paragraphs and table rows in document order (python-docx)."""

from __future__ import annotations

import io
from collections.abc import Iterator

from docx import Document as open_docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from analyzer.ingest.blocks import line_blocks, row_block
from analyzer.records import Block

_P, _TBL, _SDT, _SDT_CONTENT = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")
_ALTERNATE_CONTENT = "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"
_INLINE = {qn("w:t"): None, qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-"}
#: Properties (their ``w:tab`` is a tab stop, not a tab) and drawings (text boxes come twice: DrawingML and
#: its VML fallback) are not read as text.
_SKIP = frozenset({qn("w:pPr"), qn("w:rPr"), qn("w:drawing"), qn("w:pict"), qn("w:object"), _ALTERNATE_CONTENT})


def parse_docx(data: bytes) -> list[Block]:
    """Paragraph blocks (one per line of a paragraph) and one ``table_row`` block per table row."""
    document = open_docx(io.BytesIO(data))
    return list(_blocks(document.element.body, document))


def _blocks(container: BaseOxmlElement, document: DocxDocument) -> Iterator[Block]:
    for child in container:
        if child.tag == _P:
            yield from line_blocks(_paragraph_text(child))
        elif child.tag == _TBL:
            yield from _table_rows(Table(child, document))
        elif child.tag == _SDT:  # a content control wraps ordinary body content
            for content in child.iterchildren(_SDT_CONTENT):
                yield from _blocks(content, document)


def _paragraph_text(element: BaseOxmlElement) -> str:
    """The text of a paragraph, tracked insertions included (python-docx's ``Paragraph.text`` reads only
    direct runs and hyperlinks); deleted text is kept in ``w:delText`` and so left out."""
    parts: list[str] = []
    for child in element:
        if child.tag in _INLINE:
            parts.append(_INLINE[child.tag] or child.text or "")
        elif child.tag not in _SKIP:
            parts.append(_paragraph_text(child))
    return "".join(parts)


def _table_rows(table: Table) -> Iterator[Block]:
    """One block per row: each ``w:tc`` once (a horizontal span is one cell), a vertical-merge
    continuation left empty (its text belongs to the row above)."""
    for row in table.rows:
        cells = []
        for tc in row._tr.tc_lst:
            if tc.vMerge == "continue":
                continue
            cells.append(_cell_text(_Cell(tc, table)))
        block = row_block(cells)
        if block is not None:
            yield block


def _cell_text(cell: _Cell) -> str:
    """A cell's paragraphs and nested tables as one line."""
    parts: list[str] = []
    for item in cell.iter_inner_content():
        if isinstance(item, Paragraph):
            parts.append(_paragraph_text(item._p))
        else:
            parts.extend(_cell_text(inner) for inner_row in item.rows for inner in inner_row.cells)
    return " ".join(part.strip() for part in parts if part.strip())
