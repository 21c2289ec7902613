"""Findings as spreadsheets: XLSX (xlsxwriter, formulas off) and CSV (utf-8-sig), both formula-safe."""

from __future__ import annotations

import csv
import io
from typing import Any

import xlsxwriter

from analyzer.taxonomy import Taxonomy

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER = ("범주", "유형", "건수", "회의 수", "기관·기업 수", "정규화 점수", "대표 인용", "인용 기업")


def safe_cell(value: object) -> object:
    """A cell value Excel will not run as a formula (a leading = + - @ gets a quote)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def rows(findings: dict[str, Any], taxonomy: Taxonomy) -> list[tuple[object, ...]]:
    out = []
    for item in findings.get("top", []):
        category = item.get("category", "")
        quotes = findings.get("by_category", {}).get(category, {}).get("quotes", [])
        first = quotes[0] if quotes else {}
        out.append(
            tuple(
                safe_cell(v)
                for v in (
                    item.get("label") or taxonomy.label_of(category),
                    item.get("kind", ""),
                    item.get("units", item.get("count", 0)),
                    item.get("meetings", 0),
                    item.get("organisations", 0),
                    item.get("score", 0),
                    first.get("text", ""),
                    first.get("organisation", ""),
                )
            )
        )
    return out


def findings_xlsx(findings: dict[str, Any], taxonomy: Taxonomy) -> bytes:
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = workbook.add_worksheet("주요 애로·건의")
    bold = workbook.add_format({"bold": True})
    sheet.write_row(0, 0, HEADER, bold)
    for r, row in enumerate(rows(findings, taxonomy), start=1):
        sheet.write_row(r, 0, row)
    sheet.set_column(0, 1, 16)
    sheet.set_column(6, 6, 80)
    workbook.close()
    return out.getvalue()


def findings_csv(findings: dict[str, Any], taxonomy: Taxonomy) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows(findings, taxonomy))
    return text.getvalue().encode("utf-8-sig")
