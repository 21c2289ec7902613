"""Findings as spreadsheets: XLSX (xlsxwriter, formulas off) and CSV (utf-8-sig), both formula-safe.

Each carries the top issues with their count per statement kind (애로, 건의, ...), and the conditions they were
computed under: the deployed model version and taxonomy, the applied filters, and the units per kind. Scores are
rounded to :data:`SCORE_DIGITS` decimals and shares are percentages with :data:`PERCENT_DIGITS` decimal.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import xlsxwriter

from analyzer.taxonomy import Taxonomy

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SCORE_DIGITS = 3
PERCENT_DIGITS = 1
FILTER_LABELS = {
    "agency": "기관",
    "programme": "지원사업",
    "region": "지역",
    "industry": "업종",
    "date_from": "시작일",
    "date_to": "종료일",
}
CONDITIONS_SHEET = "조건"
TABLE_SHEET = "주요 애로·건의"


def safe_cell(value: object) -> object:
    """A cell value Excel will not run as a formula (a leading = + - @ gets a quote)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def percent(part: float, whole: float) -> float:
    """*part* of *whole* in percent, rounded; 0 when *whole* is 0."""
    return round(100 * part / whole, PERCENT_DIGITS) if whole else 0.0


def counted_kinds(findings: dict[str, Any], taxonomy: Taxonomy) -> list[str]:
    """The kinds the top issues are split by (``units_<kind>`` columns), in the taxonomy's order."""
    present = {
        key.removeprefix("units_") for item in findings.get("top", []) for key in item if key.startswith("units_")
    }
    return [kind for kind in taxonomy.kind_ids if kind in present]


def header(findings: dict[str, Any], taxonomy: Taxonomy) -> tuple[str, ...]:
    kinds = tuple(taxonomy.label_of(kind) for kind in counted_kinds(findings, taxonomy))
    return ("범주", *kinds, "건수", "회의 수", "기관·기업 수", "정규화 점수", "비중(%)", "대표 인용", "인용 기업")


def rows(findings: dict[str, Any], taxonomy: Taxonomy) -> list[tuple[object, ...]]:
    """One row per top issue: its counts per kind, totals, rounded score and share, and its first quote."""
    kinds = counted_kinds(findings, taxonomy)
    out = []
    for item in findings.get("top", []):
        category = item.get("category", "")
        quotes = findings.get("by_category", {}).get(category, {}).get("quotes", [])
        first = quotes[0] if quotes else {}
        values = (
            item.get("label") or taxonomy.label_of(category),
            *(int(item.get(f"units_{kind}") or 0) for kind in kinds),
            item.get("units", 0),
            item.get("meetings", 0),
            item.get("organisations", 0),
            round(float(item.get("score") or 0), SCORE_DIGITS),
            round(100 * float(item.get("share") or 0), PERCENT_DIGITS),
            first.get("text", ""),
            first.get("organisation", ""),
        )
        out.append(tuple(safe_cell(v) for v in values))
    return out


def conditions(findings: dict[str, Any], taxonomy: Taxonomy) -> list[tuple[object, ...]]:
    """What the table was computed under: model, taxonomy, filters (전체 when not applied), units per kind."""
    applied = findings.get("filters", {})
    totals = findings.get("totals", {})
    units = int(totals.get("units", 0))
    per_kind = totals.get("kinds") or {}
    counted = findings.get("parameters", {}).get("kinds") or []
    lines: list[tuple[object, ...]] = [
        ("조건", "값", "비율(%)"),
        ("모델 버전", findings.get("model_version", ""), ""),
        ("분류 체계", taxonomy.key, ""),
        *((label, applied.get(name) or "전체", "") for name, label in FILTER_LABELS.items()),
        ("집계한 유형", ", ".join(taxonomy.label_of(kind) for kind in counted if kind in taxonomy.kind_ids), ""),
        ("회의 수", int(totals.get("meetings", 0)), ""),
        ("발언 수", units, ""),
    ]
    for kind in taxonomy.kind_ids:
        count = int(per_kind.get(kind, 0))
        lines.append((f"발언 수 · {taxonomy.label_of(kind)}", count, percent(count, units)))
    return [tuple(safe_cell(v) for v in line) for line in lines]


def findings_xlsx(findings: dict[str, Any], taxonomy: Taxonomy) -> bytes:
    """The top issues on one sheet and the conditions on a second sheet (조건)."""
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    bold = workbook.add_format({"bold": True})
    sheet = workbook.add_worksheet(TABLE_SHEET)
    names = header(findings, taxonomy)
    sheet.write_row(0, 0, names, bold)
    for r, row in enumerate(rows(findings, taxonomy), start=1):
        sheet.write_row(r, 0, row)
    sheet.set_column(0, 0, 16)
    sheet.set_column(len(names) - 2, len(names) - 2, 80)
    kept = workbook.add_worksheet(CONDITIONS_SHEET)
    for r, line in enumerate(conditions(findings, taxonomy)):
        kept.write_row(r, 0, line, bold if r == 0 else None)
    kept.set_column(0, 1, 24)
    workbook.close()
    return out.getvalue()


def findings_csv(findings: dict[str, Any], taxonomy: Taxonomy) -> bytes:
    """The conditions block, an empty line, then the top issues table."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerows(conditions(findings, taxonomy))
    writer.writerow(())
    writer.writerow(header(findings, taxonomy))
    writer.writerows(rows(findings, taxonomy))
    return text.getvalue().encode("utf-8-sig")
