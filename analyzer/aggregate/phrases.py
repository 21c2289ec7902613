"""Key phrases of a category: frequent among its units and clearly more frequent there than elsewhere.

For a phrase in ``a`` of the category's ``N`` units and ``b`` of the other ``M`` units (same kinds), the lift is
``(a / N) / ((b + 1) / (M + 1))`` (add-one smoothing on the rest, so a phrase never seen elsewhere stays finite).
Phrases with fewer than ``min_count`` units or a lift under ``min_lift`` (as common elsewhere: 지원, 기업) are
dropped. When the category holds every unit there is nothing to compare with: the lift is missing and no phrase
is dropped for it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analyzer.aggregate.units import category_pairs, explode_values, kind_mask, prepare_units

PHRASE_COLUMNS = ["phrase", "units", "meetings", "share", "lift"]


def phrase_stats(
    units: pd.DataFrame,
    pairs: pd.DataFrame,
    kinds: Sequence[str] | str | None = None,
    min_count: int = 2,
    min_lift: float = 1.5,
) -> pd.DataFrame:
    """Key phrases of every category at once: ``category`` plus :data:`PHRASE_COLUMNS`, best first per category.

    ``pairs`` are the :func:`category_pairs` of ``units`` for the same ``kinds``.
    """
    positions = np.flatnonzero(kind_mask(units, kinds))
    table = explode_values(units, "keyphrases", positions).rename(columns={"value": "phrase"})
    return phrase_stats_from(table, len(positions), pairs, min_count, min_lift)


def phrase_stats_from(
    table: pd.DataFrame, selected: int, pairs: pd.DataFrame, min_count: int = 2, min_lift: float = 1.5
) -> pd.DataFrame:
    """:func:`phrase_stats` from the distinct ``(row, phrase)`` of the *selected* units of the chosen kinds."""
    totals = table["phrase"].value_counts()
    pairs = pairs[["row", "meeting_id", "category"]]
    in_category = pairs["category"].value_counts()
    joined = table.merge(pairs, on="row")
    counts = joined.groupby(["category", "phrase"]).size()
    counts = counts[counts >= min_count]
    if counts.empty:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in ["category", *PHRASE_COLUMNS]})
    keys = pd.MultiIndex.from_arrays([joined["category"], joined["phrase"]])
    joined = joined[keys.isin(counts.index)]
    stats = joined.groupby(["category", "phrase"]).agg(units=("row", "size"), meetings=("meeting_id", "nunique"))
    return rank_phrases(stats.reset_index(), in_category, totals, selected, min_lift)


def rank_phrases(
    stats: pd.DataFrame, in_category: pd.Series, totals: pd.Series, selected: int, min_lift: float = 1.5
) -> pd.DataFrame:
    """Shares, lifts and order from per (category, phrase) ``units`` and ``meetings`` (already at least the
    minimum count), the pairs per category *in_category* and the units per phrase *totals* of the *selected*."""
    inside = stats["category"].map(in_category).to_numpy(dtype=float)
    outside = selected - inside
    elsewhere = stats["phrase"].map(totals).to_numpy(dtype=float) - stats["units"].to_numpy()
    stats["share"] = stats["units"] / inside
    stats["lift"] = np.where(outside > 0, stats["share"] / ((elsewhere + 1) / (outside + 1)), np.nan)
    stats = stats[(outside == 0) | (stats["lift"] >= min_lift)]
    stats = stats.sort_values(
        ["category", "units", "meetings", "lift", "phrase"], ascending=[True, False, False, False, True]
    )
    return stats.reset_index(drop=True)


def key_phrases(
    frame: pd.DataFrame,
    category: str,
    n: int = 10,
    *,
    kinds: Sequence[str] | str | None = None,
    min_count: int = 2,
    min_lift: float = 1.5,
) -> pd.DataFrame:
    """The ``n`` most frequent distinctive key phrases of ``category``: phrase, units, meetings, share, lift."""
    units = prepare_units(frame)
    stats = phrase_stats(units, category_pairs(units, kinds), kinds, min_count, min_lift)
    return stats[stats["category"] == category][PHRASE_COLUMNS].head(n).reset_index(drop=True)
