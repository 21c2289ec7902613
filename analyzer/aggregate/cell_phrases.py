"""Key-phrase statistics from the phrase summary rows: the table :func:`~analyzer.aggregate.phrases.rank_phrases`
gives (same rows, order, numbers and column types), computed on arrays of the few dozen rows."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analyzer.aggregate.cell_counts import key_codes, sums_by
from analyzer.aggregate.phrases import PHRASE_COLUMNS


def phrase_stats_of_cells(
    phrase_cells: pd.DataFrame,
    in_category: dict[str, int],
    selected: int,
    meetings: str,
    min_count: int = 2,
    min_lift: float = 1.5,
) -> pd.DataFrame:
    """:func:`~analyzer.aggregate.phrases.phrase_stats_from` from the phrase summary rows (``category == ''``:
    every unit of the chosen kinds), the units per category *in_category* and the *selected* units' count."""
    category = phrase_cells["category"].to_numpy(dtype=object)
    phrase = phrase_cells["phrase"].to_numpy(dtype=object)
    units = phrase_cells["units"].to_numpy(dtype="int64")
    every = category == ""
    totals = {key[0]: total for key, total in sums_by([phrase[every]], units[every]).items()}
    inside = np.flatnonzero(~every)
    codes, firsts = key_codes([category[inside], phrase[inside]], len(inside))
    counts = np.bincount(codes, units[inside], len(firsts)).astype("int64")
    met = np.bincount(codes, phrase_cells[meetings].to_numpy(dtype="int64")[inside], len(firsts)).astype("int64")
    kept = counts >= min_count
    if not kept.any():
        return pd.DataFrame({name: pd.Series(dtype=object) for name in ["category", *PHRASE_COLUMNS]})
    rows, counts, met = inside[firsts[kept]], counts[kept], met[kept]
    names, phrases = category[rows].tolist(), phrase[rows].tolist()
    within = np.asarray([in_category.get(name, math.nan) for name in names], dtype=float)
    outside = selected - within
    elsewhere = np.asarray([totals.get(text, math.nan) for text in phrases], dtype=float) - counts
    with np.errstate(divide="ignore", invalid="ignore"):
        share = counts / within
        lift = np.where(outside > 0, share / ((elsewhere + 1) / (outside + 1)), np.nan)
        passing = np.flatnonzero((outside == 0) | (lift >= min_lift))
    order = _ranked(passing, names, phrases, counts.tolist(), met.tolist(), lift.tolist())
    return pd.DataFrame(
        {
            "category": phrase_cells["category"].take(rows[order]).reset_index(drop=True),
            "phrase": phrase_cells["phrase"].take(rows[order]).reset_index(drop=True),
            "units": counts[order],
            "meetings": met[order],
            "share": share[order],
            "lift": lift[order],
        }
    )


def _ranked(
    passing: np.ndarray, names: list[str], phrases: list[str], units: list[int], meetings: list[int], lift: list[float]
) -> np.ndarray:
    """The *passing* positions by category, then units, meetings and lift (missing last) descending, then phrase."""

    def key(at: int) -> tuple[str, int, int, bool, float, str]:
        missing = math.isnan(lift[at])
        return names[at], -units[at], -meetings[at], missing, 0.0 if missing else -lift[at], phrases[at]

    return np.asarray(sorted(passing.tolist(), key=key), dtype=np.int64)
