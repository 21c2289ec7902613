"""The exported blocks' n-grams are scikit-learn's: word and ``char_wb`` analysers on generated text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from sklearn.feature_extraction.text import CountVectorizer

from analyzer.classify.compiled_features import char_wb_ngrams, word_ngrams

TEXT = st.text(alphabet="지원장비가 NNG/VV+ab.\t\n\x1c\u3000", max_size=40)
RANGES = st.tuples(st.integers(1, 3), st.integers(0, 2)).map(lambda pair: (pair[0], pair[0] + pair[1]))


@given(TEXT, RANGES)
def test_word_ngrams_are_scikit_learns(text: str, ngram_range: tuple[int, int]) -> None:
    analyse = CountVectorizer(token_pattern=r"\S+", lowercase=False, ngram_range=ngram_range).build_analyzer()
    assert word_ngrams(text.split(), *ngram_range) == analyse(text)


@given(TEXT, RANGES)
def test_char_wb_ngrams_are_scikit_learns(text: str, ngram_range: tuple[int, int]) -> None:
    analyse = CountVectorizer(analyzer="char_wb", lowercase=False, ngram_range=ngram_range).build_analyzer()
    assert char_wb_ngrams(text, *ngram_range) == analyse(text)
