"""The load run's arithmetic (benchmarks/load_findings.py): nearest-rank percentiles and the records per request
kind, with the API call and the dashboard page pooled as the overview. The run itself needs the ``load`` extra."""

from __future__ import annotations

from types import ModuleType

import pytest

from tests.benchmark_modules import benchmark_module


@pytest.fixture(scope="module")
def load_findings() -> ModuleType:
    return benchmark_module("load_findings")


def test_percentiles_are_nearest_rank(load_findings: ModuleType) -> None:
    values = [float(v) for v in range(100, 0, -1)]  # 100 … 1, unsorted on purpose
    assert load_findings.percentile(values, 0.95) == 95.0
    assert load_findings.percentile(values, 0.99) == 99.0
    assert load_findings.percentile([7.0], 0.95) == 7.0
    twenty = [float(v) for v in range(1, 21)]
    assert load_findings.percentile(twenty, 0.95) == 19.0  # the 19th of 20, not the maximum


def test_records_per_kind_pool_the_overview_and_count_errors(load_findings: ModuleType) -> None:
    samples = {
        "findings": {"ms": [100.0, 300.0], "errors": 1, "messages": ["500", "500"]},
        "overview page": {"ms": [200.0], "errors": 0, "messages": []},
        "upload": {"ms": [50.0], "errors": 0, "messages": []},
    }
    records = {r["request"]: r for r in load_findings.summarise(samples, "sqlite", 1000)}
    assert set(records) == {"findings", "overview page", "upload", "overview (all)"}
    pooled = records["overview (all)"]
    assert (pooled["count"], pooled["p50_ms"], pooled["max_ms"], pooled["errors"]) == (3, 200, 300, 1)
    assert records["findings"]["error_examples"] == ["500"]
    assert {r["database"] for r in records.values()} == {"sqlite"}
    assert {r["units"] for r in records.values()} == {1000}
