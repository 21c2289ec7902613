"""Cues of a statement's kind that surface n-grams miss: how each sentence ends, the predicate its ending hangs
on, and in reported speech (…해 달라고 건의했다, …어렵다고 호소했다) the quoted predicate with its speech verb.

:class:`KindCues` turns a frame's ``text`` and ``morphs`` columns into one string of cue tokens per unit;
:func:`build_kind_features` vectorises them (TF-IDF) for the kind model. Everything is read from the text and
the morpheme string the shared features already carry: no second morphological analysis.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import make_pipeline

from analyzer.classify.cue_text import QUOTATIVE, SPEECH, ending_cues, kind_cue_string, predicate_cues  # noqa: F401
from analyzer.features import MORPHS, TEXT, CompactTfidfVectorizer


class KindCues(TransformerMixin, BaseEstimator):
    """A frame with ``text`` and ``morphs`` → one space-separated string of cue tokens per row."""

    def fit(self, X: pd.DataFrame, y: object = None) -> KindCues:
        self.n_features_in_ = 2
        return self

    def transform(self, X: pd.DataFrame) -> np.ndarray:
        texts: Iterable[str] = X[TEXT]
        morphs: Iterable[str] = X[MORPHS]
        return np.asarray([kind_cue_string(t, m) for t, m in zip(texts, morphs, strict=True)], dtype=object)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.asarray(["cues"], dtype=object)


def token_tfidf() -> CompactTfidfVectorizer:
    """TF-IDF over space-separated cue tokens; a token seen in fewer than two units is dropped."""
    return CompactTfidfVectorizer(analyzer="word", token_pattern=r"\S+", min_df=2, sublinear_tf=True, lowercase=False)


def build_kind_features() -> ColumnTransformer:
    """TF-IDF over the cue tokens."""
    return ColumnTransformer([("cues", make_pipeline(KindCues(), token_tfidf()), [TEXT, MORPHS])], sparse_threshold=1.0)


def with_cues(X: Any, kind_features: Any, frame: pd.DataFrame) -> Any:
    """The shared features *X* with the cue columns of *kind_features* (fitted, or None) appended."""
    if kind_features is None:
        return X
    return sparse.hstack([X, kind_features.transform(frame)], format="csr")
