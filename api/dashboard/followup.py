"""Dashboard pages closing the loop: 조치 현황 (actions by status, department and due date), one action with its
history and a form to answer it, 알림 (alerts to acknowledge) and 새 범주 후보 (candidate issues)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from analyzer.services import actions as action_service
from analyzer.services import alerts as alert_service
from analyzer.services import candidates as candidate_service
from analyzer.services.actions import STATUS_LABELS, ActionFilters
from api.dashboard.navigation import ACTIONS, ALERTS, CANDIDATES
from api.dashboard.rendering import render
from api.dashboard.routes import page_caller
from api.deps import ContextDep
from api.params import RowId
from api.routes.actions import Status

router = APIRouter(include_in_schema=False)


@router.get("/actions")
def actions_page(
    request: Request,
    who: page_caller(*ACTIONS.scopes),  # type: ignore[valid-type]
    context: ContextDep,
    status: Status | None = None,
    department: Annotated[str | None, Query(max_length=100)] = None,
    overdue: bool = False,
) -> HTMLResponse:
    chosen = ActionFilters(status=status, department=department or None, overdue=overdue)
    rows, total = action_service.list_actions(context, who.agency_id, chosen, limit=500)
    summary = action_service.action_status(context, who.agency_id)
    return render(
        request,
        "actions.html",
        who,
        actions=rows,
        total=total,
        summary=summary,
        chosen=chosen,
        statuses=STATUS_LABELS,
        query=str(request.url.query),
    )


@router.get("/actions/{action_id}")
def action_page(
    request: Request,
    action_id: RowId,
    who: page_caller(*ACTIONS.scopes),  # type: ignore[valid-type]
    context: ContextDep,
) -> HTMLResponse:
    action = action_service.get_action(context, who.agency_id, action_id)
    steps = action_service.action_history(context, who.agency_id, action_id)
    return render(request, "action.html", who, action=action, history=steps, statuses=STATUS_LABELS)


@router.get("/alerts")
def alerts_page(
    request: Request,
    who: page_caller(*ALERTS.scopes),  # type: ignore[valid-type]
    context: ContextDep,
) -> HTMLResponse:
    rows, total = alert_service.list_alerts(context, who.agency_id, limit=200)
    return render(request, "alerts.html", who, alerts=rows, total=total)


@router.get("/candidates")
def candidates_page(
    request: Request,
    who: page_caller(*CANDIDATES.scopes),  # type: ignore[valid-type]
    context: ContextDep,
) -> HTMLResponse:
    found = candidate_service.candidates(context, who.agency_id)
    return render(request, "candidates.html", who, candidates=found)
