"""Alerts for an agency: a category rising significantly in the latest period (the findings' exact rate test,
p < 0.01), a new candidate issue (새 범주 후보), an action past its due date. Each is stored once per agency and
key, can be acknowledged, and is sent to the optional webhook (see :mod:`analyzer.services.webhook`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from analyzer.errors import AnalyzerError
from analyzer.services.actions import ActionFilters, list_actions
from analyzer.services.candidates import candidates
from analyzer.services.context import Context
from analyzer.services.findings import FindingFilters, findings
from analyzer.services.webhook import deliver
from analyzer.store import alerts as store
from analyzer.store.engine import reader
from analyzer.store.tables import agencies

#: The significance a rising category needs to raise an alert (stricter than the findings' own 0.05).
RISING_P = 0.01
#: The size a candidate issue needs to raise an alert.
CANDIDATE_MIN_SIZE = 5
KIND_LABELS = {"rising": "급증 범주", "candidate": "새 범주 후보", "overdue": "기한 초과 조치"}


def found_alerts(context: Context, agency_id: int) -> list[dict[str, Any]]:
    """What deserves an alert in *agency_id* now (whether or not it is stored already)."""
    found: list[dict[str, Any]] = []
    for row in findings(context, agency_id, FindingFilters()).get("trends", []):
        p_value = row.get("p_value")
        if row.get("rising") and p_value is not None and p_value < RISING_P:
            found.append(
                {
                    "kind": "rising",
                    "key": f"rising:{row['category']}:{row['period']}",
                    "title": f"{row['label']}: {row['period']} {row['current_count']}건으로 급증 (p={p_value:.4f})",
                    "detail": {
                        key: row[key]
                        for key in ("category", "label", "period", "previous_period", "current_count", "previous_count")
                    }
                    | {"p_value": p_value, "rate_ratio": row.get("rate_ratio")},
                }
            )
    for candidate in candidates(context, agency_id):
        if candidate["size"] >= CANDIDATE_MIN_SIZE:
            phrases = ", ".join(candidate["key_phrases"][:3]) or "핵심어 없음"
            found.append(
                {
                    "kind": "candidate",
                    "key": f"candidate:{candidate['candidate_id']}",
                    "title": f"새 범주 후보: {phrases} ({candidate['size']}건)",
                    "detail": {key: candidate[key] for key in ("candidate_id", "size", "key_phrases", "meetings")},
                }
            )
    overdue, _ = list_actions(context, agency_id, ActionFilters(overdue=True), limit=None)
    for action in overdue:
        found.append(
            {
                "kind": "overdue",
                "key": f"overdue:{action['id']}",
                "title": f"기한 초과 조치: {action['title']} (기한 {action['due_date']}, {action['status_label']})",
                "detail": {key: action[key] for key in ("id", "department", "due_date", "status")},
            }
        )
    return [{"agency_id": agency_id, **alert} for alert in found]


def scan(context: Context, agency_id: int | None = None) -> dict[str, int]:
    """Store the new alerts of one agency (``None``: every agency) and send the undelivered ones to the webhook.
    Returns how many were ``stored`` and ``delivered``."""
    if agency_id is None:
        with reader(context.engine).connect() as conn:
            ids = [int(row) for row in conn.execute(select(agencies.c.id).order_by(agencies.c.id)).scalars()]
    else:
        ids = [agency_id]
    stored = sum(len(store.store_new(context.engine, found_alerts(context, agency))) for agency in ids)
    return {"stored": stored, "delivered": deliver(context)}


def list_alerts(
    context: Context, agency_id: int | None, *, open_only: bool = False, limit: int | None = 50, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """Alerts of an agency (``None``: all), newest first, with the Korean name of their kind."""
    rows, total = store.list_alerts(context.engine, agency_id, open_only=open_only, limit=limit, offset=offset)
    return [{**row, "kind_label": KIND_LABELS[row["kind"]]} for row in rows], total


def acknowledge(context: Context, agency_id: int | None, alert_id: int, author: str) -> dict[str, Any]:
    """Acknowledge an alert in reach (``alert_not_found`` otherwise); the first acknowledgement stays."""
    row = store.get_alert(context.engine, alert_id)
    if row is None or (agency_id is not None and row["agency_id"] != agency_id):
        raise AnalyzerError("alert_not_found", str(alert_id))
    store.acknowledge(context.engine, alert_id, author)
    updated = store.get_alert(context.engine, alert_id)
    assert updated is not None
    return {**updated, "kind_label": KIND_LABELS[updated["kind"]]}
