"""Read queries: meetings, units with effective tags (corrections win), the category filter, the findings frame."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine

from analyzer.errors import AnalyzerError
from analyzer.store import jobs, queries
from tests.store.conftest import MODEL, Upload
from tests.store.rows import DEFAULT_TAXONOMY, unit_and_tag_rows

TEXTS = [
    "장비 예약이 석 달씩 밀립니다.",
    "설계 인력이 수도권으로 떠납니다.",
    "민간 부담금 현금 비율을 낮춰 주셨으면 합니다.",
    "분석 지원 덕분에 수율이 올랐습니다.",
]
CATEGORIES = [["equipment_facilities"], ["workforce"], ["funding", "support_program"], []]
KINDS = ["pain_point", "pain_point", "request", "positive"]


def analysed(engine: Engine, upload: Upload, data: bytes = b"doc", **options: Any) -> int:
    """Upload, claim and complete one document with the four units above; returns the meeting id."""
    accepted = upload(data, **options)
    job = jobs.claim(engine, "w", 60)
    assert job is not None and job.document_id == accepted.document_id
    unit_rows, tag_rows = unit_and_tag_rows(TEXTS, CATEGORIES, KINDS)
    unit_rows[1]["organisation"] = "대경정밀㈜"
    unit_rows[1]["speaker"] = "화자-2"
    tag_rows[3]["needs_review"] = True
    assert jobs.complete(engine, job, unit_rows, tag_rows, {"date": "2024. 5. 14."})
    return accepted.meeting_id


def test_list_units_returns_unit_fields_and_model_tags(engine: Engine, upload: Upload) -> None:
    meeting_id = analysed(engine, upload, title="구미 간담회")
    rows, total = queries.list_units(engine, agency_id=None, model_version=MODEL)
    assert total == 4
    first = rows[0]
    assert (first["text"], first["start"], first["end"], first["meeting_id"]) == (
        TEXTS[0],
        0,
        len(TEXTS[0]),
        meeting_id,
    )
    assert (first["categories"], first["kind"], first["corrected"], first["needs_review"]) == (
        ["equipment_facilities"],
        "pain_point",
        False,
        False,
    )
    assert (first["meeting_title"], first["meeting_date"], first["agency"], first["programme"]) == (
        "구미 간담회",
        "2024-05-14",
        "한국산업기술진흥원",
        "산업기반구축사업",
    )
    assert first["probabilities"] == {"equipment_facilities": 0.9}
    assert first["keyphrases"] == ["인력 부족"]


def test_corrections_override_the_model_latest_wins(engine: Engine, upload: Upload) -> None:
    analysed(engine, upload)
    rows, _ = queries.list_units(engine, agency_id=None, model_version=MODEL)
    target = rows[3]["unit_id"]
    queries.add_correction(engine, target, ["support_program"], "request", "검토자1", taxonomy=DEFAULT_TAXONOMY)
    queries.add_correction(
        engine, target, ["process_analysis", "expert_support"], "positive", "검토자2", taxonomy=DEFAULT_TAXONOMY
    )
    rows, _ = queries.list_units(engine, agency_id=None, model_version=MODEL)
    corrected = rows[3]
    assert (corrected["categories"], corrected["kind"], corrected["corrected"], corrected["needs_review"]) == (
        ["process_analysis", "expert_support"],
        "positive",
        True,
        False,
    )
    assert [row["corrected"] for row in rows[:3]] == [False, False, False]
    assert [row["author"] for row in queries.corrections_of(engine, target)] == ["검토자1", "검토자2"]


def test_correction_can_empty_the_categories(engine: Engine, upload: Upload) -> None:
    analysed(engine, upload)
    rows, _ = queries.list_units(engine, agency_id=None, model_version=MODEL)
    queries.add_correction(engine, rows[0]["unit_id"], [], "neutral", "검토자", taxonomy=DEFAULT_TAXONOMY)
    rows, total = queries.list_units(engine, agency_id=None, model_version=MODEL, category="equipment_facilities")
    assert (rows, total) == ([], 0)


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        ("workforce", [1]),
        ("funding", [2]),
        ("support_program", [2]),
        ("support", []),  # a prefix of an id is not a match
        ("support%program", []),  # LIKE wildcards in the value are literal
        ("supportXprogram", []),  # so is "_"
        ("equipment_facilities", [0]),
    ],
)
def test_category_filter_matches_whole_ids(engine: Engine, upload: Upload, category: str, expected: list[int]) -> None:
    analysed(engine, upload)
    rows, total = queries.list_units(engine, agency_id=None, model_version=MODEL, category=category)
    assert [row["seq"] for row in rows] == expected
    assert total == len(expected)


def test_category_filter_uses_the_effective_categories(engine: Engine, upload: Upload) -> None:
    analysed(engine, upload)
    rows, _ = queries.list_units(engine, agency_id=None, model_version=MODEL)
    queries.add_correction(engine, rows[3]["unit_id"], ["workforce"], "pain_point", "검토자", taxonomy=DEFAULT_TAXONOMY)
    found, _ = queries.list_units(engine, agency_id=None, model_version=MODEL, category="workforce")
    assert [row["seq"] for row in found] == [1, 3]
    found, _ = queries.list_units(engine, agency_id=None, model_version=MODEL, kind="pain_point")
    assert [row["seq"] for row in found] == [0, 1, 3]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"kind": "request"}, [2]),
        ({"needs_review": True}, [3]),
        ({"needs_review": False}, [0, 1, 2]),
        ({"organisation": "대경정밀㈜"}, [1]),
        ({"speaker": "화자-2"}, [1]),
        ({"q": "수도권"}, [1]),
        ({"q": "100%"}, []),
        ({"kind": "pain_point", "organisation": "㈜한빛전자"}, [0]),
    ],
)
def test_list_units_filters(engine: Engine, upload: Upload, filters: dict[str, Any], expected: list[int]) -> None:
    analysed(engine, upload)
    rows, total = queries.list_units(engine, agency_id=None, model_version=MODEL, **filters)
    assert [row["seq"] for row in rows] == expected
    assert total == len(expected)


def test_list_units_pages_and_scopes_by_agency_meeting_and_model(engine: Engine, upload: Upload) -> None:
    first = analysed(engine, upload, b"one")
    second = analysed(engine, upload, b"two", agency="중소벤처기업진흥공단", programme=None)
    rows, total = queries.list_units(engine, agency_id=None, model_version=MODEL, limit=3, offset=2)
    assert total == 8 and len(rows) == 3
    mine, total = queries.list_units(engine, agency_id=rows[-1]["agency_id"], model_version=MODEL)
    assert total == 4 and {row["meeting_id"] for row in mine} == {second}
    rows, total = queries.list_units(engine, agency_id=None, model_version=MODEL, meeting_id=first)
    assert total == 4
    assert queries.list_units(engine, agency_id=None, model_version="other/9")[1] == 0


def test_uncertainty_order_puts_low_confidence_first(engine: Engine, upload: Upload) -> None:
    accepted = upload(b"doc")
    job = jobs.claim(engine, "w", 60)
    unit_rows, tag_rows = unit_and_tag_rows(["a", "b", "c"])
    for tag, confidence in zip(tag_rows, [0.9, 0.4, 0.6], strict=True):
        tag["kind_confidence"] = confidence
    assert job is not None and jobs.complete(engine, job, unit_rows, tag_rows, {})
    rows, _ = queries.list_units(engine, agency_id=None, model_version=MODEL, order="uncertainty")
    assert [row["text"] for row in rows] == ["b", "c", "a"]
    assert accepted.created


def test_uncertainty_order_puts_the_smallest_margin_first_and_unknown_margins_last(
    engine: Engine, upload: Upload
) -> None:
    upload(b"doc")
    job = jobs.claim(engine, "w", 60)
    unit_rows, tag_rows = unit_and_tag_rows(["a", "b", "c", "d"], margins=[0.3, None, 0.02, 0.15])  # type: ignore[list-item]
    for tag, confidence in zip(tag_rows, [0.95, 0.4, 0.9, 0.6], strict=True):
        tag["kind_confidence"] = confidence
    assert job is not None and jobs.complete(engine, job, unit_rows, tag_rows, {})
    rows, _ = queries.list_units(engine, agency_id=None, model_version=MODEL, order="uncertainty")
    assert [row["text"] for row in rows] == ["c", "d", "a", "b"]
    assert [row["margin"] for row in rows] == [0.02, 0.15, 0.3, None]


def test_add_correction_of_a_missing_or_foreign_unit(engine: Engine, upload: Upload) -> None:
    analysed(engine, upload)
    rows, _ = queries.list_units(engine, agency_id=None, model_version=MODEL)
    with pytest.raises(AnalyzerError) as caught:
        queries.add_correction(engine, 999_999, [], "neutral", "검토자", taxonomy=DEFAULT_TAXONOMY)
    assert caught.value.code == "unit_not_found"
    with pytest.raises(AnalyzerError):
        queries.add_correction(
            engine,
            rows[0]["unit_id"],
            [],
            "neutral",
            "검토자",
            agency_id=rows[0]["agency_id"] + 1,
            taxonomy=DEFAULT_TAXONOMY,
        )
    with pytest.raises(ValueError, match="list"):
        queries.add_correction(engine, rows[0]["unit_id"], "workforce", "neutral", "검토자", taxonomy=DEFAULT_TAXONOMY)
    assert queries.unit_agency(engine, rows[0]["unit_id"]) == rows[0]["agency_id"]
    assert queries.unit_agency(engine, 999_999) is None


def test_list_corrections_shows_their_source(engine: Engine, upload: Upload) -> None:
    analysed(engine, upload, title="창원 간담회")
    rows, _ = queries.list_units(engine, agency_id=None, model_version=MODEL)
    queries.add_correction(engine, rows[1]["unit_id"], ["workforce"], "request", "검토자", taxonomy=DEFAULT_TAXONOMY)
    found, total = queries.list_corrections(engine, rows[1]["agency_id"])
    assert total == 1
    assert (found[0]["text"], found[0]["meeting_title"], found[0]["author"]) == (TEXTS[1], "창원 간담회", "검토자")
    assert queries.list_corrections(engine, rows[1]["agency_id"] + 1) == ([], 0)


def test_tagged_units_frame_has_effective_labels(engine: Engine, upload: Upload) -> None:
    analysed(engine, upload, title="구미 간담회", region="경북")
    rows, _ = queries.list_units(engine, agency_id=None, model_version=MODEL)
    queries.add_correction(engine, rows[0]["unit_id"], ["regulation"], "request", "검토자", taxonomy=DEFAULT_TAXONOMY)
    frame = queries.tagged_units_frame(engine, None, MODEL)
    assert list(frame.columns) == list(queries.FRAME_COLUMNS)
    for column in [
        "unit_id",
        "meeting_id",
        "meeting_title",
        "meeting_date",
        "agency",
        "programme",
        "region",
        "industry",
        "organisation",
        "speaker",
        "text",
        "categories",
        "kind",
        "needs_review",
        "keyphrases",
        "corrected",
    ]:
        assert column in frame.columns
    assert len(frame) == 4
    assert frame["categories"].tolist() == [["regulation"], ["workforce"], ["funding", "support_program"], []]
    assert frame["kind"].tolist() == ["request", "pain_point", "request", "positive"]
    assert frame["corrected"].tolist() == [True, False, False, False]
    assert frame["needs_review"].tolist() == [False, False, False, True]
    assert set(frame["region"]) == {"경북"}  # the meeting's region where the unit has none
    assert frame["meeting_date"].iloc[0] == "2024-05-14"
    assert frame["keyphrases"].iloc[0] == ["인력 부족"]


def test_tagged_units_frame_scopes_and_is_empty_with_columns(engine: Engine, upload: Upload) -> None:
    empty = queries.tagged_units_frame(engine, None, MODEL)
    assert empty.empty and list(empty.columns) == list(queries.FRAME_COLUMNS)
    analysed(engine, upload)
    frame = queries.tagged_units_frame(engine, None, MODEL)
    assert len(queries.tagged_units_frame(engine, 999, MODEL)) == 0
    assert len(frame) == 4


def test_list_and_get_meeting(engine: Engine, upload: Upload) -> None:
    first = analysed(engine, upload, b"one", title="가", date="2024-01-02")
    second = analysed(engine, upload, b"two", title="나", date="2024-03-04")
    rows, total = queries.list_meetings(engine, None)
    assert total == 2 and [row["id"] for row in rows] == [second, first]
    assert (rows[0]["units"], rows[0]["documents"], rows[0]["agency"]) == (4, 1, "한국산업기술진흥원")
    meeting = queries.get_meeting(engine, first)
    assert meeting is not None and meeting["title"] == "가"
    assert [job["status"] for job in meeting["files"][0]["jobs"]] == ["done"]
    assert queries.get_meeting(engine, first, agency_id=meeting["agency_id"] + 1) is None
    assert queries.get_meeting(engine, 999) is None
    assert queries.list_meetings(engine, meeting["agency_id"] + 1) == ([], 0)
