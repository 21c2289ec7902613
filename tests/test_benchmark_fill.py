"""The findings benchmark's bulk fill (benchmarks/bench_findings.py) writes its label and summary rows itself, for
speed: they must be the rows the store's own writers derive from the same units and taggings, or the benchmark and
the load run measure data the service could never hold (a fill without the label rows' industry made every
industry-filtered overview fail)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import Engine, delete, select

from analyzer.store.engine import make_engine
from analyzer.store.labels import refresh_labels
from analyzer.store.migrate import migrate
from analyzer.store.summaries import SHAPES, rebuild_all
from analyzer.store.tables import unit_categories, unit_phrases, unit_tags, units
from tests.benchmark_modules import benchmark_module


@pytest.fixture(scope="module")
def bench_findings() -> ModuleType:
    return benchmark_module("bench_findings")


def _rows(engine: Engine, derived: bool) -> dict[str, list[tuple[Any, ...]]]:
    """Every label and summary row, sorted (scores rounded); *derived*: as the store's writers derive them, in a
    transaction rolled back."""
    with engine.connect() as conn:
        transaction = conn.begin()
        if derived:  # from no label rows, so that a unit's earlier copies are the stored units of lower ids
            for table in (unit_tags, unit_categories, unit_phrases):
                conn.execute(delete(table))
            refresh_labels(conn, list(conn.execute(select(units.c.id).order_by(units.c.id)).scalars()))
            rebuild_all(conn)
        tables = [unit_tags, unit_categories, unit_phrases, *(shape.table for shape in SHAPES.values())]
        found = {
            table.name: sorted(
                (tuple(round(v, 9) if isinstance(v, float) else v for v in row) for row in conn.execute(select(table))),
                key=repr,
            )
            for table in tables
        }
        transaction.rollback()
    return found


def test_the_bulk_fill_writes_the_rows_the_store_derives(bench_findings: ModuleType, tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'bench.db'}")
    try:
        migrate(engine)
        bench_findings.fill(engine, 600)
        filled, derived = _rows(engine, derived=False), _rows(engine, derived=True)
        assert {name: len(rows) for name, rows in filled.items()} == {name: len(rows) for name, rows in derived.items()}
        for name, rows in filled.items():
            assert rows == derived[name], name
        industries = {row[-1] for row in filled["unit_categories"]}
        assert len(industries) > 1  # the units carry industries of their own, which the label rows must carry
    finally:
        engine.dispose()
