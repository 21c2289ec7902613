"""Findings for leadership: one computation for the API, the dashboard, exports and the CLI, cached per context.

Counts come from the summary rows kept with the label rows (:mod:`analyzer.store.cells`), filtered in SQL; quotes
read each category's first units in the stored quote order (indexed ``ORDER BY quote_rank LIMIT`` reads, one
statement for every category) with their texts; recurring issues group the stored signatures' summary rows
(:mod:`analyzer.aggregate.signatures`) and read the few representatives shown in one statement."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy.engine import Engine

from analyzer.aggregate.bundle import records, text_findings
from analyzer.aggregate.signatures import issues_from_cells, recurring_records
from analyzer.aggregate.summary import counting_findings, filter_options, unit_rows
from analyzer.aggregate.units import DEFAULT_KINDS, stored_units
from analyzer.services.context import Context
from analyzer.services.deployed import Deployed
from analyzer.store.access_path import read_through, rows_through
from analyzer.store.engine import reader
from analyzer.store.shown import candidate_frames, quote_candidates, representative_rows
from analyzer.store.summary_read import SummaryTables, filtered, passing, read_summaries
from analyzer.store.versions import current

FILTER_COLUMNS = ("agency", "programme", "region", "industry")


@dataclass(frozen=True)
class FindingFilters:
    """The overview's filters; every one optional (dates as ``yyyy-mm-dd``)."""

    agency: str | None = None
    programme: str | None = None
    region: str | None = None
    industry: str | None = None
    date_from: str | None = None
    date_to: str | None = None

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        for column in FILTER_COLUMNS:
            value = getattr(self, column)
            if value:
                frame = frame[frame[column] == value]
        if self.date_from:
            frame = frame[frame["meeting_date"] >= self.date_from]
        if self.date_to:
            frame = frame[(frame["meeting_date"] <= self.date_to) & (frame["meeting_date"] != "")]
        return frame


def data_version(engine: Engine) -> int:
    """The stored data's version (:mod:`analyzer.store.versions`: bumped by every write that can change findings),
    part of the key under which findings are cached; one primary-key read that never takes SQLite's write lock."""
    return current(engine)


def findings(
    context: Context, agency_id: int | None, chosen: FindingFilters, deployed: Deployed | None = None
) -> dict[str, Any]:
    """Findings of *deployed* (default: the deployed model) for an agency (``None``: every agency) and filters,
    cached until the stored data or the model change. The answer is shared: callers must not modify it."""
    deployed = deployed or context.deployed()
    family = (agency_id, chosen, deployed.model_version, str(deployed.directory))
    version = data_version(context.engine)

    def tables(industry: str) -> SummaryTables:  # held per process and industry, refreshed by changed partitions
        model = deployed.model_version
        return context.summaries.get(
            (model, industry),
            lambda held: held.version < version,
            lambda held: read_summaries(context.engine, model, held, industry),
        )

    return context.findings_cache.get(
        (*family, version), lambda: compute(context.engine, agency_id, deployed, chosen, tables), family=family
    )


#: Quote candidates read per category, in the stored quote order (all of a category's units when it has no more, so
#: quotes then equal the whole-table computation; beyond it, the first copies of the texts the model finds most
#: typical of the category, among which the usual selection picks 5).
QUOTE_CANDIDATES = 100
#: Recurring issues listed.
RECURRING_TOP = 50


def compute(
    engine: Engine,
    agency_id: int | None,
    deployed: Deployed,
    chosen: FindingFilters,
    tables: Callable[[str], SummaryTables] | None = None,
) -> dict[str, Any]:
    """Findings without the cache: counts and recurring issues from the summary rows of the chosen industry (or over
    every unit; ``tables(industry)``, read now when not given: thousands of rows whatever the number of units),
    quotes from a bounded, indexed read of each category's units in quote order (or through the meetings or the
    industry passing a selective filter). The label rows are read on one connection (one snapshot)."""
    model, filters = deployed.model_version, vars(chosen)
    tables = tables or (lambda industry: read_summaries(engine, model, industry=industry))
    every, of_chosen = tables(""), tables(chosen.industry or "")
    cells, phrase_cells, signature_rows = filtered(of_chosen, agency_id, filters)
    observed = sorted(set(cells.loc[(cells["category"] != "") & (cells["units"] > 0), "category"].tolist()))
    issues = issues_from_cells(signature_rows, region_filtered=bool(chosen.region), top=RECURRING_TOP)
    with reader(engine).connect() as conn:
        path = read_through(every.cells, of_chosen.cells, agency_id, filters, QUOTE_CANDIDATES)
        through = rows_through(conn, model, agency_id, filters, path) if path else None
        candidates = quote_candidates(conn, agency_id, model, filters, observed, QUOTE_CANDIDATES, through=through)
        shown = list(zip(issues["category"].tolist(), issues["signature"].tolist(), strict=True))
        found = representative_rows(conn, agency_id, model, filters, shown, through=through)
    counted, stats = counting_findings(cells, phrase_cells, deployed.taxonomy, region_filtered=bool(chosen.region))
    frame, labels, known = candidate_frames(candidates)
    prepared, pairs, _, _ = stored_units(frame, labels, pd.DataFrame({"unit_id": [], "phrase": []}), DEFAULT_KINDS)
    by_category, _ = text_findings(
        prepared,
        pairs,
        pd.DataFrame(counted["top"], columns=["category", "label"]),
        stats,
        deployed.taxonomy,
        texts=lambda ids: {i: known[i] for i in ids if i in known},
        with_recurring=False,
    )
    best = pd.Series([found.get(position, (0, 0, ""))[0] for position in range(len(shown))], dtype="int64")
    texts = {unit_id: (meeting_id, text) for unit_id, meeting_id, text in found.values()}
    recurring = recurring_records(issues, best, texts, deployed.taxonomy)
    result = {**counted, "recurring": records(recurring), "by_category": by_category}
    return _described(result, deployed, chosen, _options(every, of_chosen, agency_id, filters))


def _options(
    every: SummaryTables, of_chosen: SummaryTables, agency_id: int | None, filters: dict[str, Any]
) -> dict[str, list[str]]:
    """Each filter's options under every other chosen filter, not its own: with a region chosen, the region list
    still holds every region the other filters leave (so a user can switch from one to another), and the others
    only what that region has. Industries come from the rows over every unit, which list their units' industries."""
    found = {}
    tables = {flag: (table.cells, unit_rows(table.cells)) for flag, table in ((True, every), (False, of_chosen))}
    for name in FILTER_COLUMNS:
        cells, counted = tables[name == "industry"]
        found[name] = filter_options(cells, name, passing(cells, agency_id, {**filters, name: None}) & counted)
    return found if any(found.values()) else {}


def _described(
    result: dict[str, Any], deployed: Deployed, chosen: FindingFilters, options: dict[str, list[str]]
) -> dict[str, Any]:
    result["model_version"] = deployed.model_version
    result["filters"] = {k: v for k, v in vars(chosen).items() if v}
    result["options"] = options
    return result


def top_categories(result: dict[str, Any], limit: int = 8) -> list[dict[str, Any]]:
    """The first *limit* rows of the findings' top table (normalised score order): category, label, units,
    pain points, requests, meetings and score."""
    wanted = ("category", "label", "units", "units_pain_point", "units_request", "meetings", "score")
    return [{key: row.get(key) for key in wanted} for row in result.get("top", [])[:limit]]
