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
from sklearn import config_context
from sklearn.preprocessing import normalize

from analyzer.aggregate.similarity import TextReader, weighted_sample
from analyzer.aggregate.units import category_pairs, prepare_units, text_view
from analyzer.aggregate.vectorise import char_wb_tfidf
from analyzer.textkeys import text_keys

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


Columns = dict[str, np.ndarray]


def _choose(columns: Columns, scores: np.ndarray, twins: np.ndarray, n: int) -> list[int]:
    """Positions of up to ``n`` candidates (*columns* sliced to them) chosen greedily (see the module docstring)."""
    organisations: set[str] = set()
    meetings: set[int] = set()
    chosen: list[int] = []
    open_ = np.ones(len(scores), dtype=bool)
    review = columns["needs_review"].tolist()
    orgs = columns["organisation"].tolist()
    meeting_ids = columns["meeting_id"].tolist()
    minus = (-scores).tolist()
    while len(chosen) < n and open_.any():
        best = min(
            np.flatnonzero(open_).tolist(),
            key=lambda i: (bool(review[i]), orgs[i] in organisations, meeting_ids[i] in meetings, minus[i], i),
        )
        chosen.append(best)
        open_ &= ~twins[best]
        open_[best] = False
        if orgs[best]:
            organisations.add(orgs[best])
        meetings.add(meeting_ids[best])
    return chosen


def _exact_groups(columns: Columns) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`~analyzer.aggregate.similarity.collapse_exact` over arrays: the positions of the non-blank members,
    their group codes (in order of first occurrence) and each group's best member (a position among them)."""
    known = columns.get("text_key")
    keys = known if known is not None and not pd.isna(known).any() else np.asarray(text_keys(columns["text"]), object)
    filled = np.flatnonzero(keys != ("" if keys.dtype == object else 0))
    codes, _ = pd.factorize(keys[filled])
    order = np.lexsort((columns["unit_id"][filled], columns["needs_review"][filled], codes))
    firsts = order[np.r_[True, np.diff(codes[order]) != 0]] if len(order) else order
    return filled, codes, firsts


def quote_columns(
    columns: Columns,
    n: int = 5,
    similarity: float = 0.8,
    max_candidates: int = 2000,
    seed: int = 0,
    texts: TextReader | None = None,
) -> Columns:
    """:func:`quotes_from` over *columns* (the prepared members' columns as arrays, of equal length): the chosen
    quotes' :data:`QUOTE_COLUMNS` as arrays in the final order (plain arrays: no frame is built per category)."""
    filled, codes, firsts = _exact_groups(columns)
    if not len(filled) or n <= 0:
        return {name: np.asarray([], dtype=object) for name in QUOTE_COLUMNS}
    counts = np.bincount(codes, minlength=len(firsts))
    drawn = weighted_sample(counts, max_candidates, seed)
    picked = filled[firsts[drawn]]  # positions in *columns* of the drawn groups' best members
    if "text" in columns:
        candidate_texts = columns["text"][picked].tolist()
    else:
        found = texts([int(unit_id) for unit_id in columns["unit_id"][picked]]) if texts is not None else {}
        candidate_texts = [found.get(int(unit_id), "") for unit_id in columns["unit_id"][picked]]
    weights = counts[drawn].astype(float)

    matrix = char_wb_tfidf(candidate_texts)
    with config_context(skip_parameter_validation=True):  # its checks cost more than the work, per category
        centroid = normalize(np.asarray(matrix.T @ weights).reshape(1, -1), norm="l2").ravel()
    closeness = np.asarray(matrix @ centroid).ravel()
    short = np.argsort(-closeness * (1 + np.log(weights)), kind="stable")[: max(_SHORTLIST, 10 * n)]

    near = (matrix[short] @ matrix.T).toarray() >= similarity
    near[np.arange(len(short)), short] = True
    duplicates = near @ weights
    meeting_codes, meeting_ids = pd.factorize(columns["meeting_id"][filled])
    link = (np.ones(len(filled)), (codes, meeting_codes))
    held = sparse.csr_matrix(link, shape=(len(firsts), len(meeting_ids)))
    meeting_counts = np.diff(sparse.csr_matrix(near.astype(np.float32) @ held[drawn]).indptr)
    scores = closeness[short] * (1 + np.log(duplicates))
    shortlisted = {name: columns[name][picked[short]] for name in ("needs_review", "organisation", "meeting_id")}
    chosen = np.asarray(_choose(shortlisted, scores, near[:, short], n), dtype=np.int64)

    rows = picked[short[chosen]]
    table = {name: columns[name][rows] for name in QUOTE_COLUMNS[:6]}
    table["text"] = np.asarray(candidate_texts, dtype=object)[short[chosen]]
    table["needs_review"] = columns["needs_review"][rows].astype(bool)
    table["count"] = duplicates[chosen].astype("int64")
    table["meetings"] = np.asarray(meeting_counts, dtype="int64")[chosen]
    table["score"] = scores[chosen]
    final = np.lexsort((-table["score"], table["needs_review"]))  # stable: ties keep the chosen order
    return {name: table[name][final] for name in QUOTE_COLUMNS}


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
    columns = {str(name): members[name].to_numpy() for name in members.columns}
    table = quote_columns(columns, n, similarity, max_candidates, seed, texts)
    if not len(table["unit_id"]):
        return pd.DataFrame({name: pd.Series(dtype=object) for name in QUOTE_COLUMNS})
    return pd.DataFrame(table)[QUOTE_COLUMNS]


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
