"""Top issues per category and their breakdown by organisation, industry, region, agency, programme or period.

Normalisation keeps one long meeting from dominating. Every (unit, category) pair gets a weight:

* ``"meeting"``: ``1 / (pairs in its meeting)``, so each meeting weighs 1 in total and a category's score is the
  sum over meetings of the share of that meeting's pairs it holds ("meeting equivalents");
* ``"respondent"``: the same per respondent, i.e. per (meeting, speaker, or the organisation when the speaker is
  unknown); units with neither share one anonymous respondent per meeting;
* ``None``: weight 1, the score is the raw count.

Weights are computed once over the whole selection, so the scores of a breakdown add up to the top-issues score.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from analyzer.aggregate.units import (
    DEFAULT_KINDS,
    UNKNOWN,
    Normalise,
    Period,
    category_labels,
    category_pairs,
    period_labels,
    prepare_units,
)
from analyzer.taxonomy import Taxonomy

Dimension = Literal["organisation", "industry", "region", "agency", "programme", "period"]
DIMENSIONS: tuple[str, ...] = ("organisation", "industry", "region", "agency", "programme", "period")
_COUNTS = ["units", "meetings", "organisations", "score"]


def pair_weights(pairs: pd.DataFrame, normalise: Normalise) -> np.ndarray:
    """The weight of each (unit, category) pair under ``normalise`` (see the module docstring)."""
    if normalise is None:
        return np.ones(len(pairs))
    if normalise == "meeting":
        keys: list[pd.Series] = [pairs["meeting_id"]]
    elif normalise == "respondent":
        who = pairs["speaker"].where(pairs["speaker"] != "", pairs["organisation"])
        keys = [pairs["meeting_id"], who]
    else:
        raise ValueError(f"normalise must be 'meeting', 'respondent' or None, not {normalise!r}")
    sizes = pairs.groupby(keys, sort=False)["row"].transform("size")
    return 1.0 / sizes.to_numpy(dtype=float)


def _summarise(pairs: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Units, meetings, distinct non-empty organisations and summed weight per group of ``keys``."""
    organisations = pairs["organisation"].where(pairs["organisation"] != "")
    grouped = pairs.assign(organisations=organisations).groupby(keys, sort=False)
    return grouped.agg(
        units=("row", "size"),
        meetings=("meeting_id", "nunique"),
        organisations=("organisations", "nunique"),
        score=("weight", "sum"),
    ).reset_index()


def _kind_label(taxonomy: Taxonomy, kind: str) -> str:
    try:
        return taxonomy.label_of(kind)
    except KeyError:
        return kind


def top_issues_from(
    pairs: pd.DataFrame,
    taxonomy: Taxonomy,
    kinds: Sequence[str] | str | None = DEFAULT_KINDS,
    normalise: Normalise = "meeting",
    by_kind: bool = False,
) -> pd.DataFrame:
    """:func:`top_issues` from the :func:`category_pairs` of the selected kinds."""
    pairs = pairs.assign(weight=pair_weights(pairs, normalise))
    keys = ["category", "kind"] if by_kind else ["category"]
    table = _summarise(pairs, keys)
    if not by_kind:
        return rank_top(table, pd.crosstab(pairs["category"], pairs["kind"]), taxonomy, kinds)
    table.insert(1, "label", category_labels(taxonomy, table["category"]))
    table.insert(3, "kind_label", [_kind_label(taxonomy, kind) for kind in table["kind"]])
    return _ranked(table, keys)


def rank_top(
    table: pd.DataFrame, per_kind: pd.DataFrame, taxonomy: Taxonomy, kinds: Sequence[str] | str | None
) -> pd.DataFrame:
    """The top-issues table from per-category ``units``, ``meetings``, ``organisations`` and ``score`` and the
    units per (category row, kind column) in *per_kind*: labels, a ``units_<kind>`` column per kind, shares, order."""
    table = table.copy()
    table.insert(1, "label", category_labels(taxonomy, table["category"]))
    wanted = ([kinds] if isinstance(kinds, str) else list(kinds)) if kinds is not None else []
    for position, kind in enumerate(dict.fromkeys([*wanted, *sorted(per_kind.columns)])):
        counts = per_kind[kind] if kind in per_kind.columns else pd.Series(dtype="int64")
        table.insert(3 + position, f"units_{kind}", table["category"].map(counts).fillna(0).astype("int64"))
    return _ranked(table, ["category"])


def _ranked(table: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    total = table["score"].sum()
    table["share"] = table["score"] / total if total else 0.0
    table = table.sort_values(["score", "units", *keys], ascending=[False, False, *[True] * len(keys)])
    return table.reset_index(drop=True)


def top_issues(
    frame: pd.DataFrame,
    taxonomy: Taxonomy,
    kinds: Sequence[str] | str | None = DEFAULT_KINDS,
    normalise: Normalise = "meeting",
    *,
    by_kind: bool = False,
) -> pd.DataFrame:
    """Categories ranked by normalised score: units, meetings, organisations, score, share of all scores.

    One row per category (with a ``units_<kind>`` count per kind), or per (category, kind) with ``by_kind``.
    ``kinds=None`` keeps every kind. Categories nobody raised are left out.
    """
    return top_issues_from(category_pairs(prepare_units(frame), kinds), taxonomy, kinds, normalise, by_kind)


def breakdown_from(
    units: pd.DataFrame,
    pairs: pd.DataFrame,
    taxonomy: Taxonomy,
    by: Dimension,
    period: Period = "M",
    normalise: Normalise = "meeting",
) -> pd.DataFrame:
    """:func:`breakdown` from prepared units and their :func:`category_pairs` of the selected kinds."""
    if by not in DIMENSIONS:
        raise ValueError(f"by must be one of {', '.join(DIMENSIONS)}, not {by!r}")
    pairs = pairs.assign(weight=pair_weights(pairs, normalise))
    if by == "period":
        values = period_labels(pairs["meeting_date"], period)
    else:
        values = units[by].to_numpy()[pairs["row"].to_numpy()]
    pairs["value"] = pd.Series(values, index=pairs.index, dtype=object).replace("", UNKNOWN)
    return rank_breakdown(_summarise(pairs, ["value", "category"]), taxonomy)


def rank_breakdown(table: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """The breakdown table from per (``value``, ``category``) counts: labels, :data:`UNKNOWN` last, order."""
    table = table.copy()
    table.insert(2, "label", category_labels(taxonomy, table["category"]))
    table["unknown"] = table["value"] == UNKNOWN
    table = table.sort_values(["unknown", "value", "score", "category"], ascending=[True, True, False, True])
    return table.drop(columns="unknown").reset_index(drop=True)


def breakdown(
    frame: pd.DataFrame,
    taxonomy: Taxonomy,
    by: Dimension,
    period: Period = "M",
    kinds: Sequence[str] | str | None = DEFAULT_KINDS,
    normalise: Normalise = "meeting",
) -> pd.DataFrame:
    """Long form: one row per (dimension ``value``, category) with units, meetings, organisations and score.

    ``by="period"`` buckets by the meeting date (``YYYY-MM`` or ``YYYYQn``); a missing value, or a missing or
    malformed date, is :data:`UNKNOWN` and sorts last. Scores of all values add up to :func:`top_issues`'s.
    """
    units = prepare_units(frame)
    return breakdown_from(units, category_pairs(units, kinds), taxonomy, by, period, normalise)
