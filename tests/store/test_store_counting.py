"""The findings read from the label rows equal the findings of the whole tagged-units frame (the previous design,
kept as the reference): same keys and numbers for every filter, on SQLite and PostgreSQL. Recurring issues are
defined anew (stored signatures grouped across meetings, :mod:`analyzer.aggregate.signatures`): they are checked
against a brute-force recount of that definition over the same frame."""

from __future__ import annotations

import json
import math
import random
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from analyzer.aggregate import findings as frame_findings
from analyzer.services.deployed import Deployed
from analyzer.services.findings import FILTER_COLUMNS, FindingFilters, compute
from analyzer.store import jobs, queries
from analyzer.store.agencies import create_agency
from analyzer.store.tables import units
from analyzer.taxonomy import load_taxonomy
from analyzer.textkeys import clean_labels, signature_of, text_hashes
from tests.store.conftest import MODEL, Upload
from tests.store.rows import DEFAULT_TAXONOMY, unit_and_tag_rows

CORPUS = Path(__file__).resolve().parents[2] / "corpora" / "units" / "a_minutes.jsonl"
KINDS = ["pain_point", "request", "positive", "neutral"]


def _fill(engine: Engine, upload: Upload) -> None:
    """Eight meetings of two agencies over three months: corpus texts (with repeats), random labels, organisations,
    per-unit regions and key phrases, and corrections."""
    rng = random.Random(7)
    corpus = [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    categories = list(load_taxonomy().category_ids)
    create_agency(engine, "경북테크노파크")
    for meeting in range(8):
        agency = "한국산업기술진흥원" if meeting % 2 else "경북테크노파크"
        accepted = upload(
            f"doc {meeting}".encode(),
            agency=agency,
            programme=["산업기반구축사업", None][meeting % 3 == 0],
            date=f"2024-0{meeting % 3 + 4}-1{meeting}",
            region=["경북", "대구"][meeting % 2],
            industry=["displays", ""][meeting % 4 == 0],
        )
        job = jobs.claim(engine, "w", 60)
        assert job is not None and job.document_id == accepted.document_id
        texts = [rng.choice(corpus[:25]) for _ in range(30)]
        labels = [rng.sample(categories, rng.choice([0, 1, 1, 2])) for _ in texts]
        unit_rows, tag_rows = unit_and_tag_rows(texts, labels, [rng.choice(KINDS) for _ in texts])
        for row in unit_rows:
            row["organisation"] = rng.choice(["㈜한빛전자", "대경정밀㈜", "", "  가나  테크 "])
            row["region"] = rng.choice(["", "", "경북 구미"])
            row["keyphrases"] = rng.sample(["인력 부족", "장비", "자금", "수출"], rng.randrange(3))
        for row in tag_rows:
            row["needs_review"] = rng.random() < 0.2
        assert jobs.complete(engine, job, unit_rows, tag_rows, {})
    with engine.connect() as conn:
        ids = conn.execute(select(units.c.id).order_by(units.c.id)).scalars().all()
    for unit_id in rng.sample(ids, 20):
        queries.add_correction(
            engine, unit_id, rng.sample(categories, 1), rng.choice(KINDS), "검토자", taxonomy=DEFAULT_TAXONOMY
        )


def reference(engine: Engine, agency_id: int | None, deployed: Deployed, chosen: FindingFilters) -> dict[str, Any]:
    """The previous computation: every tagged unit read into one frame, filtered and aggregated in pandas."""
    every = queries.tagged_units_frame(engine, agency_id, deployed.model_version)
    frame = chosen.apply(every)
    result = frame_findings(frame, deployed.taxonomy)
    result["model_version"] = deployed.model_version
    result["filters"] = {k: v for k, v in vars(chosen).items() if v}
    # each filter's options under the other chosen filters, not its own
    options = {
        column: sorted(v for v in replace(chosen, **{column: None}).apply(every)[column].dropna().unique() if v)
        for column in FILTER_COLUMNS
    }
    result["options"] = options if any(options.values()) else {}
    return result


def same(left: Any, right: Any, where: str = "") -> None:
    """Equal, floats up to rounding."""
    if isinstance(left, float) and isinstance(right, float):
        assert math.isclose(left, right, rel_tol=1e-9, abs_tol=1e-12), where
    elif isinstance(left, dict) and isinstance(right, dict):
        assert list(left) == list(right), where
        for key in left:
            same(left[key], right[key], f"{where}.{key}")
    elif isinstance(left, list) and isinstance(right, list):
        assert len(left) == len(right), where
        for position, (one, other) in enumerate(zip(left, right, strict=True)):
            same(one, other, f"{where}[{position}]")
    else:
        assert left == right, where


def assert_recurring(listed: list[dict[str, Any]], frame: Any) -> None:
    """*listed* are the (category, signature) groups of the pain points and requests of *frame* spanning at least
    two meetings, ranked, with their counts recounted here by brute force and a member as representative."""
    groups: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for row in frame.to_dict(orient="records"):
        if " ".join(str(row["kind"]).split()) not in ("pain_point", "request"):
            continue
        signature = signature_of(clean_labels(row["keyphrases"]), text_hashes([row["text"]])[0])
        for category in clean_labels(row["categories"]) if signature else []:
            groups.setdefault((category, signature), []).append(row)
    counted = []
    for (category, signature), members in groups.items():
        meetings = {row["meeting_id"] for row in members}
        organisations = {" ".join(str(row["organisation"]).split()) for row in members} - {""}
        if len(meetings) >= 2:
            counted.append((-len(meetings), -len(members), -len(organisations), category, signature))
    counted.sort()
    assert [
        (-issue["meetings"], -issue["units"], -issue["organisations"], issue["category"], int(issue["signature"]))
        for issue in listed
    ] == counted[:50]
    for issue in listed:
        by_id = {row["unit_id"]: row for row in groups[(issue["category"], int(issue["signature"]))]}
        assert issue["unit_id"] in by_id and issue["meetings"] >= 2
        representative = by_id[issue["unit_id"]]
        assert (issue["text"], issue["meeting_id"]) == (representative["text"], representative["meeting_id"])


@pytest.mark.parametrize(
    ("agency_id", "chosen"),
    [
        (None, FindingFilters()),
        (1, FindingFilters()),
        (None, FindingFilters(agency="경북테크노파크")),
        (None, FindingFilters(programme="산업기반구축사업")),
        (None, FindingFilters(region="경북 구미")),
        (None, FindingFilters(industry="displays")),
        (None, FindingFilters(industry="displays", region="경북 구미")),
        (1, FindingFilters(industry="displays")),
        (None, FindingFilters(industry="없는 업종")),
        (None, FindingFilters(date_from="2024-05-01", date_to="2024-05-31")),
        (None, FindingFilters(region="없는 지역")),
    ],
)
def test_findings_from_label_rows_equal_the_frame_findings(
    engine: Engine, upload: Upload, agency_id: int | None, chosen: FindingFilters
) -> None:
    _fill(engine, upload)
    deployed = Deployed(MODEL, load_taxonomy(), Path("."))
    expected = reference(engine, agency_id, deployed, chosen)
    found = compute(engine, agency_id, deployed, chosen)
    recurring = found.pop("recurring")
    expected.pop("recurring")
    same(found, expected)
    frame = chosen.apply(queries.tagged_units_frame(engine, agency_id, deployed.model_version))
    assert_recurring(recurring, frame)
    if "없는" not in f"{chosen.region}{chosen.industry}":
        assert found["totals"]["units"] > 0 and found["top"] and found["by_category"] and recurring


def test_findings_of_a_database_with_no_units_under_every_filter(engine: Engine) -> None:
    """No summary rows at all (a new database), every filter set: empty findings, not an error."""
    deployed = Deployed(MODEL, load_taxonomy(), Path("."))
    chosen = FindingFilters("기관", "사업", "경북", "displays", "2024-01-01", "2024-12-31")
    found = compute(engine, None, deployed, chosen)
    assert found["totals"]["units"] == 0 and found["top"] == [] and found["recurring"] == []
