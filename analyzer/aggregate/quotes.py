"""Representative quotes of a category: de-duplicated, attributed to organisations, most representative first.

1. Exact duplicates (same text up to spacing, punctuation, case) collapse for free, counted over all units.
2. At most ``max_candidates`` of those groups are vectorised (char_wb 2-4 TF-IDF), drawn with probability
   proportional to their size; above that cap, near-duplicates are counted among the drawn groups only.
3. Representativeness: cosine to the category centroid (weighted by group size) times ``1 + ln(count)``, where
   ``count`` is the number of units within cosine ``similarity`` (0.8) of the quote, itself included.
4. Greedy choice: units not needing review first, then organisations and meetings not quoted yet, then score;
   a near-duplicate of a chosen quote is never chosen.

Quotes name the organisation only: the speaker column is never returned (texts are masked upstream).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.preprocessing import normalize

from analyzer.aggregate.similarity import TextReader, collapse_exact, weighted_sample, with_texts
from analyzer.aggregate.units import category_pairs, prepare_units, text_view
from analyzer.aggregate.vectorise import char_wb_tfidf

QUOTE_COLUMNS = [
    "unit_id",
    "meeting_id",
    "meeting_title",
    "meeting_date",
    "organisation",
    "kind",
    "text",
    "needs_review",
    "count",
    "meetings",
    "score",
]
_SHORTLIST = 50


def _choose(candidates: pd.DataFrame, scores: np.ndarray, twins: np.ndarray, n: int) -> list[int]:
    """Positions of up to ``n`` candidates chosen greedily (see the module docstring)."""
    organisations: set[str] = set()
    meetings: set[int] = set()
    chosen: list[int] = []
    open_ = np.ones(len(candidates), dtype=bool)
    review = candidates["needs_review"].to_numpy()
    orgs = candidates["organisation"].to_numpy()
    meeting_ids = candidates["meeting_id"].to_numpy()
    while len(chosen) < n and open_.any():
        best = min(
            np.flatnonzero(open_),
            key=lambda i: (bool(review[i]), orgs[i] in organisations, meeting_ids[i] in meetings, -scores[i], i),
        )
        chosen.append(int(best))
        open_ &= ~twins[best]
        open_[best] = False
        if orgs[best]:
            organisations.add(orgs[best])
        meetings.add(meeting_ids[best])
    return chosen


def quotes_from(
    members: pd.DataFrame,
    n: int = 5,
    similarity: float = 0.8,
    max_candidates: int = 2000,
    seed: int = 0,
    texts: TextReader | None = None,
) -> pd.DataFrame:
    """Representative quotes among ``members``, prepared units of one category (and kind); members without a
    ``text`` column carry ``text_key`` and only the drawn candidates' texts are read with *texts*."""
    groups, members = collapse_exact(members)
    if members.empty or n <= 0:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in QUOTE_COLUMNS})
    drawn = weighted_sample(groups["count"].to_numpy(), max_candidates, seed)
    candidates = with_texts(groups.iloc[drawn], texts)
    weights = candidates["count"].to_numpy(dtype=float)

    matrix = char_wb_tfidf(candidates["text"].tolist())
    centroid = normalize(np.asarray(matrix.T @ weights).reshape(1, -1), norm="l2").ravel()
    closeness = np.asarray(matrix @ centroid).ravel()
    short = np.argsort(-closeness * (1 + np.log(weights)), kind="stable")[: max(_SHORTLIST, 10 * n)]

    near = (matrix[short] @ matrix.T).toarray() >= similarity
    near[np.arange(len(short)), short] = True
    duplicates = near @ weights
    meeting_codes, meeting_ids = pd.factorize(members["meeting_id"])
    link = (np.ones(len(members)), (members["group"].to_numpy(), meeting_codes))
    held = sparse.csr_matrix(link, shape=(len(groups), len(meeting_ids)))
    meeting_counts = np.diff(sparse.csr_matrix(near.astype(np.float32) @ held[drawn]).indptr)
    scores = closeness[short] * (1 + np.log(duplicates))
    chosen = _choose(candidates.iloc[short], scores, near[:, short], n)

    table = candidates.iloc[short[chosen]].assign(
        count=duplicates[chosen].astype("int64"),
        meetings=np.asarray(meeting_counts, dtype="int64")[chosen],
        score=scores[chosen],
    )[QUOTE_COLUMNS]
    return table.sort_values(["needs_review", "score"], ascending=[True, False], kind="stable").reset_index(drop=True)


def quotes_of(
    units: pd.DataFrame,
    category: str,
    kind: Sequence[str] | str | None = None,
    n: int = 5,
    similarity: float = 0.8,
    max_candidates: int = 2000,
    seed: int = 0,
) -> pd.DataFrame:
    """:func:`representative_quotes` over a frame already passed through :func:`prepare_units`."""
    pairs = category_pairs(units, kind)
    members = text_view(units).iloc[pairs.loc[pairs["category"] == category, "row"].to_numpy()]
    return quotes_from(members, n, similarity, max_candidates, seed)


def representative_quotes(
    frame: pd.DataFrame,
    category: str,
    kind: Sequence[str] | str | None = None,
    n: int = 5,
    *,
    similarity: float = 0.8,
    max_candidates: int = 2000,
    seed: int = 0,
) -> pd.DataFrame:
    """Up to ``n`` de-duplicated quotes of ``category`` (optionally of ``kind``), most representative first.

    Columns: unit_id, meeting_id, meeting title and date, organisation, kind, text, needs_review, ``count``
    (units the quote stands for, itself included), ``meetings`` (distinct meetings among them) and ``score``.
    """
    return quotes_of(prepare_units(frame), category, kind, n, similarity, max_candidates, seed)
