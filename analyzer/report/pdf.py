"""The report as PDF (fpdf2): A4, NanumGothic embedded (subset), 개조식 lines with hanging indents, tables whose
heading row repeats on every page, charts as images, page numbers; a heading never ends a page alone."""

from __future__ import annotations

import io
import logging
from importlib import resources

from fpdf import FPDF
from fpdf.enums import Align, TextMode, XPos, YPos
from fpdf.fonts import FontFace

from analyzer.report.model import Chart, Heading, Line, PageBreak, Report, Table

FONT = "NanumGothic"
MARGIN, INDENT, MARKER = 20.0, 6.0, 5.5
#: Body size and line height (pt, mm); heading sizes by level.
BODY, LEADING = 11.0, 6.6
HEADING_SIZES = {1: 14.0, 2: 12.0}
#: Room a heading needs below it (mm) not to be left alone at the foot of a page.
KEEP_WITH_NEXT = 28.0
SHADE = (231, 236, 243)


class _Pdf(FPDF):
    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, size=9)
        self.set_text_color(110, 110, 110)
        self.cell(0, 6, f"- {self.page_no()} -", align=Align.C)
        self.set_text_color(0, 0, 0)


def _bold(pdf: FPDF, on: bool) -> None:
    """NanumGothic has no bold face here: strong text is stroked as well as filled (a faux bold)."""
    pdf.text_mode = TextMode.FILL_STROKE if on else TextMode.FILL
    pdf.set_line_width(0.18 if on else 0.2)


def _room(pdf: FPDF, needed: float) -> None:
    if pdf.get_y() + needed > pdf.h - pdf.b_margin:
        pdf.add_page()


def _title(pdf: FPDF, report: Report) -> None:
    pdf.set_font(FONT, size=18)
    _bold(pdf, True)
    pdf.set_fill_color(*SHADE)
    pdf.multi_cell(0, 14, report.title, border=1, align=Align.C, fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _bold(pdf, False)
    pdf.ln(4)
    pdf.set_font(FONT, size=10)
    label_width, value_width = 30.0, (pdf.w - pdf.l_margin - pdf.r_margin) / 2 - 30.0
    pdf.set_fill_color(*SHADE)
    for index, (label, value) in enumerate(report.meta):
        last = index % 2 == 1 or index == len(report.meta) - 1
        pdf.cell(label_width, 7.5, label, border=1, align=Align.C, fill=True)
        width = value_width if not last or index % 2 == 1 else value_width * 2 + label_width
        pdf.cell(
            width,
            7.5,
            value,
            border=1,
            new_x=XPos.LMARGIN if last else XPos.RIGHT,
            new_y=YPos.NEXT if last else YPos.TOP,
        )
    pdf.ln(6)


def _heading(pdf: FPDF, block: Heading) -> None:
    size = HEADING_SIZES.get(block.level, BODY)
    _room(pdf, KEEP_WITH_NEXT)
    pdf.ln(3 if block.level == 1 else 2)
    pdf.set_font(FONT, size=size)
    _bold(pdf, True)
    pdf.multi_cell(0, size * 0.55, block.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _bold(pdf, False)
    if block.level == 1:
        y = pdf.get_y() + 1
        pdf.set_draw_color(41, 98, 155)
        pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
        pdf.set_draw_color(0, 0, 0)
        pdf.ln(3)
    else:
        pdf.ln(1)


def _line(pdf: FPDF, block: Line) -> None:
    pdf.set_font(FONT, size=BODY if block.level < 3 else BODY - 1)
    strong = block.strong or block.level == 0
    _room(pdf, LEADING * (3 if block.strong else 1))
    if block.level == 0:
        pdf.ln(1.5)
    indent = pdf.l_margin + INDENT * min(block.level, 2)
    pdf.set_x(indent)
    pdf.cell(MARKER, LEADING, block.marker)
    _bold(pdf, strong and block.strong)
    pdf.multi_cell(
        pdf.w - pdf.r_margin - indent - MARKER,
        LEADING,
        block.text,
        align=Align.L,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    _bold(pdf, False)


def _table(pdf: FPDF, block: Table) -> None:
    pdf.set_font(FONT, size=9.5)
    _room(pdf, 30)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    total = sum(block.widths)
    aligns = tuple("RIGHT" if block.is_numeric(i) else "LEFT" for i in range(len(block.header)))
    with pdf.table(
        col_widths=tuple(width * w / total for w in block.widths),
        text_align=aligns,
        headings_style=FontFace(fill_color=SHADE),
        line_height=6.2,
        padding=(1.2, 1.6),
        first_row_as_headings=True,
        repeat_headings=1,
    ) as table:
        header = table.row()
        for name in block.header:
            header.cell(name, align=Align.C)
        for values in block.rows:
            row = table.row()
            for value in values:
                row.cell(value)
    pdf.ln(2)


def _chart(pdf: FPDF, block: Chart) -> None:
    _room(pdf, block.height_mm + 10)
    x = (pdf.w - block.width_mm) / 2
    pdf.image(io.BytesIO(block.png), x=x, w=block.width_mm)
    pdf.set_font(FONT, size=9.5)
    pdf.multi_cell(0, 6, block.caption, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)


def render_pdf(report: Report) -> bytes:
    """The PDF bytes of *report*."""
    # fontTools says, per report, that it drops NanumGothic's hinting-source tables (TSI*): not worth a log line
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    pdf = _Pdf(format="A4")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    with resources.as_file(resources.files("analyzer").joinpath("data/fonts/NanumGothic.ttf")) as font_file:
        pdf.add_font(FONT, fname=font_file)
    pdf.set_title(report.title)
    pdf.set_creator("moksori")
    pdf.set_lang("ko")
    pdf.add_page()
    _title(pdf, report)
    for block in report.blocks:
        if isinstance(block, Heading):
            _heading(pdf, block)
        elif isinstance(block, Line):
            _line(pdf, block)
        elif isinstance(block, Table):
            _table(pdf, block)
        elif isinstance(block, Chart):
            _chart(pdf, block)
        elif isinstance(block, PageBreak) and pdf.get_y() > pdf.t_margin + 1:
            pdf.add_page()
    return bytes(pdf.output())
