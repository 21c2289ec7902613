"""Bar and trend charts for the reports, drawn with Pillow in the bundled Korean font (NanumGothic) as PNG, so that
HWPX, DOCX and PDF show the same picture and no Korean glyph depends on the reader's fonts."""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache
from importlib import resources

from PIL import Image, ImageDraw, ImageFont

from analyzer.report.model import Chart

#: Pixels per millimetre on the page (about 300 dpi, crisp when printed).
PX_PER_MM = 12
PAIN, REQUEST = (192, 57, 43), (41, 98, 155)
SERIES_COLOURS = ((192, 57, 43), (41, 98, 155), (39, 143, 84), (211, 132, 0), (125, 60, 152), (90, 90, 90))
INK, GRID, MUTED = (33, 33, 33), (221, 221, 221), (110, 110, 110)


@cache
def font_bytes() -> bytes:
    """The bundled NanumGothic TrueType font."""
    return resources.files("analyzer").joinpath("data/fonts/NanumGothic.ttf").read_bytes()


def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(io.BytesIO(font_bytes()), size)


def _png(image: Image.Image, width_mm: float, caption: str) -> Chart:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(PX_PER_MM * 25.4, PX_PER_MM * 25.4))
    return Chart(buffer.getvalue(), image.width, image.height, width_mm, caption)


def _legend(draw: ImageDraw.ImageDraw, x: int, y: int, items: Sequence[tuple[str, tuple[int, int, int]]]) -> None:
    small = font(30)
    for label, colour in items:
        draw.rectangle((x, y + 6, x + 28, y + 30), fill=colour)
        draw.text((x + 38, y), label, font=small, fill=INK)
        x += 38 + int(draw.textlength(label, font=small)) + 40


def _nice_step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if top / step <= 5:
            return step
    return max(1, top // 5)


def bar_chart(rows: Sequence[tuple[str, int, int]], caption: str, width_mm: float = 160) -> Chart:
    """Horizontal stacked bars of pain points (red) and requests (blue) per category, counts at the ends."""
    width = int(width_mm * PX_PER_MM)
    label_font, count_font = font(32), font(28)
    row_height, top, bottom = 58, 80, 60
    height = top + row_height * max(1, len(rows)) + bottom
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    _legend(draw, 20, 14, [("애로", PAIN), ("건의", REQUEST)])
    label_width = max([int(draw.textlength(label, font=label_font)) for label, _, _ in rows] or [100]) + 30
    plot_left, plot_right = label_width, width - 90
    largest = max([pain + request for _, pain, request in rows] or [1]) or 1
    step = _nice_step(largest)
    scale_top = ((largest + step - 1) // step) * step
    per_unit = (plot_right - plot_left) / scale_top
    for tick in range(0, scale_top + 1, step):
        x = plot_left + tick * per_unit
        draw.line((x, top - 10, x, height - bottom), fill=GRID, width=2)
        text = str(tick)
        draw.text(
            (x - draw.textlength(text, font=count_font) / 2, height - bottom + 8), text, font=count_font, fill=MUTED
        )
    for index, (label, pain, request) in enumerate(rows):
        y = top + index * row_height
        draw.text((label_width - 20 - draw.textlength(label, font=label_font), y + 8), label, font=label_font, fill=INK)
        x0: float = plot_left
        for count, colour in ((pain, PAIN), (request, REQUEST)):
            if count:
                x1 = x0 + count * per_unit
                draw.rectangle((x0, y + 8, x1, y + row_height - 10), fill=colour)
                x0 = x1
        draw.text((x0 + 10, y + 12), str(pain + request), font=count_font, fill=INK)
    return _png(image, width_mm, caption)


def trend_chart(
    periods: Sequence[str], series: Sequence[tuple[str, Sequence[int]]], caption: str, width_mm: float = 160
) -> Chart:
    """Lines of counts per period (months), one per category, with a legend above the plot."""
    width, height = int(width_mm * PX_PER_MM), 620
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    small = font(28)
    legend_rows = [series[i : i + 3] for i in range(0, len(series), 3)]
    for row_index, row in enumerate(legend_rows):
        _legend(
            draw,
            20,
            14 + 44 * row_index,
            [(label, SERIES_COLOURS[(row_index * 3 + i) % len(SERIES_COLOURS)]) for i, (label, _) in enumerate(row)],
        )
    top, bottom, left, right = 30 + 44 * max(1, len(legend_rows)), 70, 150, width - 80
    largest = max([max(values, default=0) for _, values in series] or [1]) or 1
    step = _nice_step(largest)
    scale_top = ((largest + step - 1) // step) * step
    for tick in range(0, scale_top + 1, step):
        y = height - bottom - tick * (height - bottom - top) / scale_top
        draw.line((left, y, right, y), fill=GRID, width=2)
        draw.text((left - 16 - draw.textlength(str(tick), font=small), y - 16), str(tick), font=small, fill=MUTED)
    gap = (right - left) / max(1, len(periods) - 1) if len(periods) > 1 else 0
    xs = [left + (i * gap if len(periods) > 1 else (right - left) / 2) for i in range(len(periods))]
    for x, period in zip(xs, periods, strict=True):
        draw.text((x - draw.textlength(period, font=small) / 2, height - bottom + 14), period, font=small, fill=MUTED)
    for index, (_, values) in enumerate(series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        points = [
            (x, height - bottom - value * (height - bottom - top) / scale_top)
            for x, value in zip(xs, values, strict=True)
        ]
        if len(points) > 1:
            draw.line(points, fill=colour, width=6, joint="curve")
        for x, y in points:
            draw.ellipse((x - 9, y - 9, x + 9, y + 9), fill=colour)
    return _png(image, width_mm, caption)
