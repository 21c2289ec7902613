"""Training as a library call: corpus → document split → fit → held-out and cross-validated metrics → artefact."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from spacy.language import Language

from analyzer.classify.artefact import save_tagger
from analyzer.classify.card import write_card
from analyzer.classify.evaluate import cross_validate, evaluate
from analyzer.classify.tagger import Tagger
from analyzer.corpus import corpus_hash
from analyzer.features import feature_frame
from analyzer.lexicon import Lexicon
from analyzer.nlp import docs_of
from analyzer.taxonomy import Taxonomy

#: 1.1.0 added the kind cues and a kind abstain threshold per register (issue #18; see ``Tagger.fit``). Stacked
#: categories (``stack``, :mod:`analyzer.classify.stacking`) gained +0.004 micro F1 on CV but dropped the third label
#: of multi-need statements (a seed sentence lost process_analysis), so they stay off. 1.3.0 added the content
#: lemmas to the category models (``content_words``, :mod:`analyzer.classify.content_words`: +0.008 micro F1 on CV);
#: 1.4.0 NB-weighted category models (``naive_bayes``, ``category_C``, :mod:`analyzer.classify.nb_logistic`: +0.01).
DEFAULTS: dict[str, Any] = {
    "C": 8.0,
    "lexicon_weight": 1.0,
    "abstain_threshold": 0.5,
    "kind_cues": True,
    "kind_precision": 0.93,
    "stack": False,
    "content_words": True,
    "naive_bayes": 1.0,
    "category_C": 2.0,
}


@dataclass(frozen=True)
class TrainResult:
    tagger: Tagger
    metrics: dict[str, Any]


def with_morphs(frame: pd.DataFrame, nlp: Language) -> pd.DataFrame:
    """Add the ``morphs`` column the features read."""
    texts = frame["text"].tolist()
    return frame.assign(morphs=feature_frame(texts, docs_of(nlp, texts))["morphs"].to_numpy())


def taxonomy_record(taxonomy: Taxonomy, untrained: tuple[str, ...]) -> dict[str, Any]:
    """What the metrics record of the taxonomy; changes and untrained categories only when there are any."""
    record: dict[str, Any] = {"name": taxonomy.name, "version": taxonomy.version, "fingerprint": taxonomy.fingerprint}
    if taxonomy.changes:
        record["changes"] = [change.as_dict() for change in taxonomy.changes]
    if untrained:
        record["untrained"] = list(untrained)
    return record


def train(
    frame: pd.DataFrame,
    taxonomy: Taxonomy,
    lexicon: Lexicon,
    *,
    name: str,
    version: str,
    seed: int = 0,
    cv_folds: int = 5,
    params: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> TrainResult:
    """Fit on the train split, score the held-out split and document-grouped CV over everything.

    ``frame`` carries ``morphs`` and ``split`` columns (see :func:`with_morphs`, ``corpus.with_split``).
    The same data and seed give the same metrics. ``extra`` (e.g. the dataset hash and the number of corrections
    used, or a parameter search) is merged into the metrics.
    """
    options = {**DEFAULTS, **(params or {})}
    train_part = frame[frame["split"] == "train"]
    test_part = frame[frame["split"] == "test"]
    tagger = Tagger.fit(train_part, taxonomy, lexicon, random_state=seed, name=name, version=version, **options)
    metrics: dict[str, Any] = {
        "model": f"{name}/{version}",
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "taxonomy": taxonomy_record(taxonomy, tagger.untrained),
        "corpus_hash": corpus_hash(frame),
        "params": {**options, "seed": seed},
        "data": {
            "units": len(frame),
            "documents": int(frame["doc"].nunique()),
            "train_units": len(train_part),
            "train_documents": int(train_part["doc"].nunique()),
            "test_units": len(test_part),
            "test_documents": int(test_part["doc"].nunique()),
        },
        # which documents it saw: the corpus grows, and the held-out figures are reproduced on these
        "corpus_documents": sorted(frame["doc"].unique().tolist()),
        "held_out": evaluate(tagger, test_part) if len(test_part) else None,
    }
    if tagger.abstention is not None:
        metrics["abstention"] = dict(tagger.abstention.thresholds_)
    if cv_folds >= 2:
        metrics["cross_validation"] = cross_validate(frame, taxonomy, lexicon, folds=cv_folds, seed=seed, **options)
    metrics.update(extra or {})
    return TrainResult(tagger, metrics)


SEARCH_GRID: dict[str, tuple[float, ...]] = {"C": (2.0, 4.0, 8.0, 16.0), "lexicon_weight": (0.5, 1.0, 2.0)}


def search(
    frame: pd.DataFrame,
    taxonomy: Taxonomy,
    lexicon: Lexicon,
    *,
    seed: int = 0,
    folds: int = 5,
    grid: dict[str, tuple[float, ...]] | None = None,
) -> dict[str, Any]:
    """Grid search on document-grouped folds (``evaluate.document_folds``): the parameters with the best mean
    category micro F1 (ties: the first in grid order). Same data and seed give the same result."""
    grid = grid or SEARCH_GRID
    results = []
    for C in grid["C"]:
        for weight in grid["lexicon_weight"]:
            options = {**DEFAULTS, "C": float(C), "lexicon_weight": float(weight)}
            cv = cross_validate(frame, taxonomy, lexicon, folds=folds, seed=seed, **options)
            results.append({"C": float(C), "lexicon_weight": float(weight), "mean": cv["mean"], "std": cv["std"]})
    best = max(results, key=lambda r: r["mean"]["micro_f1"])  # max keeps the first of equal scores
    return {
        "folds": folds,
        "seed": seed,
        "objective": "cross-validated category micro F1",
        "best": {"C": best["C"], "lexicon_weight": best["lexicon_weight"]},
        "results": results,
    }


def save(result: TrainResult, out_dir: Path, label_counts: pd.DataFrame | None = None) -> None:
    """Write ``model.skops``, ``metrics.json`` and ``card.md`` into ``out_dir``."""
    save_tagger(result.tagger, out_dir)
    (out_dir / "metrics.json").write_text(
        json.dumps(result.metrics, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    write_card(out_dir / "card.md", result.metrics)
    dataset = result.metrics.get("dataset")
    if dataset:
        with (out_dir / "card.md").open("a", encoding="utf-8") as card:
            card.write(
                f"\n## Training data with corrections\nDataset hash `{dataset['hash']}`: "
                f"{dataset['corrections']} units labelled by people in the database override or extend the corpus.\n"
            )
    if result.metrics.get("search"):
        best = result.metrics["search"]["best"]
        with (out_dir / "card.md").open("a", encoding="utf-8") as card:
            card.write(f"\n## Parameter search\nBest on document-grouped folds: `{best}`.\n")
