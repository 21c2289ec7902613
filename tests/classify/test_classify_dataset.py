"""Training data from corpus + database corrections: the latest correction wins, corrections override the corpus,
near-duplicates go, and no document is on both sides of the split."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine

from analyzer.classify.dataset import assemble, corrections_frame, document_slice
from analyzer.corpus import REQUIRED, corpus_hash
from analyzer.store import queries
from analyzer.store.engine import make_engine
from analyzer.store.migrate import migrate
from analyzer.taxonomy import load_taxonomy
from tests.store.rows import DEFAULT_TAXONOMY
from tests.store.stored import analysed


def corpus_row(id_: str, text: str, categories: list[str], kind: str, doc: str) -> dict[str, Any]:
    return {
        "id": id_,
        "text": text,
        "categories": categories,
        "kind": kind,
        "register": "minutes",
        "doc": doc,
        "industry": "",
        "region": "",
    }


@pytest.fixture
def engine(tmp_path: Path) -> Any:
    made = make_engine(f"sqlite:///{tmp_path}/m.db")
    migrate(made)
    yield made
    made.dispose()


def test_corrections_frame_reads_the_latest_correction_in_the_corpus_schema(engine: Engine) -> None:
    taxonomy = load_taxonomy()
    first = analysed(engine, ["기술 인력을 구하기가 너무 어렵습니다", "장비 사용료가 비쌉니다"], "a")
    survey = analysed(engine, ["지원사업 서류가 너무 많음"], "b", speaker="", kind="survey")
    minutes = analysed(engine, ["참석자들은 판로 개척을 건의했다"], "c", speaker="")
    queries.add_correction(engine, first[0], ["funding"], "request", "검토자1", taxonomy=DEFAULT_TAXONOMY)
    queries.add_correction(
        engine, first[0], ["workforce"], "pain_point", "검토자2", taxonomy=DEFAULT_TAXONOMY
    )  # the latest wins
    queries.add_correction(engine, survey[0], ["support_program"], "pain_point", "검토자1", taxonomy=DEFAULT_TAXONOMY)
    queries.add_correction(
        engine, minutes[0], ["export_channels", "not_a_category"], "request", "검토자1", taxonomy=DEFAULT_TAXONOMY
    )

    frame = corrections_frame(engine, taxonomy)

    assert set(REQUIRED) <= set(frame.columns)
    assert {"author", "corrected_at", "unit_id", "meeting_id", "industry", "region"} <= set(frame.columns)
    assert len(frame) == 3  # the uncorrected unit is not training data
    by_unit = frame.set_index("unit_id")
    row = by_unit.loc[first[0]]
    assert row["id"] == f"db-{first[0]}" and row["text"] == "기술 인력을 구하기가 너무 어렵습니다"
    assert row["categories"] == ["workforce"] and row["kind"] == "pain_point" and row["author"] == "검토자2"
    assert row["register"] == "transcript" and row["doc"].startswith("db-doc-") and row["region"] == "경북"
    assert by_unit.loc[survey[0], "register"] == "survey"
    assert by_unit.loc[minutes[0], "register"] == "minutes"
    assert by_unit.loc[minutes[0], "categories"] == ["export_channels"]  # unknown ids are dropped


def test_corrections_frame_of_an_empty_database_is_empty(engine: Engine) -> None:
    frame = corrections_frame(engine, load_taxonomy())
    assert frame.empty and set(REQUIRED) <= set(frame.columns)


CORPUS = pd.DataFrame(
    [
        corpus_row("a-1", "기술 인력을 구하기가 너무 어렵습니다.", ["funding"], "request", "doc-a"),
        corpus_row("a-2", "시제품 제작 비용 지원을 늘려 주십시오", ["funding"], "request", "doc-a"),
        corpus_row("b-1", "수출 바이어를 만날 기회가 부족합니다", ["export_channels"], "pain_point", "doc-b"),
        corpus_row("b-2", "수출 바이어를 만날 기회가 부족합니다!!", ["export_channels"], "pain_point", "doc-b"),
        corpus_row("c-1", "장비 사용료가 비싸서 부담됩니다", ["equipment_facilities"], "pain_point", "doc-c"),
    ]
)
CORRECTIONS = pd.DataFrame(
    [
        {
            **corpus_row("db-7", "기술 인력을 구하기가 너무 어렵습니다", ["workforce"], "pain_point", "db-doc-3"),
            "author": "검토자",
            "corrected_at": pd.Timestamp("2026-01-01", tz="UTC"),
            "unit_id": 7,
            "meeting_id": 2,
        }
    ]
)


def test_a_correction_overrides_the_corpus_row_with_the_same_text() -> None:
    frame = assemble(CORPUS, CORRECTIONS)
    same = frame[frame["text"].str.startswith("기술 인력을")]
    assert len(same) == 1
    assert same.iloc[0]["id"] == "db-7" and same.iloc[0]["categories"] == ["workforce"]
    assert same.iloc[0]["source"] == "correction" and same.iloc[0]["author"] == "검토자"
    assert frame.attrs["corrections"] == 1
    assert frame.attrs["dataset_hash"] == corpus_hash(frame)
    assert frame.attrs["dataset_hash"] != assemble(CORPUS, CORRECTIONS.iloc[:0]).attrs["dataset_hash"]


def test_assemble_removes_near_duplicates_and_splits_by_document() -> None:
    frame = assemble(CORPUS, CORRECTIONS)
    assert "b-2" not in set(frame["id"]) and "b-1" in set(frame["id"])
    assert len(frame) == 4
    assert set(frame["split"]) <= {"train", "test"}
    sides = frame.groupby("doc")["split"].nunique()
    assert (sides == 1).all()  # no document on both sides


def test_assemble_without_corrections_keeps_the_corpus() -> None:
    frame = assemble(CORPUS, CORRECTIONS.iloc[:0])
    assert list(frame["id"]) == ["a-1", "a-2", "b-1", "c-1"]
    assert frame.attrs["corrections"] == 0


def test_a_slice_keeps_whole_documents_and_every_corrected_one() -> None:
    frame = assemble(CORPUS, CORRECTIONS)
    sliced = document_slice(frame, 0.01, seed=3)
    assert "db-doc-3" in set(sliced["doc"])  # the corrections are what a quick retraining run is about
    assert set(sliced["doc"]) - {"db-doc-3"} and len(set(sliced["doc"])) == 3  # two corpus documents at least
    for doc in set(sliced["doc"]):
        assert (sliced["doc"] == doc).sum() == (frame["doc"] == doc).sum()
    assert sliced.attrs == frame.attrs
    assert document_slice(frame, 0.01, seed=3).equals(sliced)
