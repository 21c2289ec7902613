"""Taggings and corrections carry their taxonomy: effective tags never mix taxonomies, corrections are carried over
by the declared changes, and databases from before the taxonomy columns are upgraded without losing a row."""

from __future__ import annotations

import json

from sqlalchemy import Engine, select, text
from taxonomy_fixtures import evolved

from analyzer.store import jobs, queries
from analyzer.store.engine import make_engine
from analyzer.store.migrate import current_revision, head_revision, migrate
from analyzer.store.tables import corrections, taggings
from tests.store.conftest import Upload
from tests.store.rows import DEFAULT_TAXONOMY, unit_and_tag_rows

NEW_MODEL = "test-model/2.0"
TEXTS = [
    "지원사업 서류가 너무 많습니다.",
    "대학과 공동 과제를 하고 싶습니다.",
    "환경 인허가가 늦습니다.",
    "인력이 부족합니다.",
]


def _tagged_by_the_new_model(engine: Engine, upload: Upload) -> list[int]:
    """One document tagged by a model of taxonomy v2; returns its unit ids."""
    upload(b"doc", model_version=NEW_MODEL)
    job = jobs.claim(engine, "w", 60)
    unit_rows, tag_rows = unit_and_tag_rows(TEXTS, [["workforce"]] * 4, ["pain_point"] * 4, taxonomy=evolved().key)
    assert job is not None and jobs.complete(engine, job, unit_rows, tag_rows, {})
    rows, _ = queries.list_units(engine, agency_id=None, model_version=NEW_MODEL)
    return [row["unit_id"] for row in sorted(rows, key=lambda r: r["seq"])]


def _effective(engine: Engine) -> list[tuple[list[str], bool]]:
    rows, _ = queries.list_units(engine, agency_id=None, model_version=NEW_MODEL)
    return [(row["categories"], row["corrected"]) for row in sorted(rows, key=lambda r: r["seq"])]


def test_corrections_under_another_taxonomy_are_not_mixed_in_until_remapped(engine: Engine, upload: Upload) -> None:
    ids = _tagged_by_the_new_model(engine, upload)
    for unit_id, categories in zip(ids[:3], [["support_program"], ["collaboration"], ["regulation"]], strict=True):
        queries.add_correction(engine, unit_id, categories, "request", "검토자", taxonomy=DEFAULT_TAXONOMY)
    assert _effective(engine)[:3] == [(["workforce"], False)] * 3  # v1 ids never show under the v2 model

    assert queries.remap_corrections(engine, evolved()) == {"remapped": 3, "unmapped": 0}

    assert _effective(engine) == [
        (["program_operation"], True),
        (["network_transition"], True),
        ([], True),  # regulation was retired: the person's kind stays, the category goes
        (["workforce"], False),
    ]
    history = queries.corrections_of(engine, ids[0])
    assert [(row["taxonomy"], row["categories"]) for row in history] == [
        (DEFAULT_TAXONOMY, ["support_program"]),
        (evolved().key, ["program_operation"]),
    ]
    assert queries.remap_corrections(engine, evolved()) == {"remapped": 0, "unmapped": 0}  # idempotent


def test_a_correction_made_under_the_new_taxonomy_is_kept_and_unknown_lineages_are_counted(
    engine: Engine, upload: Upload
) -> None:
    ids = _tagged_by_the_new_model(engine, upload)
    queries.add_correction(engine, ids[0], ["funding"], "request", "검토자", taxonomy=DEFAULT_TAXONOMY)
    queries.add_correction(engine, ids[0], ["carbon_neutral"], "request", "검토자", taxonomy=evolved().key)
    queries.add_correction(engine, ids[1], ["roads"], "request", "검토자", taxonomy="gyeongbuk-tp@1")

    assert queries.remap_corrections(engine, evolved()) == {"remapped": 0, "unmapped": 1}
    assert _effective(engine)[:2] == [(["carbon_neutral"], True), (["workforce"], False)]


def test_upgrading_a_database_from_before_the_taxonomy_columns_keeps_every_row(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate(engine, "0001")
        with engine.begin() as conn:
            for statement in (
                "INSERT INTO agencies (id, name) VALUES (1, '한국산업기술진흥원')",
                "INSERT INTO meetings (id, agency_id, title, date, place, region, industry, kind, created_at) "
                "VALUES (1, 1, '간담회', '2024-05-14', '', '경북', '', 'roundtable', '2024-05-14 09:00:00')",
                "INSERT INTO documents (id, agency_id, meeting_id, sha256, filename, format, encoding, size, "
                "blob_path, created_at) VALUES (1, 1, 1, 'ab', 'a.txt', 'txt', 'utf-8', 3, 'b', '2024-05-14 09:00:00')",
                "INSERT INTO units (id, document_id, meeting_id, seq, unit_kind, text, start, end_offset, turn, "
                "speaker, title, organisation, region, industry, keyphrases, meta) VALUES "
                "(1, 1, 1, 0, 'sentence', '인력이 부족합니다.', 0, 10, 0, '', '', '', '', '', '[]', '{}')",
                "INSERT INTO taggings (unit_id, model_version, categories, probabilities, kind, kind_confidence, "
                "needs_review) VALUES (1, 'moksori-ko/1.0.0', '[\"workforce\"]', '{}', 'pain_point', 0.9, false)",
                "INSERT INTO corrections (id, unit_id, categories, kind, author, created_at) VALUES "
                "(1, 1, '[\"funding\"]', 'request', '검토자', '2024-05-15 09:00:00')",
            ):
                conn.execute(text(statement))

        migrate(engine)

        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            tagging = conn.execute(select(taggings)).mappings().one()
            correction = conn.execute(select(corrections)).mappings().one()
        assert (tagging["taxonomy"], tagging["margin"], tagging["categories"]) == (
            DEFAULT_TAXONOMY,
            None,
            ["workforce"],
        )
        assert (correction["taxonomy"], correction["categories"]) == (DEFAULT_TAXONOMY, ["funding"])
        rows, _ = queries.list_units(engine, agency_id=None, model_version="moksori-ko/1.0.0")
        assert [(row["categories"], row["kind"]) for row in rows] == [(["funding"], "request")]
        assert json.dumps(rows[0]["categories"]) == '["funding"]'
    finally:
        engine.dispose()
