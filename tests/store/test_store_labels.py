"""Label rows (unit_tags, unit_categories, unit_phrases) stay equal to the effective tags, whatever writes them:
the worker's results, corrections, remapping, re-analysis, deletion, and the migration that carries old data over."""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import Engine, func, select, text

from analyzer.store import jobs, queries
from analyzer.store.deletion import delete_document
from analyzer.store.effective import tagged_units
from analyzer.store.engine import make_engine
from analyzer.store.labels import draw_of
from analyzer.store.migrate import migrate
from analyzer.store.summaries import rebuild_all
from analyzer.store.summary_tables import finding_cells, finding_phrases
from analyzer.store.tables import (
    programmes,
    taggings,
    unit_categories,
    unit_phrases,
    unit_tags,
    units,
)
from analyzer.textkeys import clean_labels, main_phrase, signature_of, text_hashes
from tests.store.conftest import MODEL, Upload
from tests.store.rows import DEFAULT_TAXONOMY, unit_and_tag_rows
from tests.taxonomy_fixtures import evolved

TEXTS = ["장비 예약이 석 달씩 밀립니다.", "설계 인력이 떠납니다.", "  ", "분석 지원 덕분에 수율이 올랐습니다."]
CATEGORIES = [["equipment_facilities"], ["workforce", " workforce "], ["funding"], []]
KINDS = ["pain_point", "pain_point", "request", "positive"]


def _store(engine: Engine, upload: Upload, data: bytes, model: str = MODEL) -> list[int]:
    accepted = upload(data, model_version=model) if model != MODEL else upload(data)
    job = jobs.claim(engine, "w", 60)
    assert job is not None and job.document_id == accepted.document_id
    unit_rows, tag_rows = unit_and_tag_rows(TEXTS, CATEGORIES, KINDS)
    unit_rows[0]["keyphrases"] = ["장비 예약", "장비  예약", ""]
    tag_rows[3]["needs_review"] = True
    assert jobs.complete(engine, job, unit_rows, tag_rows, {})
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(units.c.id).where(units.c.document_id == accepted.document_id).order_by(units.c.seq)
            ).scalars()
        )


def expected(engine: Engine) -> tuple[set[tuple[object, ...]], set[tuple[object, ...]]]:
    """Label rows computed from scratch by the effective-tags query (every model version)."""
    tags, categories = set(), set()
    with engine.connect() as conn:
        versions = set(conn.execute(select(taggings.c.model_version)).scalars())
        for version in versions:
            for row in conn.execute(tagged_units(version)).mappings():
                kind = " ".join(row["kind"].split())
                flags = (row["needs_review"], row["corrected"], row["industry"])
                tags.add((row["unit_id"], version, row["meeting_id"], kind, *flags))
                cleaned = dict.fromkeys(" ".join(item.split()) for item in row["categories"] or [])
                place = (row["agency_id"], row["programme"], row["meeting_date"], row["region"])
                categories |= {(row["unit_id"], version, c, row["meeting_id"], kind, *place) for c in cleaned if c}
    return tags, categories


def stored(engine: Engine) -> tuple[set[tuple[object, ...]], set[tuple[object, ...]]]:
    with engine.connect() as conn:
        tags = {tuple(row) for row in conn.execute(select(unit_tags))}
        label = unit_categories.c
        place = (label.agency_id, func.coalesce(programmes.c.name, ""), label.date, label.region)
        query = select(label.unit_id, label.model_version, label.category, label.meeting_id, label.kind, *place)
        found = conn.execute(query.outerjoin(programmes, programmes.c.id == label.programme_id))
        categories = {tuple(row) for row in found}
    return tags, categories


def summary(engine: Engine) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The summary rows, sorted (scores rounded: a rebuild may add them in another order)."""
    with engine.connect() as conn:
        cells = sorted(
            tuple(round(value, 9) if isinstance(value, float) else value for value in row)
            for row in conn.execute(select(finding_cells))
        )
        phrases = sorted(tuple(row) for row in conn.execute(select(finding_phrases)))
    return cells, phrases


def rebuilt(engine: Engine) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The summary rows computed from scratch (in a transaction that is rolled back)."""
    with engine.connect() as conn:
        transaction = conn.begin()
        rebuild_all(conn)
        cells = sorted(
            tuple(round(value, 9) if isinstance(value, float) else value for value in row)
            for row in conn.execute(select(finding_cells))
        )
        phrases = sorted(tuple(row) for row in conn.execute(select(finding_phrases)))
        transaction.rollback()
    return cells, phrases


def in_step(engine: Engine) -> None:
    """Label rows equal the effective tags, summary rows a rebuild from scratch, draws the unit's hash."""
    assert stored(engine) == expected(engine)
    assert summary(engine) == rebuilt(engine)
    with engine.connect() as conn:
        draws = conn.execute(select(unit_categories.c.unit_id, unit_categories.c.draw)).all()
    assert [draw for _, draw in draws] == [draw_of(unit_id) for unit_id, _ in draws]
    ranked(engine)


def ranked(engine: Engine) -> None:
    """Each category row's signature is its unit's; its quote rank is a copy ordinal (at least 0; a deletion leaves
    gaps) plus one minus the category's probability (1 when corrected)."""
    with engine.connect() as conn:
        rows = (
            conn.execute(
                select(
                    unit_categories,
                    units.c.keyphrases,
                    units.c.text_key,
                    taggings.c.probabilities,
                    unit_tags.c.corrected,
                )
                .join(units, units.c.id == unit_categories.c.unit_id)
                .join(
                    taggings,
                    (taggings.c.unit_id == units.c.id) & (taggings.c.model_version == unit_categories.c.model_version),
                )
                .join(
                    unit_tags,
                    (unit_tags.c.unit_id == units.c.id)
                    & (unit_tags.c.model_version == unit_categories.c.model_version),
                )
            )
            .mappings()
            .all()
        )
    assert rows
    for row in rows:
        assert row["signature"] == signature_of(clean_labels(row["keyphrases"]), row["text_key"])
        probability = 1.0 if row["corrected"] else row["probabilities"].get(row["category"], 0.0)
        copy = round(row["quote_rank"] - (1.0 - probability))
        assert math.isclose(row["quote_rank"], copy + 1.0 - probability)
        assert copy >= 0 and (row["text_key"] or copy == 0)


def test_label_and_summary_rows_follow_results_corrections_remap_and_deletion(engine: Engine, upload: Upload) -> None:
    first = _store(engine, upload, b"first")
    second = _store(engine, upload, b"second")
    in_step(engine)
    assert len(stored(engine)[0]) == 8
    with engine.connect() as conn:  # the same texts twice: the second copies rank after every first copy
        ranks = conn.execute(select(unit_categories.c.unit_id, unit_categories.c.quote_rank)).all()
    assert [round(rank, 9) for unit_id, rank in sorted(ranks) if unit_id in first] == [0.1, 0.1, 0.1]
    assert [round(rank, 9) for unit_id, rank in sorted(ranks) if unit_id in second] == [
        1.1,
        1.1,
        0.1,
    ]  # blank: no copies
    cells = summary(engine)[0]  # columns: model, agency, programme, date, region, industry, category, kind, units
    assert sum(row[8] for row in cells if row[5] == row[6] == "") == 8  # every unit counted once

    queries.add_correction(engine, first[0], ["funding", "workforce"], "request", "검토자", taxonomy=DEFAULT_TAXONOMY)
    queries.add_correction(engine, first[1], [], "positive", "검토자", taxonomy=DEFAULT_TAXONOMY)
    queries.add_correction(engine, first[1], ["roads"], "request", "검토자", taxonomy="other@1")
    in_step(engine)
    assert (first[0], MODEL, "funding") in {row[:3] for row in stored(engine)[1]}

    queries.remap_corrections(engine, evolved())
    in_step(engine)

    with engine.connect() as conn:
        document = conn.execute(select(units.c.document_id).where(units.c.id == second[0])).scalar_one()
    delete_document(engine, document, actor="검토자")
    in_step(engine)
    assert {row[0] for row in stored(engine)[0]} == set(first)


def test_label_rows_carry_what_a_later_job_fills_into_the_meeting(engine: Engine, upload: Upload) -> None:
    """A unit's label rows carry its meeting's date and its own region and industry, else its meeting's, also when a
    later job (another model's) fills the meeting's date, region and industry after the first model's rows were
    written."""
    first = _store(engine, upload, b"doc")
    accepted = upload(b"doc", model_version="other-model/1.0")
    job = jobs.claim(engine, "w", 60)
    assert job is not None and job.document_id == accepted.document_id
    unit_rows, tag_rows = unit_and_tag_rows(TEXTS, CATEGORIES, KINDS)
    unit_rows[1]["region"] = "부산"
    filled = {"region": "경북", "date": "2024.5.14", "industry": "displays"}
    assert jobs.complete(engine, job, unit_rows, tag_rows, filled)
    in_step(engine)  # the first model's rows carry the date and industry filled now, as the second's
    with engine.connect() as conn:
        found = set(
            conn.execute(select(unit_categories.c.model_version, unit_categories.c.unit_id, unit_categories.c.region))
        )
    regions = {first[0]: "경북", first[1]: "부산", first[2]: "경북"}  # the last unit has no category
    assert found == {(model, unit, region) for model in (MODEL, "other-model/1.0") for unit, region in regions.items()}


def test_units_carry_their_duplicate_key_and_phrases(engine: Engine, upload: Upload) -> None:
    ids = _store(engine, upload, b"doc")
    with engine.connect() as conn:
        keys = dict(conn.execute(select(units.c.id, units.c.text_key)).all())
        phrases = set(conn.execute(select(unit_phrases.c.unit_id, unit_phrases.c.phrase)).all())
    assert [keys[i] for i in ids] == text_hashes(TEXTS)
    assert keys[ids[2]] == 0  # blank text
    assert text_hashes(["장비 예약이 석 달씩 밀립니다"]) == [keys[ids[0]]]  # spacing and end punctuation ignored
    assert phrases == {(ids[0], "장비 예약")} | {(unit_id, "인력 부족") for unit_id in ids[1:]}  # rows' default


def test_upgrade_backfills_label_rows_from_existing_data(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate(engine, "0004")
        with engine.begin() as conn:
            for statement in (
                "INSERT INTO agencies (id, name) VALUES (1, '한국산업기술진흥원')",
                "INSERT INTO meetings (id, agency_id, title, date, place, region, industry, kind, created_at) "
                "VALUES (1, 1, '간담회', '2024-05-14', '', '경북', '', 'roundtable', '2024-05-14 09:00:00')",
                "INSERT INTO documents (id, agency_id, meeting_id, sha256, filename, format, encoding, size, "
                "blob_path, created_at, survey_columns) VALUES (1, 1, 1, 'ab', 'a.txt', 'txt', 'utf-8', 3, 'b', "
                "'2024-05-14 09:00:00', '[]')",
                "INSERT INTO units (id, document_id, meeting_id, seq, unit_kind, text, start, end_offset, turn, "
                "speaker, title, organisation, region, industry, keyphrases, meta) VALUES "
                "(1, 1, 1, 0, 'sentence', '인력이 부족합니다.', 0, 10, 0, '', '', '', '', '', '[\"인력\"]', '{}'), "
                "(2, 1, 1, 1, 'sentence', '장비가 낡았습니다.', 0, 10, 0, '', '', '', '부산', '', '[]', '{}')",
                "INSERT INTO taggings (unit_id, model_version, categories, probabilities, kind, kind_confidence, "
                "needs_review, margin, taxonomy) VALUES "
                f"(1, '{MODEL}', '[\"workforce\"]', '{{}}', 'pain_point', 0.9, true, 0.1, '{DEFAULT_TAXONOMY}'), "
                f"(2, '{MODEL}', '[\"equipment_facilities\"]', '{{}}', 'pain_point', 0.9, false, 0.1, "
                f"'{DEFAULT_TAXONOMY}')",
                "INSERT INTO corrections (id, unit_id, categories, kind, taxonomy, author, created_at) VALUES "
                f"(1, 1, '[\"funding\"]', 'request', '{DEFAULT_TAXONOMY}', '검토자', '2024-05-15 09:00:00')",
            ):
                conn.execute(text(statement))
        migrate(engine)
        in_step(engine)  # label rows, summary rows (0008 rebuilds them), quote ranks and signatures
        assert stored(engine)[1] == {
            (1, MODEL, "funding", 1, "request", 1, "", "2024-05-14", "경북"),  # the meeting's region (0014)
            (2, MODEL, "equipment_facilities", 1, "pain_point", 1, "", "2024-05-14", "부산"),  # the unit's own
        }
        with engine.connect() as conn:
            assert conn.execute(select(units.c.text_key).order_by(units.c.id)).scalars().all() == text_hashes(
                ["인력이 부족합니다.", "장비가 낡았습니다."]
            )
            assert conn.execute(select(unit_phrases.c.unit_id, unit_phrases.c.phrase)).all() == [(1, "인력")]
    finally:
        engine.dispose()


def test_signature_is_the_most_specific_key_phrase_else_the_text() -> None:
    assert main_phrase(["인력", "전문 인력 부족", "장비 노후"]) == "전문 인력 부족"
    assert main_phrase(["장비", "정책자금", "수출 판로"]) == "수출 판로"  # words first, then characters
    assert main_phrase(["정책자금", "인증비용"]) == "정책자금"  # then the first seen
    assert main_phrase([]) == ""
    assert signature_of(["장비", "수출 판로"], 5) == signature_of(["수출 판로"], 9) != 0
    assert signature_of([], 5) == 5 and signature_of([], 0) == 0
