"""Content-word features for the category models: the unit's content lemmas (nouns, verbs and adjectives in their
dictionary form, roots, Latin words) and each pair of neighbouring ones, with particles and endings set aside.

The shared morpheme n-grams also count particles and endings, which outnumber the content morphemes; this block
gives the words that name a need (인력, 구하다, 장비_운영) a view of their own, and 구해 / 구하기 / 구할 one token.
On document-grouped CV it raised category micro F1 by about 0.008 (issue #18, round 3; see the 1.3.0 card).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import make_pipeline

from analyzer.classify.arguments import ArgumentPairs
from analyzer.classify.cue_text import content_string
from analyzer.classify.kind_cues import token_tfidf
from analyzer.features import MORPHS


class ContentWords(ArgumentPairs):
    """A ``morphs`` column → one space-separated string of content lemmas and lemma pairs per row."""

    def transform(self, X: pd.Series) -> np.ndarray:
        return np.asarray([content_string(m) for m in X], dtype=object)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.asarray(["content"], dtype=object)


def build_category_features(*, argument_pairs: bool = False, content_words: bool = False) -> ColumnTransformer | None:
    """TF-IDF blocks the category models read besides the shared features (None when neither is asked for)."""
    blocks = []
    if argument_pairs:
        blocks.append(("pairs", make_pipeline(ArgumentPairs(), token_tfidf()), MORPHS))
    if content_words:
        blocks.append(("content", make_pipeline(ContentWords(), token_tfidf()), MORPHS))
    return ColumnTransformer(blocks, sparse_threshold=1.0) if blocks else None
