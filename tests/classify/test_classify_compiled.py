"""The exported model (plain arrays, no scikit-learn) gives the skops model's tags and probabilities."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from analyzer.classify import compiled_features
from analyzer.classify.artefact import load_tagger, save_tagger
from analyzer.classify.compiled import CompiledTagger, Scores, load_compiled, load_predictor
from analyzer.classify.export import agrees
from analyzer.classify.kind_cues import with_cues
from analyzer.classify.model_files import EXPORT_ARRAYS, EXPORT_META, model_identity
from analyzer.classify.registry import shipped_models_root
from analyzer.classify.tagger import Tagger
from analyzer.classify.train import with_morphs
from analyzer.corpus import load_corpus
from analyzer.errors import AnalyzerError
from analyzer.lexicon import load_lexicon
from analyzer.taxonomy import load_taxonomy
from tests.process_support import analyze_two_lines

CORPUS = Path(__file__).resolve().parents[2] / "corpora" / "units"
SHIPPED = sorted(p for p in (shipped_models_root() / "moksori-ko").iterdir() if (p / "model.skops").is_file())


def skops_scores(tagger: Tagger, frame: pd.DataFrame) -> Scores:
    """What :meth:`Tagger.predict` computes, through scikit-learn."""
    X = tagger.features.transform(frame)
    abstain = tagger.kind.threshold if tagger.abstention is None else tagger.abstention.thresholds(frame, X)
    return Scores(
        tagger.categories.predict_proba(with_cues(X, tagger.category_features, frame)),
        tagger.categories.thresholds_,
        tagger.kind.predict_proba(with_cues(X, tagger.kind_features, frame)),
        tagger.kind.classes_,
        abstain,
    )


def assert_same(tagger: Tagger, compiled: CompiledTagger, frame: pd.DataFrame) -> None:
    expected, found = skops_scores(tagger, frame), compiled.scores(frame)
    assert np.abs(expected.P - found.P).max() < 1e-9
    assert np.abs(expected.kind_p - found.kind_p).max() < 1e-9
    assert np.array_equal(expected.thresholds, found.thresholds)
    assert np.array_equal(np.broadcast_to(expected.abstain, len(frame)), np.broadcast_to(found.abstain, len(frame)))
    assert list(expected.kind_classes) == list(found.kind_classes)
    pd.testing.assert_frame_equal(tagger.predict(frame), compiled.predict(frame))


@pytest.fixture(scope="module")
def corpus(nlp: Any) -> pd.DataFrame:
    return with_morphs(load_corpus([CORPUS], load_taxonomy()), nlp)


@pytest.mark.parametrize("directory", SHIPPED, ids=lambda p: p.name)
def test_shipped_exports_give_the_skops_tags_on_every_corpus_unit(directory: Path, corpus: pd.DataFrame) -> None:
    compiled = load_compiled(directory)
    assert compiled is not None, "the shipped model has no current export"
    tagger = load_tagger(directory)
    assert compiled.model_version == tagger.model_version
    version, taxonomy = model_identity(directory)  # from the export's settings alone
    assert (version, taxonomy.fingerprint) == (compiled.model_version, compiled.taxonomy.fingerprint)
    assert_same(tagger, compiled, corpus)  # with each unit's register
    assert_same(tagger, compiled, corpus.drop(columns="register"))  # register read by the model


def test_scores_in_chunks_equal_one_batch_with_the_word_cache_full_and_renewed(
    corpus: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A character block keeps each word's columns between batches and starts afresh past its bound; neither
    changes a score (the helper tags a long file in chunks)."""
    monkeypatch.setattr(compiled_features, "KNOWN_WORDS", 500)
    frame = corpus.drop(columns="register")
    whole = load_compiled(SHIPPED[-1])
    chunked = load_compiled(SHIPPED[-1])
    assert whole is not None and chunked is not None
    expected = whole.scores(frame)
    found = [chunked.scores(frame.iloc[start : start + 400]) for start in range(0, len(frame), 400)]
    blocks = [b for _, _, b in chunked.features.blocks if isinstance(b, compiled_features.TfidfBlock) and b.chars]
    assert blocks and all(0 < len(block.known) <= 500 + 4000 for block in blocks)  # bounded: renewed on the way
    assert np.array_equal(expected.P, np.vstack([part.P for part in found]))
    assert np.array_equal(expected.kind_p, np.vstack([part.kind_p for part in found]))


def test_a_saved_tagger_with_cues_pairs_content_and_registers_gets_an_exact_export(nlp: Any, tmp_path: Path) -> None:
    taxonomy = load_taxonomy()
    frame = load_corpus([CORPUS], taxonomy)
    sample = with_morphs(frame[frame["doc"].isin(sorted(frame["doc"].unique())[::5])], nlp)
    tagger = Tagger.fit(
        sample,
        taxonomy,
        load_lexicon(),
        kind_cues=True,
        argument_pairs=True,
        content_words=True,
        naive_bayes=1.0,
        category_C=2.0,
        kind_precision=0.9,
        min_positives=200,
    )
    assert [name for name, *_ in tagger.category_features.transformers] == ["pairs", "content"]
    assert tagger.untrained and tagger.abstention is not None  # constant label models and register thresholds
    save_tagger(tagger, tmp_path)
    compiled = load_predictor(tmp_path)
    assert isinstance(compiled, CompiledTagger)
    assert_same(tagger, compiled, sample)
    assert_same(tagger, compiled, sample.drop(columns="register"))
    assert compiled.predict(sample.head(0)).empty


def test_an_export_of_another_skops_file_is_not_used(tmp_path: Path) -> None:
    source = SHIPPED[-1]
    for name in ("model.skops", "taxonomy.yaml", EXPORT_META, EXPORT_ARRAYS):
        (tmp_path / name).write_bytes((source / name).read_bytes())
    meta = json.loads((tmp_path / EXPORT_META).read_text(encoding="utf-8"))
    meta["source"]["sha256"] = "0" * 64
    (tmp_path / EXPORT_META).write_text(json.dumps(meta), encoding="utf-8")
    assert load_compiled(tmp_path) is None
    skops = load_predictor(tmp_path)
    assert isinstance(skops, Tagger)  # the skops model, with its trust check
    assert model_identity(tmp_path)[0] == skops.model_version


def test_an_export_holding_objects_is_refused(tmp_path: Path) -> None:
    source = SHIPPED[-1]
    for name in ("model.skops", "taxonomy.yaml", EXPORT_META):
        (tmp_path / name).write_bytes((source / name).read_bytes())
    with np.load(source / EXPORT_ARRAYS, allow_pickle=False) as stored:
        arrays = {key: stored[key] for key in stored.files}
    arrays["categories.thresholds"] = np.asarray([object()], dtype=object)
    np.savez(tmp_path / EXPORT_ARRAYS, **arrays)
    with pytest.raises(AnalyzerError) as caught:
        load_compiled(tmp_path)
    assert caught.value.code == "model_invalid"


def test_analysis_imports_neither_scikit_learn_spacy_pandas_nor_numpy(tmp_path: Path) -> None:
    heavy = "heavy = ('sklearn', 'spacy', 'skops', 'pandas', 'scipy', 'numpy')\n"
    found = analyze_two_lines(tmp_path, "", heavy + "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))")
    assert found == "[]"


def test_an_export_that_disagrees_with_the_pipeline_is_caught() -> None:
    directory = SHIPPED[-1]
    tagger, compiled = load_tagger(directory), load_compiled(directory)
    assert compiled is not None and agrees(tagger, compiled)
    compiled.arrays = {**compiled.arrays, "kind.0.intercept": compiled.arrays["kind.0.intercept"] + 1e-6}
    assert not agrees(tagger, compiled)  # save_tagger then writes no export: the skops model is used
