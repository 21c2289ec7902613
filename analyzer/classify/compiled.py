"""Inference on an exported model (:mod:`analyzer.classify.export`) with NumPy and SciPy, without scikit-learn.

:func:`load_predictor` is what analysis loads: the export written next to ``model.skops`` when its recorded
SHA-256 is the skops file's (the skops artefact stays the source of truth), else the skops model itself. The
arrays are read with ``allow_pickle=False`` and the settings from JSON: loading executes nothing from the files.
:class:`CompiledTagger` gives the same tags and probabilities as :meth:`Tagger.predict` (a test compares them
on every corpus unit).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from analyzer.classify.compiled_features import FeatureBlocks
from analyzer.classify.model_files import (
    EXPORT_ARRAYS,
    current_export,
)
from analyzer.errors import AnalyzerError
from analyzer.nlp.feature_text import TEXT, Columns
from analyzer.taxonomy import Taxonomy

if TYPE_CHECKING:
    import pandas as pd

#: The columns of a predictor's ``predict``.
OUTPUT_COLUMNS = (
    "categories",
    "probabilities",
    "kind",
    "kind_confidence",
    "needs_review",
    "margin",
    "model_version",
    "taxonomy",
)


class Predictor(Protocol):
    """What analysis needs of a model: the skops :class:`Tagger` or a :class:`CompiledTagger`."""

    taxonomy: Taxonomy

    @property
    def model_version(self) -> str: ...

    def check_taxonomy(self, taxonomy: Taxonomy) -> None: ...

    def tag_rows(self, columns: Columns) -> list[dict[str, Any]]: ...


def review_margin(category_margin: np.ndarray, kind_p: np.ndarray) -> np.ndarray:
    """How far each unit is from changing any of its labels (margin sampling; smaller = more worth reviewing).

    The smaller of: the closest category probability's distance to that category's threshold, and the gap
    between the two most probable kinds.
    """
    ranked = np.sort(kind_p, axis=1)
    kind_gap = ranked[:, -1] - ranked[:, -2] if kind_p.shape[1] > 1 else np.ones(len(kind_p))
    closest = category_margin.min(axis=1) if category_margin.shape[1] else np.ones(len(kind_p))
    return np.minimum(closest, kind_gap)


@dataclass(frozen=True)
class Scores:
    """What a model computed for a frame: category probabilities and thresholds, kind probabilities."""

    P: np.ndarray
    thresholds: np.ndarray
    kind_p: np.ndarray
    kind_classes: np.ndarray
    abstain: Any  # one threshold, or one per row


def tag_records(scores: Scores, model: Any) -> list[dict[str, Any]]:
    """The tags of each row, as plain Python values (*model*: category ids, margin, version and taxonomy)."""
    P, thresholds, kind_p = scores.P, scores.thresholds, scores.kind_p
    kind_confidence = kind_p.max(axis=1)
    category_margin = np.abs(P - thresholds)
    needs_review = (kind_confidence < scores.abstain) | (category_margin < model.margin).any(axis=1)
    ids, chosen = np.asarray(model.category_ids), np.greater_equal(P, thresholds)
    columns = zip(
        P.tolist(),
        chosen,
        scores.kind_classes[kind_p.argmax(axis=1)].tolist(),
        np.round(kind_confidence, 4).tolist(),
        needs_review.tolist(),
        np.round(review_margin(category_margin, kind_p), 4).tolist(),
        strict=True,
    )
    return [
        {
            "categories": ids[picked].tolist(),
            "probabilities": {c: round(p, 4) for c, p in zip(model.category_ids, row, strict=True)},
            "kind": kind,
            "kind_confidence": confidence,
            "needs_review": review,
            "margin": margin,
            "model_version": model.model_version,
            "taxonomy": model.taxonomy.key,
        }
        for row, picked, kind, confidence, review, margin in columns
    ]


def tag_table(rows: list[dict[str, Any]], index: Any = None) -> pd.DataFrame:
    """Tag rows as the frame ``predict`` returns (one row per input row, the input's index)."""
    import pandas as pd

    return pd.DataFrame(rows, index=index, columns=list(OUTPUT_COLUMNS))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _decision(X: Any, cues: Any, weights: np.ndarray, intercept: np.ndarray) -> np.ndarray:
    """``[X cues] @ weights + intercept`` without stacking the matrices (*weights*: ``coef.T``, C-ordered, so
    that each block's rows are contiguous and SciPy multiplies without copying them)."""
    width = X.shape[1]
    scores = np.asarray(X @ weights[:width])
    if cues is not None:
        scores = scores + np.asarray(cues @ weights[width:])
    return scores + intercept


def _softmax(z: np.ndarray) -> np.ndarray:
    shifted = np.exp(z - z.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


@dataclass
class CompiledTagger:
    """An exported model: ``predict`` as :meth:`analyzer.classify.tagger.Tagger.predict`, on plain arrays."""

    meta: dict[str, Any]
    arrays: dict[str, np.ndarray]
    taxonomy: Taxonomy

    def __post_init__(self) -> None:
        meta = self.meta
        self.name, self.version, self.margin = meta["name"], meta["version"], float(meta["margin"])
        self.category_ids, self.kind_ids = tuple(meta["category_ids"]), tuple(meta["kind_ids"])
        self.untrained = tuple(meta["untrained"])
        #: Each ``*.coef`` array as :func:`_decision` reads it (transposed once here, not copied per batch).
        self.weights = {key: np.ascontiguousarray(v.T) for key, v in self.arrays.items() if key.endswith(".coef")}
        self.arrays = {key: value for key, value in self.arrays.items() if key not in self.weights}
        self.features = FeatureBlocks(meta["features"], self.arrays)
        self.kind_features = meta["kind_features"] and FeatureBlocks(meta["kind_features"], self.arrays)
        self.category_features = meta["category_features"] and FeatureBlocks(meta["category_features"], self.arrays)

    @property
    def model_version(self) -> str:
        return f"{self.name}/{self.version}"

    def check_taxonomy(self, taxonomy: Taxonomy) -> None:
        """Refuse a taxonomy other than the one the model was trained on."""
        if taxonomy.fingerprint != self.taxonomy.fingerprint:
            raise AnalyzerError("taxonomy_mismatch", f"model: {self.taxonomy.key}, given: {taxonomy.key}")

    def _categories(self, X: Any, cues: Any) -> np.ndarray:
        spec, a = self.meta["categories"], self.arrays
        scores = _decision(X, cues, self.weights["categories.coef"], a["categories.intercept"])
        for j, value in spec["constants"].items():
            scores[:, int(j)] = 50.0 * (2 * value - 1)
        if spec["calibrators"]:
            ab = np.asarray(spec["calibrators"], dtype=np.float64).reshape(-1, 2)
            log_odds = np.column_stack([ab[j, 0] * scores[:, j] + ab[j, 1] for j in range(scores.shape[1])])
            scores = _sigmoid(log_odds)
            if spec.get("stack"):  # a second stage over every label's log-odds (analyzer.classify.stacking)
                scores = _sigmoid(log_odds @ a["categories.stack_coef"].T + a["categories.stack_intercept"])
                for j, value in spec["stack"]["constants"].items():
                    scores[:, int(j)] = value
        if spec["multilabel"]:
            return scores
        total = scores.sum(axis=1, keepdims=True)
        return np.divide(scores, total, out=np.full_like(scores, 1 / scores.shape[1]), where=total > 0)

    def _kind(self, X: Any, cues: Any) -> np.ndarray:
        spec, a = self.meta["kind"], self.arrays
        classes = len(spec["classes"])
        if spec["members"] is None:  # a plain logistic regression (too little data to calibrate)
            z = _decision(X, cues, self.weights["kind.coef"], a["kind.intercept"])
            if z.shape[1] == 1:
                p = _sigmoid(z[:, 0])
                return np.column_stack([1 - p, p])
            return _softmax(z)
        total = np.zeros((X.shape[0], classes))
        for number, member in enumerate(spec["members"]):
            z = _decision(X, cues, self.weights[f"kind.{number}.coef"], a[f"kind.{number}.intercept"])
            proba = np.zeros((X.shape[0], classes))
            calibrators = member["calibrators"]  # binary: one, for the second class
            for column, (position, (slope, offset)) in enumerate(
                zip(member["positions"][: len(calibrators)], calibrators, strict=True)
            ):
                proba[:, position + (1 if classes == 2 else 0)] = _sigmoid(-(slope * z[:, column] + offset))
            if classes == 2:
                proba[:, 0] = 1.0 - proba[:, 1]
            else:
                denominator = proba.sum(axis=1)[:, np.newaxis]
                proba = np.divide(proba, denominator, out=np.full_like(proba, 1 / classes), where=denominator != 0)
            proba[(proba > 1.0) & (proba <= 1.0 + 1e-5)] = 1.0
            total += proba
        return total / len(spec["members"])

    def _abstain(self, frame: Columns, X: Any) -> Any:
        spec = self.meta["abstention"]
        if spec is None:
            return self.meta["kind"]["threshold"]
        registers = np.asarray(spec["registers"], dtype=object)
        if spec["model"] is None:
            inferred = np.full(X.shape[0], registers[0], dtype=object)
        else:
            z = _decision(X, None, self.weights["abstention.coef"], self.arrays["abstention.intercept"])
            known = np.asarray(spec["model"]["classes"], dtype=object)
            inferred = known[(z[:, 0] > 0).astype(int)] if z.shape[1] == 1 else known[z.argmax(axis=1)]
        if "register" in frame:
            given = np.asarray(list(frame["register"]), dtype=object)
            inferred = np.where(np.isin(given, registers), given, inferred)
        return np.asarray([spec["thresholds"][str(r)] for r in inferred], dtype=float)

    def scores(self, frame: Columns) -> Scores:
        X = self.features.transform(frame)
        kind_cues = self.kind_features.transform(frame) if self.kind_features else None
        category_cues = self.category_features.transform(frame) if self.category_features else None
        return Scores(
            P=self._categories(X, category_cues),
            thresholds=self.arrays["categories.thresholds"],
            kind_p=self._kind(X, kind_cues),
            kind_classes=np.asarray(self.meta["kind"]["classes"], dtype=object),
            abstain=self._abstain(frame, X),
        )

    def tag_rows(self, columns: Columns) -> list[dict[str, Any]]:
        """Tags for columns ``text`` and ``morphs``: one mapping per row."""
        return tag_records(self.scores(columns), self) if len(columns[TEXT]) else []

    def predict(self, frame: pd.DataFrame) -> pd.DataFrame:
        """:meth:`tag_rows` as :meth:`analyzer.classify.tagger.Tagger.predict` gives them: a frame, same index."""
        return tag_table(self.tag_rows(frame), frame.index)


def load_compiled(directory: Path) -> CompiledTagger | None:
    """The export of the model in *directory*, or None when there is none or it was not derived from the
    ``model.skops`` now there (its SHA-256 differs) or from another taxonomy."""
    found = current_export(directory)
    if found is None:
        return None
    meta, taxonomy = found
    try:
        with np.load(Path(directory) / EXPORT_ARRAYS, allow_pickle=False) as stored:  # object arrays are refused
            arrays = {key: stored[key] for key in stored.files}
        return CompiledTagger(meta, arrays, taxonomy)
    except (ValueError, KeyError, TypeError, OSError) as exc:
        raise AnalyzerError("model_invalid", f"{EXPORT_ARRAYS}: {type(exc).__name__}") from exc


def load_predictor(directory: Path) -> Predictor:
    """The model of *directory* for analysis: its export when current, else the skops model."""
    compiled = load_compiled(directory)
    if compiled is not None:
        return compiled
    from analyzer.classify.artefact import load_tagger

    return load_tagger(directory)
