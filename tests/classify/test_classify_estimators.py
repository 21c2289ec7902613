"""Our numeric estimators follow scikit-learn's conventions; thresholds and abstention behave."""

from __future__ import annotations

import numpy as np
from sklearn.utils.estimator_checks import parametrize_with_checks

from analyzer.classify.estimators import AbstainingClassifier, CalibratedOneVsRest
from analyzer.classify.nb_logistic import NBLogisticRegression
from analyzer.classify.stacking import StackedOneVsRest
from analyzer.classify.thresholds import fit_thresholds

#: NB-LR weighs a feature by how much more often it is *present* among the positives: on the checks' dense data every
#: feature is present in every row, all ratios are 0 and nothing is learnt (it is meant for sparse term features).
_DENSE = "naive-Bayes presence ratios are all zero on dense data"


def _expected_failures(estimator: object) -> dict[str, str]:
    if isinstance(estimator, NBLogisticRegression):
        return {"check_classifiers_train": _DENSE, "check_non_transformer_estimators_n_iter": _DENSE}
    return {}


@parametrize_with_checks(
    [CalibratedOneVsRest(), StackedOneVsRest(), AbstainingClassifier(), NBLogisticRegression()],
    expected_failed_checks=_expected_failures,
)
def test_estimators_pass_sklearn_checks(estimator, check) -> None:  # type: ignore[no-untyped-def]
    check(estimator)


def test_fit_thresholds_finds_the_separating_threshold() -> None:
    Y = np.array([[1, 0], [1, 0], [0, 1], [0, 0], [0, 1], [0, 0]])
    P = np.array([[0.7, 0.1], [0.62, 0.2], [0.3, 0.9], [0.2, 0.3], [0.1, 0.4], [0.35, 0.35]])
    thresholds = fit_thresholds(Y, P)
    assert 0.35 < thresholds[0] <= 0.62
    assert 0.35 < thresholds[1] <= 0.4
    assert ((thresholds <= P).astype(int) == Y).all()


def _multilabel_data(seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(240, 6))
    Y = np.column_stack([(X[:, 0] > 0.3), (X[:, 1] + X[:, 2] > 0), (X[:, 3] > 1.0)]).astype(int)
    groups = np.repeat(np.arange(40), 6)
    return X, Y, groups


def test_calibrated_one_vs_rest_learns_multilabel_targets() -> None:
    X, Y, groups = _multilabel_data()
    model = CalibratedOneVsRest(cv=4).fit(X, Y, groups=groups)
    assert model.predict(X).shape == Y.shape
    assert (model.predict(X) == Y).mean() > 0.9
    assert model.thresholds_.shape == (3,)
    P = model.predict_proba(X)
    assert ((P >= 0) & (P <= 1)).all()


def test_calibrated_one_vs_rest_is_reproducible() -> None:
    X, Y, groups = _multilabel_data()
    first = CalibratedOneVsRest(random_state=3).fit(X, Y, groups=groups).predict_proba(X)
    second = CalibratedOneVsRest(random_state=3).fit(X, Y, groups=groups).predict_proba(X)
    assert np.array_equal(first, second)


def test_abstaining_classifier_abstains_below_threshold() -> None:
    rng = np.random.default_rng(1)
    X = np.vstack([rng.normal(-2, 1, (60, 2)), rng.normal(2, 1, (60, 2))])
    y = np.array(["a"] * 60 + ["b"] * 60)
    model = AbstainingClassifier(threshold=0.9).fit(X, y)
    doubtful = model.abstain(np.array([[0.0, 0.0], [5.0, 5.0]]))
    assert doubtful.tolist() == [True, False]
    assert set(model.predict(X)) == {"a", "b"}


def test_a_label_seen_in_one_group_only_is_still_calibrated() -> None:
    # A category people started using at one meeting: its 12 positives are all in group 0 of 8.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(160, 6))
    Y = np.zeros((160, 2), dtype=int)
    Y[:, 0] = X[:, 0] > 0
    Y[:12, 1] = 1
    X[:12, 5] += 4.0  # the new category's own signal
    groups = np.repeat(np.arange(8), 20)

    model = CalibratedOneVsRest(random_state=0).fit(X, Y, groups=groups)
    P = model.predict_proba(X)

    assert P[:12, 1].mean() > 0.5 > P[12:, 1].mean()
    assert model.predict(X)[:12, 1].sum() >= 10


def test_the_second_stage_reads_the_other_labels() -> None:
    # Label 1 co-occurs with label 0 but its own model may not see label 0's evidence (column 0): only the
    # second stage, reading label 0's calibrated log-odds, can learn it.
    X, Y, groups = _multilabel_data()
    Y[:, 1] = Y[:, 0]
    first = CalibratedOneVsRest(cv=4, exclude={1: [0]}).fit(X, Y, groups=groups)
    stacked = StackedOneVsRest(cv=4, exclude={1: [0]}).fit(X, Y, groups=groups)
    assert (first.predict(X)[:, 1] == Y[:, 1]).mean() < 0.8
    assert (stacked.predict(X)[:, 1] == Y[:, 1]).mean() > 0.9
    assert stacked.thresholds_.shape == (3,)
    assert np.array_equal(stacked.predict_proba(X), stacked.predict_proba(X))


def test_without_a_multilabel_target_the_stack_is_its_first_stage() -> None:
    X, Y, groups = _multilabel_data()
    y = Y[:, 0]
    stacked = StackedOneVsRest(random_state=1).fit(X, y, groups=groups)
    first = CalibratedOneVsRest(random_state=1).fit(X, y, groups=groups)
    assert stacked.stackers_ is None
    assert np.allclose(stacked.predict_proba(X), first.predict_proba(X))
