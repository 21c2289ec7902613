"""Where a batch's partitions run: this process, local worker processes, or an existing Dask cluster.

Local workers are processes forked from this one after it loaded the model and Kiwi (:class:`ForkedPool`: nothing
is loaded twice), or, for callers that give nothing to load first, a ``distributed.LocalCluster`` of
single-threaded worker processes, each giving Kiwi its share of the cores. Dask (``dask`` and ``distributed``) is
the ``cluster`` extra; ``--scheduler tcp://host:8786`` connects to a ``dask-scheduler`` whose ``dask-worker``
processes run on other hosts with the package (and the same model version) installed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from analyzer.errors import AnalyzerError
from analyzer.services.forked import ForkedPool, can_fork

INSTALL_HINT = "pip install 'moksori[cluster]'"


def kiwi_threads(workers: int) -> int:
    """Kiwi's threads in each of *workers* local processes: the cores shared out, at least one."""
    return max(1, (os.cpu_count() or 1) // max(1, workers))


@dataclass(frozen=True)
class Plan:
    """Where a batch runs: on *workers* processes (this one alone, forked ones or a Dask cluster's), or in this
    process with one *helper* process beside it; Kiwi's *threads* in each process that splits."""

    workers: int
    helper: bool
    threads: int


def plan(workers: int | None, scheduler: str | None = None, *, helper: bool = True) -> Plan:
    """How ``--workers`` runs: 1 is this process alone, on one core; 2 (the default where there are two cores) is
    this process with Kiwi's two threads and a *helper* that reads and tags beside it (where one may be used; else
    two forked workers); 3 or more are that many forked workers, each with its share of the cores. A *scheduler*
    takes the partitions instead."""
    count = workers if workers is not None else 2 if (os.cpu_count() or 1) >= 2 and can_fork() else 1
    if scheduler is None and count == 1:
        return Plan(1, False, 1)
    if scheduler is None and count == 2 and helper and can_fork():
        return Plan(1, True, 2)
    return Plan(count, False, kiwi_threads(count))


@contextmanager
def executor(
    workers: int = 1,
    scheduler: str | None = None,
    timeout: float = 20,
    *,
    prepare: Callable[[], object] | None = None,
    after_fork: Callable[[], object] | None = None,
) -> Iterator[Any]:
    """``None`` (this process) for one local worker; with *prepare*, *workers* local processes forked from this one
    once *prepare* has run (:class:`ForkedPool`; not in a process running a JVM); else a ``distributed.Client`` on
    *workers* local processes or on the cluster at *scheduler*; ``cluster_unavailable`` without the extra or when
    nothing answers there."""
    if scheduler is None and workers <= 1:
        yield None
        return
    if scheduler is None and prepare is not None and can_fork():
        pool = ForkedPool(workers, prepare, after_fork)
        with pool:
            yield pool
        return
    try:
        from distributed import Client, LocalCluster
    except ModuleNotFoundError as exc:
        raise AnalyzerError("cluster_unavailable", f"dask가 설치되어 있지 않습니다. 설치: {INSTALL_HINT}") from exc
    if scheduler is not None:
        try:
            client = Client(scheduler, timeout=timeout)
        except (OSError, TimeoutError, ValueError) as exc:
            raise AnalyzerError("cluster_unavailable", f"{scheduler}: {type(exc).__name__}") from exc
        with client:
            yield client
        return
    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
    )
    with cluster, Client(cluster) as client:
        yield client
