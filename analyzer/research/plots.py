"""Figures with Korean titles and labels for the notebooks: calibration, coverage, confusion.

:func:`use_korean_font` registers the bundled NanumGothic (``analyzer/data/fonts``) with matplotlib, so Hangul
renders without "Glyph ... missing from font(s)" warnings on any machine. Figures are made on the ``Agg`` backend
and returned; nothing is shown or saved here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any

import numpy as np

from analyzer.research import research_extra

with research_extra():
    import matplotlib
    from matplotlib import font_manager
    from matplotlib.figure import Figure

matplotlib.use("Agg")

FONT_FILE = "data/fonts/NanumGothic.ttf"


def use_korean_font() -> str:
    """Register the bundled NanumGothic and make it matplotlib's default font; returns the family name."""
    path = str(resources.files("analyzer").joinpath(FONT_FILE))
    font_manager.fontManager.addfont(path)
    family = font_manager.FontProperties(fname=path).get_name()
    matplotlib.rcParams["font.family"] = family
    matplotlib.rcParams["font.sans-serif"] = [family, *matplotlib.rcParams["font.sans-serif"]]
    matplotlib.rcParams["axes.unicode_minus"] = False  # NanumGothic has no U+2212
    return family


def _figure(size: tuple[float, float] = (6.0, 4.5)) -> tuple[Figure, Any]:
    use_korean_font()
    figure = Figure(figsize=size, layout="constrained")
    return figure, figure.add_subplot()


def calibration_plot(
    y_true: Sequence[int] | np.ndarray, probabilities: Sequence[float] | np.ndarray, bins: int = 10, title: str = ""
) -> Figure:
    """Reliability diagram: the observed share of positives against the mean predicted probability per bin."""
    from analyzer.classify.evaluate import expected_calibration_error

    ece, table = expected_calibration_error(
        np.asarray(y_true, dtype=float), np.asarray(probabilities, dtype=float), bins
    )
    figure, ax = _figure()
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="완벽한 보정")
    ax.plot(
        [row["confidence"] for row in table], [row["observed"] for row in table], marker="o", label=f"모델 (ECE {ece})"
    )
    ax.set_xlabel("예측 확률 (구간 평균)")
    ax.set_ylabel("실제 정답 비율")
    ax.set_title(title or "확률 보정 곡선")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.legend()
    return figure


def coverage_plot(curve: Sequence[Mapping[str, float]], title: str = "") -> Figure:
    """Coverage (share of units kept) and kind accuracy of the kept units against the abstain threshold
    (the output of ``evaluate.coverage_curve``)."""
    thresholds = [p["threshold"] for p in curve]
    figure, ax = _figure()
    ax.plot(thresholds, [p["coverage"] for p in curve], marker="o", label="자동 처리 비율 (coverage)")
    ax.plot(thresholds, [p["accuracy"] for p in curve], marker="s", label="처리한 단위의 유형 정확도")
    ax.set_xlabel("보류(검토 필요) 기준 확률")
    ax.set_ylabel("비율")
    ax.set_ylim(0, 1.02)
    ax.set_title(title or "보류 기준에 따른 처리 비율과 정확도")
    ax.legend()
    return figure


def confusion_heatmap(
    matrix: np.ndarray | Sequence[Sequence[float]], labels: Sequence[str], title: str = "", normalise: bool = False
) -> Figure:
    """A heat map of a square matrix (rows: true label, columns: predicted) with Korean axis labels."""
    values = np.asarray(matrix, dtype=float)
    if normalise:
        totals = values.sum(axis=1, keepdims=True)
        values = np.divide(values, totals, out=np.zeros_like(values), where=totals > 0)
    figure, ax = _figure((1.0 + 0.6 * len(labels), 0.8 + 0.55 * len(labels)))
    image = ax.imshow(values, cmap=matplotlib.colormaps["Blues"])
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            text = f"{values[i, j]:.2f}" if normalise else f"{values[i, j]:.0f}"
            ax.text(j, i, text, ha="center", va="center", fontsize=8)
    ax.set_xlabel("예측")
    ax.set_ylabel("정답")
    ax.set_title(title or "범주 혼동 행렬")
    figure.colorbar(image, ax=ax)
    return figure
