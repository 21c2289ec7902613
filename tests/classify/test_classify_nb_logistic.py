"""NB-weighted logistic regression: naive-Bayes ratios folded into an ordinary linear model."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from analyzer.classify.nb_logistic import NBLogisticRegression


def _terms() -> tuple[sparse.csr_matrix, np.ndarray]:
    rng = np.random.default_rng(0)
    X = sparse.random(400, 60, density=0.08, random_state=1, format="csr")
    y = (np.asarray(X[:, 0].todense()).ravel() + np.asarray(X[:, 1].todense()).ravel() > 0).astype(int)
    y[rng.choice(400, 20, replace=False)] ^= 1  # label noise
    return X, y


def test_the_ratios_favour_terms_of_the_positives_and_fold_into_the_coefficients() -> None:
    X, y = _terms()
    model = NBLogisticRegression(C=2.0).fit(X, y)
    assert model.ratio_[0] > 1 and model.ratio_[1] > 1  # the two terms that make a positive
    assert np.abs(model.ratio_[2:]).max() < model.ratio_[:2].min()
    scaled = X @ sparse.diags(model.ratio_)
    plain = LogisticRegression(C=2.0, class_weight="balanced", solver="liblinear", max_iter=3000).fit(scaled, y)
    np.testing.assert_allclose(model.coef_, plain.coef_ * model.ratio_)
    np.testing.assert_allclose(model.decision_function(X), np.asarray(X @ model.coef_[0]).ravel() + model.intercept_[0])
    np.testing.assert_allclose(model.decision_function(X), plain.decision_function(scaled), atol=1e-12)
    assert (model.predict(X) == y).mean() > 0.9
    assert model.predict_proba(X).shape == (400, 2)


def test_more_than_two_classes_are_refused() -> None:
    X, _ = _terms()
    with pytest.raises(ValueError, match="Only binary"):
        NBLogisticRegression().fit(X, np.arange(400) % 3)
