"""The leadership overview: the findings and, for a caller who may read follow-up actions, their 처리 현황.

One composition for the API, the dashboard, the report and the CLI, so each shows the same 처리 현황. The findings
part is cached; the actions part is read fresh (a handful of rows), since an action's status changes on its own."""

from __future__ import annotations

from typing import Any

from analyzer.services.actions import action_status
from analyzer.services.context import Context
from analyzer.services.deployed import Deployed
from analyzer.services.findings import FindingFilters, findings


def overview(
    context: Context,
    agency_id: int | None,
    chosen: FindingFilters,
    deployed: Deployed | None = None,
    *,
    with_actions: bool,
) -> dict[str, Any]:
    """The findings of *agency_id* (``None``: every agency) under *chosen*, with ``actions`` (처리 현황: counts by
    status, 처리율, overdue actions, median days to answer) when *with_actions*. A new dict: the cached findings
    answer is never modified."""
    found = findings(context, agency_id, chosen, deployed)
    return {**found, "actions": action_status(context, agency_id)} if with_actions else found
