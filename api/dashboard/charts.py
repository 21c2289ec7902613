"""Inline SVG charts (no chart library, no CDN): horizontal bars and sparklines."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

BAR_COLOURS = {"pain_point": "#d9534f", "request": "#2f7ed8", "positive": "#3c9d5d", "neutral": "#8a8f98"}


def _number(row: dict[str, object], key: str) -> float:
    return float(str(row.get(key) or 0))


def bar_chart(
    rows: Sequence[dict[str, object]], value: str = "units", label: str = "label", width: int = 560
) -> Markup:
    """Horizontal bars, one row per item; each bar links to its category's quotes."""
    if not rows:
        return Markup('<p class="empty">아직 집계할 자료가 없습니다.</p>')
    top = max(_number(r, value) for r in rows) or 1.0
    row_height, label_width = 28, 170
    parts = [
        f'<svg class="bars" role="img" aria-label="범주별 건수" width="{width}" height="{row_height * len(rows) + 8}" '
        f'viewBox="0 0 {width} {row_height * len(rows) + 8}">'
    ]
    for i, row in enumerate(rows):
        amount = _number(row, value)
        bar = (width - label_width - 60) * amount / top
        y = i * row_height + 4
        colour = BAR_COLOURS.get(str(row.get("kind", "pain_point")), "#d9534f")
        href = escape(f"#cat-{row.get('category', '')}")
        parts.append(
            f'<a href="{href}"><text x="0" y="{y + 17}" class="bar-label">{escape(str(row.get(label, "")))}</text>'
            f'<rect x="{label_width}" y="{y}" width="{bar:.1f}" height="{row_height - 8}" rx="3" fill="{colour}"/>'
            f'<text x="{label_width + bar + 6:.1f}" y="{y + 16}" class="bar-value">{amount:g}</text></a>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def sparkline(values: Sequence[float], width: int = 120, height: int = 28) -> Markup:
    """A small trend line of counts per period."""
    if len(values) < 2:
        return Markup("")
    top = max(values) or 1.0
    step = width / (len(values) - 1)
    points = " ".join(f"{i * step:.1f},{height - 2 - (height - 4) * v / top:.1f}" for i, v in enumerate(values))
    return Markup(
        f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" aria-hidden="true">'
        f'<polyline fill="none" stroke="#2f7ed8" stroke-width="2" points="{points}"/></svg>'
    )
