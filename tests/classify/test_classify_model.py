"""The tagger end to end on a slice of the corpus, its artefact, and the shipped model."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analyzer.classify.artefact import MODEL_FILE, load_tagger, save_tagger
from analyzer.classify.registry import deployed_dir, shipped_models_root
from analyzer.classify.tagger import Tagger
from analyzer.classify.train import with_morphs
from analyzer.corpus import corpus_hash, load_corpus
from analyzer.errors import AnalyzerError
from analyzer.features import feature_frame
from analyzer.lexicon import load_lexicon
from analyzer.nlp import docs_of
from analyzer.taxonomy import load_taxonomy, parse_taxonomy

CORPUS = Path(__file__).resolve().parents[2] / "corpora" / "units"
SEEDS = [
    (
        "연구개발 기반을 효율적으로 활용하려면 장비에 맞는 기술 전문가들이 함께 연계 지원돼야 한다",
        {"expert_support", "equipment_facilities"},
        "request",
    ),
    (
        "기술개발 결과물의 사업화를 위해 공정 분석, 수출 판로 개척까지 지원된다면 좋겠다",
        {"commercialization", "process_analysis", "export_channels"},
        "request",
    ),
]


@pytest.fixture(scope="module")
def small_tagger(nlp) -> tuple[Tagger, pd.DataFrame]:  # type: ignore[no-untyped-def]
    taxonomy = load_taxonomy()
    frame = load_corpus([CORPUS], taxonomy)
    sample = frame[frame["doc"].isin(sorted(frame["doc"].unique())[::4])]
    sample = with_morphs(sample, nlp)
    return Tagger.fit(sample, taxonomy, load_lexicon()), sample


def test_tagger_predicts_one_row_per_unit(small_tagger) -> None:  # type: ignore[no-untyped-def]
    tagger, sample = small_tagger
    predicted = tagger.predict(sample.head(20))
    assert list(predicted.index) == list(sample.head(20).index)
    assert set(predicted["kind"]) <= set(tagger.kind_ids)
    for categories, probabilities in zip(predicted["categories"], predicted["probabilities"], strict=True):
        assert set(categories) <= set(tagger.category_ids)
        assert set(probabilities) == set(tagger.category_ids)
    assert predicted["model_version"].iloc[0] == tagger.model_version


def test_tagger_round_trips_through_skops(small_tagger, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tagger, sample = small_tagger
    save_tagger(tagger, tmp_path)
    loaded = load_tagger(tmp_path)
    before = tagger.predict(sample.head(50))
    after = loaded.predict(sample.head(50))
    assert before["categories"].tolist() == after["categories"].tolist()
    assert np.allclose(before["kind_confidence"], after["kind_confidence"])


def test_the_review_margin_is_the_distance_to_the_nearest_label_change(small_tagger) -> None:  # type: ignore[no-untyped-def]
    tagger, sample = small_tagger
    predicted = tagger.predict(sample.head(40))
    X = tagger.features.transform(sample.head(40))
    category_gap = np.abs(tagger.categories.predict_proba(X) - tagger.categories.thresholds_).min(axis=1)
    ranked = np.sort(tagger.kind.predict_proba(X), axis=1)
    expected = np.minimum(category_gap, ranked[:, -1] - ranked[:, -2])
    assert np.allclose(predicted["margin"], expected, atol=1e-4)
    assert (predicted["margin"] >= 0).all() and (predicted["taxonomy"] == "moksori-default@1").all()
    assert predicted["needs_review"].to_numpy()[category_gap < tagger.margin].all()


def test_review_queue_yield_compares_the_orders_with_the_base_rate(small_tagger) -> None:  # type: ignore[no-untyped-def]
    from analyzer.classify.evaluate import review_queue_yield

    tagger, sample = small_tagger
    predicted = tagger.predict(sample).reset_index(drop=True)
    truth = predicted[["categories", "kind"]].copy()
    worst = int(np.argmin(predicted["margin"]))
    truth.loc[worst, "kind"] = "neutral" if truth.loc[worst, "kind"] != "neutral" else "request"  # its only error

    table = review_queue_yield(truth, predicted, sizes=(1, 10, 10**6))

    assert table["first_n"].tolist() == [1, 10]  # sizes beyond the data are left out
    assert table.loc[0, "margin"] == 1.0 and table.loc[1, "margin"] == 0.1
    assert table["base_rate"].iloc[0] == round(1 / len(sample), 4)


def test_a_model_keeps_its_taxonomy_file_and_refuses_a_swapped_one(small_tagger, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tagger, _ = small_tagger
    save_tagger(tagger, tmp_path)
    assert parse_taxonomy((tmp_path / "taxonomy.yaml").read_text(encoding="utf-8")) == tagger.taxonomy
    assert load_tagger(tmp_path).taxonomy == tagger.taxonomy
    (tmp_path / "taxonomy.yaml").write_text(
        "name: agency-x\nversion: 1\ncategories:\n  - {id: roads, label: 도로}\n"
        "kinds:\n  - {id: pain_point, label: 애로}\n",
        encoding="utf-8",
    )
    with pytest.raises(AnalyzerError) as caught:
        load_tagger(tmp_path)
    assert caught.value.code == "model_invalid"


def test_tagger_refuses_another_taxonomy(small_tagger) -> None:  # type: ignore[no-untyped-def]
    tagger, _ = small_tagger
    other = parse_taxonomy(
        "name: agency-x\nversion: 1\ncategories:\n  - {id: roads, label: 도로}\n"
        "kinds:\n  - {id: pain_point, label: 애로}\n"
    )
    with pytest.raises(AnalyzerError) as caught:
        tagger.check_taxonomy(other)
    assert caught.value.code == "taxonomy_mismatch"


def test_load_tagger_reports_missing_and_broken_models(tmp_path: Path) -> None:
    with pytest.raises(AnalyzerError) as missing:
        load_tagger(tmp_path)
    assert missing.value.code == "model_not_found"
    (tmp_path / MODEL_FILE).write_bytes(b"not a zip")
    with pytest.raises(AnalyzerError) as broken:
        load_tagger(tmp_path)
    assert broken.value.code == "model_invalid"


def test_shipped_model_loads_fast_and_knows_the_taxonomy() -> None:
    started = time.perf_counter()
    tagger = load_tagger(deployed_dir(shipped_models_root()))
    assert time.perf_counter() - started < 3.0
    tagger.check_taxonomy(load_taxonomy())


@pytest.mark.parametrize(("text", "categories", "kind"), SEEDS)
def test_shipped_model_tags_the_seed_sentences(nlp, text: str, categories: set[str], kind: str) -> None:  # type: ignore[no-untyped-def]
    tagger = load_tagger(deployed_dir(shipped_models_root()))
    row = tagger.predict(feature_frame([text], docs_of(nlp, [text]))).iloc[0]
    assert set(row["categories"]) == categories
    assert row["kind"] == kind


@pytest.mark.slow
def test_shipped_model_card_figures_are_reproduced(nlp) -> None:  # type: ignore[no-untyped-def]
    """`moksori evaluate --split test` gives the held-out numbers written in metrics.json and the card."""
    import json

    from analyzer.classify.evaluate import evaluate

    directory = deployed_dir(shipped_models_root())
    recorded = json.loads((directory / "metrics.json").read_text(encoding="utf-8"))["held_out"]
    metrics = json.loads((directory / "metrics.json").read_text(encoding="utf-8"))
    frame = load_corpus([CORPUS], load_taxonomy())
    frame = frame[frame["doc"].isin(metrics["corpus_documents"])]  # the corpus grew after this model was trained
    assert corpus_hash(frame) == metrics["corpus_hash"]
    result = evaluate(load_tagger(directory), with_morphs(frame[frame["split"] == "test"], nlp))
    assert result["categories"]["micro_f1"] == recorded["categories"]["micro_f1"]
    assert result["kind"]["accuracy"] == recorded["kind"]["accuracy"]
    card = (directory / "card.md").read_text(encoding="utf-8")
    assert f"micro F1 **{recorded['categories']['micro_f1']}**" in card
