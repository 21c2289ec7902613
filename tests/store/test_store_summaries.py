"""The summary rows kept by difference (:func:`analyzer.store.summaries.maintained`) equal a rebuild from scratch
after any sequence of writes: uploads into shared and new partitions, a second model version of a document,
corrections (which move a unit's organisation out of a category), a meeting's date filled later (which moves it to
another partition), and deletions of documents and meetings. Hypothesis draws the sequences."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from analyzer.store import jobs, queries, summaries
from analyzer.store.agencies import create_agency
from analyzer.store.deletion import delete_document, delete_meeting
from analyzer.store.engine import make_engine
from analyzer.store.migrate import migrate
from analyzer.store.results import fill_meeting
from analyzer.store.summaries import SHAPES, maintained, rebuild_all
from analyzer.store.summary_read import SummaryTables, read_summaries
from analyzer.store.summary_tables import summary_changes
from analyzer.store.tables import (
    agencies,
    documents,
    effective_industry,
    effective_region,
    meetings,
    unit_categories,
    unit_tags,
    units,
)
from analyzer.store.tables import jobs as jobs_table
from tests.store.rows import DEFAULT_TAXONOMY, unit_and_tag_rows

AGENCIES = ["한국산업기술진흥원", "경북테크노파크"]
MODELS = ("test-model/1.0", "test-model/2.0")
CATEGORIES = ["equipment_facilities", "workforce", "funding", "expert_support"]
KINDS = ["pain_point", "request", "positive", "neutral"]
TEXTS = ["장비 예약이 석 달씩 밀립니다.", "설계 인력이 떠납니다.", "자금 지원을 늘려 주세요.", "전문가를 보내 주세요."]

unit_rows = st.lists(
    st.tuples(
        st.sampled_from(TEXTS),
        st.lists(st.sampled_from(CATEGORIES), max_size=2, unique=True),
        st.sampled_from(KINDS),
        st.sampled_from(["㈜한빛전자", "대경정밀㈜", "", " 가나  테크"]),
        st.sampled_from(["", "경북 구미"]),
        st.sampled_from(["", "displays"]),
        st.lists(st.sampled_from(["인력 부족", "장비", "자금"]), max_size=2),
    ),
    min_size=1,
    max_size=6,
)
operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("upload"),
            st.sampled_from(AGENCIES),
            st.sampled_from(["", "2024-03-05", "2024-04-01"]),
            st.sampled_from([None, "산업기반구축사업"]),
            unit_rows,
        ),
        st.tuples(st.just("second_model"), st.integers(0, 50), unit_rows),
        st.tuples(
            st.just("correct"),
            st.integers(0, 200),
            st.lists(st.sampled_from(CATEGORIES), max_size=2, unique=True),
            st.sampled_from(KINDS),
        ),
        st.tuples(st.just("date"), st.integers(0, 50), st.sampled_from(["2024-03-05", "2024-06-30"])),
        st.tuples(st.just("industry"), st.integers(0, 50), st.sampled_from(["displays", "batteries"])),
        st.tuples(st.just("delete_document"), st.integers(0, 50)),
        st.tuples(st.just("delete_meeting"), st.integers(0, 50)),
    ),
    min_size=2,
    max_size=9,
)


def _complete(engine: Engine, accepted: Any, rows: list[tuple[Any, ...]]) -> None:
    job = jobs.claim(engine, "w", 60)
    assert job is not None and job.document_id == accepted.document_id
    made, tags = unit_and_tag_rows([row[0] for row in rows], [row[1] for row in rows], [row[2] for row in rows])
    for unit, (_, _, _, organisation, region, industry, phrases) in zip(made, rows, strict=True):
        unit.update(organisation=organisation, region=region, industry=industry, keyphrases=phrases)
    assert jobs.complete(engine, job, made, tags, {})


def _upload(engine: Engine, agency: str, programme: str | None, date: str, serial: int, model: str) -> Any:
    return jobs.enqueue_upload(
        engine,
        agency=agency,
        programme=programme,
        meeting={"title": "간담회", "date": date, "region": "경북", "industry": ""},
        filename="minutes.txt",
        sha256=f"{serial:064x}",
        size=10,
        fmt="txt",
        encoding="utf-8",
        blob_path=f"blobs/{serial}",
        model_version=model,
    )


def _pick(engine: Engine, table: Any, index: int) -> int | None:
    with engine.connect() as conn:
        ids = list(conn.execute(select(table.c.id).order_by(table.c.id)).scalars())
    return ids[index % len(ids)] if ids else None


def _apply(engine: Engine, operation: tuple[Any, ...], serial: int) -> None:
    name = operation[0]
    if name == "upload":
        _, agency, date, programme, rows = operation
        _complete(engine, _upload(engine, agency, programme, date, serial, MODELS[0]), rows)
    elif name == "second_model" and (document := _pick(engine, documents, operation[1])) is not None:
        with engine.connect() as conn:  # the same bytes again, for another model version (re-analysis)
            sha, agency = conn.execute(
                select(documents.c.sha256, agencies.c.name)
                .join(meetings, meetings.c.id == documents.c.meeting_id)
                .join(agencies, agencies.c.id == meetings.c.agency_id)
                .where(documents.c.id == document)
            ).one()
        accepted = _upload(engine, agency, None, "", int(sha, 16), MODELS[1])
        with engine.connect() as conn:
            queued = conn.execute(select(jobs_table.c.id).where(jobs_table.c.status == "queued")).first()
        if queued is not None:
            _complete(engine, accepted, operation[2])
    elif name == "correct" and (unit := _pick(engine, units, operation[1])) is not None:
        queries.add_correction(engine, unit, operation[2], operation[3], "검토자", taxonomy=DEFAULT_TAXONOMY)
    elif name in ("date", "industry") and (meeting := _pick(engine, meetings, operation[1])) is not None:
        with engine.begin() as conn, maintained(conn, [meeting]):
            fill_meeting(conn, meeting, {name: operation[2]})
    elif name == "delete_document" and (document := _pick(engine, documents, operation[1])) is not None:
        delete_document(engine, document, actor="검토자")
    elif name == "delete_meeting" and (meeting := _pick(engine, meetings, operation[1])) is not None:
        delete_meeting(engine, meeting, actor="검토자")


def _rows(engine: Engine, rebuild: bool) -> dict[str, list[tuple[Any, ...]]]:
    """Every summary table's rows, sorted, scores rounded (sums in another order differ in the last bits)."""
    with engine.connect() as conn:
        transaction = conn.begin()
        if rebuild:
            rebuild_all(conn)
        found = {
            name: sorted(
                (
                    tuple(round(value, 9) if isinstance(value, float) else value for value in row)
                    for row in conn.execute(select(shape.table))
                ),
                key=repr,
            )
            for name, shape in SHAPES.items()
        }
        transaction.rollback()
    return found


TWO_IN_ONE_PARTITION = [
    (
        "upload",
        AGENCIES[0],
        "2024-03-05",
        None,
        [(TEXTS[0], ["funding"], "pain_point", "㈜한빛전자", "", "", ["자금"])],
    ),
    (
        "upload",
        AGENCIES[0],
        "2024-03-05",
        None,
        [
            (TEXTS[1], ["workforce"], "request", "대경정밀㈜", "", "", ["인력 부족"]),
            (TEXTS[2], ["expert_support"], "request", "", "", "", []),
        ],
    ),
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations, st.sampled_from([2, summaries.READ_KEYS]))
@example(TWO_IN_ONE_PARTITION, 2)  # a partition's other meeting keeps its rows
def test_summary_rows_kept_by_difference_equal_a_rebuild(sequence: list[tuple[Any, ...]], read_keys: int) -> None:
    """*read_keys* 2: the stored rows of most writes' keys are read in several statements."""
    folded = patch.multiple(summaries, KEEP_CHANGES=1, FOLD_EVERY=1)  # the change log folded at every write
    with patch.object(summaries, "READ_KEYS", read_keys), folded, tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'moksori.db'}")
        try:
            migrate(engine)
            create_agency(engine, AGENCIES[1])
            held: dict[str, SummaryTables] = {}
            stale: dict[str, SummaryTables] = {}  # refreshed after every second write: past the fold
            for serial, operation in enumerate(sequence):
                _apply(engine, operation, serial)
                assert _rows(engine, rebuild=False) == _rows(engine, rebuild=True), operation
                _assert_refreshed(engine, held)
                if serial % 2:
                    _assert_refreshed(engine, stale)
                _assert_places(engine)
                _assert_log_bounded(engine)
        finally:
            engine.dispose()


def _assert_log_bounded(engine: Engine) -> None:
    """The change log holds the versions of the last :data:`summaries.KEEP_CHANGES` plus one fold and its
    :data:`summaries.FOLD_EVERY` versions, whatever the number of writes."""
    with engine.connect() as conn:
        logged = conn.execute(select(summary_changes.c.version).distinct()).scalars().all()
    assert len(logged) <= summaries.KEEP_CHANGES + summaries.FOLD_EVERY + 1


def _assert_places(engine: Engine) -> None:
    """Every label row carries its meeting's agency, programme and date and its unit's effective region and
    industry, every tag row its unit's effective industry."""
    label = unit_categories.c
    carried = (label.agency_id, label.programme_id, label.date, label.region, label.industry)
    derived = (meetings.c.agency_id, meetings.c.programme_id, meetings.c.date, effective_region(), effective_industry())
    query = (
        select(label.unit_id, label.category, label.model_version, *carried, *derived)
        .join(units, units.c.id == label.unit_id)
        .join(meetings, meetings.c.id == units.c.meeting_id)
    )
    tagged = (
        select(unit_tags.c.unit_id, unit_tags.c.industry, effective_industry())
        .join(units, units.c.id == unit_tags.c.unit_id)
        .join(meetings, meetings.c.id == units.c.meeting_id)
    )
    with engine.connect() as conn:
        rows = conn.execute(query).all()
        industries = conn.execute(tagged).all()
    assert [tuple(row) for row in rows if tuple(row[3:8]) != tuple(row[8:])] == []
    assert [tuple(row) for row in industries if row[1] != row[2]] == []


def _assert_refreshed(engine: Engine, held: dict[str, SummaryTables]) -> None:
    """Every model's summary rows over every unit and over one industry, held in memory and refreshed by the changed
    partitions after each write, equal a read of every row."""
    for model in MODELS:
        for industry in ("", "displays"):
            key = f"{model} {industry}"
            held[key] = read_summaries(engine, model, held.get(key), industry)
            whole = read_summaries(engine, model, industry=industry)
            assert held[key].version == whole.version
            for name in ("cells", "phrases", "signatures"):
                pd.testing.assert_frame_equal(getattr(held[key], name), getattr(whole, name), check_dtype=False)


@pytest.mark.parametrize("read_keys", [2, summaries.READ_KEYS])
def test_writes_by_key_on_each_database(engine: Engine, read_keys: int) -> None:
    """The same sequence on SQLite and PostgreSQL (the keys' ``VALUES`` join, the upserts through expression indexes
    and the deletes by key are SQL each database runs its own way): uploads into one partition, a correction, a late
    date and a deletion."""
    create_agency(engine, AGENCIES[1])
    sequence = [
        *TWO_IN_ONE_PARTITION,
        (
            "upload",
            AGENCIES[1],
            "",
            "산업기반구축사업",
            [(TEXTS[3], ["expert_support", "funding"], "request", "", "", "", [])],
        ),
        ("correct", 1, ["workforce"], "pain_point"),
        ("date", 2, "2024-03-05"),
        ("delete_document", 0),
    ]
    held: dict[str, SummaryTables] = {}
    with patch.object(summaries, "READ_KEYS", read_keys):
        for serial, operation in enumerate(sequence):
            _apply(engine, operation, serial)
            assert _rows(engine, rebuild=False) == _rows(engine, rebuild=True), operation
            _assert_refreshed(engine, held)


def test_a_reader_older_than_the_folded_change_log_reads_every_row_again(tmp_path: Path) -> None:
    """A process holding rows from before the last fold of the change log finds the fold's entry for every
    partition and reads every row again: it misses no partition whose entry went."""
    rows = [(TEXTS[0], ["workforce"], "pain_point", "", "", "", ["장비"])]
    engine = make_engine(f"sqlite:///{tmp_path / 'moksori.db'}")
    try:
        migrate(engine)
        create_agency(engine, AGENCIES[1])
        with patch.multiple(summaries, KEEP_CHANGES=1, FOLD_EVERY=1):
            _apply(engine, ("upload", AGENCIES[1], "2024-03-05", None, rows), 0)
            held = read_summaries(engine, MODELS[0])
            _apply(engine, ("upload", AGENCIES[1], "2024-04-01", None, rows), 1)
            _apply(engine, ("upload", AGENCIES[1], "", None, rows), 2)  # the first new partition's entry is folded
        refreshed, whole = read_summaries(engine, MODELS[0], held), read_summaries(engine, MODELS[0])
        assert len(whole.cells) > len(held.cells)
        for name in ("cells", "phrases", "signatures"):
            pd.testing.assert_frame_equal(getattr(refreshed, name), getattr(whole, name), check_dtype=False)
        _assert_log_bounded(engine)
    finally:
        engine.dispose()
