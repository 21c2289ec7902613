"""Reports as files: the leadership report of a findings filter, and one meeting's summary (요지), in HWPX, DOCX or
PDF. The leadership report's numbers are the findings service's; a meeting's units come from the store's queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from analyzer.errors import AnalyzerError
from analyzer.report import MEDIA_TYPES, ReportFormat, render
from analyzer.report.leadership import findings_report
from analyzer.report.meeting import meeting_report
from analyzer.services.context import Context
from analyzer.services.deployed import Deployed
from analyzer.services.findings import FindingFilters
from analyzer.services.overview import overview
from analyzer.store import queries
from analyzer.store.agencies import list_agencies

#: Units read per page when a meeting's units are gathered.
PAGE = 5000


@dataclass(frozen=True)
class ReportFile:
    """A rendered report: its bytes, a download name and its media type."""

    data: bytes
    filename: str
    media_type: str


def _agency_label(context: Context, agency_id: int | None, chosen: FindingFilters) -> str:
    if chosen.agency:
        return chosen.agency
    if agency_id is None:
        return "전체 기관"
    names = {row["id"]: row["name"] for row in list_agencies(context.engine)}
    return str(names.get(agency_id, "전체 기관"))


def leadership_report(
    context: Context,
    agency_id: int | None,
    chosen: FindingFilters,
    fmt: ReportFormat,
    deployed: Deployed | None = None,
    today: dt.date | None = None,
    *,
    with_actions: bool = True,
) -> ReportFile:
    """The 개조식 report of the findings of *agency_id* (``None``: every agency) under *chosen*, as *fmt*; with the
    처리 현황 of follow-up actions when *with_actions* (the caller may read actions)."""
    deployed = deployed or context.deployed()
    found = overview(context, agency_id, chosen, deployed, with_actions=with_actions)
    categories = [(category.id, category.label) for category in deployed.taxonomy.categories]
    report = findings_report(
        found, categories, agency=_agency_label(context, agency_id, chosen), written=today or dt.date.today()
    )
    return ReportFile(render(report, fmt), f"{report.stem}.{fmt}", MEDIA_TYPES[fmt])


def meeting_units(context: Context, agency_id: int | None, meeting_id: int, model_version: str) -> list[dict[str, Any]]:
    """Every unit of a meeting tagged by *model_version*, in document order."""
    found: list[dict[str, Any]] = []
    while True:
        page, total = queries.list_units(
            context.engine,
            agency_id=agency_id,
            meeting_id=meeting_id,
            model_version=model_version,
            limit=PAGE,
            offset=len(found),
        )
        found.extend(page)
        if not page or len(found) >= total:
            return found


def meeting_summary(
    context: Context,
    agency_id: int | None,
    meeting_id: int,
    fmt: ReportFormat,
    deployed: Deployed | None = None,
    today: dt.date | None = None,
) -> ReportFile:
    """One meeting's 요지 as *fmt*; ``meeting_not_found`` when it does not exist or is another agency's."""
    deployed = deployed or context.deployed()
    meeting = queries.get_meeting(context.engine, meeting_id, agency_id)
    if meeting is None:
        raise AnalyzerError("meeting_not_found", str(meeting_id))
    units = meeting_units(context, agency_id, meeting_id, deployed.model_version)
    labels = {category.id: category.label for category in deployed.taxonomy.categories}
    report = meeting_report(
        meeting, units, labels, model_version=deployed.model_version, written=today or dt.date.today()
    )
    return ReportFile(render(report, fmt), f"{report.stem}.{fmt}", MEDIA_TYPES[fmt])
