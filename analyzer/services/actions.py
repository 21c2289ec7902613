"""Follow-up actions (조치) for the API, the dashboard and exports: make one from units, move it through its
statuses with an answer (history kept), list and filter them, and count the 처리 현황 of an agency.

Typed text (title, department, answer) is masked like everything else stored, so no personal data enters.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from analyzer.errors import AnalyzerError
from analyzer.redact import mask_text
from analyzer.services.context import Context
from analyzer.store import actions as store
from analyzer.store.actions import ACTION_STATUSES, ANSWERED, CLOSED

#: The Korean name of each status (the dashboard, exports and reports use these).
STATUS_LABELS = {
    "received": "접수",
    "reviewing": "검토 중",
    "accepted": "수용",
    "partly_accepted": "일부 수용",
    "long_term": "중장기 검토",
    "declined": "불수용",
    "done": "조치 완료",
}
TITLE_MAX, DEPARTMENT_MAX, ANSWER_MAX, UNITS_MAX = 300, 100, 4000, 200


@dataclass(frozen=True)
class ActionFilters:
    """Filters of the action list; every one optional. *overdue* keeps open actions past their due date."""

    status: str | None = None
    department: str | None = None
    overdue: bool = False
    category: str | None = None
    meeting_id: int | None = None


def today() -> date:
    return datetime.now(UTC).date()


def _text(value: str, longest: int, field: str, *, required: bool = False) -> str:
    cleaned = mask_text(" ".join(value.split()) if field != "answer" else value.strip())
    if (required and not cleaned) or len(cleaned) > longest:
        raise AnalyzerError("action_invalid", f"{field}: 1~{longest}자" if required else f"{field}: {longest}자 이하")
    return cleaned


def _due(value: str) -> str:
    if not value:
        return ""
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise AnalyzerError("action_invalid", f"due_date: {value[:20]}") from exc


def create_action(
    context: Context,
    agency_id: int | None,
    unit_ids: Sequence[int],
    title: str,
    department: str,
    due_date: str,
    author: str,
) -> dict[str, Any]:
    """A new action (``received``) from *unit_ids*, all of one agency and in reach of *agency_id* (``None``: any).

    ``action_invalid`` for no units, too many, units of several agencies, an empty title or a bad date;
    ``unit_not_found`` when a unit does not exist or is another agency's.
    """
    wanted = sorted(set(unit_ids))
    if not 1 <= len(wanted) <= UNITS_MAX:
        raise AnalyzerError("action_invalid", f"unit_ids: 1~{UNITS_MAX}개")
    owners = store.unit_agencies(context.engine, wanted)
    missing = [u for u in wanted if u not in owners or (agency_id is not None and owners[u] != agency_id)]
    if missing:
        raise AnalyzerError("unit_not_found", ", ".join(map(str, missing[:5])))
    if len(set(owners.values())) != 1:
        raise AnalyzerError("action_invalid", "unit_ids: 한 기관의 발언만 묶을 수 있습니다")
    action_id = store.insert_action(
        context.engine,
        next(iter(owners.values())),
        wanted,
        _text(title, TITLE_MAX, "title", required=True),
        _text(department, DEPARTMENT_MAX, "department"),
        _due(due_date),
        author,
    )
    return get_action(context, agency_id, action_id)


def get_action(context: Context, agency_id: int | None, action_id: int) -> dict[str, Any]:
    """One action with its units, meetings and whether it is overdue; ``action_not_found`` out of reach."""
    row = store.get_action(context.engine, action_id)
    if row is None or (agency_id is not None and row["agency_id"] != agency_id):
        raise AnalyzerError("action_not_found", str(action_id))
    return _shaped(row, today())


def _shaped(row: dict[str, Any], on: date) -> dict[str, Any]:
    overdue = bool(row["due_date"]) and row["due_date"] < on.isoformat() and row["status"] not in CLOSED
    return {**row, "status_label": STATUS_LABELS[row["status"]], "overdue": overdue}


def update_action(
    context: Context, agency_id: int | None, action_id: int, status: str, answer: str, author: str
) -> dict[str, Any]:
    """Move an action to *status* with *answer*; the change is appended to its history (never overwritten)."""
    if status not in ACTION_STATUSES:
        raise AnalyzerError("action_invalid", f"status: {status[:30]}")
    get_action(context, agency_id, action_id)
    store.record_status(context.engine, action_id, status, _text(answer, ANSWER_MAX, "answer"), author)
    return get_action(context, agency_id, action_id)


def action_history(context: Context, agency_id: int | None, action_id: int) -> list[dict[str, Any]]:
    """Every status change of an action in reach, oldest first, with the Korean status name."""
    get_action(context, agency_id, action_id)
    return [{**row, "status_label": STATUS_LABELS[row["status"]]} for row in store.history(context.engine, action_id)]


def list_actions(
    context: Context,
    agency_id: int | None,
    chosen: ActionFilters,
    *,
    limit: int | None = 50,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """Actions of an agency (``None``: all) by due date, filtered; *category* is an id of the deployed taxonomy."""
    if chosen.status is not None and chosen.status not in ACTION_STATUSES:
        raise AnalyzerError("action_invalid", f"status: {chosen.status[:30]}")
    on = today()
    category = None
    if chosen.category is not None:
        deployed = context.deployed()
        if chosen.category not in deployed.taxonomy.category_ids:
            raise AnalyzerError("action_invalid", f"category: {chosen.category[:50]}")
        category = (deployed.model_version, chosen.category)
    rows, total = store.list_actions(
        context.engine,
        agency_id,
        status=chosen.status,
        department=chosen.department,
        overdue_on=on if chosen.overdue else None,
        meeting_id=chosen.meeting_id,
        category=category,
        limit=limit,
        offset=offset,
    )
    return [_shaped(row, on) for row in rows], total


def action_status(context: Context, agency_id: int | None, on: date | None = None) -> dict[str, Any]:
    """처리 현황 of an agency (``None``: all): counts by status, 처리율 (answered ÷ all), the overdue actions,
    the median days from receipt to the first answer, and counts by department."""
    on = on or today()
    rows, total = store.list_actions(context.engine, agency_id, limit=None)
    shaped = [_shaped(row, on) for row in rows]
    answered_at = store.first_answers(context.engine, agency_id)
    days = [(answered_at[r["id"]] - r["created_at"]).total_seconds() / 86400 for r in rows if r["id"] in answered_at]
    departments: dict[str, dict[str, int]] = {}
    for row in shaped:
        counts = departments.setdefault(row["department"] or "(미지정)", {"total": 0, "answered": 0, "overdue": 0})
        counts["total"] += 1
        counts["answered"] += row["status"] in ANSWERED
        counts["overdue"] += row["overdue"]
    answered = sum(row["status"] in ANSWERED for row in shaped)
    return {
        "total": total,
        "by_status": [
            {"status": s, "label": STATUS_LABELS[s], "count": sum(r["status"] == s for r in shaped)}
            for s in ACTION_STATUSES
        ],
        "answered": answered,
        "answer_rate": round(answered / total, 4) if total else None,
        "overdue": [
            {key: row[key] for key in ("id", "title", "department", "due_date", "status", "status_label")}
            for row in shaped
            if row["overdue"]
        ],
        "median_days_to_answer": round(statistics.median(days), 2) if days else None,
        "by_department": [{"department": name, **counts} for name, counts in sorted(departments.items())],
    }
