"""Reports for leadership (개조식 보고서) and one-meeting summaries (요지) in HWPX, DOCX and PDF.

One content model (:mod:`analyzer.report.model`), built from the findings (:mod:`analyzer.report.leadership`) or
from one meeting's units (:mod:`analyzer.report.meeting`), and one writer per format.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from analyzer.report.model import Report

ReportFormat = Literal["hwpx", "docx", "pdf"]
FORMATS: tuple[ReportFormat, ...] = ("hwpx", "docx", "pdf")
MEDIA_TYPES = {
    "hwpx": "application/hwp+zip",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def writer(fmt: ReportFormat) -> Callable[[Report], bytes]:
    """The writer of *fmt* (imported when asked: each pulls its own library)."""
    if fmt == "hwpx":
        from analyzer.report.hwpx import render_hwpx

        return render_hwpx
    if fmt == "docx":
        from analyzer.report.docx import render_docx

        return render_docx
    from analyzer.report.pdf import render_pdf

    return render_pdf


def render(report: Report, fmt: ReportFormat) -> bytes:
    """The bytes of *report* as *fmt*."""
    return writer(fmt)(report)


__all__ = ["FORMATS", "MEDIA_TYPES", "Report", "ReportFormat", "render", "writer"]
