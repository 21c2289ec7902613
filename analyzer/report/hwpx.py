"""The report as HWPX (OWPML, written natively with python-hwpx): A4, a boxed title, a shaded conditions table,
개조식 lines with hanging indents, headings kept with what follows, tables with a shaded heading row, charts as
embedded PNG pictures. The result passes python-hwpx's schema validation before it is returned."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hwpx import HwpxDocument

from analyzer.report.model import Chart, Heading, Line, PageBreak, Report, Table

SHADE = "#E7ECF3"
#: Text width of A4 with 20 mm margins (mm) and one HWPUNIT per 1/7200 inch.
TEXT_WIDTH_MM = 170.0
HWPUNIT_PER_MM = 7200 / 25.4
INDENT_MM, MARKER_MM = 6.0, 5.0


class _Writer:
    """Holds the document and the character shapes the report uses."""

    def __init__(self) -> None:
        self.doc = HwpxDocument.new()
        margin = int(20 * HWPUNIT_PER_MM)
        self.doc.page.set_margins(left=margin, right=margin, top=margin, bottom=margin)
        styles = self.doc.styles
        self.title = styles.ensure_run(bold=True, size=18)
        self.h1 = styles.ensure_run(bold=True, size=14, color="#1F3F66")
        self.h2 = styles.ensure_run(bold=True, size=12)
        self.body = styles.ensure_run(size=11)
        self.strong = styles.ensure_run(bold=True, size=11)
        self.small = styles.ensure_run(size=9.5)
        self.cell = styles.ensure_run(size=9.5)
        self.pending_break = False
        self.shapes: dict[tuple[tuple[str, Any], ...], Any] = {}

    def shape(self, paragraph: Any, **fmt: Any) -> None:
        """Give *paragraph* the paragraph shape of *fmt*, made once per distinct *fmt* and then reused."""
        if self.pending_break:
            fmt["page_break_before"] = True
            self.pending_break = False
        if not fmt:
            return
        key = tuple(sorted(fmt.items()))
        if key not in self.shapes:
            self.doc.styles.apply_paragraph_format(paragraphs=[paragraph], **fmt)
            self.shapes[key] = paragraph.para_pr_id_ref
        paragraph.para_pr_id_ref = self.shapes[key]

    def paragraph(self, text: str, char: str, **fmt: Any) -> Any:
        paragraph = self.doc.add_paragraph(text, char_pr_id_ref=char, inherit_style=False)
        self.shape(paragraph, **fmt)
        return paragraph

    def grid(self, rows: Sequence[tuple[str, ...]], widths: list[float], shaded: Any, aligns: Any) -> Any:
        """A table of *rows* (texts) whose cell (r, c) is shaded when ``shaded(r, c)`` and aligned ``aligns(r, c)``."""
        table = self.doc.add_table(len(rows), len(widths), width=int(TEXT_WIDTH_MM * HWPUNIT_PER_MM))
        table.set_column_widths(widths)
        base = table.element.get("borderFillIDRef")
        fill = self.doc.oxml.ensure_shading_border_fill(SHADE, base_border_fill_id=base)
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row.cells):
                cell.text = rows[r][c]
                if shaded(r, c):
                    cell.element.set("borderFillIDRef", fill)
                for paragraph in cell.paragraphs:
                    paragraph.char_pr_id_ref = self.cell
                    for run in paragraph.runs:
                        run.char_pr_id_ref = self.cell
                    self.shape(paragraph, alignment=aligns(r, c))
        return table

    def title_block(self, report: Report) -> None:
        box = self.grid([(report.title,)], [1], lambda r, c: True, lambda r, c: "CENTER")
        for paragraph in box.rows[0].cells[0].paragraphs:
            for run in paragraph.runs:
                run.char_pr_id_ref = self.title
        self.paragraph("", self.small)
        meta = [*report.meta, *([("", "")] if len(report.meta) % 2 else [])]
        rows = [(*meta[i], *meta[i + 1]) for i in range(0, len(meta), 2)]
        self.grid(rows, [3, 5.5, 3, 5.5], lambda r, c: c % 2 == 0, lambda r, c: "LEFT" if c % 2 else "CENTER")
        self.paragraph("", self.small)

    def heading(self, block: Heading) -> None:
        char = self.h1 if block.level == 1 else self.h2
        self.paragraph(
            block.text,
            char,
            keep_with_next=True,
            spacing_before_pt=10 if block.level == 1 else 6,
            spacing_after_pt=4,
            bottom_border=block.level == 1,
            border_color="#2962A0",
        )

    def line(self, block: Line) -> None:
        level = min(block.level, 2)
        char = self.strong if block.strong else (self.small if block.level >= 3 else self.body)
        self.paragraph(
            f"{block.marker} {block.text}",
            char,
            indent_left_mm=INDENT_MM * level + MARKER_MM,
            first_line_indent_mm=-MARKER_MM,
            spacing_before_pt=4 if block.level == 0 else 1,
            spacing_after_pt=1,
            line_spacing_percent=150,
            keep_with_next=block.strong,
        )

    def table(self, block: Table) -> None:
        table = self.grid(
            [block.header, *block.rows],
            list(block.widths),
            lambda r, c: r == 0,
            lambda r, c: "CENTER" if r == 0 else ("RIGHT" if block.is_numeric(c) else "LEFT"),
        )
        table.element.set("repeatHeader", "1")
        for cell in table.rows[0].cells:
            cell.element.set("header", "1")

    def chart(self, block: Chart) -> None:
        self.doc.add_picture(block.png, "png", width_mm=block.width_mm, height_mm=block.height_mm, align="CENTER")
        self.paragraph(block.caption, self.small, alignment="CENTER", spacing_after_pt=8)


def render_hwpx(report: Report) -> bytes:
    """The HWPX bytes of *report* (validated against the OWPML schemas by python-hwpx)."""
    writer = _Writer()
    writer.title_block(report)
    for block in report.blocks:
        if isinstance(block, Heading):
            writer.heading(block)
        elif isinstance(block, Line):
            writer.line(block)
        elif isinstance(block, Table):
            writer.table(block)
        elif isinstance(block, Chart):
            writer.chart(block)
        elif isinstance(block, PageBreak):
            writer.pending_break = True
    return bytes(writer.doc.to_bytes())
