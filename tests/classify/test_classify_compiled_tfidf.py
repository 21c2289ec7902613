"""The batch TF-IDF block equals scikit-learn's ``TfidfVectorizer`` on awkward texts: runs of odd whitespace,
words shorter than n, repeated words, empty texts, texts with no known n-gram, a batch of one and of none."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from analyzer.classify.compiled_features import TfidfBlock

TRAIN = ["장비 예약이 어렵습니다", "예약 시스템 개선 요청", "AB 장비 CE 인증", "지원 사업 확대", "가 나 다 라"]
AWKWARD = [
    "",
    "   ",
    "장비\t\t예약이\u3000\u3000어렵\x1c습니다",
    "가",
    "가 가 가 가",
    "zzz qqq",
    "예약이 예약이\n\n예약",
    "CE ce Ce 인증 인증",
    "나 다",
    "시스템개선요청지원사업확대",
]
CONFIGS = [
    {"analyzer": "char_wb", "ngram_range": (2, 4), "lowercase": True},
    {"analyzer": "char_wb", "ngram_range": (1, 3), "lowercase": False, "sublinear_tf": False},
    {"analyzer": "word", "ngram_range": (1, 2), "lowercase": False, "token_pattern": r"\S+"},
    {"analyzer": "word", "ngram_range": (1, 1), "lowercase": True},
    {"analyzer": "word", "ngram_range": (2, 3), "lowercase": True, "token_pattern": r"\S+"},
]


def block_of(fitted: TfidfVectorizer) -> TfidfBlock:
    terms = np.array(fitted.get_feature_names_out(), dtype=object)
    exported = {
        "analyzer": fitted.analyzer,
        "ngram_range": list(fitted.ngram_range),
        "lowercase": fitted.lowercase,
        "token_pattern": fitted.token_pattern,
        "sublinear_tf": fitted.sublinear_tf,
        "width": len(terms),
    }
    return TfidfBlock(exported, terms, fitted.idf_)


@pytest.mark.parametrize("config", CONFIGS)
def test_batch_block_equals_scikit_learn_on_awkward_texts(config: dict[str, object]) -> None:
    fitted = TfidfVectorizer(**{"sublinear_tf": True, **config}).fit(TRAIN + AWKWARD[:4])
    block = block_of(fitted)
    for batch in (AWKWARD, AWKWARD[2:3], [], TRAIN + AWKWARD + TRAIN):
        ours = block.transform(batch).toarray()
        assert ours.shape == (len(batch), len(fitted.idf_))
        if batch:
            np.testing.assert_allclose(ours, fitted.transform(batch).toarray(), rtol=0, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="가나다AbC \t\n\u3000", max_size=30), min_size=1, max_size=8))
def test_batch_char_block_equals_scikit_learn_on_generated_texts(texts: list[str]) -> None:
    fitted = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True).fit(TRAIN + texts)
    ours = block_of(fitted).transform(texts).toarray()
    np.testing.assert_allclose(ours, fitted.transform(texts).toarray(), rtol=0, atol=1e-12)
