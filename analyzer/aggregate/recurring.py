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

from analyzer.aggregate.similarity import char_tfidf, collapse_exact, neighbour_graph, weighted_sample
from analyzer.aggregate.units import DEFAULT_KINDS, category_labels, category_order, category_pairs, prepare_units
from analyzer.taxonomy import Taxonomy

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
    """Per cluster, the member closest to the cluster's size-weighted centroid (not needing review first)."""
    size = len(labels)
    weights = candidates["count"].to_numpy(dtype=float)
    indicator = sparse.csr_matrix((weights, (labels, np.arange(size))), shape=(labels.max() + 1, size))
    centroids = sparse.csr_matrix(indicator @ matrix)
    norms = np.sqrt(np.asarray(centroids.multiply(centroids).sum(axis=1)).ravel())
    centroids = sparse.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ centroids
    closeness = np.asarray(matrix.multiply(centroids[labels]).sum(axis=1)).ravel()
    ranked = candidates.assign(cluster=labels, closeness=closeness)
    ranked = ranked.sort_values(["cluster", "needs_review", "closeness"], ascending=[True, True, False])
    return ranked.drop_duplicates("cluster").set_index("cluster")


def _clusters(
    members: pd.DataFrame, min_meetings: int, similarity: float, max_units: int, neighbours: int, seed: int
) -> pd.DataFrame:
    """The recurring clusters among ``members`` (prepared units of one category)."""
    groups, codes = collapse_exact(members)
    drawn = weighted_sample(groups["count"].to_numpy(), max_units, seed)
    candidates = groups.iloc[drawn]
    matrix = char_tfidf(candidates["text"].tolist())
    _, labels = connected_components(neighbour_graph(matrix, similarity, neighbours), directed=False)

    cluster_of_group = np.full(len(groups), -1)
    cluster_of_group[drawn] = labels
    clusters = cluster_of_group[codes]
    placed = members[clusters >= 0].assign(cluster=clusters[clusters >= 0])
    placed["organisation"] = placed["organisation"].where(placed["organisation"] != "")
    stats = placed.groupby("cluster").agg(
        meetings=("meeting_id", "nunique"), organisations=("organisation", "nunique"), units=("unit_id", "size")
    )
    stats = stats[stats["meetings"] >= min_meetings]
    if stats.empty:
        return pd.DataFrame()
    ids = placed[placed["cluster"].isin(stats.index)].groupby("cluster")["meeting_id"].unique()
    stats["meeting_ids"] = [sorted(int(value) for value in ids[cluster]) for cluster in stats.index]
    best = _representatives(candidates, matrix, labels).loc[stats.index]
    stats[["text", "unit_id", "meeting_id"]] = best[["text", "unit_id", "meeting_id"]]
    stats["sampled"] = len(drawn) < len(groups)
    return stats.reset_index(drop=True)


def recurring_of(
    units: pd.DataFrame,
    taxonomy: Taxonomy,
    min_meetings: int = 2,
    similarity: float = 0.55,
    kinds: Sequence[str] | str | None = DEFAULT_KINDS,
    max_units: int = 2000,
    neighbours: int = 10,
    seed: int = 0,
) -> pd.DataFrame:
    """:func:`recurring_issues` over a frame already passed through :func:`prepare_units`."""
    pairs = category_pairs(units, kinds)
    pairs = pairs[units["text"].str.strip().to_numpy()[pairs["row"].to_numpy()] != ""]
    rows_of = pairs.groupby("category")["row"].agg(list)
    found = []
    for category in category_order(taxonomy, rows_of.index):
        members = units.iloc[rows_of.get(category, [])]
        if members["meeting_id"].nunique() >= min_meetings:
            table = _clusters(members, min_meetings, similarity, max_units, neighbours, seed)
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
    max_units: int = 2000,
    neighbours: int = 10,
    seed: int = 0,
) -> pd.DataFrame:
    """Clusters of similar pain points and requests spanning ``>= min_meetings`` meetings, most meetings first.

    Columns: category, label, representative text with its unit_id and meeting_id, meetings, meeting_ids,
    organisations, units, and ``sampled`` (the category had more than ``max_units`` distinct texts).
    """
    return recurring_of(prepare_units(frame), taxonomy, min_meetings, similarity, kinds, max_units, neighbours, seed)
