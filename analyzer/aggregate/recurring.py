"""Recurring issues: the same concern raised at several meetings, shown once.

Within each category, pain points and requests are clustered by text similarity: exact duplicates collapse first,
then char_wb 2-4 TF-IDF rows are linked to at most ``neighbours`` nearest others with cosine ``>= similarity``
and the connected components of that sparse graph are the clusters (limiting the neighbours curbs chaining).
Clusters spanning at least ``min_meetings`` meetings are kept.

Cost is bounded: at most ``max_units`` exact-duplicate groups per category are clustered (a seeded draw weighted
by group size; the similarity pass is quadratic in that number, compared chunk by chunk). Exact duplicates count
in full; when a category is drawn (``sampled`` is true) its counts are lower bounds.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from sklearn.preprocessing import normalize

from analyzer.aggregate.similarity import TextReader, collapse_exact, neighbour_graph, weighted_sample, with_texts
from analyzer.aggregate.units import (
    DEFAULT_KINDS,
    category_labels,
    category_order,
    category_pairs,
    prepare_units,
    text_view,
)
from analyzer.aggregate.vectorise import char_wb_tfidf
from analyzer.taxonomy import Taxonomy

_TIE = 1e-6
RECURRING_COLUMNS = [
    "category",
    "label",
    "text",
    "unit_id",
    "meeting_id",
    "meetings",
    "meeting_ids",
    "organisations",
    "units",
    "sampled",
]


def _representatives(candidates: pd.DataFrame, matrix: sparse.csr_matrix, labels: np.ndarray) -> pd.DataFrame:
    """Per cluster, the member closest to the cluster's size-weighted centroid (not needing review first, then the
    lowest ``unit_id`` among equally close ones)."""
    size = len(labels)
    weights = candidates["count"].to_numpy(dtype=float)
    indicator = sparse.csr_matrix((weights, (labels, np.arange(size))), shape=(labels.max() + 1, size))
    centroids = sparse.csr_matrix(indicator @ matrix)
    centroids = normalize(centroids, norm="l2")
    closeness = np.asarray(matrix.multiply(centroids[labels]).sum(axis=1)).ravel()
    ranked = candidates.assign(cluster=labels, closeness=closeness)
    ranked = ranked[ranked["needs_review"] == ranked.groupby("cluster")["needs_review"].transform("min")]
    # within float noise of the closest, members tie (the two of an equally weighted pair always do)
    ranked = ranked[ranked["closeness"] >= ranked.groupby("cluster")["closeness"].transform("max") - _TIE]
    return ranked.sort_values(["cluster", "unit_id"], kind="stable").drop_duplicates("cluster").set_index("cluster")


def _clusters(
    members: pd.DataFrame,
    min_meetings: int,
    similarity: float,
    max_units: int,
    neighbours: int,
    seed: int,
    texts: TextReader | None,
) -> pd.DataFrame:
    """The recurring clusters among ``members`` (prepared units of one category)."""
    groups, members = collapse_exact(members)
    drawn = weighted_sample(groups["count"].to_numpy(), max_units, seed)
    if len(drawn) == 0:
        return pd.DataFrame()
    candidates = with_texts(groups.iloc[drawn], texts)
    matrix = char_wb_tfidf(candidates["text"].tolist())
    _, labels = connected_components(neighbour_graph(matrix, similarity, neighbours), directed=False)

    cluster_of_group = np.full(len(groups), -1)
    cluster_of_group[drawn] = labels
    clusters = cluster_of_group[members["group"].to_numpy()]
    placed = members[clusters >= 0].assign(cluster=clusters[clusters >= 0])
    placed["organisation"] = placed["organisation"].where(placed["organisation"] != "")
    stats = placed.groupby("cluster").agg(
        meetings=("meeting_id", "nunique"), organisations=("organisation", "nunique"), units=("unit_id", "size")
    )
    stats = stats[stats["meetings"] >= min_meetings]
    if stats.empty:
        return pd.DataFrame()
    held = placed.loc[placed["cluster"].isin(stats.index), ["cluster", "meeting_id"]].drop_duplicates()
    held = held.sort_values(["cluster", "meeting_id"])
    starts = np.flatnonzero(np.r_[True, np.diff(held["cluster"].to_numpy()) != 0])
    lists = np.split(held["meeting_id"].to_numpy(), starts[1:])
    stats["meeting_ids"] = pd.Series([ids.tolist() for ids in lists], index=held["cluster"].to_numpy()[starts])
    best = _representatives(candidates, matrix, labels).loc[stats.index]
    stats[["text", "unit_id", "meeting_id"]] = best[["text", "unit_id", "meeting_id"]]
    stats["sampled"] = len(drawn) < len(groups)
    return stats.reset_index(drop=True)


def recurring_from(
    units: pd.DataFrame,
    pairs: pd.DataFrame,
    taxonomy: Taxonomy,
    min_meetings: int = 2,
    similarity: float = 0.55,
    max_units: int = 1000,
    neighbours: int = 10,
    seed: int = 0,
    texts: TextReader | None = None,
) -> pd.DataFrame:
    """:func:`recurring_issues` from prepared units and their :func:`category_pairs` of the selected kinds (units
    without text: see :func:`~analyzer.aggregate.quotes.quotes_from`)."""
    rows_of = pairs.groupby("category")["row"].agg(list)
    units = text_view(units)
    found = []
    for category in category_order(taxonomy, rows_of.index):
        members = units.iloc[rows_of.get(category, [])]
        if members["meeting_id"].nunique() >= min_meetings:
            table = _clusters(members, min_meetings, similarity, max_units, neighbours, seed, texts)
            if len(table):
                found.append(table.assign(category=category))
    if not found:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in RECURRING_COLUMNS})
    table = pd.concat(found, ignore_index=True)
    table["label"] = category_labels(taxonomy, table["category"])
    table = table.sort_values(["meetings", "units", "organisations", "category"], ascending=[False, False, False, True])
    return table[RECURRING_COLUMNS].reset_index(drop=True)


def recurring_issues(
    frame: pd.DataFrame,
    taxonomy: Taxonomy,
    min_meetings: int = 2,
    similarity: float = 0.55,
    *,
    kinds: Sequence[str] | str | None = DEFAULT_KINDS,
    max_units: int = 1000,
    neighbours: int = 10,
    seed: int = 0,
) -> pd.DataFrame:
    """Clusters of similar pain points and requests spanning ``>= min_meetings`` meetings, most meetings first.

    Columns: category, label, representative text with its unit_id and meeting_id, meetings, meeting_ids,
    organisations, units, and ``sampled`` (the category had more than ``max_units`` distinct texts).
    """
    units = prepare_units(frame)
    pairs = category_pairs(units, kinds)
    return recurring_from(units, pairs, taxonomy, min_meetings, similarity, max_units, neighbours, seed)
