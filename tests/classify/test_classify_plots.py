"""Korean figures render with the bundled font: no "Glyph ... missing from font(s)" warning (an error here)."""

from __future__ import annotations

import io
import warnings

import numpy as np
from matplotlib import font_manager

from analyzer.research.plots import calibration_plot, confusion_heatmap, coverage_plot, use_korean_font


def render(figure) -> bytes:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph (tofu) fails the test
        figure.savefig(buffer, format="png")
    return buffer.getvalue()


def test_korean_font_is_registered() -> None:
    family = use_korean_font()
    assert family == "NanumGothic"
    assert any(font.name == "NanumGothic" for font in font_manager.fontManager.ttflist)


def test_korean_titles_render_without_missing_glyphs() -> None:
    y = np.array([0, 1, 1, 0, 1, 0])
    p = np.array([0.1, 0.8, 0.6, 0.4, 0.9, 0.2])
    figures = [
        calibration_plot(y, p, title="범주 확률 보정 곡선 (검토 필요 -0.5)"),
        coverage_plot(
            [{"threshold": 0.3, "coverage": 1.0, "accuracy": 0.8}, {"threshold": 0.5, "coverage": 0.7, "accuracy": 0.9}]
        ),
        confusion_heatmap([[3, 1], [0, 2]], ["인력", "자금·지원 예산"], title="범주 혼동", normalise=True),
    ]
    for figure in figures:
        assert render(figure).startswith(b"\x89PNG")
    assert figures[0].axes[0].get_title() == "범주 확률 보정 곡선 (검토 필요 -0.5)"
