"""Findings for leadership: one computation for the API, the dashboard, exports and the CLI, cached per context.

The computation reads the label rows (:mod:`analyzer.store.counting`), filtered in SQL: integers and short strings
per unit, no JSON and no text; quotes and recurring issues read the texts of the few units they draw."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from analyzer.aggregate.bundle import findings_from
from analyzer.aggregate.units import DEFAULT_KINDS, stored_units
from analyzer.services.context import Context
from analyzer.services.deployed import Deployed
from analyzer.store.counting import counting_frames, unit_texts
from analyzer.store.tables import corrections, jobs, units

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


def data_version(engine: Engine) -> tuple[Any, ...]:
    """Changes whenever units, corrections or jobs change: part of the key under which findings are cached."""
    with engine.connect() as connection:
        return tuple(
            connection.execute(
                select(
                    select(func.max(units.c.id)).scalar_subquery(),
                    select(func.count(units.c.id)).scalar_subquery(),
                    select(func.max(corrections.c.id)).scalar_subquery(),
                    select(func.max(jobs.c.updated_at)).scalar_subquery(),
                )
            ).one()
        )


def findings(
    context: Context, agency_id: int | None, chosen: FindingFilters, deployed: Deployed | None = None
) -> dict[str, Any]:
    """Findings of *deployed* (default: the deployed model) for an agency (``None``: every agency) and filters,
    cached until the stored data or the model change. The answer is shared: callers must not modify it."""
    deployed = deployed or context.deployed()
    key = (agency_id, chosen, data_version(context.engine), deployed.model_version, str(deployed.directory))
    return context.findings_cache.get(key, lambda: compute(context.engine, agency_id, deployed, chosen))


def compute(engine: Engine, agency_id: int | None, deployed: Deployed, chosen: FindingFilters) -> dict[str, Any]:
    """Findings without the cache: the stored label rows of *deployed*'s version, filtered in SQL, aggregated."""
    frame, labels, phrases = counting_frames(engine, agency_id, deployed.model_version, vars(chosen), DEFAULT_KINDS)
    prepared, pairs, phrase_rows, selected = stored_units(frame, labels, phrases, DEFAULT_KINDS)
    result = findings_from(
        prepared, pairs, phrase_rows, selected, deployed.taxonomy, texts=lambda ids: unit_texts(engine, ids)
    )
    result["model_version"] = deployed.model_version
    result["filters"] = {k: v for k, v in vars(chosen).items() if v}
    result["options"] = (
        {column: sorted(v for v in frame[column].dropna().unique() if v) for column in FILTER_COLUMNS}
        if len(frame)
        else {}
    )
    return result


def top_categories(result: dict[str, Any], limit: int = 8) -> list[dict[str, Any]]:
    """The first *limit* rows of the findings' top table (normalised score order): category, label, units,
    pain points, requests, meetings and score."""
    wanted = ("category", "label", "units", "units_pain_point", "units_request", "meetings", "score")
    return [{key: row.get(key) for key in wanted} for row in result.get("top", [])[:limit]]
