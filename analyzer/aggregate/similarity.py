"""Text similarity for quotes and recurring issues: exact-duplicate keys, char n-gram TF-IDF, sparse neighbours.

Char n-grams (``char_wb``, 2-4) are robust to Korean spacing errors and need no morpheme analyser. Vectorising
costs about 0.1 ms per unit, so callers cap how many texts they vectorise; exact duplicates (same text up to
spacing, punctuation and case) are collapsed first, at no vectorising cost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

_NOT_WORD = re.compile(r"[\W_]+")
_CHUNK = 512


def text_keys(texts: Iterable[str]) -> list[str]:
    """A key per text that is equal for texts differing only in spacing, punctuation or case."""
    return [_NOT_WORD.sub("", text).casefold() for text in texts]


def collapse_exact(units: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """One row per exact-duplicate group of ``units`` (its best row, with ``count``), and each unit's group.

    The best row of a group is one not needing review, then the lowest ``unit_id``; groups keep the order in
    which they first occur.
    """
    codes, _ = pd.factorize(pd.Series(text_keys(units["text"]), index=units.index))
    ordered = units.assign(group=codes).sort_values(["group", "needs_review", "unit_id"])
    best = ordered.drop_duplicates("group").set_index("group").sort_index()
    best["count"] = np.bincount(codes, minlength=len(best))
    return best, codes


def char_tfidf(texts: list[str]) -> sparse.csr_matrix:
    """L2-normalised char_wb 2-4 TF-IDF rows; texts without any n-gram get an all-zero row."""
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, dtype=np.float32)
    try:
        return sparse.csr_matrix(vectorizer.fit_transform(texts))
    except ValueError:  # empty vocabulary: every text is shorter than two characters
        return sparse.csr_matrix((len(texts), 1), dtype=np.float32)


def weighted_sample(weights: np.ndarray, size: int, seed: int) -> np.ndarray:
    """Sorted positions of ``size`` items drawn without replacement with probability proportional to weight."""
    if len(weights) <= size:
        return np.arange(len(weights))
    rng = np.random.default_rng(seed)
    keys = rng.random(len(weights)) ** (1.0 / np.asarray(weights, dtype=float))  # Efraimidis-Spirakis
    return np.sort(np.argpartition(-keys, size - 1)[:size])


def neighbour_graph(matrix: sparse.csr_matrix, threshold: float, neighbours: int) -> sparse.csr_matrix:
    """Symmetric graph linking each row to at most ``neighbours`` others with cosine ``>= threshold``.

    Rows are compared in chunks, so memory stays at ``chunk x n`` however many rows there are; the time is still
    quadratic, which is why callers cap ``n``.
    """
    size = matrix.shape[0]
    sources: list[np.ndarray] = []
    targets: list[np.ndarray] = []
    transposed = matrix.T.tocsc()
    for start in range(0, size, _CHUNK):
        block = (matrix[start : start + _CHUNK] @ transposed).toarray()
        block[np.arange(len(block)), np.arange(start, start + len(block))] = 0.0
        if neighbours < size - 1:
            cut = np.partition(block, size - neighbours, axis=1)[:, [size - neighbours]]
            block[block < cut] = 0.0
        rows, columns = np.nonzero(block >= threshold)
        sources.append(rows + start)
        targets.append(columns)
    source, target = np.concatenate([*sources, []]).astype(int), np.concatenate([*targets, []]).astype(int)
    graph = sparse.coo_matrix((np.ones(len(source)), (source, target)), shape=(size, size)).tocsr()
    return (graph + graph.T).tocsr()
