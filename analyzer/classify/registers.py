"""The kind model's abstain threshold per register (minutes, transcript, survey).

Spoken transcripts are harder to read for their kind than minutes: one threshold for all would auto-tag them at a
lower precision. :class:`RegisterAbstention` picks, for each register, the lowest kind-confidence threshold at
which the kind accuracy of the units it keeps reaches ``precision`` (judged on document-grouped out-of-fold
probabilities, never below ``floor``), and a register model reads a unit's register from its features when the
caller does not know it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from analyzer.classify.estimators import AbstainingClassifier, _splits

GRID = np.round(np.arange(0.5, 0.951, 0.025), 3)
#: Fewer out-of-fold units of a register than this and it keeps the floor threshold.
MIN_UNITS = 30


def out_of_fold_proba(kind: AbstainingClassifier, X: Any, y: np.ndarray, groups: np.ndarray | None) -> np.ndarray:
    """Kind probabilities of every training unit from the calibrated fold model that did not train on it.

    The kind model's calibration already fitted one model per document-grouped fold; this reads them back (no
    refit). Without folds (tiny data) it falls back to in-sample probabilities.
    """
    encoded = np.searchsorted(kind.classes_, y)
    splits = _splits(encoded, groups, kind.cv, kind.random_state)
    calibrated = getattr(kind.estimator_, "calibrated_classifiers_", None)
    proba = kind.predict_proba(X)
    if not calibrated or len(calibrated) != len(splits):
        return proba
    for model, (_, test) in zip(calibrated, splits, strict=True):
        proba[test] = model.predict_proba(X[test])  # one column per class, in kind.classes_ order
    return proba


def fit_threshold(confidence: np.ndarray, correct: np.ndarray, precision: float, floor: float) -> float:
    """The lowest threshold in :data:`GRID` (not below *floor*) whose kept units reach *precision*; the highest
    in the grid when none does."""
    for threshold in GRID[floor <= GRID]:
        kept = confidence >= threshold
        if kept.any() and correct[kept].mean() >= precision:
            return float(threshold)
    return float(GRID[-1])


class RegisterAbstention(BaseEstimator):
    """A register model on the shared features and one kind abstain threshold per register."""

    def __init__(self, precision: float = 0.93, floor: float = 0.5, C: float = 4.0) -> None:
        self.precision = precision
        self.floor = floor
        self.C = C

    def fit(self, X: Any, registers: np.ndarray, confidence: np.ndarray, correct: np.ndarray) -> RegisterAbstention:
        """*confidence* and *correct*: the out-of-fold top kind probability of each unit and whether it was right."""
        registers = np.asarray(registers, dtype=str)
        self.registers_ = np.unique(registers)
        self.model_ = (
            LogisticRegression(C=self.C, max_iter=2000).fit(X, registers) if len(self.registers_) > 1 else None
        )
        self.thresholds_ = {
            str(register): (
                fit_threshold(confidence[mask], correct[mask], self.precision, self.floor)
                if (mask := registers == register).sum() >= MIN_UNITS
                else float(self.floor)
            )
            for register in self.registers_
        }
        return self

    def registers(self, frame: pd.DataFrame, X: Any) -> np.ndarray:
        """Each row's register: the frame's ``register`` column where it names a known one, else the model's."""
        check_is_fitted(self, "thresholds_")
        inferred = (
            self.model_.predict(X) if self.model_ is not None else np.full(X.shape[0], self.registers_[0], dtype=object)
        )
        if "register" not in frame:
            return np.asarray(inferred, dtype=object)
        given = frame["register"].to_numpy(dtype=object)
        return np.where(np.isin(given, self.registers_), given, inferred)

    def thresholds(self, frame: pd.DataFrame, X: Any) -> np.ndarray:
        """The kind abstain threshold of each row."""
        return np.asarray([self.thresholds_[str(r)] for r in self.registers(frame, X)], dtype=float)
