"""The labelled corpus: schema, size, coverage, no near-duplicates, no document on both sides of the split."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analyzer.corpus import (
    NEAR_DUPLICATE,
    corpus_hash,
    load_corpus,
    near_duplicate_pairs,
    read_jsonl,
    validate,
    with_split,
)
from analyzer.errors import AnalyzerError
from analyzer.taxonomy import load_taxonomy

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "units"


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    return load_corpus([CORPUS], load_taxonomy())


def test_corpus_schema_is_valid() -> None:
    raw = read_jsonl([CORPUS])
    validate(raw, load_taxonomy())
    assert raw["id"].is_unique
    assert all(str(i).startswith(f"{doc}-") for i, doc in zip(raw["id"], raw["doc"], strict=True))


def test_corpus_is_large_and_broad(corpus: pd.DataFrame) -> None:
    assert len(corpus) >= 3000
    assert corpus["doc"].nunique() >= 300
    assert set(corpus["register"]) == {"minutes", "transcript", "survey"}
    assert corpus["industry"].nunique() >= 20 and corpus["region"].nunique() >= 30


def test_every_category_kind_cell_is_populated(corpus: pd.DataFrame) -> None:
    taxonomy = load_taxonomy()
    cells = corpus.explode("categories").groupby(["categories", "kind"]).size()
    for category in taxonomy.category_ids:
        for kind in taxonomy.kind_ids:
            assert cells.get((category, kind), 0) >= 10, (category, kind)
    sizes = corpus["categories"].map(len)
    assert (sizes == 0).mean() > 0.08 and (sizes >= 2).mean() > 0.25


def test_corpus_files_hold_no_near_duplicates() -> None:
    raw = read_jsonl([CORPUS])
    assert near_duplicate_pairs(raw["text"].tolist(), NEAR_DUPLICATE) == []


def test_train_and_test_share_no_document(corpus: pd.DataFrame) -> None:
    train_docs = set(corpus.loc[corpus["split"] == "train", "doc"])
    test_docs = set(corpus.loc[corpus["split"] == "test", "doc"])
    assert train_docs and test_docs and not train_docs & test_docs
    assert 0.12 < len(test_docs) / corpus["doc"].nunique() < 0.3


def test_split_is_stable_when_the_corpus_grows(corpus: pd.DataFrame) -> None:
    half = with_split(corpus.drop(columns="split").iloc[: len(corpus) // 2])
    assert (half["split"] == corpus["split"].iloc[: len(half)]).all()


def test_near_duplicates_are_found() -> None:
    texts = ["장비 예약이 너무 어렵습니다.", "장비 예약이 너무 어렵습니다!", "인력이 부족합니다."]
    assert [(i, j) for i, j, _ in near_duplicate_pairs(texts)] == [(0, 1)]


def test_corpus_hash_ignores_row_order(corpus: pd.DataFrame) -> None:
    assert corpus_hash(corpus) == corpus_hash(corpus.sample(frac=1.0, random_state=1))


@pytest.mark.parametrize(
    "row",
    [
        {"id": "x-1", "text": "", "categories": [], "kind": "neutral", "register": "minutes", "doc": "x"},
        {"id": "x-1", "text": "가", "categories": ["roads"], "kind": "neutral", "register": "minutes", "doc": "x"},
        {"id": "x-1", "text": "가", "categories": [], "kind": "complaint", "register": "minutes", "doc": "x"},
        {"id": "x-1", "text": "가", "categories": [], "kind": "neutral", "register": "email", "doc": "x"},
        {"id": "x-1", "text": "가", "categories": [], "kind": "neutral", "register": "minutes"},
    ],
)
def test_invalid_rows_are_refused(tmp_path: Path, row: dict[str, object]) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(AnalyzerError) as caught:
        load_corpus([path], load_taxonomy())
    assert caught.value.code == "corpus_invalid"


def test_datasheet_counts_are_up_to_date() -> None:
    import subprocess
    import sys

    script = Path(__file__).resolve().parents[1] / "scripts" / "corpus_counts.py"
    assert subprocess.run([sys.executable, str(script), "--check"], check=False).returncode == 0
