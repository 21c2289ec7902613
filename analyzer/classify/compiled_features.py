"""The exported feature blocks applied with NumPy and SciPy: TF-IDF over char or word n-grams, lexicon hits.

Each block reproduces its fitted scikit-learn transformer (``TfidfVectorizer`` with ``char_wb`` or ``word``
analysers, sublinear tf, idf and l2 norm; :class:`analyzer.features.LexiconFeatures`) on the exported vocabulary,
so that the rows equal scikit-learn's up to floating-point rounding.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from analyzer.classify.cue_text import argument_string, kind_cue_string
from analyzer.nlp.feature_text import MORPHS, TEXT, lexicon_counts

_WHITE_SPACES = re.compile(r"\s\s+")


def _source_strings(frame: pd.DataFrame, source: str) -> list[str]:
    """The strings a block reads: a column of the frame, or the cue tokens built from it."""
    if source == "kind_cues":
        return [kind_cue_string(t, m) for t, m in zip(frame[TEXT], frame[MORPHS], strict=True)]
    if source == "argument_pairs":
        return [argument_string(m) for m in frame[MORPHS]]
    return [str(value) for value in frame[source]]


def char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    """scikit-learn's ``char_wb`` n-grams: within words padded with one space each side."""
    ngrams = []
    for word in _WHITE_SPACES.sub(" ", text).split():
        padded = " " + word + " "
        length = len(padded)
        for n in range(low, high + 1):
            offset = 0
            ngrams.append(padded[offset : offset + n])
            while offset + n < length:
                offset += 1
                ngrams.append(padded[offset : offset + n])
            if offset == 0:  # a word shorter than n is counted once
                break
    return ngrams


def word_ngrams(tokens: list[str], low: int, high: int) -> list[str]:
    """scikit-learn's word n-grams of a token list (unigrams first, then each longer n in order)."""
    if high == 1:
        return tokens
    out = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high + 1, len(tokens) + 1)):
        out += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    return out


def _analyser(block: Mapping[str, Any]) -> Callable[[str], list[str]]:
    low, high = block["ngram_range"]
    lower = block["lowercase"]
    if block["analyzer"] == "char_wb":
        return lambda text: char_wb_ngrams(text.lower() if lower else text, low, high)
    pattern = re.compile(block["token_pattern"])
    return lambda text: word_ngrams(pattern.findall(text.lower() if lower else text), low, high)


class TfidfBlock:
    """One exported TF-IDF vectoriser."""

    def __init__(self, block: Mapping[str, Any], terms: np.ndarray, idf: np.ndarray) -> None:
        self.analyse = _analyser(block)
        self.vocabulary = {term: index for index, term in enumerate(terms.tolist())}
        self.idf = idf
        self.sublinear = block["sublinear_tf"]
        self.width = int(block["width"])

    def transform(self, strings: Sequence[str]) -> sparse.csr_matrix:
        indptr, indices, counts = [0], list[int](), list[int]()
        vocabulary = self.vocabulary
        for text in strings:
            for gram, count in Counter(self.analyse(text)).items():  # counted in C, looked up once per gram
                index = vocabulary.get(gram)
                if index is not None:
                    indices.append(index)
                    counts.append(count)
            indptr.append(len(indices))
        columns = np.asarray(indices, dtype=np.int64)
        data = np.asarray(counts, dtype=np.float64)
        if self.sublinear:
            data = np.log(data) + 1.0
        data *= self.idf[columns]
        bounds = np.asarray(indptr, dtype=np.int64)
        rows = np.repeat(np.arange(len(strings)), np.diff(bounds))
        norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=len(strings)))
        norms[norms == 0.0] = 1.0
        data /= norms[rows]
        return sparse.csr_matrix((data, columns, bounds), shape=(len(strings), self.width))


class LexiconBlock:
    """The exported lexicon: ``log1p`` of each label's term hits."""

    def __init__(self, block: Mapping[str, Any]) -> None:
        self.term_labels = {term: tuple(labels) for term, labels in block["terms"]}
        self.labels = int(block["labels"])

    def transform(self, strings: Sequence[str]) -> sparse.csr_matrix:
        return sparse.csr_matrix(lexicon_counts(strings, self.term_labels, self.labels))


class FeatureBlocks:
    """An exported ``ColumnTransformer``: its blocks side by side, each scaled by its weight."""

    def __init__(self, blocks: Sequence[Mapping[str, Any]], arrays: Mapping[str, np.ndarray]) -> None:
        self.blocks: list[tuple[str, float, TfidfBlock | LexiconBlock]] = []
        for block in blocks:
            name = block["name"]
            built: TfidfBlock | LexiconBlock = (
                LexiconBlock(block)
                if block["kind"] == "lexicon"
                else TfidfBlock(block, arrays[f"{name}.terms"], arrays[f"{name}.idf"])
            )
            self.blocks.append((block["source"], float(block["weight"]), built))

    def transform(self, frame: pd.DataFrame) -> sparse.csr_matrix:
        parts = []
        for source, weight, block in self.blocks:
            part = block.transform(_source_strings(frame, source))
            parts.append(part * weight if weight != 1.0 else part)
        return sparse.hstack(parts, format="csr")
