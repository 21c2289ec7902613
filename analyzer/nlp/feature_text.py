"""What the classifiers read, without scikit-learn or spaCy: the frame of text and morphemes, and lexicon hits.

:mod:`analyzer.features` (the fitted scikit-learn transformers) and :mod:`analyzer.classify.compiled` (inference
on exported arrays) both build their inputs here, so training and inference read the same strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np

from analyzer.nlp.tokens import Tokens

if TYPE_CHECKING:
    import pandas as pd
    from spacy.tokens import Doc

#: What the classifiers read: a column name → one value per unit (a plain mapping at inference, a pandas frame
#: in training).
Columns: TypeAlias = "Mapping[str, Sequence[Any]] | pd.DataFrame"

TEXT, MORPHS = "text", "morphs"
_SKIP_TAGS = ("_SP", "SF", "SP", "SS", "SE", "SO", "SW")
_SPACES = re.compile(r"\s+")


def morph_string(doc: Doc | Tokens) -> str:
    """Lemma/tag tokens of a doc or its :class:`Tokens` ("지원/NNG 되/XSV ..."), the morpheme view of a unit."""
    pairs = zip(doc.lemmas, doc.tags, strict=True) if isinstance(doc, Tokens) else ((t.lemma_, t.tag_) for t in doc)
    return " ".join(f"{lemma}/{tag.split('+')[0]}" for lemma, tag in pairs if not tag.startswith(_SKIP_TAGS))


def feature_columns(texts: Sequence[str], docs: Iterable[Doc | Tokens]) -> dict[str, list[str]]:
    """The columns the classifiers read: raw text and its morphemes (no pandas: analysis never imports it)."""
    return {TEXT: list(texts), MORPHS: [morph_string(doc) for doc in docs]}


def feature_frame(texts: Sequence[str], docs: Iterable[Doc | Tokens]) -> pd.DataFrame:
    """:func:`feature_columns` as the frame that training and the scikit-learn pipeline read."""
    import pandas as pd

    return pd.DataFrame(feature_columns(texts, docs))


def term_pattern(term: str) -> str:
    """The regular expression of one lexicon term (spaces in it match any run of spaces, or none)."""
    if term.isascii():  # short Latin abbreviations (CE, UL, TP) only as whole words, case-sensitive
        return rf"(?<![A-Za-z]){re.escape(term)}(?![A-Za-z])"
    return re.escape(term).replace(r"\ ", r"\s*")


def bucketed_pattern(terms: Sequence[str]) -> str:
    """The alternation of :func:`term_pattern` over *terms*, grouped by first character: the same matches
    (alternatives sharing a first character keep their order; others cannot match at that position), about nine
    times faster, since the engine tries one group per position instead of every term. The largest groups come
    first (the engine tries the groups in order, and their first characters are the commonest): a quarter faster
    again. Terms led by whitespace can match where others start, so with any of them the groups keep their order."""
    buckets: dict[str, list[str]] = {}
    for term in terms:
        if not term or term[0].isspace():
            buckets.setdefault("", []).append(term_pattern(term))
            continue
        if term.isascii():  # the look-behind, moved after the first character, looks two back
            rest = rf"(?<![A-Za-z].){re.escape(term[1:])}(?![A-Za-z])"
        else:
            rest = re.escape(term[1:]).replace(r"\ ", r"\s*")
        buckets.setdefault(term[0], []).append(rest)
    order = list(buckets) if "" in buckets else sorted(buckets, key=lambda first: -len(buckets[first]))
    return "|".join(re.escape(first) + "(?:" + "|".join(buckets[first]) + ")" for first in order) or r"(?!x)x"


def lexicon_counts(texts: Iterable[str], term_labels: Mapping[str, Sequence[int]], labels: int) -> np.ndarray:
    """``log1p`` of the lexicon hits per label of each text (see :class:`Lexicon`)."""
    return Lexicon(term_labels, labels).counts(texts)


class Lexicon:
    """Lexicon terms matched in one pass of one regular expression, built once (*term_labels*: each term, longest
    first, and the label columns it counts for)."""

    def __init__(self, term_labels: Mapping[str, Sequence[int]], labels: int) -> None:
        self.regex = re.compile(bucketed_pattern(list(term_labels)))
        self.spaced = {_SPACES.sub("", term): found for term, found in term_labels.items()}
        self.labels = labels

    def counts(self, texts: Iterable[str]) -> np.ndarray:
        """``log1p`` of the hits per label of each text."""
        rows = list(texts)
        counts = np.zeros((len(rows), self.labels))
        spaced, finditer = self.spaced, self.regex.finditer
        for row, text in enumerate(rows):
            for match in finditer(text):
                for label in spaced.get(_SPACES.sub("", match.group()), ()):
                    counts[row, label] += 1
        return np.log1p(counts)
