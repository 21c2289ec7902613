"""The parameter search and training with extra metrics are reproducible with the seed, on a small slice."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.classify.dataset import assemble
from analyzer.classify.train import SEARCH_GRID, save, search, train, with_morphs
from analyzer.corpus import load_corpus
from analyzer.lexicon import load_lexicon
from analyzer.taxonomy import load_taxonomy

CORPUS = Path(__file__).resolve().parents[2] / "corpora" / "units"


@pytest.fixture(scope="module")
def small(nlp):  # type: ignore[no-untyped-def]
    taxonomy = load_taxonomy()
    frame = load_corpus([CORPUS], taxonomy)
    docs = sorted(frame["doc"].unique())[::16]
    sample = assemble(frame[frame["doc"].isin(docs)], frame.iloc[:0])
    return with_morphs(sample, nlp), taxonomy, load_lexicon()


def test_the_default_grid_is_the_documented_one() -> None:
    assert SEARCH_GRID == {"C": (2.0, 4.0, 8.0, 16.0), "lexicon_weight": (0.5, 1.0, 2.0)}


def test_search_is_reproducible_and_picks_the_best_mean_micro_f1(small) -> None:  # type: ignore[no-untyped-def]
    frame, taxonomy, lexicon = small
    grid = {"C": (2.0, 16.0), "lexicon_weight": (1.0,)}
    first = search(frame, taxonomy, lexicon, seed=3, folds=2, grid=grid)
    again = search(frame, taxonomy, lexicon, seed=3, folds=2, grid=grid)
    assert first == again
    assert len(first["results"]) == 2
    best = max(first["results"], key=lambda r: r["mean"]["micro_f1"])
    assert first["best"] == {"C": best["C"], "lexicon_weight": best["lexicon_weight"]}


def test_train_records_extra_metrics_reproducibly(small, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    frame, taxonomy, lexicon = small
    extra = {"dataset": {"hash": frame.attrs["dataset_hash"], "corrections": 0}}
    runs = [
        train(frame, taxonomy, lexicon, name="t", version="1", seed=1, cv_folds=0, extra=extra).metrics
        for _ in range(2)
    ]
    for metrics in runs:
        metrics.pop("created")
    assert runs[0] == runs[1]
    assert runs[0]["dataset"] == extra["dataset"] and runs[0]["corpus_hash"] == frame.attrs["dataset_hash"]
    result = train(frame, taxonomy, lexicon, name="t", version="1", seed=1, cv_folds=0, extra=extra)
    save(result, tmp_path)
    assert frame.attrs["dataset_hash"] in (tmp_path / "card.md").read_text(encoding="utf-8")
