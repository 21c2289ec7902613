"""Predicate-argument pairs from the morpheme string: which noun a verb acts on (인력을 구하다 → 인력+구하), and
which content words sit next to each other once particles and endings are set aside (장비 운영 인력).

Surface n-grams see 인력을 못 구해 and 인력 구하기가 as different; these pairs are the same for both, so the
category model can carry what it learnt from one phrasing to another.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import make_pipeline

from analyzer.classify.cue_text import WINDOW, argument_pairs, argument_string  # noqa: F401
from analyzer.classify.kind_cues import token_tfidf
from analyzer.features import MORPHS


class ArgumentPairs(TransformerMixin, BaseEstimator):
    """A ``morphs`` column → one space-separated string of predicate-argument and content-word pairs per row."""

    def fit(self, X: pd.Series, y: object = None) -> ArgumentPairs:
        self.n_features_in_ = 1
        return self

    def transform(self, X: pd.Series) -> np.ndarray:
        return np.asarray([argument_string(m) for m in X], dtype=object)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.asarray(["pairs"], dtype=object)


def build_argument_features() -> ColumnTransformer:
    """TF-IDF over the pairs."""
    return ColumnTransformer([("pairs", make_pipeline(ArgumentPairs(), token_tfidf()), MORPHS)], sparse_threshold=1.0)
