"""Text similarity for quotes and recurring issues: exact-duplicate keys, char n-gram TF-IDF, sparse neighbours.

Char n-grams (``char_wb``, 2-4, :mod:`analyzer.aggregate.vectorise`) are robust to Korean spacing errors and need
no morpheme analyser. Vectorising still costs about 20 µs per unit and comparing all pairs is quadratic, so
callers cap how many texts they vectorise; exact duplicates (same text up to spacing, case and punctuation at the
ends) are collapsed first, at no vectorising cost.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.neighbors import NearestNeighbors

from analyzer.textkeys import text_keys

#: Reads the texts of units by id, for rows that came without text (the stored label rows carry none).
TextReader = Callable[[Sequence[int]], dict[int, str]]


def with_texts(candidates: pd.DataFrame, texts: TextReader | None) -> pd.DataFrame:
    """*candidates* with their ``text``: as they are when they have it, else read by ``unit_id``."""
    if "text" in candidates.columns or texts is None:
        return candidates
    found = texts(candidates["unit_id"].tolist())
    return candidates.assign(text=[found.get(int(unit_id), "") for unit_id in candidates["unit_id"]])


def with_text_keys(units: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """``units`` with a ``text_key`` column filled at ``rows``, so later passes over those rows reuse it (kept as
    it is when the units already carry one, such as the stored key hashes)."""
    if "text_key" in units.columns:
        return units
    keys = np.full(len(units), None, dtype=object)
    keys[rows] = text_keys(units["text"].to_numpy()[rows])
    return units.assign(text_key=keys)


def collapse_exact(units: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Exact-duplicate groups of the non-blank ``units``: one row per group, and the members with their group.

    A group's row is its best member (not needing review, then the lowest ``unit_id``) plus ``count``; groups keep
    the order in which they first occur. Members are the units whose text is not blank or punctuation only, with
    a ``group`` column numbering their group. ``text_key`` may hold the keys or their stored hashes (0 when blank).
    """
    known = units["text_key"].to_numpy() if "text_key" in units.columns else None
    keys = known if known is not None and not pd.isna(known).any() else np.asarray(text_keys(units["text"]), object)
    filled = keys != ("" if keys.dtype == object else 0)
    members = units[filled]
    codes, _ = pd.factorize(keys[filled])
    order = np.lexsort((members["unit_id"].to_numpy(), members["needs_review"].to_numpy(), codes))
    firsts = order[np.r_[True, np.diff(codes[order]) != 0]] if len(order) else order
    groups = members.iloc[firsts].set_index(pd.Index(codes[firsts], name="group"))
    groups["count"] = np.bincount(codes, minlength=len(groups))
    return groups, members.assign(group=codes)


def weighted_sample(weights: np.ndarray, size: int, seed: int) -> np.ndarray:
    """Sorted positions of ``size`` items drawn without replacement with probability proportional to weight."""
    if len(weights) <= size:
        return np.arange(len(weights))
    if size <= 0:
        return np.arange(0)
    probabilities = np.asarray(weights, dtype=float) / np.sum(weights)
    return np.sort(np.random.default_rng(seed).choice(len(probabilities), size, replace=False, p=probabilities))


def neighbour_graph(matrix: sparse.csr_matrix, threshold: float, neighbours: int) -> sparse.csr_matrix:
    """Symmetric graph of the links from each row to its ``neighbours`` nearest others with cosine ``>= threshold``.

    scikit-learn's brute-force :class:`~sklearn.neighbors.NearestNeighbors` finds the neighbours in chunks of
    bounded memory; the time is still quadratic, which is why callers cap the number of rows.
    """
    size = matrix.shape[0]
    nearest = min(neighbours, size - 1)
    if nearest <= 0:
        return sparse.csr_matrix((size, size))
    distances, targets = NearestNeighbors(n_neighbors=nearest, metric="cosine").fit(matrix).kneighbors()
    sources, linked = np.nonzero(distances <= 1.0 - threshold)
    link = (np.ones(len(sources)), (sources, targets[sources, linked]))
    graph = sparse.csr_matrix(link, shape=(size, size))
    return sparse.csr_matrix(graph.maximum(graph.T))
