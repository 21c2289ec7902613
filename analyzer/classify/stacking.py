"""A second stage over all labels' calibrated scores: label co-occurrence for the multi-label category model.

:class:`StackedOneVsRest` fits the first stage exactly as :class:`~analyzer.classify.estimators.CalibratedOneVsRest`
does (one calibrated linear model per label, document-grouped out-of-fold scores). Then, for each label, a small
logistic regression reads every label's calibrated log-odds from those out-of-fold scores: a unit that scores high
on ``funding`` is less likely ``support_program`` at the same score, a ``collaboration`` signal lifts
``industry_transition`` a little, and so on. The decision threshold of each label is then chosen on the second
stage's own out-of-fold probabilities (same folds), so no threshold is tuned on a score it was fitted on.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted, validate_data

from analyzer.classify.estimators import CalibratedOneVsRest, _splits
from analyzer.classify.thresholds import fit_thresholds


class StackedOneVsRest(CalibratedOneVsRest):
    """:class:`CalibratedOneVsRest` with a second stage per label over all labels' calibrated log-odds.

    ``C_stack``: the inverse regularisation of the second-stage models (a dozen inputs each). The second stage is
    used for multi-label targets with two or more labels and enough data for folds; otherwise the model behaves
    exactly as its first stage.
    """

    def __init__(
        self,
        estimator: Any = None,
        cv: int = 4,
        random_state: int = 0,
        exclude: dict[int, list[int]] | None = None,
        C_stack: float = 1.0,
    ) -> None:
        super().__init__(estimator=estimator, cv=cv, random_state=random_state, exclude=exclude)
        self.C_stack = C_stack

    def _log_odds(self, scores: np.ndarray) -> np.ndarray:
        """The first stage's calibrated log-odds ``a·s + b`` of each label (the logit of its Platt probability)."""
        return np.column_stack([a * scores[:, j] + b for j, (a, b) in enumerate(self.calibrators_)])

    def _fit_stage(self, Z: np.ndarray, y: np.ndarray) -> Any:
        if len(np.unique(y)) < 2:
            return float(y[0])
        return LogisticRegression(C=self.C_stack, max_iter=2000).fit(Z, y)

    def _second(self, models: list[Any], Z: np.ndarray) -> np.ndarray:
        return np.column_stack(
            [np.full(len(Z), m) if isinstance(m, float) else m.predict_proba(Z)[:, 1] for m in models]
        )

    def _fit_on_out_of_fold(self, oof: np.ndarray, Y: np.ndarray, groups: np.ndarray | None, folds: bool) -> None:
        self.stackers_: list[Any] | None = None
        if not (self.multilabel_ and folds and Y.shape[1] > 1):
            super()._fit_on_out_of_fold(oof, Y, groups, folds)
            return
        Z = self._log_odds(oof)
        splits = _splits(Y.sum(axis=1).clip(max=2), groups, self.cv, self.random_state)
        second = self._second([self._fit_stage(Z, Y[:, j]) for j in range(Y.shape[1])], Z)  # fallback: in-sample
        for train, test in splits:
            models = [self._fit_stage(Z[train], Y[train, j]) for j in range(Y.shape[1])]
            second[test] = self._second(models, Z[test])
        self.stackers_ = [self._fit_stage(Z, Y[:, j]) for j in range(Y.shape[1])]
        self.thresholds_ = fit_thresholds(Y, second)

    def predict_proba(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "estimators_")
        if not getattr(self, "stackers_", None):
            return super().predict_proba(X)
        X = validate_data(self, X, accept_sparse="csr", reset=False)
        return self._second(self.stackers_ or [], self._log_odds(self._scores(self.estimators_, X)))
