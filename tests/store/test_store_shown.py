"""The findings' reads of the units they show (quote candidates of every category, representatives of every shown
recurring issue), in quote order or through the meetings or the industry, give what a brute-force pass over the label
rows of the units passing the filters (the whole tagged-units frame, filtered in pandas) gives, on SQLite and
PostgreSQL; the access path is chosen by the estimated cost."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, select

from analyzer.services.findings import FindingFilters
from analyzer.store import access_path, queries
from analyzer.store.access_path import Through, read_through, rows_through
from analyzer.store.cells import SUMMARY_KINDS
from analyzer.store.engine import reader
from analyzer.store.shown import candidate_frames, quote_candidates, representative_rows
from analyzer.store.summary_read import read_summaries
from analyzer.store.tables import unit_categories, units
from tests.store.conftest import MODEL, Upload
from tests.store.test_store_counting import _fill

FILTERS: list[tuple[int | None, dict[str, Any]]] = [
    (None, {}),
    (1, {}),
    (None, {"region": "경북 구미"}),
    (None, {"date_from": "2024-05-01", "date_to": "2024-05-31"}),
    (None, {"industry": "displays", "region": "경북 구미"}),
]


def _stored(engine: Engine) -> tuple[dict[tuple[int, str], int], dict[int, tuple[int, str]]]:
    """Every label row's ``draw`` and every unit's meeting and text, read plainly."""
    with engine.connect() as conn:
        draws = {
            (row.unit_id, row.category): row.draw
            for row in conn.execute(
                select(unit_categories.c.unit_id, unit_categories.c.category, unit_categories.c.draw).where(
                    unit_categories.c.model_version == MODEL
                )
            )
        }
        found = {row.id: (row.meeting_id, row.text) for row in conn.execute(select(units))}
    return draws, found


@pytest.mark.parametrize("path", [None, "meetings", "industry"], ids=["quote order", "through meetings", "industry"])
@pytest.mark.parametrize(("agency_id", "chosen"), FILTERS)
def test_one_statement_reads_equal_a_brute_force_pass(
    engine: Engine, upload: Upload, agency_id: int | None, chosen: dict[str, Any], path: Through
) -> None:
    _fill(engine, upload)
    draws, stored = _stored(engine)
    passing = set(FindingFilters(**chosen).apply(queries.tagged_units_frame(engine, agency_id, MODEL))["unit_id"])
    label = unit_categories.c
    with engine.connect() as conn:
        every = conn.execute(
            select(label.unit_id, label.category, label.signature, label.quote_rank).where(
                label.model_version == MODEL, label.kind.in_(SUMMARY_KINDS)
            )
        ).all()
    ranked: dict[str, list[tuple[float, int, int]]] = {}
    best: dict[tuple[str, int], tuple[float, int]] = {}
    for row in (row for row in every if row.unit_id in passing):
        ranked.setdefault(row.category, []).append((row.quote_rank, draws[(row.unit_id, row.category)], row.unit_id))
        key = (row.category, int(row.signature))
        if row.signature and (key not in best or (row.quote_rank, row.unit_id) < best[key]):
            best[key] = (row.quote_rank, row.unit_id)
    assert ranked and best
    issues = [*sorted(best)[:30], ("no_such_category", 1)]
    with reader(engine).connect() as conn:
        through = rows_through(conn, MODEL, agency_id, chosen, path) if path else None
        candidates = quote_candidates(conn, agency_id, MODEL, chosen, sorted(ranked), 3, through=through)
        shown = representative_rows(conn, agency_id, MODEL, chosen, issues, through=through)
    for category, rows in ranked.items():
        expected = {unit_id for _, _, unit_id in sorted(rows)[:3]}
        assert set(candidates.loc[candidates["category"] == category, "unit_id"]) == expected, category
    frame, label_rows, texts = candidate_frames(candidates)
    assert frame["unit_id"].is_unique and len(label_rows) == len(candidates) == sum(
        min(3, len(r)) for r in ranked.values()
    )
    assert texts == {unit_id: stored[unit_id][1] for unit_id in frame["unit_id"]}
    assert frame["meeting_id"].tolist() == [stored[unit_id][0] for unit_id in frame["unit_id"]]
    assert frame["meeting_id"].is_monotonic_increasing  # document order
    assert shown == {
        position: (best[issue][1], *stored[best[issue][1]]) for position, issue in enumerate(issues) if issue in best
    }
    assert len(issues) - 1 not in shown  # an issue with no unit under the filters has no representative


def test_the_access_path_follows_the_estimated_costs(
    engine: Engine, upload: Upload, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No filter: quote order. A filter that leaves a third of the units against a large *n*: an ordered read visits
    every entry of each category, through the meetings a third of the entries, then returns them, each costing
    :data:`~analyzer.store.access_path.THROUGH_ROW_COST` entries (8: quote order; 1: through the meetings). A
    region-only filter and a small *n*: quote order (through the meetings would read every meeting's rows, none
    being excluded by a meeting-level filter). An industry of three quarters of the units against a large *n*, rows
    returned at no cost: through the industry (three quarters of the entries, where the others visit them all)."""
    _fill(engine, upload)
    month = {"date_from": "2024-05-01", "date_to": "2024-05-31"}
    cells = read_summaries(engine, MODEL).cells
    displays = read_summaries(engine, MODEL, industry="displays").cells
    assert read_through(cells, cells, None, {}, 3) is None
    assert read_through(cells, cells, None, month, 1000) is None
    assert read_through(cells, displays, None, {"industry": "displays"}, 1) is None
    monkeypatch.setattr(access_path, "THROUGH_ROW_COST", 1)
    assert read_through(cells, cells, None, month, 1000) == "meetings"
    assert read_through(cells, cells, None, {"region": "경북 구미"}, 1) is None
    assert read_through(cells, displays, None, {"industry": "displays", **month}, 1000) == "meetings"
    monkeypatch.setattr(access_path, "THROUGH_ROW_COST", 0)
    assert read_through(cells, displays, None, {"industry": "displays"}, 1000) == "industry"
