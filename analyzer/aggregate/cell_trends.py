"""Rising issues from summary rows held as arrays (:class:`~analyzer.aggregate.cell_counts.CellRows`), as records:
the rows, order and numbers of :func:`~analyzer.aggregate.trends.trend_table` (meeting exposure) through
:func:`~analyzer.aggregate.bundle.records`, with the same exact test (:func:`~analyzer.aggregate.trends.rate_test`)."""

from __future__ import annotations

import math

import numpy as np

from analyzer.aggregate.bundle import JsonValue
from analyzer.aggregate.cell_counts import CellRows, sums_by
from analyzer.aggregate.trends import HISTORY, TREND_COLUMNS, trend_rows
from analyzer.aggregate.units import UNKNOWN, category_labels
from analyzer.taxonomy import Taxonomy


def _number(value: float) -> float | None:
    return value if math.isfinite(value) else None


def trend_records(
    units: CellRows, pairs: CellRows, taxonomy: Taxonomy, meetings: str, min_count: int, alpha: float
) -> list[JsonValue]:
    """Per category counted in the last two dated periods of the every-unit rows *units*: counts and meeting
    exposures (column *meetings*) of both periods, rate ratio, p-value, ``rising`` and the last
    :data:`HISTORY` periods' counts; rising first, then by p-value (missing last), then by current count."""
    periods = units.texts["period"].values()
    dated = periods != UNKNOWN
    present = sorted(set(periods[dated].tolist()))
    if not present:
        return []
    exposures = {key[0]: total for key, total in sums_by([periods[dated]], units.numbers[meetings][dated]).items()}
    history = present[-HISTORY:]
    pair_periods = pairs.texts["period"].values()
    recent = np.isin(pair_periods, history)
    keys = [pairs.texts["category"].values()[recent], pair_periods[recent]]
    counts = {key: total for key, total in sums_by(keys, pairs.numbers["units"][recent]).items() if total > 0}
    observed = {str(key[0]) for key in counts}
    rows = trend_rows(counts, exposures, present, observed, taxonomy, min_count, alpha)
    labels = category_labels(taxonomy, [row["category"] for row in rows])
    records: list[JsonValue] = [
        {
            **{name: label if name == "label" else row[name] for name in TREND_COLUMNS},
            "rate_ratio": _number(row["rate_ratio"]),
            "p_value": _number(row["p_value"]),
        }
        for row, label in zip(rows, labels, strict=True)
    ]
    return sorted(records, key=_trend_order)  # a stable sort, as the frame's lexsort


def _trend_order(row: JsonValue) -> tuple[bool, bool, float, int]:
    """Rising first, then p-value ascending with missing ones last, then current count descending."""
    assert isinstance(row, dict)
    p_value = row["p_value"]
    count = row["current_count"]
    assert isinstance(count, int)
    return (not row["rising"], p_value is None, p_value if isinstance(p_value, float) else 0.0, -count)
