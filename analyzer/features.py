"""The only bridge from spaCy to scikit-learn: docs become a frame of text columns, then features."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted
from spacy.tokens import Doc

from analyzer.nlp.tokens import Tokens

TEXT, MORPHS = "text", "morphs"
_SKIP_TAGS = ("_SP", "SF", "SP", "SS", "SE", "SO", "SW")


def morph_string(doc: Doc | Tokens) -> str:
    """Lemma/tag tokens of a doc or its :class:`Tokens` ("지원/NNG 되/XSV ..."), the morpheme view of a unit."""
    pairs = zip(doc.lemmas, doc.tags, strict=True) if isinstance(doc, Tokens) else ((t.lemma_, t.tag_) for t in doc)
    return " ".join(f"{lemma}/{tag.split('+')[0]}" for lemma, tag in pairs if not tag.startswith(_SKIP_TAGS))


def feature_frame(texts: Sequence[str], docs: Iterable[Doc | Tokens]) -> pd.DataFrame:
    """The frame the classifiers read: raw text and its morphemes."""
    return pd.DataFrame({TEXT: list(texts), MORPHS: [morph_string(doc) for doc in docs]})


def _term_pattern(term: str) -> str:
    if term.isascii():  # short Latin abbreviations (CE, UL, TP) only as whole words, case-sensitive
        return rf"(?<![A-Za-z]){re.escape(term)}(?![A-Za-z])"
    return re.escape(term).replace(r"\ ", r"\s*")


def bucketed_pattern(terms: Sequence[str]) -> str:
    """The alternation of :func:`_term_pattern` over *terms*, grouped by first character: the same matches
    (alternatives sharing a first character keep their order; others cannot match at that position), about nine
    times faster, since the engine tries one group per position instead of every term."""
    buckets: dict[str, list[str]] = {}
    for term in terms:
        if not term or term[0].isspace():
            buckets.setdefault("", []).append(_term_pattern(term))
            continue
        if term.isascii():  # the look-behind, moved after the first character, looks two back
            rest = rf"(?<![A-Za-z].){re.escape(term[1:])}(?![A-Za-z])"
        else:
            rest = re.escape(term[1:]).replace(r"\ ", r"\s*")
        buckets.setdefault(term[0], []).append(rest)
    return "|".join(re.escape(first) + "(?:" + "|".join(alts) + ")" for first, alts in buckets.items()) or r"(?!x)x"


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
        regex = re.compile(bucketed_pattern(list(self.term_labels_)))  # the same matches as ``pattern_``
        spaced = {re.sub(r"\s+", "", term): labels for term, labels in self.term_labels_.items()}
        rows = list(X)
        counts = np.zeros((len(rows), len(self.labels_)))
        for row, text in enumerate(rows):
            for match in regex.finditer(text):
                for label in spaced.get(re.sub(r"\s+", "", match.group()), ()):
                    counts[row, label] += 1
        return sparse.csr_matrix(np.log1p(counts))

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
