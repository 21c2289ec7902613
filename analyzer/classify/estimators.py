"""scikit-learn estimators on numeric features: calibrated one-vs-rest with per-label thresholds,
and a classifier that abstains below a confidence."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.exceptions import DataConversionWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, StratifiedKFold
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted, validate_data

from analyzer.classify.thresholds import fit_thresholds


def _splits(y: np.ndarray, groups: np.ndarray | None, n_splits: int, seed: int) -> list[Any]:
    """Stratified folds, grouped by document when groups are given; fewer folds for rare classes."""
    counts = np.bincount(y.astype(int))
    folds = int(min(n_splits, counts[counts > 0].min())) if len(counts[counts > 0]) > 1 else 0
    if folds < 2:
        return []
    if groups is not None and len(np.unique(groups)) >= folds:
        return list(GroupKFold(n_splits=folds).split(np.zeros(len(y)), y, groups))
    return list(StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split(np.zeros(len(y)), y))


def _calibrated(base: Any, y: np.ndarray, groups: np.ndarray | None, cv: int, seed: int) -> Any:
    splits = _splits(y, groups, cv, seed)
    if not splits or any(len(np.unique(y[train])) < 2 for train, _ in splits):
        return clone(base)
    return CalibratedClassifierCV(clone(base), method="sigmoid", cv=splits)


class CalibratedOneVsRest(ClassifierMixin, BaseEstimator):
    """One binary model per label, Platt-calibrated on out-of-fold scores, and a threshold per label.

    The same folds (grouped by ``groups``, e.g. documents, when given) yield the out-of-fold scores
    that fit each label's sigmoid calibration and its F1-optimal decision threshold; the final
    models are then refit on all data. A label whose positives sit in fewer groups than there are folds
    gets its out-of-fold scores from stratified folds of units instead (grouped folds would hide every
    positive from the model that scores it). For a multi-label ``Y`` it predicts an indicator matrix; for
    a 1-d ``y`` the most probable class (thresholds are used for multi-label targets only).

    ``exclude`` maps a label index to feature columns its model must not use (e.g. the lexicon hits of the
    other labels, which a linear model would otherwise learn as evidence *against* a co-occurring label).
    """

    def __init__(
        self, estimator: Any = None, cv: int = 4, random_state: int = 0, exclude: dict[int, list[int]] | None = None
    ) -> None:
        self.estimator = estimator
        self.cv = cv
        self.random_state = random_state
        self.exclude = exclude

    def _base(self) -> Any:
        if self.estimator is not None:
            return self.estimator
        return LogisticRegression(C=4.0, class_weight="balanced", solver="liblinear", max_iter=2000)

    def _view(self, X: Any, j: int) -> Any:
        """``X`` as label ``j``'s model sees it: the columns listed in ``exclude[j]`` set to zero."""
        columns = (self.exclude or {}).get(j)
        if not columns:
            return X
        keep = np.ones(X.shape[1])
        keep[columns] = 0.0
        return X @ sparse.diags(keep) if sparse.issparse(X) else X * keep

    def _fit_columns(self, X: Any, Y: np.ndarray) -> list[Any]:
        return [
            clone(self._base()).fit(self._view(X, j), Y[:, j]) if len(np.unique(Y[:, j])) > 1 else float(Y[0, j])
            for j in range(Y.shape[1])
        ]

    def _scores(self, models: list[Any], X: Any) -> np.ndarray:
        cols = [
            np.full(X.shape[0], 50.0 * (2 * m - 1)) if isinstance(m, float) else m.decision_function(self._view(X, j))
            for j, m in enumerate(models)
        ]
        return np.column_stack(cols) if cols else np.zeros((X.shape[0], 0))

    def fit(self, X: Any, y: Any, groups: Any = None) -> CalibratedOneVsRest:
        X, y = validate_data(self, X, y, accept_sparse="csr", multi_output=True)
        if y.ndim == 2 and y.shape[1] == 1:
            warnings.warn("a column-vector y was passed; use shape (n_samples,)", DataConversionWarning, 2)
            y = y.ravel()
        self.multilabel_ = type_of_target(y) == "multilabel-indicator"
        if self.multilabel_:
            Y = np.asarray(y, dtype=int)
            self.classes_ = np.arange(Y.shape[1])
        else:
            binarizer = LabelBinarizer().fit(y)
            self.classes_ = binarizer.classes_
            Y = binarizer.transform(y)
            if Y.shape[1] == 1:
                Y = np.column_stack([1 - Y[:, 0], Y[:, 0]])
        groups = None if groups is None else np.asarray(groups)
        stratify = Y.sum(axis=1).clip(max=2) if self.multilabel_ else Y.argmax(axis=1)
        splits = _splits(stratify, groups, self.cv, self.random_state)
        oof = self._scores(self._fit_columns(X, Y), X)  # in-sample fallback for tiny data
        for train, test in splits or []:
            oof[test] = self._scores(self._fit_columns(X[train], Y[train]), X[test])
        if groups is not None:
            for j in self._few_group_labels(Y, groups, len(splits)):
                oof[:, j] = self._unit_fold_scores(X, Y[:, j], j)
        self.calibrators_ = [_platt(oof[:, j], Y[:, j]) for j in range(Y.shape[1])]
        self.estimators_ = self._fit_columns(X, Y)
        self._fit_on_out_of_fold(oof, Y, groups, bool(splits))
        return self

    def _fit_on_out_of_fold(self, oof: np.ndarray, Y: np.ndarray, groups: np.ndarray | None, folds: bool) -> None:
        """What is fitted on the out-of-fold scores after calibration: here the thresholds (a subclass may fit
        a second stage first)."""
        self.thresholds_ = fit_thresholds(Y, self._calibrate(oof)) if folds else np.full(Y.shape[1], 0.5)

    def _few_group_labels(self, Y: np.ndarray, groups: np.ndarray, folds: int) -> list[int]:
        """Labels whose positives sit in fewer groups than there are folds (e.g. a category newly added from a
        meeting or two): holding out whole groups would leave their fold models without a single positive."""
        chosen = []
        for j in range(Y.shape[1]):
            positives = Y[:, j] == 1
            n = int(positives.sum())
            if n >= 2 and (~positives).sum() >= min(self.cv, n) and len(np.unique(groups[positives])) < max(folds, 2):
                chosen.append(j)
        return chosen

    def _unit_fold_scores(self, X: Any, y: np.ndarray, j: int) -> np.ndarray:
        """Out-of-fold scores of label *j* on stratified folds of units (not groups), for calibration only."""
        folds = StratifiedKFold(n_splits=int(min(self.cv, y.sum())), shuffle=True, random_state=self.random_state)
        scores = np.zeros(len(y))
        for train, test in folds.split(np.zeros(len(y)), y):
            scores[test] = (
                clone(self._base()).fit(self._view(X[train], j), y[train]).decision_function(self._view(X[test], j))
            )
        return scores

    def _calibrate(self, scores: np.ndarray) -> np.ndarray:
        return (
            np.column_stack(
                [1.0 / (1.0 + np.exp(-(a * scores[:, j] + b))) for j, (a, b) in enumerate(self.calibrators_)]
            )
            if self.calibrators_
            else scores
        )

    def predict_proba(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "estimators_")
        X = validate_data(self, X, accept_sparse="csr", reset=False)
        P = self._calibrate(self._scores(self.estimators_, X))
        if self.multilabel_:
            return P
        total = P.sum(axis=1, keepdims=True)
        return np.divide(P, total, out=np.full_like(P, 1 / P.shape[1]), where=total > 0)

    def predict(self, X: Any) -> np.ndarray:
        P = self.predict_proba(X)
        if self.multilabel_:
            return (self.thresholds_ <= P).astype(int)
        return self.classes_[np.argmax(P, axis=1)]

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.classifier_tags.multi_label = True
        tags.target_tags.multi_output = True
        return tags


def _platt(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Sigmoid calibration ``p = 1 / (1 + exp(-(a·s + b)))`` fitted on out-of-fold scores."""
    if len(np.unique(y)) < 2:
        return 0.0, (8.0 if y[0] else -8.0)
    model = LogisticRegression(C=1e4, max_iter=1000).fit(scores.reshape(-1, 1), y)
    return float(model.coef_[0, 0]), float(model.intercept_[0])


class AbstainingClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """A calibrated classifier that also says when it is not confident enough to be trusted."""

    def __init__(self, estimator: Any = None, threshold: float = 0.5, cv: int = 3, random_state: int = 0) -> None:
        self.estimator = estimator
        self.threshold = threshold
        self.cv = cv
        self.random_state = random_state

    def fit(self, X: Any, y: Any, groups: Any = None) -> AbstainingClassifier:
        X, y = validate_data(self, X, y, accept_sparse="csr")
        base = (
            self.estimator
            if self.estimator is not None
            else LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000)
        )
        self.classes_, encoded = np.unique(y, return_inverse=True)
        groups = None if groups is None else np.asarray(groups)
        self.estimator_ = _calibrated(base, encoded, groups, self.cv, self.random_state).fit(X, y)
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "estimator_")
        X = validate_data(self, X, accept_sparse="csr", reset=False)
        return self.estimator_.predict_proba(X)

    def predict(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "estimator_")
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    def abstain(self, X: Any) -> np.ndarray:
        """True where the top probability is below ``threshold`` (send to human review)."""
        return self.predict_proba(X).max(axis=1) < self.threshold
