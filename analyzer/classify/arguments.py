"""Predicate-argument pairs from the morpheme string: which noun a verb acts on (인력을 구하다 → 인력+구하), and
which content words sit next to each other once particles and endings are set aside (장비 운영 인력).

Surface n-grams see 인력을 못 구해 and 인력 구하기가 as different; these pairs are the same for both, so the
category model can carry what it learnt from one phrasing to another.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import make_pipeline

from analyzer.classify.kind_cues import token_tfidf
from analyzer.features import MORPHS

_NOUN = ("NNG", "NNP", "SL", "XR")
_PREDICATE = ("VV", "VA", "XSV", "XSA")
#: How many morphemes after a noun its predicate may come (particles, auxiliaries, adverbs in between).
WINDOW = 5


def argument_pairs(morphs: str) -> list[str]:
    """``a:<noun>+<predicate>`` for each noun and the next predicate within :data:`WINDOW`, and
    ``c:<content>_<content>`` for consecutive content words (particles and endings skipped)."""
    pairs = [(lemma, tag.split("-")[0]) for lemma, _, tag in (t.rpartition("/") for t in morphs.split())]
    found = []
    for index, (lemma, tag) in enumerate(pairs):
        if not tag.startswith(_NOUN) or len(lemma) < 2:
            continue
        for offset, (other, other_tag) in enumerate(pairs[index + 1 : index + 1 + WINDOW], 1):
            if offset == 1 and (other_tag.startswith(_NOUN) or other_tag in ("XSV", "XSA")):
                break  # a compound noun (its head takes the predicate) or a verbal noun (지원하다)
            if other_tag.startswith(_PREDICATE):
                verb = pairs[index + offset - 1][0] + other if other_tag in ("XSV", "XSA") else other
                found.append(f"a:{lemma}+{verb}")
                break
    content = [lemma for lemma, tag in pairs if tag.startswith((*_NOUN, "VV", "VA")) and len(lemma) > 1]
    found += [f"c:{a}_{b}" for a, b in itertools.pairwise(content)]
    return found


class ArgumentPairs(TransformerMixin, BaseEstimator):
    """A ``morphs`` column → one space-separated string of predicate-argument and content-word pairs per row."""

    def fit(self, X: pd.Series, y: object = None) -> ArgumentPairs:
        self.n_features_in_ = 1
        return self

    def transform(self, X: pd.Series) -> np.ndarray:
        return np.asarray([" ".join(argument_pairs(m)) for m in X], dtype=object)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.asarray(["pairs"], dtype=object)


def build_argument_features() -> ColumnTransformer:
    """TF-IDF over the pairs."""
    return ColumnTransformer([("pairs", make_pipeline(ArgumentPairs(), token_tfidf()), MORPHS)], sparse_threshold=1.0)
