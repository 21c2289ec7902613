"""The counting findings (totals, top issues, breakdowns, trends, key-phrase statistics) from summary rows.

The rows (see :mod:`analyzer.store.cells`) count units per (agency, programme, meeting date, region, category,
kind) under meeting normalisation, with meeting counts arranged so that sums stay distinct counts and organisations
as bitsets (a union is an OR); they were built for the default kinds. Results equal :func:`findings_from` over the
same units for the filters the rows carry (agency, programme, dates, region): thousands of rows, not a million.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analyzer.aggregate.bundle import JsonValue, json_ready, kind_counts, records
from analyzer.aggregate.issues import rank_breakdown, rank_top
from analyzer.aggregate.phrases import PHRASE_COLUMNS, rank_phrases
from analyzer.aggregate.trends import TREND_COLUMNS, trend_table
from analyzer.aggregate.units import DEFAULT_KINDS, UNKNOWN, Period, _clean, period_labels
from analyzer.taxonomy import Taxonomy

SUMMARY_BREAKDOWNS = ("region", "agency", "programme", "period")
SCORE_DIGITS = 12


def organisation_matrix(bitsets: Sequence[bytes]) -> np.ndarray:
    """The *bitsets* padded to one width, one row of bytes each."""
    width = max((len(bits) for bits in bitsets), default=0) or 1
    padded = b"".join(bytes(bits).ljust(width, b"\0") for bits in bitsets)
    return np.frombuffer(padded, dtype=np.uint8).reshape(len(bitsets), width)


def organisation_counts(bitsets: Sequence[bytes] | np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Distinct organisations per group: the popcount of the OR of each group's *bitsets* (or their
    :func:`organisation_matrix`; *groups* numbers each row's group 0..n-1)."""
    size = int(groups.max()) + 1 if len(groups) else 0
    matrix = bitsets if isinstance(bitsets, np.ndarray) else organisation_matrix(bitsets)
    order = np.argsort(groups, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(groups[order]) != 0]) if len(order) else order
    merged = np.bitwise_or.reduceat(matrix[order], starts, axis=0) if len(order) else matrix[:0]
    counts = np.zeros(size, dtype="int64")
    counts[groups[order][starts]] = np.unpackbits(merged, axis=1).sum(axis=1)
    return counts


def group_codes(rows: pd.DataFrame, keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Each row's group of equal *keys*, groups numbered in order of first appearance (as a sort-free groupby
    numbers them), and each group's first row."""
    combined = np.zeros(len(rows), dtype=np.int64)
    for key in keys:
        part, seen = pd.factorize(rows[key].to_numpy(dtype=object))
        combined = combined * (len(seen) + 1) + part
    codes, _ = pd.factorize(combined)
    return codes, np.unique(codes, return_index=True)[1]


def _grouped(cells: pd.DataFrame, keys: list[str], meetings: str, score: str, bits: np.ndarray) -> pd.DataFrame:
    """Units, meetings (column *meetings*), organisations (*bits*: the cells' organisation matrix) and score
    (column *score*) per group of *keys*, groups in order of first appearance."""
    codes, firsts = group_codes(cells, keys)
    size = len(firsts)
    table = pd.DataFrame(
        {
            **{key: cells[key].to_numpy(dtype=object)[firsts] for key in keys},
            "units": np.bincount(codes, cells["units"].to_numpy(dtype="int64"), size).astype("int64"),
            "meetings": np.bincount(codes, cells[meetings].to_numpy(dtype="int64"), size).astype("int64"),
            "organisations": organisation_counts(bits, codes),
            # rounded: sums of partial sums differ from one sum in the last bits, which must not reorder ties
            "score": np.round(np.bincount(codes, cells[score].to_numpy(dtype=float), size), SCORE_DIGITS),
        }
    )
    return table


def prepare_cells(cells: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Cells with the dimension values cleaned as the unit frame's (``value`` columns per breakdown)."""
    cells = cells[cells["units"] > 0].reset_index(drop=True)
    return cells.assign(
        **{name: _clean(cells[name]) for name in ("agency", "programme", "region", "kind")},
        raw_region=cells["region"],
        period=period_labels(cells["date"], period) if len(cells) else pd.Series(dtype=object),
    )


def totals_from_cells(units: pd.DataFrame, meetings: str, bits: np.ndarray | None = None) -> dict[str, JsonValue]:
    """:func:`~analyzer.aggregate.bundle.totals_of` from the every-unit rows (``category == ''``)."""
    dates = pd.to_datetime(pd.Series(units["date"].unique()), format="ISO8601", errors="coerce").dropna()
    kinds = units.groupby("kind", sort=False)["units"].sum()
    every = np.zeros(len(units), dtype="int64")
    organisations = organisation_counts(units["organisations"].tolist() if bits is None else bits, every)
    return {
        "units": int(units["units"].sum()),
        "meetings": int(units[meetings].sum()),
        "organisations": int(organisations[0]) if len(units) else 0,
        "needs_review": int(units["needs_review"].sum()),
        "corrected": int(units["corrected"].sum()),
        "kinds": kind_counts(kinds),
        "first_date": dates.min().date().isoformat() if len(dates) else None,
        "last_date": dates.max().date().isoformat() if len(dates) else None,
    }


def trends_from_cells(
    units: pd.DataFrame, pairs: pd.DataFrame, taxonomy: Taxonomy, meetings: str, min_count: int, alpha: float
) -> pd.DataFrame:
    """:func:`~analyzer.aggregate.trends.trends_from` (meeting exposure) from the summary rows."""
    dated = units[units["period"] != UNKNOWN]
    present = sorted(set(dated["period"]))
    if not present:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in TREND_COLUMNS})
    exposures = dated.groupby("period")[meetings].sum()
    history = pairs[pairs["period"].isin(present[-12:])]
    counts = history.groupby(["category", "period"])["units"].sum()
    return trend_table(counts[counts > 0], exposures, present, taxonomy, min_count, alpha)


def phrases_from_cells(
    phrase_cells: pd.DataFrame, in_category: pd.Series, selected: int, meetings: str, min_count: int = 2
) -> pd.DataFrame:
    """:func:`~analyzer.aggregate.phrases.phrase_stats_from` from the phrase summary rows."""
    totals = phrase_cells[phrase_cells["category"] == ""].groupby("phrase")["units"].sum()
    inside = phrase_cells[phrase_cells["category"] != ""]
    stats = inside.groupby(["category", "phrase"]).agg(units=("units", "sum"), meetings=(meetings, "sum"))
    stats = stats[stats["units"] >= min_count].reset_index()
    if stats.empty:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in ["category", *PHRASE_COLUMNS]})
    return rank_phrases(stats, in_category, totals, selected)


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
    cells = prepare_cells(cells, period)
    bits = organisation_matrix(cells["organisations"].tolist())  # padded once for every grouping below
    every = (cells["category"] == "").to_numpy()
    units, pairs, pair_bits = cells[every], cells[~every], bits[~every]
    per_kind = pairs.pivot_table(index="category", columns="kind", values="units", aggfunc="sum", fill_value=0)
    top = rank_top(_grouped(pairs, ["category"], meetings, score, pair_bits), per_kind, taxonomy, DEFAULT_KINDS)
    breakdowns: dict[str, JsonValue] = {
        by: records(
            rank_breakdown(
                _grouped(
                    pairs.assign(value=pairs[by].replace("", UNKNOWN)),
                    ["value", "category"],
                    "meetings_region" if by == "region" else meetings,
                    score,
                    pair_bits,
                ),
                taxonomy,
            )
        )
        for by in SUMMARY_BREAKDOWNS
    }
    selected = int(units.loc[units["kind"].isin(DEFAULT_KINDS), "units"].sum())
    in_category = pairs.groupby("category")["units"].sum()
    phrase_meetings = "meetings_region" if region_filtered else "meetings_all"
    stats = phrases_from_cells(phrase_cells, in_category, selected, phrase_meetings)
    found: dict[str, JsonValue] = {
        "parameters": json_ready(
            {"kinds": DEFAULT_KINDS, "normalise": "meeting", "period": period, "exposure": "meetings", "alpha": alpha}
        ),
        "totals": totals_from_cells(units, meetings, bits[every]),
        "top": records(top),
        "breakdowns": breakdowns,
        "trends": records(trends_from_cells(units, pairs, taxonomy, meetings, min_count, alpha)),
    }
    return found, stats


def options_from_cells(cells: pd.DataFrame) -> dict[str, list[str]]:
    """The filter options (raw values of every unit's agency, programme, region and industry)."""
    units = cells[(cells["category"] == "") & (cells["units"] > 0)]
    if units.empty:
        return {}
    industries = {value for joined in set(units["industries"].tolist()) for value in str(joined).split("\n") if value}
    found = {name: sorted(value for value in units[name].unique() if value) for name in ("agency", "programme")}
    found["region"] = sorted(value for value in units["region"].unique() if value)
    return {**found, "industry": sorted(industries)}
