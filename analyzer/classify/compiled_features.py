"""The exported feature blocks applied with NumPy and SciPy: TF-IDF over char or word n-grams, lexicon hits.

Each block reproduces its fitted scikit-learn transformer (``TfidfVectorizer`` with ``char_wb`` or ``word``
analysers, sublinear tf, idf and l2 norm; :class:`analyzer.features.LexiconFeatures`) on the exported vocabulary,
so that the rows equal scikit-learn's up to floating-point rounding.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from itertools import chain, repeat
from typing import Any

import numpy as np
from scipy import sparse

from analyzer.classify.cue_text import argument_string, content_string, kind_cue_string
from analyzer.nlp.feature_text import MORPHS, TEXT, Columns, Lexicon

#: The most words whose columns a character block keeps between batches (about 250 bytes each: 25 MB at most).
KNOWN_WORDS = 100_000


def _source_strings(frame: Columns, source: str) -> list[str]:
    """The strings a block reads: a column of the frame, or the cue tokens built from it."""
    if source == "kind_cues":
        return [kind_cue_string(t, m) for t, m in zip(frame[TEXT], frame[MORPHS], strict=True)]
    if source == "argument_pairs":
        return [argument_string(m) for m in frame[MORPHS]]
    if source == "content_words":
        return [content_string(m) for m in frame[MORPHS]]
    return [str(value) for value in frame[source]]


def char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    """scikit-learn's ``char_wb`` n-grams: within words padded with one space each side (``str.split`` splits at
    the runs of whitespace that scikit-learn first collapses)."""
    ngrams: list[str] = []
    for word in text.split():
        ngrams += _word_char_ngrams(word, low, high)
    return ngrams


def _word_char_ngrams(word: str, low: int, high: int) -> list[str]:
    padded = f" {word} "
    length = len(padded)
    ngrams: list[str] = []
    for n in range(low, high + 1):
        if length <= n:  # a word no longer than n is counted once, and no longer n follows
            ngrams.append(padded)
            break
        ngrams += [padded[i : i + n] for i in range(length - n + 1)]
    return ngrams


def word_ngrams(tokens: list[str], low: int, high: int) -> list[str]:
    """scikit-learn's word n-grams of a token list (unigrams first, then each longer n in order)."""
    if high == 1:
        return tokens
    out = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high + 1, len(tokens) + 1)):  # n shifted copies, cut to the shortest
        out += map(" ".join, zip(*(tokens[i:] for i in range(n)), strict=False))
    return out


class TfidfBlock:
    """One exported TF-IDF vectoriser, applied to a batch at once: the n-grams of every text are looked up in one
    pass (a character block looks each distinct word of the batch up once), and the (row, column) pairs are
    counted with NumPy instead of one ``Counter`` per text."""

    def __init__(self, block: Mapping[str, Any], terms: np.ndarray, idf: np.ndarray) -> None:
        self.low, self.high = (int(n) for n in block["ngram_range"])
        self.lower = bool(block["lowercase"])
        self.chars = block["analyzer"] == "char_wb"
        self.pattern = re.compile(block["token_pattern"])
        self.vocabulary = {term: index for index, term in enumerate(terms.tolist())}
        self.idf = idf
        self.sublinear = block["sublinear_tf"]
        self.width = int(block["width"])
        #: A character block's columns of each word seen, kept across batches (a text comes in chunks) up to
        #: :data:`KNOWN_WORDS` words, then started afresh.
        self.known: dict[str, list[int]] = {}

    def analyse(self, text: str) -> list[str]:
        """The n-grams of one text, as scikit-learn's analyser gives them."""
        text = text.lower() if self.lower else text
        if self.chars:
            return char_wb_ngrams(text, self.low, self.high)
        return word_ngrams(self.pattern.findall(text), self.low, self.high)

    def _char_columns(self, strings: Sequence[str]) -> tuple[list[int], list[int]]:
        """The vocabulary columns of every text's n-grams (unknown n-grams left out) and their number per text."""
        if len(self.known) > KNOWN_WORDS:
            self.known = {}
        known, vocabulary, low, high = self.known, self.vocabulary, self.low, self.high
        columns: list[int] = []
        lengths: list[int] = []
        for text in strings:
            before = len(columns)
            for word in (text.lower() if self.lower else text).split():
                found = known.get(word)
                if found is None:
                    grams = _word_char_ngrams(word, low, high)
                    found = known[word] = [i for i in map(vocabulary.get, grams, repeat(-1)) if i >= 0]
                columns += found
            lengths.append(len(columns) - before)
        return columns, lengths

    def _word_columns(self, strings: Sequence[str]) -> tuple[np.ndarray, list[int]]:
        grams = [self.analyse(text) for text in strings]
        lengths = [len(found) for found in grams]
        flat = chain.from_iterable(grams)
        return np.fromiter(map(self.vocabulary.get, flat, repeat(-1)), dtype=np.int64, count=sum(lengths)), lengths

    def transform(self, strings: Sequence[str]) -> sparse.csr_matrix:
        rows_of = len(strings)
        found, lengths = self._char_columns(strings) if self.chars else self._word_columns(strings)
        columns = np.asarray(found, dtype=np.int64)
        bounds = np.zeros(rows_of + 1, dtype=np.int64)
        if not self.chars:  # unknown n-grams out
            keep = columns >= 0
            lengths = np.bincount(np.repeat(np.arange(rows_of), lengths)[keep], minlength=rows_of).tolist()
            columns = columns[keep]
        np.cumsum(lengths, out=bounds[1:])
        matrix = sparse.csr_matrix((np.ones(len(columns)), columns, bounds), shape=(rows_of, self.width))
        matrix.sum_duplicates()  # one entry per (row, n-gram) holding its count
        data = matrix.data
        if self.sublinear:
            data = np.log(data) + 1.0
        data *= self.idf[matrix.indices]
        rows = np.repeat(np.arange(rows_of), np.diff(matrix.indptr))
        norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=rows_of))
        norms[norms == 0.0] = 1.0
        data /= norms[rows]
        return sparse.csr_matrix((data, matrix.indices, matrix.indptr), shape=(rows_of, self.width))


class LexiconBlock:
    """The exported lexicon: ``log1p`` of each label's term hits."""

    def __init__(self, block: Mapping[str, Any]) -> None:
        self.term_labels = {term: tuple(labels) for term, labels in block["terms"]}
        self.labels = int(block["labels"])
        self.lexicon = Lexicon(self.term_labels, self.labels)

    def transform(self, strings: Sequence[str]) -> sparse.csr_matrix:
        return sparse.csr_matrix(self.lexicon.counts(strings))


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

    def transform(self, frame: Columns) -> sparse.csr_matrix:
        parts = []
        for source, weight, block in self.blocks:
            part = block.transform(_source_strings(frame, source))
            parts.append(part * weight if weight != 1.0 else part)
        return sparse.hstack(parts, format="csr")
