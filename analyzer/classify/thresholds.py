"""Per-label decision thresholds chosen on out-of-fold probabilities."""

from __future__ import annotations

import numpy as np

GRID = np.round(np.arange(0.15, 0.86, 0.025), 3)


def f1_at(y_true: np.ndarray, proba: np.ndarray, threshold: float) -> float:
    predicted = proba >= threshold
    tp = float(np.sum(predicted & (y_true == 1)))
    fp = float(np.sum(predicted & (y_true == 0)))
    fn = float(np.sum(~predicted & (y_true == 1)))
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def fit_thresholds(Y: np.ndarray, P: np.ndarray, grid: np.ndarray = GRID, default: float = 0.5) -> np.ndarray:
    """For each label the threshold that maximises F1 (ties go to the one nearest ``default``)."""
    thresholds = np.full(Y.shape[1], default)
    for j in range(Y.shape[1]):
        if Y[:, j].sum() == 0:
            continue
        scores = np.array([f1_at(Y[:, j], P[:, j], t) for t in grid])
        best = np.flatnonzero(scores >= scores.max() - 1e-9)
        thresholds[j] = grid[best[np.argmin(np.abs(grid[best] - default))]]
    return thresholds
