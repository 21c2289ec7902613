"""The report as DOCX (python-docx): A4, 맑은 고딕 for Korean, a boxed title, a shaded conditions table, 개조식
lines with hanging indents, headings kept with the next paragraph, tables whose heading row repeats, charts as
pictures."""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from analyzer.report.model import Chart, Heading, Line, PageBreak, Report, Table

FONT = "맑은 고딕"
SHADE = "E7ECF3"
INDENT_MM, MARKER_MM = 6.0, 5.0


def _font(run: object, size: float, bold: bool = False, colour: RGBColor | None = None) -> None:
    run.font.size = Pt(size)  # type: ignore[attr-defined]
    run.font.bold = bold  # type: ignore[attr-defined]
    run.font.name = FONT  # type: ignore[attr-defined]
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)  # type: ignore[attr-defined]
    if colour is not None:
        run.font.color.rgb = colour  # type: ignore[attr-defined]


def _shade(cell: object) -> None:
    fill = OxmlElement("w:shd")
    fill.set(qn("w:val"), "clear")
    fill.set(qn("w:color"), "auto")
    fill.set(qn("w:fill"), SHADE)
    cell._tc.get_or_add_tcPr().append(fill)  # type: ignore[attr-defined]


def _cell(cell: object, text: str, size: float, align: WD_ALIGN_PARAGRAPH, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    _font(paragraph.add_run(text), size, bold)


def _table(document: object, rows: Sequence[tuple[str, ...]], widths: list[float], header: bool) -> object:
    table = document.add_table(rows=len(rows), cols=len(widths))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    total = sum(widths)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(170 * width / total)
        for cell in column.cells:
            cell.width = Mm(170 * width / total)
    if header:
        marker = OxmlElement("w:tblHeader")
        marker.set(qn("w:val"), "true")
        table.rows[0]._tr.get_or_add_trPr().append(marker)
    return table


def _title(document: object, report: Report) -> None:
    box = _table(document, [(report.title,)], [1], header=False)
    cell = box.cell(0, 0)  # type: ignore[attr-defined]
    _shade(cell)
    _cell(cell, report.title, 18, WD_ALIGN_PARAGRAPH.CENTER, bold=True)
    document.add_paragraph()  # type: ignore[attr-defined]
    meta = [*report.meta, *([("", "")] if len(report.meta) % 2 else [])]
    rows = [(*meta[i], *meta[i + 1]) for i in range(0, len(meta), 2)]
    table = _table(document, rows, [3, 5.5, 3, 5.5], header=False)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = table.cell(r, c)  # type: ignore[attr-defined]
            if c % 2 == 0:
                _shade(cell)
            _cell(cell, value, 9.5, WD_ALIGN_PARAGRAPH.LEFT if c % 2 else WD_ALIGN_PARAGRAPH.CENTER)
    document.add_paragraph()  # type: ignore[attr-defined]


def _heading(document: object, block: Heading, page_break: bool) -> None:
    paragraph = document.add_paragraph()  # type: ignore[attr-defined]
    paragraph.paragraph_format.keep_with_next = True
    paragraph.paragraph_format.page_break_before = page_break
    paragraph.paragraph_format.space_before = Pt(10 if block.level == 1 else 6)
    paragraph.paragraph_format.space_after = Pt(4)
    colour = RGBColor(0x1F, 0x3F, 0x66) if block.level == 1 else None
    _font(paragraph.add_run(block.text), 14 if block.level == 1 else 12, bold=True, colour=colour)


def _line(document: object, block: Line, page_break: bool) -> None:
    paragraph = document.add_paragraph()  # type: ignore[attr-defined]
    fmt = paragraph.paragraph_format
    fmt.left_indent = Mm(INDENT_MM * min(block.level, 2) + MARKER_MM)
    fmt.first_line_indent = Mm(-MARKER_MM)
    fmt.space_before = Pt(4 if block.level == 0 else 1)
    fmt.space_after = Pt(1)
    fmt.line_spacing = 1.15
    fmt.keep_with_next = block.strong
    fmt.page_break_before = page_break
    _font(paragraph.add_run(f"{block.marker} {block.text}"), 10 if block.level >= 3 else 11, bold=block.strong)


def _data_table(document: object, block: Table) -> None:
    rows = [block.header, *block.rows]
    table = _table(document, rows, list(block.widths), header=True)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = table.cell(r, c)  # type: ignore[attr-defined]
            if r == 0:
                _shade(cell)
                align = WD_ALIGN_PARAGRAPH.CENTER
            else:
                align = WD_ALIGN_PARAGRAPH.RIGHT if block.is_numeric(c) else WD_ALIGN_PARAGRAPH.LEFT
            _cell(cell, value, 9.5, align, bold=r == 0)


def _chart(document: object, block: Chart) -> None:
    document.add_picture(io.BytesIO(block.png), width=Mm(block.width_mm))  # type: ignore[attr-defined]
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER  # type: ignore[attr-defined]
    caption = document.add_paragraph()  # type: ignore[attr-defined]
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(caption.add_run(block.caption), 9.5)


def render_docx(report: Report) -> bytes:
    """The DOCX bytes of *report*."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Mm(20)
    document.core_properties.title = report.title
    _title(document, report)
    pending_break = False
    for block in report.blocks:
        if isinstance(block, PageBreak):
            pending_break = True
            continue
        if isinstance(block, Heading):
            _heading(document, block, pending_break)
        elif isinstance(block, Line):
            _line(document, block, pending_break)
        elif pending_break:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        if isinstance(block, Table):
            _data_table(document, block)
        elif isinstance(block, Chart):
            _chart(document, block)
        pending_break = False
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
