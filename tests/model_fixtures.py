"""Two tiny real models (trained once per test session) and a models root holding them, for deploy tests."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analyzer.classify import registry
from analyzer.classify.artefact import save_tagger
from analyzer.classify.tagger import Tagger

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "units"
NAME = "moksori-ko"
GOOD, BAD, SAME = "2.0.0", "2.1.0", "2.0.1"


@dataclass(frozen=True)
class TinyModels:
    good: Tagger  # trained on more documents
    bad: Tagger  # trained on a few documents: worse on the held-out units
    frame: pd.DataFrame  # held-out units (corpus test split, every other document) with morphs


@lru_cache(maxsize=1)
def _models(nlp: object) -> TinyModels:
    from analyzer.classify.train import with_morphs
    from analyzer.corpus import load_corpus
    from analyzer.lexicon import load_lexicon
    from analyzer.taxonomy import load_taxonomy

    taxonomy, lexicon = load_taxonomy(), load_lexicon()
    frame = load_corpus([CORPUS], taxonomy)
    train, test = frame[frame["split"] == "train"], frame[frame["split"] == "test"]
    train_docs, test_docs = sorted(train["doc"].unique()), sorted(test["doc"].unique())
    fit_good = with_morphs(train[train["doc"].isin(train_docs[::6])], nlp)  # type: ignore[arg-type]
    fit_bad = with_morphs(train[train["doc"].isin(train_docs[::30])], nlp)  # type: ignore[arg-type]
    held_out = with_morphs(test[test["doc"].isin(test_docs[::2])].reset_index(drop=True), nlp)  # type: ignore[arg-type]
    return TinyModels(
        good=Tagger.fit(fit_good, taxonomy, lexicon, name=NAME, version=GOOD),
        bad=Tagger.fit(fit_bad, taxonomy, lexicon, name=NAME, version=BAD),
        frame=held_out,
    )


def tiny_models(nlp: object) -> TinyModels:
    """The two tiny models, trained once per test session."""
    return _models(nlp)


def make_models_root(root: Path, models: TinyModels, deployed: str = GOOD) -> Path:
    """``root/moksori-ko/{2.0.0 good, 2.1.0 bad, 2.0.1 same as good}`` with metrics, cards, ``deployed.json``."""
    for version, tagger in ((GOOD, models.good), (BAD, models.bad), (SAME, replace(models.good, version=SAME))):
        directory = root / NAME / version
        save_tagger(tagger, directory)
        micro = {GOOD: 0.74, BAD: 0.65, SAME: 0.74}[version]
        metrics = {"model": f"{NAME}/{version}", "held_out": {"categories": {"micro_f1": micro}, "kind": {}}}
        (directory / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
        (directory / "card.md").write_text(f"# {NAME} {version}\n", encoding="utf-8")
    registry.set_deployed(root, NAME, deployed)
    return root
