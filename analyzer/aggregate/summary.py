"""The counting findings (totals, top issues, breakdowns, trends, key-phrase statistics) from summary rows.

The rows (see :mod:`analyzer.store.cells`) count units per (agency, programme, meeting date, region, category,
kind) under meeting normalisation, with meeting counts arranged so that sums stay distinct counts and organisations
as bitsets (a union is an OR); they were built for the default kinds. Results equal :func:`findings_from` over the
same units for the filters the rows carry (agency, programme, dates, region): thousands of rows, not a million.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analyzer.aggregate.bundle import JsonValue, json_ready
from analyzer.aggregate.cell_counts import (
    SCORE_DIGITS,
    cell_rows,
    group_codes,
    organisation_counts,
    organisation_matrix,
    totals_of_cells,
)
from analyzer.aggregate.cell_phrases import phrase_stats_of_cells
from analyzer.aggregate.cell_ranks import breakdown_records, category_sums, top_records
from analyzer.aggregate.cell_trends import trend_records
from analyzer.aggregate.units import DEFAULT_KINDS, Period
from analyzer.taxonomy import Taxonomy

__all__ = [
    "SCORE_DIGITS",
    "SUMMARY_BREAKDOWNS",
    "counting_findings",
    "filter_options",
    "group_codes",
    "organisation_counts",
    "organisation_matrix",
    "unit_rows",
]

SUMMARY_BREAKDOWNS = ("region", "agency", "programme", "period")


def counting_findings(
    cells: pd.DataFrame,
    phrase_cells: pd.DataFrame,
    taxonomy: Taxonomy,
    *,
    region_filtered: bool,
    period: Period = "M",
    min_count: int = 5,
    alpha: float = 0.05,
) -> tuple[dict[str, JsonValue], pd.DataFrame]:
    """Totals, top issues, breakdowns and trends (as :func:`findings_from` gives them for the default kinds,
    meeting normalisation and exposure) and the key-phrase statistics, from the summary rows."""
    meetings = "meetings_region" if region_filtered else "meetings_all"
    score = "score_region" if region_filtered else "score"
    rows = cell_rows(cells, period)
    every = rows.texts["category"].values() == ""
    units, pairs = rows.take(every), rows.take(~every)
    counted = category_sums(pairs, meetings, score)
    breakdowns: dict[str, JsonValue] = {
        by: breakdown_records(pairs, by, "meetings_region" if by == "region" else meetings, score, taxonomy)
        for by in SUMMARY_BREAKDOWNS
    }
    selected = int(units.numbers["units"][np.isin(units.texts["kind"].values(), DEFAULT_KINDS)].sum())
    in_category = dict(zip(counted.names, counted.sums.units.tolist(), strict=True))
    stats = phrase_stats_of_cells(phrase_cells, in_category, selected, meetings)
    found: dict[str, JsonValue] = {
        "parameters": json_ready(
            {"kinds": DEFAULT_KINDS, "normalise": "meeting", "period": period, "exposure": "meetings", "alpha": alpha}
        ),
        "totals": totals_of_cells(units, meetings),
        "top": top_records(pairs, counted, taxonomy, DEFAULT_KINDS),
        "breakdowns": breakdowns,
        "trends": trend_records(units, pairs, taxonomy, meetings, min_count, alpha),
    }
    return found, stats


def unit_rows(cells: pd.DataFrame) -> np.ndarray:
    """The cell rows that count units once each (those over every category) and count some."""
    return (cells["category"] == "").to_numpy(dtype=bool) & (cells["units"] > 0).to_numpy(dtype=bool)


def filter_options(cells: pd.DataFrame, name: str, passing: np.ndarray) -> list[str]:
    """The values of the filter *name* (agency, programme, region, industry) among the *passing* rows of
    :func:`unit_rows` (industries from each row's list of its units' industries)."""
    values = set(cells["industries" if name == "industry" else name].to_numpy(dtype=object)[passing].tolist())
    if name == "industry":
        values = {value for joined in values for value in str(joined).split("\n")}
    return sorted(str(value) for value in values if value)
