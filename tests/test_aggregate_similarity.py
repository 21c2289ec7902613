"""Text similarity behind quotes and recurring issues: the numpy char_wb TF-IDF, sparse neighbours, sampling."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from analyzer.aggregate.recurring import recurring_issues
from analyzer.aggregate.similarity import collapse_exact, neighbour_graph, text_keys, weighted_sample
from analyzer.aggregate.vectorise import char_wb_tfidf
from analyzer.taxonomy import load_taxonomy

SENTENCES = [
    "장비 담당 연구원이 한 명뿐이라 휴가 가면 장비를 못 씁니다",
    "장비 담당 연구원이 한 명뿐이라서 휴가 가면 장비를 못 써요",
    "외국인 근로자 기숙사가 부족합니다",
    "AI 품질검사 도입 비용이 부담됩니다 (약 3억 원)",
    "네",
    "",
    "   ",
    "가  나\t다\n라",
]


def sklearn_cosines(texts: list[str]) -> np.ndarray:
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # no n-gram at all
        return np.zeros((len(texts), len(texts)))
    return (matrix @ matrix.T).toarray()


def test_char_wb_tfidf_matches_scikit_learn_on_korean_sentences() -> None:
    matrix = char_wb_tfidf(SENTENCES)
    assert matrix.shape[0] == len(SENTENCES)
    np.testing.assert_allclose((matrix @ matrix.T).toarray(), sklearn_cosines(SENTENCES), atol=1e-5)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.text(alphabet="가나다라 장비연구원\t\nAbC.,1", max_size=30), min_size=1, max_size=12))
def test_char_wb_tfidf_matches_scikit_learn_on_any_text(texts: list[str]) -> None:
    ours = (char_wb_tfidf(texts) @ char_wb_tfidf(texts).T).toarray()
    np.testing.assert_allclose(ours, sklearn_cosines(texts), atol=1e-5)


def test_char_wb_tfidf_of_nothing_is_empty() -> None:
    assert char_wb_tfidf([]).shape[0] == 0
    assert char_wb_tfidf(["", " "]).nnz == 0


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        ("인력이 부족합니다.", "인력이  부족합니다", True),
        ("AI 검사 장비!", "ai 검사장비", True),
        ("「인력 부족」", "인력 부족", True),
        ("인력, 부족", "인력 부족", False),  # inner punctuation is left to the near-duplicate pass
        ("인력이 부족합니다", "인력은 부족합니다", False),
    ],
)
def test_text_keys_ignore_spacing_case_and_outer_punctuation(left: str, right: str, same: bool) -> None:
    first, second = text_keys([left, right])
    assert (first == second) is same


def test_collapse_exact_keeps_the_reviewed_member_and_drops_blank_texts() -> None:
    units = pd.DataFrame(
        {
            "unit_id": [5, 3, 4, 9],
            "text": ["인력 부족.", "인력  부족", "...", "자금 부족"],
            "needs_review": [False, True, False, False],
        }
    )
    groups, members = collapse_exact(units)
    assert groups["unit_id"].tolist() == [5, 9] and groups["count"].tolist() == [2, 1]
    assert members["unit_id"].tolist() == [5, 3, 9] and members["group"].tolist() == [0, 0, 1]


def test_neighbour_graph_links_similar_rows_symmetrically_and_caps_neighbours() -> None:
    texts = ["장비 담당 연구원이 없습니다"] * 5 + ["정책자금 금리가 높습니다"]
    matrix = char_wb_tfidf(texts)
    graph = neighbour_graph(matrix, 0.5, neighbours=10).toarray()
    assert (graph == graph.T).all() and graph[:5, :5].sum() == 20 and graph[5].sum() == 0
    capped = neighbour_graph(matrix, 0.5, neighbours=1).toarray()
    assert (capped == capped.T).all() and 0 < capped.sum() < 20


def test_weighted_sample_is_seeded_sorted_and_prefers_heavy_items() -> None:
    weights = np.array([1.0] * 50 + [1000.0] * 5)
    draw = weighted_sample(weights, 10, seed=1)
    assert len(draw) == 10 and (np.diff(draw) > 0).all()
    assert set(range(50, 55)) <= set(draw.tolist())
    assert (weighted_sample(weights, 10, seed=1) == draw).all()
    assert weighted_sample(weights, 100, seed=1).tolist() == list(range(55))
    assert weighted_sample(weights, 0, seed=1).tolist() == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="가나다라 장비연구원\t\nAbC.,1", max_size=30), min_size=1, max_size=12))
def test_char_wb_tfidf_rows_equal_scikit_learn_rows_up_to_column_order(texts: list[str]) -> None:
    ours = char_wb_tfidf(texts)
    try:
        theirs = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True).fit_transform(texts)
    except ValueError:  # no n-gram at all
        assert ours.nnz == 0
        return
    assert ours.shape[0] == theirs.shape[0] and ours.nnz == theirs.nnz
    for mine, reference in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(np.sort(mine.data), np.sort(reference.data), atol=1e-6)


def brute_force_links(matrix: sparse.csr_matrix, threshold: float) -> set[tuple[int, int]]:
    cosines = (matrix @ matrix.T).toarray()
    return {(i, j) for i, j in zip(*np.nonzero(cosines >= threshold), strict=True) if i != j}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from([*SENTENCES[:4], "외국인 근로자 기숙사가 부족해요", "장비 연구원이 부족"]), max_size=14),
    st.floats(0.3, 0.9),
)
def test_neighbour_graph_with_room_for_every_neighbour_is_the_thresholded_cosine_graph(
    texts: list[str], threshold: float
) -> None:
    matrix = char_wb_tfidf(texts)
    cosines = (matrix @ matrix.T).toarray()
    assume(not (np.abs(cosines - threshold) < 1e-5).any())  # no pair sits on the threshold within float noise
    graph = neighbour_graph(matrix, threshold, neighbours=max(len(texts), 1))
    assert set(zip(*graph.nonzero(), strict=True)) == brute_force_links(matrix, threshold)


def test_weighted_sample_is_numpys_weighted_choice_without_replacement() -> None:
    weights = np.arange(1.0, 41.0)
    expected = np.random.default_rng(7).choice(40, 12, replace=False, p=weights / weights.sum())
    assert weighted_sample(weights, 12, seed=7).tolist() == sorted(expected.tolist())


@pytest.mark.parametrize("ids", [[1, 2], [2, 1]])
@pytest.mark.parametrize("texts", [SENTENCES[:2], SENTENCES[1::-1]])
def test_recurring_representative_of_an_equal_pair_is_the_lowest_unit_id(ids: list[int], texts: list[str]) -> None:
    units = pd.DataFrame(
        {
            "unit_id": ids,
            "meeting_id": [1, 2],
            "text": texts,
            "categories": [["equipment_facilities"], ["equipment_facilities"]],
            "kind": ["pain_point", "pain_point"],
        }
    )
    table = recurring_issues(units, load_taxonomy())
    assert len(table) == 1 and table.iloc[0]["unit_id"] == 1 and table.iloc[0]["text"] == texts[ids.index(1)]
