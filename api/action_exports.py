"""Follow-up actions as spreadsheets, like the findings' exports: XLSX (formulas off) and CSV (utf-8-sig), with
Korean headings and statuses, each cell formula-safe."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

import xlsxwriter

from api.exports import safe_cell

SHEET = "조치 현황"
HEADER = ("번호", "제목", "담당 부서", "기한", "상태", "기한 초과", "답변", "발언 수", "회의", "접수일", "최종 변경")


def rows(actions: Sequence[dict[str, Any]]) -> list[tuple[object, ...]]:
    """One line per action, in the order given."""
    return [
        tuple(
            safe_cell(value)
            for value in (
                row["id"],
                row["title"],
                row["department"],
                row["due_date"],
                row["status_label"],
                "예" if row["overdue"] else "",
                row["answer"],
                len(row.get("unit_ids", ())) or "",
                ", ".join(str(m) for m in row.get("meeting_ids", ())),
                row["created_at"].date().isoformat(),
                row["updated_at"].date().isoformat(),
            )
        )
        for row in actions
    ]


def actions_xlsx(actions: Sequence[dict[str, Any]]) -> bytes:
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = workbook.add_worksheet(SHEET)
    sheet.write_row(0, 0, HEADER, workbook.add_format({"bold": True}))
    for r, line in enumerate(rows(actions), start=1):
        sheet.write_row(r, 0, line)
    sheet.set_column(1, 1, 40)
    sheet.set_column(6, 6, 60)
    workbook.close()
    return out.getvalue()


def actions_csv(actions: Sequence[dict[str, Any]]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows(actions))
    return text.getvalue().encode("utf-8-sig")
