"""The fitted feature transformers (scikit-learn): char and morpheme n-grams, lexicon hits."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from analyzer.nlp.feature_text import (  # noqa: F401  (re-exported: the names training code imports from here)
    MORPHS,
    TEXT,
    bucketed_pattern,
    feature_frame,
    lexicon_counts,
    morph_string,
    term_pattern,
)

_term_pattern = term_pattern


class LexiconFeatures(TransformerMixin, BaseEstimator):
    """Counts of lexicon hits per label, log-scaled: one column per label of ``lexicon``.

    All terms are matched in one pass of one regular expression (longest term first); a term listed
    under several labels counts for each of them.
    """

    def __init__(self, lexicon: Mapping[str, Sequence[str]] | None = None) -> None:
        self.lexicon = lexicon

    def fit(self, X: Iterable[str], y: object = None) -> LexiconFeatures:
        lexicon = self.lexicon or {}
        self.labels_ = list(lexicon)
        terms = sorted({term for entries in lexicon.values() for term in entries}, key=len, reverse=True)
        self.pattern_ = "|".join(_term_pattern(term) for term in terms) or r"(?!x)x"
        self.term_labels_ = {
            term: [i for i, entries in enumerate(lexicon.values()) if term in entries] for term in terms
        }
        return self

    def transform(self, X: Iterable[str]) -> sparse.csr_matrix:
        check_is_fitted(self, "pattern_")
        # one bucketed expression: the same matches as ``pattern_``
        return sparse.csr_matrix(lexicon_counts(X, self.term_labels_, len(self.labels_)))

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        check_is_fitted(self, "labels_")
        return np.asarray([f"lexicon_{label}" for label in self.labels_], dtype=object)


class CompactTfidfVectorizer(TfidfVectorizer):
    """TF-IDF whose saved state is small and quick to load: the vocabulary is kept as two arrays and
    ``stop_words_`` (only there for inspection) is dropped."""

    def __getstate__(self) -> dict[str, Any]:
        state = dict(super().__getstate__())
        state.pop("stop_words_", None)
        vocabulary = state.pop("vocabulary_", None)
        if vocabulary is not None:
            state["vocabulary_terms_"] = np.asarray(list(vocabulary), dtype=str)
            state["vocabulary_index_"] = np.fromiter(vocabulary.values(), dtype=np.int64, count=len(vocabulary))
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = dict(state)
        terms = state.pop("vocabulary_terms_", None)
        index = state.pop("vocabulary_index_", None)
        if terms is not None and index is not None:
            state["vocabulary_"] = dict(zip(terms.tolist(), index.tolist(), strict=True))
        super().__setstate__(state)


def build_features(lexicon: Mapping[str, Sequence[str]], lexicon_weight: float = 1.0) -> ColumnTransformer:
    """Char n-grams of the text (robust to spacing slips), morpheme n-grams, lexicon hits."""
    return ColumnTransformer(
        [
            (
                "chars",
                CompactTfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), min_df=2, sublinear_tf=True),
                TEXT,
            ),
            (
                "morphs",
                CompactTfidfVectorizer(
                    analyzer="word",
                    token_pattern=r"\S+",
                    ngram_range=(1, 2),
                    min_df=2,
                    sublinear_tf=True,
                    lowercase=False,
                ),
                MORPHS,
            ),
            ("lexicon", LexiconFeatures(dict(lexicon)), TEXT),
        ],
        transformer_weights={"chars": 1.0, "morphs": 1.0, "lexicon": lexicon_weight},
        sparse_threshold=1.0,
    )
