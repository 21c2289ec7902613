"""Rising issues: the latest period against the previous one, with an exact test for two Poisson rates.

For a category with ``c1`` units in the latest period (exposure ``e1``) and ``c0`` in the previous one (``e0``),
``c1`` given ``c1 + c0`` is binomial with ``p = e1 / (e1 + e0)`` when the rates are equal (the conditional exact
test). The one-sided p-value for "rising" is ``binomtest(c1, c1 + c0, p, alternative="greater")``. A category is
``rising`` only when ``p < alpha`` *and* ``c1 >= min_count``, so low-volume noise is never flagged.

Exposure is the number of meetings held in the period (``"meetings"``, any kind of unit), or the number of units
of the selected kinds (``"units"``). The previous period is the latest earlier period that has any dated unit, so
a gap month does not make the test divide by zero. Undated units take no part.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any, Literal, Protocol

import pandas as pd
from scipy.stats import binomtest

from analyzer.aggregate.units import (
    DEFAULT_KINDS,
    UNKNOWN,
    Period,
    category_labels,
    category_order,
    category_pairs,
    kind_mask,
    period_labels,
    prepare_units,
)
from analyzer.taxonomy import Taxonomy

Exposure = Literal["meetings", "units"]
TREND_COLUMNS = [
    "category",
    "label",
    "period",
    "previous_period",
    "current_count",
    "previous_count",
    "exposure",
    "previous_exposure",
    "rate_ratio",
    "p_value",
    "rising",
    "series",
]
HISTORY = 12


class Counts(Protocol):
    """Counts by key with a default (a Series or a dict)."""

    def get(self, key: Any, default: int, /) -> Any: ...


def rate_test(c1: int, e1: float, c0: int, e0: float) -> tuple[float, float]:
    """Rate ratio ``(c1/e1) / (c0/e0)`` and the one-sided exact p-value that the latest rate is higher."""
    if e1 <= 0 or e0 <= 0 or c1 + c0 == 0:
        return math.nan, math.nan
    ratio = math.inf if c0 == 0 else (c1 / e1) / (c0 / e0)
    result = binomtest(int(c1), int(c1 + c0), p=e1 / (e1 + e0), alternative="greater")
    return ratio, float(result.pvalue)


def trend_rows(
    counts: Counts,
    exposures: Counts,
    present: list[str],
    observed: Iterable[str],
    taxonomy: Taxonomy,
    min_count: int,
    alpha: float,
) -> list[dict[str, Any]]:
    """The trend rows (:data:`TREND_COLUMNS` but ``label``) in category order, from *counts* per (category,
    period) of the categories *observed*, *exposures* per period and the sorted dated periods *present*."""
    history = present[-HISTORY:]
    latest, previous = present[-1], (present[-2] if len(present) > 1 else None)
    e1 = int(exposures.get(latest, 0))
    e0 = int(exposures.get(previous, 0)) if previous else None
    rows = []
    for category in category_order(taxonomy, observed):
        c1 = int(counts.get((category, latest), 0))
        c0 = int(counts.get((category, previous), 0)) if previous else 0
        if c1 + c0 == 0:
            continue
        ratio, p_value = rate_test(c1, e1, c0, e0) if e0 is not None else (math.nan, math.nan)
        rows.append(
            {
                "category": category,
                "period": latest,
                "previous_period": previous,
                "current_count": c1,
                "previous_count": c0 if previous else None,
                "exposure": e1,
                "previous_exposure": e0,
                "rate_ratio": ratio,
                "p_value": p_value,
                "rising": bool(p_value < alpha and c1 >= min_count),
                "series": [int(counts.get((category, label), 0)) for label in history],
            }
        )
    return rows


def trends_from(
    units: pd.DataFrame,
    pairs: pd.DataFrame,
    taxonomy: Taxonomy,
    period: Period = "M",
    kinds: Sequence[str] | str | None = DEFAULT_KINDS,
    min_count: int = 5,
    alpha: float = 0.05,
    exposure: Exposure = "meetings",
) -> pd.DataFrame:
    """:func:`trends` from prepared units and their :func:`category_pairs` of ``kinds``."""
    if exposure not in ("meetings", "units"):
        raise ValueError(f"exposure must be 'meetings' or 'units', not {exposure!r}")
    labels = period_labels(units["meeting_date"], period)
    dated = labels != UNKNOWN
    present = sorted(set(labels[dated]))
    if not present:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in TREND_COLUMNS})
    if exposure == "meetings":
        exposures = units["meeting_id"][dated].groupby(labels[dated]).nunique()
    else:
        selected = dated & kind_mask(units, kinds)
        exposures = units["meeting_id"][selected].groupby(labels[selected]).size()
    history = present[-HISTORY:]
    pairs = pairs.assign(period=labels.to_numpy()[pairs["row"].to_numpy()])
    counts = pairs[pairs["period"].isin(history)].groupby(["category", "period"]).size()
    return trend_table(counts, exposures, present, taxonomy, min_count, alpha)


def trend_table(
    counts: pd.Series, exposures: pd.Series, present: list[str], taxonomy: Taxonomy, min_count: int, alpha: float
) -> pd.DataFrame:
    """The trends from *counts* per (category, period) of the last :data:`HISTORY` periods, the *exposures* per
    period and the sorted dated periods *present* (at least one)."""
    observed = counts.index.get_level_values("category")
    rows = trend_rows(counts, exposures, present, observed, taxonomy, min_count, alpha)
    table = pd.DataFrame(rows, columns=[name for name in TREND_COLUMNS if name != "label"])
    table.insert(1, "label", category_labels(taxonomy, table["category"]))
    table = table.sort_values(
        ["rising", "p_value", "current_count"], ascending=[False, True, False], na_position="last"
    )
    return table.reset_index(drop=True)


def trends(
    frame: pd.DataFrame,
    taxonomy: Taxonomy,
    period: Period = "M",
    kinds: Sequence[str] | str | None = DEFAULT_KINDS,
    min_count: int = 5,
    alpha: float = 0.05,
    *,
    exposure: Exposure = "meetings",
) -> pd.DataFrame:
    """Per category: count and exposure in the latest and previous period, rate ratio, p-value, ``rising``.

    ``series`` holds the category's counts in the last 12 dated periods (for a sparkline). With a single dated
    period the previous columns, ratio and p-value are missing and nothing is rising.
    """
    units = prepare_units(frame)
    return trends_from(units, category_pairs(units, kinds), taxonomy, period, kinds, min_count, alpha, exposure)
