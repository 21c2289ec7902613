"""Candidate issues the taxonomy lacks (새 범주 후보): pain points and requests with no category, or only weak
ones, clustered into groups worth a category of their own.

Features are morphology-aware: each unit's key phrases (runs of nouns found by Kiwi's morphemes at analysis time,
and the nouns inside them) as TF-IDF terms, beside char_wb 2-4 TF-IDF of the text, which keeps spacing variants
together. The two blocks are weighted, joined, reduced by ``TruncatedSVD`` and clustered by scikit-learn's
``AgglomerativeClustering`` (cosine distance, average linkage, a distance threshold instead of a fixed number of
clusters). Clusters of at least ``min_size`` units become candidates with their distinctive key phrases, size,
organisations, meetings and the example quotes closest to their centre. At most ``max_units`` units are clustered
(the newest), so the cost stays bounded (the linkage is quadratic).
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.cluster import AgglomerativeClustering
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from analyzer.aggregate.vectorise import char_wb_tfidf

#: Nouns every kind of feedback uses: never a candidate's key phrase.
GENERIC = frozenset({"건의", "요청", "애로", "부탁", "기업", "업체", "회사", "문제", "필요", "개선", "지원", "사항"})
CANDIDATE_COLUMNS = [
    "candidate_id",
    "size",
    "key_phrases",
    "organisations",
    "meetings",
    "unit_ids",
    "quotes",
]


def phrase_terms(phrases: Iterable[str]) -> list[str]:
    """A unit's morphology-aware terms: its noun phrases and each noun in them (spaces normalised)."""
    terms: list[str] = []
    for phrase in phrases:
        words = phrase.split()
        if not words:
            continue
        terms.append(" ".join(words))
        if len(words) > 1:
            terms.extend(words)
    return terms


def feature_matrix(
    texts: list[str], phrases: list[list[str]], phrase_weight: float = 0.5, components: int = 20, seed: int = 0
) -> np.ndarray:
    """Rows of L2-normalised features: weighted key-phrase TF-IDF and char n-gram TF-IDF, reduced by SVD."""
    char = char_wb_tfidf(texts)
    terms = [phrase_terms(found) for found in phrases]
    if any(terms):
        vectorizer = TfidfVectorizer(analyzer=lambda row: row, sublinear_tf=True, min_df=2 if len(texts) > 20 else 1)
        try:
            words = normalize(sparse.csr_matrix(vectorizer.fit_transform(terms)))
        except ValueError:  # no term in two units
            words = sparse.csr_matrix((len(texts), 1))
    else:
        words = sparse.csr_matrix((len(texts), 1))
    joined = sparse.hstack([words * math.sqrt(phrase_weight), char * math.sqrt(1 - phrase_weight)]).tocsr()
    rank = min(components, joined.shape[1] - 1, len(texts) - 1)
    if rank >= 2:
        reduced = TruncatedSVD(n_components=rank, random_state=seed).fit_transform(joined)
        return np.asarray(normalize(reduced))
    return np.asarray(normalize(joined).toarray())


def _distinctive(terms: pd.Series, members: np.ndarray, top: int) -> list[str]:
    """The terms most particular to the members: count inside × log(pool size ÷ units with the term); words that
    any feedback uses (건의, 요청, 기업, ...) are left out."""
    inside = Counter(p for found in terms[members] for p in set(found) if p not in GENERIC)
    everywhere = Counter(p for found in terms for p in set(found))
    size = len(terms)
    ranked = sorted((-count * math.log(size / everywhere[p]), -count, p) for p, count in inside.items() if count >= 2)
    return [p for _, _, p in ranked[:top]]


def candidate_issues(
    frame: pd.DataFrame,
    *,
    min_size: int = 5,
    distance: float = 0.9,
    max_units: int = 2000,
    phrases: int = 5,
    quotes: int = 3,
    seed: int = 0,
) -> pd.DataFrame:
    """Candidates from *frame* (``unit_id``, ``meeting_id``, ``text``, ``keyphrases``, ``organisation``), largest
    first; each with a stable ``candidate_id`` (a hash of its leading key phrases, else of its first units)."""
    frame = frame.sort_values("unit_id").tail(max_units).reset_index(drop=True)
    if len(frame) < max(min_size, 2):
        return pd.DataFrame(columns=CANDIDATE_COLUMNS)
    texts = frame["text"].astype(str).tolist()
    found = frame["keyphrases"].map(lambda v: [str(p) for p in v] if isinstance(v, list | tuple) else [])
    features = feature_matrix(texts, found.tolist(), seed=seed)
    labels = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=distance
    ).fit_predict(features)
    rows: list[dict[str, Any]] = []
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        if len(members) < min_size:
            continue
        centre = normalize(features[members].mean(axis=0, keepdims=True))[0]
        closest = members[np.argsort(-(features[members] @ centre), kind="stable")]
        leading = _distinctive(found.map(phrase_terms), members, phrases)
        ids = frame["unit_id"].to_numpy()[members]
        seed_text = "|".join(leading[:3]) if leading else ",".join(map(str, sorted(ids)[:5]))
        organisations = Counter(o for o in frame["organisation"].to_numpy()[members] if o)
        rows.append(
            {
                "candidate_id": hashlib.sha1(seed_text.encode()).hexdigest()[:12],
                "size": len(members),
                "key_phrases": leading,
                "organisations": [name for name, _ in organisations.most_common()],
                "meetings": len(set(frame["meeting_id"].to_numpy()[members].tolist())),
                "unit_ids": sorted(int(i) for i in ids),
                "quotes": [
                    {
                        "unit_id": int(frame["unit_id"].iat[i]),
                        "text": texts[i],
                        "organisation": frame["organisation"].iat[i],
                    }
                    for i in closest[:quotes]
                ],
            }
        )
    table = pd.DataFrame(rows, columns=CANDIDATE_COLUMNS)
    return table.sort_values(["size", "candidate_id"], ascending=[False, True], ignore_index=True)
