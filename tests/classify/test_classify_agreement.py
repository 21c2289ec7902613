"""Inter-rater agreement and suspected label errors."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analyzer.research.agreement import (
    cohen_kappa_per_category,
    fleiss_kappa_of_kind,
    fleiss_kappa_per_category,
    suspected_label_issues,
)

CATEGORIES = ("workforce", "funding")


def test_kappa_of_identical_labels_is_one() -> None:
    frame = pd.DataFrame(
        {"categories": [["workforce"], [], ["funding", "workforce"], []], "kind": ["pain_point", "request"] * 2}
    )
    kappas = cohen_kappa_per_category(frame, frame.copy(), CATEGORIES)
    assert kappas == {"workforce": 1.0, "funding": 1.0, "kind": 1.0}
    matrices = [frame.pipe(lambda f: np.array([[c in cs for c in CATEGORIES] for cs in f["categories"]]))] * 3
    assert fleiss_kappa_per_category(matrices, CATEGORIES) == {"workforce": 1.0, "funding": 1.0}
    assert fleiss_kappa_of_kind([list(frame["kind"])] * 3) == 1.0


def test_cohen_kappa_of_a_known_small_example() -> None:
    # rater A: 1 1 0 0, rater B: 1 0 0 0 → p_o = 0.75, p_e = 0.5·0.25 + 0.5·0.75 = 0.5, κ = 0.5
    a = [["workforce"], ["workforce"], [], []]
    b = [["workforce"], [], [], []]
    kappas = cohen_kappa_per_category(a, b, CATEGORIES)
    assert kappas["workforce"] == pytest.approx(0.5)
    assert kappas["funding"] == 1.0  # never used by either: perfect agreement


def test_fleiss_kappa_of_a_known_small_example() -> None:
    # two raters, binary: table per item [no, yes] = [0,2], [1,1], [2,0], [2,0]
    # P̄ = (1 + 0 + 1 + 1)/4 = 0.75; p_yes = 3/8 → P̄e = 0.375² + 0.625² = 0.53125; κ = 0.21875/0.46875
    a = np.array([[1], [1], [0], [0]])
    b = np.array([[1], [0], [0], [0]])
    kappa = fleiss_kappa_per_category([a, b])["0"]
    assert kappa == pytest.approx(round(0.21875 / 0.46875, 4))


def test_suspected_label_issues_ranks_contradicted_labels_first() -> None:
    rng = np.random.default_rng(0)
    categories = [["workforce"] if i % 2 else ["funding"] for i in range(40)]
    P = np.array([[0.9, 0.1] if i % 2 else [0.1, 0.9] for i in range(40)]) + rng.uniform(0, 0.05, (40, 2))
    categories[4] = ["workforce"]  # the model is confident it is funding
    frame = pd.DataFrame({"id": [f"u-{i}" for i in range(40)], "categories": categories})
    issues = suspected_label_issues(frame, P, CATEGORIES)
    assert issues.iloc[0]["id"] == "u-4"
    assert issues.iloc[0]["predicted_categories"] == ["funding"]
    assert issues["label_quality"].is_monotonic_increasing
    assert not math.isnan(issues.iloc[0]["label_quality"])
