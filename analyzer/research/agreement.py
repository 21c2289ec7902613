"""How far labellers agree, and which labels look wrong.

- :func:`cohen_kappa_per_category`: two raters, Cohen's kappa per category on the multi-label indicator, and for
  the kind when both sides carry one (scikit-learn's ``cohen_kappa_score``); :func:`fleiss_kappa_of_kind`.
- :func:`fleiss_kappa_per_category`: any number of raters, Fleiss' kappa per category (statsmodels' ``fleiss_kappa``).
- :func:`suspected_label_issues`: rows whose given categories disagree with out-of-fold probabilities (cleanlab's
  multi-label ``find_label_issues``, i.e. ``find_label_issues(multi_label=True)``), worst first by self-confidence.

A kappa is ``1.0`` when both raters give exactly the same labels (also when a category is never or always used,
where the formula itself is 0/0), and ``nan`` when it is undefined otherwise.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score

from analyzer.corpus import label_matrix
from analyzer.research import research_extra


def _indicator(labels: Any, category_ids: Sequence[str]) -> np.ndarray:
    """An indicator matrix from a frame with ``categories``, a list of category lists, or a 0/1 matrix."""
    if isinstance(labels, pd.DataFrame):
        return label_matrix(labels, tuple(category_ids))
    if isinstance(labels, np.ndarray) and labels.ndim == 2:
        return labels.astype(int)
    return label_matrix(pd.DataFrame({"categories": list(labels)}), tuple(category_ids))


def _kappa(a: np.ndarray, b: np.ndarray) -> float:
    if len(a) and np.array_equal(a, b):
        return 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        value = cohen_kappa_score(a, b)
    return round(float(value), 4) if np.isfinite(value) else float("nan")


def cohen_kappa_per_category(labels_a: Any, labels_b: Any, category_ids: Sequence[str]) -> dict[str, float]:
    """Cohen's kappa of two raters per category, plus ``"kind"`` when both are frames with a ``kind`` column.

    ``labels_a``/``labels_b``: frames with ``categories`` (same row order), lists of category-id lists, or
    indicator matrices with columns in ``category_ids`` order.
    """
    A, B = _indicator(labels_a, category_ids), _indicator(labels_b, category_ids)
    if A.shape != B.shape:
        raise ValueError(f"the raters labelled different items: {A.shape} vs {B.shape}")
    result = {c: _kappa(A[:, j], B[:, j]) for j, c in enumerate(category_ids)}
    frames = isinstance(labels_a, pd.DataFrame) and isinstance(labels_b, pd.DataFrame)
    if frames and "kind" in labels_a and "kind" in labels_b:
        result["kind"] = _kappa(labels_a["kind"].to_numpy(), labels_b["kind"].to_numpy())
    return result


def fleiss_kappa_per_category(
    rater_matrices: Sequence[np.ndarray], category_ids: Sequence[str] | None = None
) -> dict[str, float]:
    """Fleiss' kappa per category for any number of raters.

    ``rater_matrices``: one 0/1 indicator matrix (items × categories, same items and column order) per rater.
    Keys are ``category_ids`` when given, else the column numbers as strings.
    """
    with research_extra():
        from statsmodels.stats.inter_rater import fleiss_kappa

    stack = np.stack([np.asarray(m, dtype=int) for m in rater_matrices])  # raters × items × categories
    if stack.shape[0] < 2:
        raise ValueError("Fleiss' kappa needs at least two raters")
    raters, _, n_categories = stack.shape
    names = list(category_ids) if category_ids is not None else [str(j) for j in range(n_categories)]
    result = {}
    for j, name in enumerate(names):
        yes = stack[:, :, j].sum(axis=0)
        table = np.column_stack([raters - yes, yes])
        if (table.max(axis=1) == raters).all():  # every item unanimous
            result[name] = 1.0
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            value = fleiss_kappa(table, method="fleiss")
        result[name] = round(float(value), 4) if np.isfinite(value) else float("nan")
    return result


def fleiss_kappa_of_kind(kinds_per_rater: Sequence[Sequence[str]]) -> float:
    """Fleiss' kappa of the statement kind given by several raters (one sequence of kinds per rater)."""
    with research_extra():
        from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

    data = np.array([list(kinds) for kinds in kinds_per_rater], dtype=object).T  # items × raters
    table, _ = aggregate_raters(data)
    if (table.max(axis=1) == data.shape[1]).all():
        return 1.0
    return round(float(fleiss_kappa(table, method="fleiss")), 4)


def out_of_fold_probabilities(
    frame: pd.DataFrame, taxonomy: Any, lexicon: Any, *, folds: int = 5, seed: int = 0, **fit_options: Any
) -> np.ndarray:
    """Category probabilities of every row from a tagger fitted without its document
    (the document-grouped folds of ``evaluate.document_folds``); ``frame`` needs ``morphs``."""
    from analyzer.classify.evaluate import document_folds
    from analyzer.classify.tagger import Tagger

    frame = frame.reset_index(drop=True)
    P = np.zeros((len(frame), len(taxonomy.category_ids)))
    for train, test in document_folds(frame, folds, seed):
        tagger = Tagger.fit(frame.iloc[train], taxonomy, lexicon, random_state=seed, **fit_options)
        P[test] = tagger.categories.predict_proba(tagger.features.transform(frame.iloc[test]))
    return P


def suspected_label_issues(
    frame: pd.DataFrame, out_of_fold_probabilities: np.ndarray, category_ids: Sequence[str]
) -> pd.DataFrame:
    """The rows of ``frame`` whose categories look wrong, most suspicious first.

    ``out_of_fold_probabilities``: items × categories (``category_ids`` order), from models that did not see the
    row. Returns those rows with ``label_quality`` (cleanlab's multi-label self-confidence score, low = suspicious)
    and ``predicted_categories`` (probability ≥ 0.5).
    """
    with research_extra():
        from cleanlab.multilabel_classification.filter import find_label_issues
        from cleanlab.multilabel_classification.rank import get_label_quality_scores

    P = np.asarray(out_of_fold_probabilities, dtype=float)
    if P.shape != (len(frame), len(category_ids)):
        raise ValueError(f"probabilities of shape {P.shape} for {len(frame)} rows and {len(category_ids)} categories")
    index = {c: j for j, c in enumerate(category_ids)}
    labels = [[index[c] for c in categories] for categories in frame["categories"]]
    ranked = find_label_issues(
        labels=labels, pred_probs=P, return_indices_ranked_by="self_confidence", n_jobs=1
    )  # ``cleanlab.filter.find_label_issues(multi_label=True)`` without its deprecation warning
    quality = get_label_quality_scores(labels, P, method="self_confidence")
    ids = np.asarray(category_ids)
    rows = frame.reset_index(drop=True).iloc[ranked].copy()
    rows["label_quality"] = np.round(quality[ranked], 4)
    rows["predicted_categories"] = [list(ids[P[i] >= 0.5]) for i in ranked]
    return rows
