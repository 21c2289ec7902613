"""How the findings read the units they show under a filter: in the stored quote order, or through the meetings
or the industry passing the filters.

The ordered reads (:mod:`analyzer.store.shown`) stop after *n* index entries that pass the filters, so under a
selective filter they visit many entries per row kept, and every entry of a category with fewer than *n* passing
units. Reading through the meetings instead visits every label row of the meetings passing the meeting-level filters
(an index by model version and meeting), reading through the industry every label row of the chosen industry (an
index by model version and industry), whatever the categories, and keeps the first rows in Python. The estimates
come from the cell rows (thousands, whatever the number of units); the rows are the same either way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from sqlalchemy import ColumnElement, Connection, Select, select

from analyzer.store.cells import SUMMARY_KINDS
from analyzer.store.counting import FILTERS, place_conditions
from analyzer.store.summary_read import passing
from analyzer.store.tables import meetings, unit_categories

#: Index entries visited in the time a row read takes: every read checks its entries in the database (the filters
#: are in its index), a read through the meetings then builds each row passing them in Python (measured at 1 M
#: units on SQLite: about 0.5 and 4.4 µs).
THROUGH_ROW_COST = 8
#: A read through the meetings passing the meeting-level filters, through the label rows of the chosen industry, or
#: (``None``) the ordered reads.
Through = Literal["meetings", "industry"] | None


def read_through(
    cells: pd.DataFrame,
    chosen_cells: pd.DataFrame,
    agency_id: int | None,
    chosen: Mapping[str, str | None],
    per_category: int,
) -> Through:
    """How the first *per_category* units of each category passing *chosen* are cheapest to read, estimated from
    the model's *cells* over every unit and *chosen_cells*, those over the units of the chosen industry (the same
    without one; :class:`~analyzer.store.summary_read.SummaryTables`): an ordered read of a category with *every*
    units, *passing* of which pass, visits about ``per_category * every / passing`` index entries (*every* when
    fewer pass); a read through the meetings (or the industry) visits every label row of the meetings passing the
    meeting-level filters (or of the industry) and returns the rows passing every filter, each costing
    :data:`THROUGH_ROW_COST` entries. ``None``: the ordered reads."""
    if agency_id is None and not any(chosen.get(name) for name in FILTERS):
        return None
    rows, of_chosen = cells[cells["category"] != ""], chosen_cells[chosen_cells["category"] != ""]
    every = rows.groupby("category")["units"].sum()
    passed = (of_chosen["units"] * passing(of_chosen, agency_id, chosen)).groupby(of_chosen["category"]).sum()
    passed = passed.reindex(every.index, fill_value=0).to_numpy(dtype=float)
    seen = passed > 0
    total = every.to_numpy(dtype=float)[seen]
    costs: dict[Through, float] = {
        None: np.minimum(total, per_category * total / passed[seen]).sum(),
        "meetings": rows["units"].to_numpy(dtype=float) @ passing(rows, agency_id, {**chosen, "region": None}),
    }
    if chosen.get("industry"):
        costs["industry"] = float(of_chosen["units"].sum())
    returned = THROUGH_ROW_COST * passed.sum()
    return min(costs, key=lambda path: costs[path] + (returned if path else 0.0))


def passing_meetings(agency_id: int | None, chosen: Mapping[str, str | None]) -> Select[Any]:
    """The ids of the meetings passing the caller's agency and the meeting-level filters of *chosen*."""
    return select(meetings.c.id).where(*place_conditions(meetings, agency_id, chosen)).correlate(None)


def label_filters(agency_id: int | None, chosen: Mapping[str, str | None]) -> list[ColumnElement[bool]]:
    """The caller's agency and every filter of *chosen*, over the label rows' own columns (the quote-order and
    signature indexes hold them: each entry is checked where it stands)."""
    return [*place_conditions(unit_categories, agency_id, chosen), *_unit_conditions(chosen)]


def _unit_conditions(chosen: Mapping[str, str | None]) -> list[ColumnElement[bool]]:
    """The unit-level filters of *chosen* (the effective region and industry) over the label rows."""
    return [unit_categories.c[name] == chosen[name] for name in ("region", "industry") if chosen.get(name)]


#: The label-row columns read through the meetings: what the quote candidates and the representatives pick from.
THROUGH_COLUMNS = ("unit_id", "category", "signature", "quote_rank", "draw")


def rows_through(
    conn: Connection, model_version: str, agency_id: int | None, chosen: Mapping[str, str | None], path: Through
) -> dict[str, np.ndarray]:
    """The summary kinds' label rows of the meetings passing *chosen* (*path* ``"meetings"``: the meetings' ids
    first, then an index by model version and meeting) or of its industry (``"industry"``: an index by model
    version and industry), passing every filter: :data:`THROUGH_COLUMNS` as arrays. No condition on the category:
    in SQL it would lead the planner (SQLite's, without statistics) to the category indexes, every row of a
    category; the callers pick in :func:`first_rows`."""
    query = select(*(unit_categories.c[name] for name in THROUGH_COLUMNS)).where(
        unit_categories.c.model_version == model_version, unit_categories.c.kind.in_(SUMMARY_KINDS)
    )
    if path == "meetings":  # the region and industry are in the index by meeting, beside what the read returns
        query = query.where(
            unit_categories.c.meeting_id.in_(passing_meetings(agency_id, chosen)), *_unit_conditions(chosen)
        )
    else:  # and the meeting-level filters in the index by industry
        query = query.where(*label_filters(agency_id, chosen))
    rows = conn.execute(query).all()
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in THROUGH_COLUMNS]
    return {  # texts as objects: fixed-width unicode arrays are slow to build
        name: np.asarray(values, dtype=object if name == "category" else None)
        for name, values in zip(THROUGH_COLUMNS, columns, strict=True)
    }


def first_rows(
    rows: Mapping[str, np.ndarray],
    names: Sequence[str],
    per: Sequence[str],
    order: Sequence[str],
    first: int,
    wanted: np.ndarray,
) -> pd.DataFrame:
    """Of the *rows* (:func:`rows_through_meetings`) where *wanted* holds, the first *first* of each group of equal
    *per* columns in *order* (then ``unit_id``): their columns *names*."""
    kept = np.flatnonzero(wanted)
    group = np.zeros(len(kept), dtype=np.int64)
    for name in per:
        codes, seen = pd.factorize(rows[name][kept])
        group = group * (len(seen) + 1) + codes
    ranking = np.lexsort([rows[name][kept] for name in ["unit_id", *reversed(order)]] + [group])
    ranked, in_group = kept[ranking], group[ranking]
    starts = np.flatnonzero(np.r_[True, in_group[1:] != in_group[:-1]]) if len(ranked) else ranking
    position = np.arange(len(ranked)) - np.repeat(starts, np.diff(np.r_[starts, len(ranked)]))
    chosen_rows = ranked[position < first]
    return pd.DataFrame({name: rows[name][chosen_rows] for name in names})
