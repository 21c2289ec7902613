"""Scores of a tagger on labelled units: per-label and averaged F1, kind accuracy, calibration, coverage."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedGroupKFold

from analyzer.classify.tagger import Tagger
from analyzer.corpus import label_matrix
from analyzer.lexicon import Lexicon
from analyzer.taxonomy import Taxonomy


def expected_calibration_error(y: np.ndarray, p: np.ndarray, bins: int = 10) -> tuple[float, list[dict[str, float]]]:
    """ECE over equal-width probability bins, and the reliability table behind it."""
    edges = np.linspace(0, 1, bins + 1)
    index = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    ece, table = 0.0, []
    for b in range(bins):
        mask = index == b
        if not mask.any():
            continue
        confidence, accuracy = float(p[mask].mean()), float(y[mask].mean())
        ece += mask.mean() * abs(confidence - accuracy)
        table.append(
            {"bin": b, "n": int(mask.sum()), "confidence": round(confidence, 4), "observed": round(accuracy, 4)}
        )
    return round(float(ece), 4), table


def score(frame: pd.DataFrame, predicted: pd.DataFrame, category_ids: tuple[str, ...]) -> dict[str, Any]:
    """Metrics of predictions against the labels of ``frame`` (same row order)."""
    Y = label_matrix(frame, category_ids)
    Yp = label_matrix(predicted, category_ids)
    P = np.array([[row[c] for c in category_ids] for row in predicted["probabilities"]])
    precision, recall, f1, support = precision_recall_fscore_support(Y, Yp, average=None, zero_division=0)
    kinds_true, kinds_pred = frame["kind"].to_numpy(), predicted["kind"].to_numpy()
    ece, reliability = expected_calibration_error(Y.ravel(), P.ravel())
    kind_correct = (kinds_true == kinds_pred).astype(float)
    kind_ece, kind_reliability = expected_calibration_error(kind_correct, predicted["kind_confidence"].to_numpy())
    accepted = ~predicted["needs_review"].to_numpy(dtype=bool)
    return {
        "n": len(frame),
        "categories": {
            "micro_f1": round(float(f1_score(Y, Yp, average="micro", zero_division=0)), 4),
            "macro_f1": round(float(f1_score(Y, Yp, average="macro", zero_division=0)), 4),
            "per_label": {
                c: {
                    "precision": round(float(precision[i]), 4),
                    "recall": round(float(recall[i]), 4),
                    "f1": round(float(f1[i]), 4),
                    "support": int(support[i]),
                }
                for i, c in enumerate(category_ids)
            },
            "ece": ece,
            "reliability": reliability,
        },
        "kind": {
            "accuracy": round(float(accuracy_score(kinds_true, kinds_pred)), 4),
            "macro_f1": round(float(f1_score(kinds_true, kinds_pred, average="macro", zero_division=0)), 4),
            "ece": kind_ece,
            "reliability": kind_reliability,
        },
        "coverage_at_threshold": round(float(accepted.mean()), 4) if len(frame) else 0.0,
        "kind_accuracy_when_accepted": round(float(kind_correct[accepted].mean()), 4) if accepted.any() else 0.0,
    }


def coverage_curve(frame: pd.DataFrame, predicted: pd.DataFrame, steps: int = 11) -> list[dict[str, float]]:
    """Kind accuracy of the units kept, for abstain thresholds from 0.3 to 0.9."""
    correct = frame["kind"].to_numpy() == predicted["kind"].to_numpy()
    confidence = predicted["kind_confidence"].to_numpy()
    curve = []
    for threshold in np.linspace(0.3, 0.9, steps):
        kept = confidence >= threshold
        curve.append(
            {
                "threshold": round(float(threshold), 2),
                "coverage": round(float(kept.mean()), 4),
                "accuracy": round(float(correct[kept].mean()), 4) if kept.any() else 1.0,
            }
        )
    return curve


def in_taxonomy(predicted: pd.DataFrame, source: Taxonomy, target: Taxonomy) -> pd.DataFrame:
    """Predictions made under *source* as *target*'s categories: ids mapped by the declared changes, and a target
    category's probability the highest of the source categories that land on it (0 for a new category)."""
    if source.key == target.key:
        return predicted
    mapping = target.mapping_from(source.key, source.category_ids)

    def probabilities(row: dict[str, float]) -> dict[str, float]:
        landed = {new: 0.0 for new in target.category_ids}
        for old, p in row.items():
            for new in mapping.get(old, ()):
                landed[new] = max(landed[new], p)
        return landed

    return predicted.assign(
        categories=target.remap_rows(predicted["categories"], source.key),
        probabilities=[probabilities(row) for row in predicted["probabilities"]],
    )


def evaluate(tagger: Tagger, frame: pd.DataFrame, taxonomy: Taxonomy | None = None) -> dict[str, Any]:
    """Metrics of a fitted tagger on a frame with ``text``, ``morphs`` and labels, also by register.

    With *taxonomy* (the one the frame is labelled under, when it is not the tagger's) the predictions are carried
    over to it first (:func:`in_taxonomy`), e.g. to score the deployed model on a candidate's changed taxonomy.
    """
    frame = frame.reset_index(drop=True)
    taxonomy = taxonomy or tagger.taxonomy
    predicted = in_taxonomy(tagger.predict(frame).reset_index(drop=True), tagger.taxonomy, taxonomy)
    result = score(frame, predicted, taxonomy.category_ids)
    result["coverage_curve"] = coverage_curve(frame, predicted)
    if "register" in frame:
        result["by_register"] = by_register(frame, predicted, taxonomy.category_ids)
        result["review_yield_by_register"] = yield_by_register(frame, predicted)
    return result


def yield_by_register(frame: pd.DataFrame, predicted: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """:func:`review_queue_yield` of each register's units (a queue per register)."""
    return {
        register: review_queue_yield(frame[mask], predicted[mask]).to_dict(orient="records")
        for register in sorted(frame["register"].unique())
        if (mask := (frame["register"] == register).to_numpy()).any()
    }


def by_register(frame: pd.DataFrame, predicted: pd.DataFrame, category_ids: tuple[str, ...]) -> dict[str, Any]:
    """The summary scores (and the share auto-tagged, with its kind accuracy) of each register's units."""
    found = {}
    for register in sorted(frame["register"].unique()):
        mask = (frame["register"] == register).to_numpy()
        result = score(frame[mask].reset_index(drop=True), predicted[mask].reset_index(drop=True), category_ids)
        found[register] = {
            **_summary(result),
            "coverage": result["coverage_at_threshold"],
            "kind_accuracy_when_accepted": result["kind_accuracy_when_accepted"],
        }
    return found


def _summary(result: dict[str, Any]) -> dict[str, float]:
    return {
        "n": result["n"],
        "micro_f1": result["categories"]["micro_f1"],
        "macro_f1": result["categories"]["macro_f1"],
        "kind_accuracy": result["kind"]["accuracy"],
        "kind_macro_f1": result["kind"]["macro_f1"],
    }


def document_folds(frame: pd.DataFrame, folds: int = 5, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """Folds grouped by document, stratified by kind: no document is on both sides."""
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    return list(splitter.split(frame, frame["kind"], groups=frame["doc"]))


def cross_validate(
    frame: pd.DataFrame,
    taxonomy: Taxonomy,
    lexicon: Lexicon,
    *,
    folds: int = 5,
    seed: int = 0,
    **fit_options: Any,
) -> dict[str, Any]:
    """Document-grouped cross-validation: metrics per fold and their mean and standard deviation; then, over the
    out-of-fold predictions of every unit, per-label F1, the scores and review-queue yield of each register."""
    frame = frame.reset_index(drop=True)
    per_fold, parts = [], []
    for train, test in document_folds(frame, folds, seed):
        tagger = Tagger.fit(frame.iloc[train], taxonomy, lexicon, random_state=seed, **fit_options)
        held = frame.iloc[test].reset_index(drop=True)
        predicted = tagger.predict(held).reset_index(drop=True)
        per_fold.append(_summary(score(held, predicted, taxonomy.category_ids)))
        parts.append((held, predicted))
    keys = [k for k in per_fold[0] if k != "n"]
    result: dict[str, Any] = {
        "folds": per_fold,
        "mean": {k: round(float(np.mean([f[k] for f in per_fold])), 4) for k in keys},
        "std": {k: round(float(np.std([f[k] for f in per_fold])), 4) for k in keys},
    }
    truth = pd.concat([held for held, _ in parts], ignore_index=True)
    guessed = pd.concat([predicted for _, predicted in parts], ignore_index=True)
    pooled = score(truth, guessed, taxonomy.category_ids)  # every unit scored once, by the fold that held it out
    result["pooled"] = {
        "coverage": pooled["coverage_at_threshold"],
        "kind_accuracy_when_accepted": pooled["kind_accuracy_when_accepted"],
        "per_label": {label: m["f1"] for label, m in pooled["categories"]["per_label"].items()},
    }
    if "register" in truth:
        result["by_register"] = by_register(truth, guessed, taxonomy.category_ids)
        result["review_yield_by_register"] = yield_by_register(truth, guessed)
    return result


def review_queue_yield(
    frame: pd.DataFrame, predicted: pd.DataFrame, sizes: tuple[int, ...] = (50, 100, 200)
) -> pd.DataFrame:
    """How many of the first *n* units of a review queue the model got wrong (any category or the kind), for the
    queue ordered by review margin (the dashboard's), by kind confidence, and for no order at all (the base rate).

    A higher share than the base rate means a person's corrections land where the model errs.
    """
    frame, predicted = frame.reset_index(drop=True), predicted.reset_index(drop=True)
    wrong = np.array(
        [
            set(truth) != set(guess) or kind != guessed_kind
            for truth, guess, kind, guessed_kind in zip(
                frame["categories"], predicted["categories"], frame["kind"], predicted["kind"], strict=True
            )
        ]
    )
    orders = {
        "margin": np.argsort(predicted["margin"].to_numpy(dtype=float), kind="stable"),
        "kind_confidence": np.argsort(predicted["kind_confidence"].to_numpy(dtype=float), kind="stable"),
    }
    rows = [
        {"first_n": n, **{name: round(float(wrong[order[:n]].mean()), 4) for name, order in orders.items()}}
        for n in sizes
        if n <= len(frame)
    ]
    return pd.DataFrame(rows).assign(base_rate=round(float(wrong.mean()), 4) if len(frame) else 0.0)
