"""Recurring issues from stored signatures: the same issue raised at several meetings, found by a GROUP BY.

Definition. Each (unit, category) row of a pain point or request carries a *signature*, computed once when the
unit is written (:func:`analyzer.textkeys.signature_of`): the hash of the unit's most specific key phrase (most
words, then characters), or, for a unit without key phrases, of its text up to spacing, case and end punctuation.
A recurring issue is a (category, signature) whose units span at least ``min_meetings`` meetings under the
filters; issues are ranked by meetings, then units, then organisations, then category and signature. Its
representative is the member with the best stored quote rank (``quote_rank``, then the lowest ``unit_id``).

The table comes from the summary rows ``finding_signatures`` (units, meeting counts that stay distinct when summed,
organisations as bitsets), read whatever the number of units.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analyzer.aggregate.summary import group_codes, organisation_counts
from analyzer.aggregate.units import category_labels
from analyzer.taxonomy import Taxonomy

ISSUE_COLUMNS = ["category", "signature", "meetings", "units", "organisations"]
RECURRING_COLUMNS = [
    "category",
    "label",
    "signature",
    "text",
    "unit_id",
    "meeting_id",
    "meetings",
    "organisations",
    "units",
]
_ORDER = (["meetings", "units", "organisations", "category", "signature"], [False, False, False, True, True])


def _ranked(table: pd.DataFrame, min_meetings: int, top: int) -> pd.DataFrame:
    table = table[table["meetings"] >= min_meetings]
    table = table.sort_values(_ORDER[0], ascending=_ORDER[1], kind="stable")
    return table[ISSUE_COLUMNS].head(top).reset_index(drop=True)


def issues_from_cells(
    rows: pd.DataFrame, *, region_filtered: bool, min_meetings: int = 2, top: int = 50
) -> pd.DataFrame:
    """The top *top* recurring issues (:data:`ISSUE_COLUMNS`) from ``finding_signatures`` rows (``category``,
    ``signature``, ``units``, ``meetings_region``, ``meetings_all``, ``organisations``)."""
    if rows.empty:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in ISSUE_COLUMNS})
    meetings = "meetings_region" if region_filtered else "meetings_all"
    codes, firsts = group_codes(rows, ["category", "signature"])
    size = len(firsts)
    table = pd.DataFrame(
        {
            "category": rows["category"].to_numpy(dtype=object)[firsts],
            "signature": rows["signature"].to_numpy(dtype="int64")[firsts],
            "units": np.bincount(codes, rows["units"].to_numpy(dtype="int64"), size).astype("int64"),
            "meetings": np.bincount(codes, rows[meetings].to_numpy(dtype="int64"), size).astype("int64"),
            "organisations": organisation_counts(rows["organisations"].tolist(), codes),
        }
    )
    return _ranked(table, min_meetings, top)


def recurring_records(
    issues: pd.DataFrame, representatives: pd.Series, found: dict[int, tuple[int, str]], taxonomy: Taxonomy
) -> pd.DataFrame:
    """The issues with their label and representative (*found*: unit id → (meeting id, text)); columns
    :data:`RECURRING_COLUMNS`, the signature as a decimal string (JSON numbers lose 64-bit precision)."""
    if issues.empty:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in RECURRING_COLUMNS})
    unit_ids = [int(unit_id) for unit_id in representatives]
    return issues.assign(
        label=category_labels(taxonomy, issues["category"]),
        signature=[str(value) for value in issues["signature"]],
        unit_id=unit_ids,
        meeting_id=[found.get(unit_id, (0, ""))[0] for unit_id in unit_ids],
        text=[found.get(unit_id, (0, ""))[1] for unit_id in unit_ids],
    )[RECURRING_COLUMNS]
