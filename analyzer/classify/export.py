"""Export a fitted :class:`~analyzer.classify.tagger.Tagger` to plain arrays for fast, safe loading.

Written next to ``model.skops`` by :func:`analyzer.classify.artefact.save_tagger`: ``inference.json`` (vocabulary
settings, calibration, thresholds, the lexicon, the SHA-256 of the skops file it was derived from) and
``inference.npz`` (vocabularies, idf, coefficients, intercepts; read with ``allow_pickle=False``).
:mod:`analyzer.classify.compiled` applies them with NumPy and SciPy and gives the scikit-learn pipeline's
probabilities without importing scikit-learn. The skops file stays the source of truth: a model whose pipeline
holds a part this module cannot export, or whose export does not give the pipeline's probabilities on a probe of
texts reaching every feature (:func:`agrees`), gets no export, and is loaded from skops.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analyzer.classify.compiled import CompiledTagger, load_compiled
from analyzer.classify.kind_cues import with_cues
from analyzer.classify.model_files import EXPORT_ARRAYS, EXPORT_FORMAT, EXPORT_META, MODEL_FILE, file_sha256
from analyzer.classify.tagger import Tagger
from analyzer.errors import AnalyzerError
from analyzer.nlp.feature_text import MORPHS, TEXT

#: Where a fitted transformer's input strings come from (the column, or the cue builder of :mod:`cue_text`).
_SOURCES = {"KindCues": "kind_cues", "ArgumentPairs": "argument_pairs", "ContentWords": "content_words"}


#: Per-label category models that are a linear decision ``X @ coef_.T + intercept_`` (NB-LR folds its ratio in).
_LINEAR = ("LogisticRegression", "NBLogisticRegression")


class ExportUnsupported(ValueError):
    """The fitted pipeline holds a part the exported arrays cannot reproduce exactly."""


def _tfidf(name: str, vectorizer: Any, arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    settings = {
        "norm": "l2",
        "use_idf": True,
        "binary": False,
        "preprocessor": None,
        "tokenizer": None,
        "stop_words": None,
        "strip_accents": None,
        "input": "content",
    }
    for key, wanted in settings.items():
        if getattr(vectorizer, key) != wanted:
            raise ExportUnsupported(f"{name}: {key}={getattr(vectorizer, key)!r}")
    if vectorizer.analyzer not in ("char_wb", "word"):
        raise ExportUnsupported(f"{name}: analyzer={vectorizer.analyzer!r}")
    vocabulary = vectorizer.vocabulary_
    terms = np.empty(len(vocabulary), dtype=object)
    for term, index in vocabulary.items():
        terms[index] = term
    arrays[f"{name}.terms"] = terms.astype(str)
    arrays[f"{name}.idf"] = np.asarray(vectorizer.idf_, dtype=np.float64)
    return {
        "kind": "tfidf",
        "analyzer": vectorizer.analyzer,
        "ngram_range": list(vectorizer.ngram_range),
        "lowercase": bool(vectorizer.lowercase),
        "token_pattern": vectorizer.token_pattern,
        "sublinear_tf": bool(vectorizer.sublinear_tf),
        "width": len(vocabulary),
    }


def _block(name: str, transformer: Any, columns: Any, weight: float, arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    source = columns if isinstance(columns, str) else None
    steps = getattr(transformer, "steps", None)
    if steps is not None:  # Pipeline(cue builder, TF-IDF)
        if len(steps) != 2 or type(steps[0][1]).__name__ not in _SOURCES:
            raise ExportUnsupported(f"{name}: pipeline {[type(s).__name__ for _, s in steps]}")
        source, transformer = _SOURCES[type(steps[0][1]).__name__], steps[1][1]
    if source is None:
        raise ExportUnsupported(f"{name}: columns {columns!r}")
    if type(transformer).__name__ == "LexiconFeatures":
        found = {"kind": "lexicon", "labels": len(transformer.labels_), "terms": list(transformer.term_labels_.items())}
    elif hasattr(transformer, "vocabulary_"):
        found = _tfidf(name, transformer, arrays)
    else:
        raise ExportUnsupported(f"{name}: {type(transformer).__name__}")
    return {"name": name, "source": source, "weight": float(weight), **found}


def _features(prefix: str, column_transformer: Any, arrays: dict[str, np.ndarray]) -> list[dict[str, Any]] | None:
    if column_transformer is None:
        return None
    weights = column_transformer.transformer_weights or {}
    blocks = []
    for name, transformer, columns in column_transformer.transformers_:
        if transformer == "drop":
            continue
        blocks.append(_block(f"{prefix}.{name}", transformer, columns, weights.get(name, 1.0), arrays))
    return blocks


def _logistic(prefix: str, model: Any, arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    if type(model).__name__ != "LogisticRegression":
        raise ExportUnsupported(f"{prefix}: {type(model).__name__}")
    arrays[f"{prefix}.coef"] = np.asarray(model.coef_, dtype=np.float64)
    arrays[f"{prefix}.intercept"] = np.asarray(model.intercept_, dtype=np.float64)
    return {"classes": [str(c) for c in model.classes_], "solver": model.solver}


def _kind(kind: Any, arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    fitted = kind.estimator_
    classes = [str(c) for c in kind.classes_]
    if type(fitted).__name__ == "LogisticRegression":
        if fitted.solver == "liblinear" and len(classes) > 2:
            raise ExportUnsupported("kind: one-vs-rest liblinear")
        found = _logistic("kind", fitted, arrays)
        return {**found, "classes": classes, "threshold": float(kind.threshold), "members": None}
    if type(fitted).__name__ != "CalibratedClassifierCV" or fitted.method != "sigmoid":
        raise ExportUnsupported(f"kind: {type(fitted).__name__}")
    members = []
    for number, member in enumerate(fitted.calibrated_classifiers_):
        found = _logistic(f"kind.{number}", member.estimator, arrays)
        positions = [classes.index(c) for c in found["classes"]]
        calibrators = [[float(c.a_), float(c.b_)] for c in member.calibrators]
        members.append({"positions": positions, "calibrators": calibrators})
    return {"classes": classes, "threshold": float(kind.threshold), "members": members}


def _categories(categories: Any, arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    width = categories.n_features_in_
    coef = np.zeros((len(categories.estimators_), width))
    intercept = np.zeros(len(categories.estimators_))
    constants: dict[str, float] = {}
    for j, model in enumerate(categories.estimators_):
        if isinstance(model, float):
            constants[str(j)] = model
            continue
        if type(model).__name__ not in _LINEAR or model.coef_.shape[0] != 1:
            raise ExportUnsupported(f"category {j}: {type(model).__name__}")
        coef[j] = model.coef_[0]
        coef[j, (categories.exclude or {}).get(j, [])] = 0.0  # what ``_view`` hides from label j's model
        intercept[j] = model.intercept_[0]
    arrays["categories.coef"] = coef
    arrays["categories.intercept"] = intercept
    arrays["categories.thresholds"] = np.asarray(categories.thresholds_, dtype=np.float64)
    return {
        "constants": constants,
        "calibrators": [[float(a), float(b)] for a, b in categories.calibrators_],
        "multilabel": bool(categories.multilabel_),
        "stack": _stack(getattr(categories, "stackers_", None), arrays),
    }


def _stack(stackers: list[Any] | None, arrays: dict[str, np.ndarray]) -> dict[str, Any] | None:
    """The second stage of stacked categories (:mod:`analyzer.classify.stacking`): one logistic regression per
    label over every label's calibrated log-odds; a label with one class is a constant probability."""
    if not stackers:
        return None
    coef, intercept = np.zeros((len(stackers), len(stackers))), np.zeros(len(stackers))
    constants: dict[str, float] = {}
    for j, model in enumerate(stackers):
        if isinstance(model, float):
            constants[str(j)] = model
            continue
        if type(model).__name__ != "LogisticRegression" or model.coef_.shape != (1, len(stackers)):
            raise ExportUnsupported(f"second stage {j}: {type(model).__name__}")
        coef[j], intercept[j] = model.coef_[0], model.intercept_[0]
    arrays["categories.stack_coef"], arrays["categories.stack_intercept"] = coef, intercept
    return {"constants": constants}


def _abstention(abstention: Any, arrays: dict[str, np.ndarray]) -> dict[str, Any] | None:
    if abstention is None:
        return None
    model = None if abstention.model_ is None else _logistic("abstention", abstention.model_, arrays)
    return {
        "registers": [str(r) for r in abstention.registers_],
        "thresholds": {str(k): float(v) for k, v in abstention.thresholds_.items()},
        "model": model,
    }


def export_tagger(tagger: Tagger, directory: Path) -> bool:
    """Write the export of *tagger* next to its saved ``model.skops`` in *directory*; False (and no export, any
    stale one removed) when its pipeline holds a part that cannot be exported exactly."""
    directory = Path(directory)
    arrays: dict[str, np.ndarray] = {}
    for stale in (EXPORT_META, EXPORT_ARRAYS):
        (directory / stale).unlink(missing_ok=True)
    try:
        meta = {
            "format": EXPORT_FORMAT,
            "source": {"file": MODEL_FILE, "sha256": file_sha256(directory / MODEL_FILE)},
            "name": tagger.name,
            "version": tagger.version,
            "margin": float(tagger.margin),
            "category_ids": list(tagger.category_ids),
            "kind_ids": list(tagger.kind_ids),
            "untrained": list(tagger.untrained),
            "taxonomy_fingerprint": tagger.taxonomy.fingerprint,
            "features": _features("features", tagger.features, arrays),
            "kind_features": _features("kind_features", tagger.kind_features, arrays),
            "category_features": _features("category_features", tagger.category_features, arrays),
            "categories": _categories(tagger.categories, arrays),
            "kind": _kind(tagger.kind, arrays),
            "abstention": _abstention(tagger.abstention, arrays),
        }
    except (ExportUnsupported, AttributeError, KeyError, IndexError, TypeError, ValueError):
        return False  # a pipeline shape this module does not know: the model is loaded from skops
    tmp = directory / (EXPORT_ARRAYS + ".tmp.npz")
    np.savez_compressed(tmp, **arrays)  # type: ignore[arg-type]
    tmp.replace(directory / EXPORT_ARRAYS)
    meta_tmp = directory / (EXPORT_META + ".tmp")
    meta_tmp.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    meta_tmp.replace(directory / EXPORT_META)
    try:
        compiled = load_compiled(directory)
        same = compiled is not None and agrees(tagger, compiled)
    except (AnalyzerError, AttributeError, KeyError, IndexError, TypeError, ValueError):
        same = False
    if not same:  # e.g. a Tagger grown a part this module does not know
        for written in (EXPORT_META, EXPORT_ARRAYS):
            (directory / written).unlink(missing_ok=True)
        return False
    return True


def probe_frame(tagger: Tagger) -> pd.DataFrame:
    """Texts that reach every feature block: each lexicon term in a sentence, with a morpheme string of its words
    (and, a second time, a sentence ending and reported speech), for each register and none."""
    lexicon = tagger.features.named_transformers_.get("lexicon")
    terms = [str(term) for term in getattr(lexicon, "term_labels_", {})][:400] or ["장비"]
    tail = "문제/NNG 로/JKB 지원/NNG 을/JKO 요청/NNG 하/XSV 었/EP 다고/EC 말/NNG 하/XSV 습니다/EF 좋/VA 겠/EP 어요/EF"
    texts = [f"{term} 문제로 지원을 요청했다고 말했습니다. 개선해 주시면 좋겠어요 {n}" for n, term in enumerate(terms)]
    morphs = [" ".join([*(f"{word}/NNG" for word in term.split()), tail]) for term in terms]
    frame = pd.DataFrame({TEXT: texts, MORPHS: morphs})
    registers = ["minutes", "survey", "transcript", "other"]
    return pd.concat([frame, frame.assign(register=[registers[i % 4] for i in range(len(frame))])], ignore_index=True)


def agrees(tagger: Tagger, compiled: CompiledTagger, tolerance: float = 1e-9) -> bool:
    """The export's probabilities equal the skops pipeline's on :func:`probe_frame` (within *tolerance*) and its
    tags are the same."""
    frame = probe_frame(tagger)
    for part in (frame[frame.columns.drop("register", errors="ignore")].iloc[: len(frame) // 2], frame):
        expected, found = tagger.predict(part), compiled.predict(part)
        if not expected.drop(columns="probabilities").equals(found.drop(columns="probabilities")):
            return False
        X = tagger.features.transform(part)
        P = tagger.categories.predict_proba(with_cues(X, tagger.category_features, part))
        kind_p = tagger.kind.predict_proba(with_cues(X, tagger.kind_features, part))
        scores = compiled.scores(part)
        if np.abs(P - scores.P).max() > tolerance or np.abs(kind_p - scores.kind_p).max() > tolerance:
            return False
    return True
