"""How ``--workers`` runs a batch: one process alone, this process with a helper, or forked workers."""

from __future__ import annotations

import pytest

from analyzer.services import cluster
from analyzer.services.cluster import Plan, plan


@pytest.fixture(autouse=True)
def no_jvm(monkeypatch: pytest.MonkeyPatch) -> None:
    """A helper may be forked: no JVM runs here (an earlier test of this process may have started KoNLPy's)."""
    monkeypatch.setattr(cluster, "can_fork", lambda: True)


def test_one_worker_is_this_process_alone_on_one_core() -> None:
    assert plan(1) == Plan(workers=1, helper=False, threads=1)


def test_two_workers_are_this_process_and_a_helper_unless_a_helper_may_not_be_used() -> None:
    assert plan(2) == Plan(workers=1, helper=True, threads=2)
    assert plan(2, helper=False) == Plan(workers=2, helper=False, threads=cluster.kiwi_threads(2))


def test_more_workers_and_a_scheduler_get_their_share_of_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cluster.os, "cpu_count", lambda: 8)
    assert plan(4) == Plan(workers=4, helper=False, threads=2)
    assert plan(2, "tcp://host:8786") == Plan(workers=2, helper=False, threads=4)


ALONE, BESIDE = Plan(1, False, 1), Plan(1, True, 2)


@pytest.mark.parametrize(("cores", "expected"), [(1, ALONE), (2, BESIDE), (None, ALONE)])
def test_the_default_is_two_workers_where_there_are_two_cores(
    monkeypatch: pytest.MonkeyPatch, cores: int | None, expected: Plan
) -> None:
    monkeypatch.setattr(cluster.os, "cpu_count", lambda: cores)
    assert plan(None) == expected


def test_no_helper_is_forked_beside_a_jvm(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cluster, "can_fork", lambda: False)
    assert plan(2).helper is False
