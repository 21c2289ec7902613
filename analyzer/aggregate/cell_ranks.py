"""Top issues and breakdowns from summary rows held as arrays (:class:`~analyzer.aggregate.cell_counts.CellRows`),
as records: the same rows, order and numbers as :func:`~analyzer.aggregate.issues.rank_top` and
:func:`~analyzer.aggregate.issues.rank_breakdown` give through :func:`~analyzer.aggregate.bundle.records`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from analyzer.aggregate.bundle import JsonValue
from analyzer.aggregate.cell_counts import CellRows, GroupSums, group_sums, key_codes
from analyzer.aggregate.units import UNKNOWN, category_labels
from analyzer.taxonomy import Taxonomy


def finite(values: np.ndarray) -> list[float | None]:
    """Floats as plain Python, NaN and infinity as ``None`` (as :func:`~analyzer.aggregate.bundle.records`)."""
    return [value if math.isfinite(value) else None for value in values.tolist()]


@dataclass(frozen=True)
class CategorySums:
    """The categories of the (category, kind) rows in order of first appearance, each row's category (its
    position) and the categories' sums."""

    names: list[str]
    codes: np.ndarray
    sums: GroupSums


def category_sums(pairs: CellRows, meetings: str, score: str) -> CategorySums:
    """:class:`CategorySums` of the (category, kind) rows *pairs*."""
    category = pairs.texts["category"]
    codes, firsts = key_codes([category], len(pairs))
    names = category.names[category.codes[firsts]].tolist()
    return CategorySums(names, codes, group_sums(pairs, codes, firsts, meetings, score))


def top_records(pairs: CellRows, counted: CategorySums, taxonomy: Taxonomy, kinds: Sequence[str]) -> list[JsonValue]:
    """Top issues (:func:`~analyzer.aggregate.issues.rank_top`) from the :func:`category_sums` of *pairs*."""
    categories, sums = counted.names, counted.sums
    size = len(categories)
    total = sums.score.sum()  # in order of first appearance, as the frame sums its column
    shares = finite(sums.score / total if total else np.zeros(size))
    per_kind = _units_per_kind(pairs, counted, kinds)
    labels = category_labels(taxonomy, categories)
    units, meetings, organisations = sums.units.tolist(), sums.meetings.tolist(), sums.organisations.tolist()
    scores, raw = finite(sums.score), sums.score.tolist()
    order = sorted(range(size), key=lambda group: (-raw[group], -units[group], categories[group]))
    return [
        {
            "category": categories[group],
            "label": labels[group],
            "units": units[group],
            **{name: counts[group] for name, counts in per_kind.items()},
            "meetings": meetings[group],
            "organisations": organisations[group],
            "score": scores[group],
            "share": shares[group],
        }
        for group in order
    ]


def _units_per_kind(pairs: CellRows, counted: CategorySums, kinds: Sequence[str]) -> dict[str, list[int]]:
    """``units_<kind>`` per category (in *counted*'s order) for each of *kinds* and then each kind present."""
    kind = pairs.texts["kind"]
    size, width = len(counted.names), len(kind.names)
    table = np.bincount(counted.codes * width + kind.codes, pairs.numbers["units"], size * width)
    table = table.astype("int64").reshape(size, width)
    column = {str(kind.names[code]): int(code) for code in np.unique(kind.codes)}
    zeros = [0] * size
    return {
        f"units_{name}": table[:, column[name]].tolist() if name in column else zeros
        for name in dict.fromkeys([*kinds, *sorted(column)])
    }


def breakdown_records(pairs: CellRows, by: str, meetings: str, score: str, taxonomy: Taxonomy) -> list[JsonValue]:
    """The breakdown by *by* (:func:`~analyzer.aggregate.issues.rank_breakdown`): per (value, category) of
    *pairs* units, meetings (column *meetings*), organisations and score, :data:`UNKNOWN` for "" and last."""
    given, category = pairs.texts[by], pairs.texts["category"]
    values = given.renamed(np.where(given.names == "", UNKNOWN, given.names))
    codes, firsts = key_codes([values, category], len(pairs))
    sums = group_sums(pairs, codes, firsts, meetings, score)
    names = values.names[values.codes[firsts]].tolist()
    categories = category.names[category.codes[firsts]].tolist()
    labels = category_labels(taxonomy, categories)
    units, counted, organisations = sums.units.tolist(), sums.meetings.tolist(), sums.organisations.tolist()
    scores, raw = finite(sums.score), sums.score.tolist()
    order = sorted(
        range(len(firsts)), key=lambda group: (names[group] == UNKNOWN, names[group], -raw[group], categories[group])
    )
    return [
        {
            "value": names[group],
            "category": categories[group],
            "label": labels[group],
            "units": units[group],
            "meetings": counted[group],
            "organisations": organisations[group],
            "score": scores[group],
        }
        for group in order
    ]
