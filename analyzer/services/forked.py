"""Local batch workers forked from the analysing process after it loaded the model and Kiwi.

A new worker process that loads the model and builds Kiwi costs seconds; a fork shares them (copy-on-write) and
costs milliseconds. :class:`ForkedPool` offers the part of Dask's client that :mod:`analyzer.services.batch` uses
(``submit``, ``gather``, ``scheduler_info``). A worker that dies (killed, out of memory) breaks the pool: the pool
is forked again from this process and the partitions that were in flight run again, so every answer still
comes back exactly once. Ctrl-C is this process's to handle: the workers ignore it (no traceback from each), and
a pool left by an exception (the interrupt, a refused output) stops its workers at once instead of waiting for them.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

#: How many times one partition is run again after its worker died.
RETRIES = 3


def can_fork() -> bool:
    """False in a process running a JVM (KoNLPy's Okt): its threads do not survive a fork, and a forked worker
    waits for them forever."""
    jpype = sys.modules.get("jpype")
    return not (jpype is not None and jpype.isJVMStarted())


class ForkedPool:
    """*workers* processes forked after *prepare* ran here; each runs *after_fork* first."""

    def __init__(
        self,
        workers: int,
        prepare: Callable[[], object] | None = None,
        after_fork: Callable[[], object] | None = None,
    ) -> None:
        if prepare is not None:
            prepare()
        self.workers = workers
        self.after_fork = after_fork
        self.generation = 0
        self.pool = self._fork()

    def _fork(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("fork")
        return ProcessPoolExecutor(
            self.workers, mp_context=context, initializer=_worker_start, initargs=(self.after_fork,)
        )

    def _renew(self, generation: int) -> None:
        """A new pool after the pool of *generation* broke (once, however many partitions saw it break)."""
        if generation == self.generation:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = self._fork()
            self.generation += 1

    def submit(self, fn: Callable[..., Any], *args: Any, pure: bool = True, **kwargs: Any) -> Partition:
        """Run ``fn(*args, **kwargs)`` on a worker (``pure`` is Dask's; every partition here runs)."""
        return Partition(self, fn, args, kwargs)

    def gather(self, partitions: list[Partition]) -> list[Any]:
        return [partition.result() for partition in partitions]

    def scheduler_info(self) -> dict[str, Any]:
        return {"workers": {number: {} for number in range(self.workers)}}

    def pids(self) -> list[int]:
        """The worker processes' ids (started on the first partition)."""
        return list(getattr(self.pool, "_processes", {}) or {})

    def __enter__(self) -> ForkedPool:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is not None:
            for pid in self.pids():
                _kill(pid)
        self.pool.shutdown(wait=True, cancel_futures=True)


def _worker_start(after_fork: Callable[[], object] | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if after_fork is not None:
        after_fork()


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


class Partition:
    """One submitted call; ``result`` runs it again (on a new pool) when its worker died."""

    def __init__(self, owner: ForkedPool, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]):
        self.owner, self.call = owner, (fn, args, kwargs)
        self._start()

    def _start(self) -> None:
        """Submit the call; a pool found broken already (a worker died since the last result) is forked again."""
        fn, args, kwargs = self.call
        self.generation = self.owner.generation
        try:
            self.future: Future[Any] = self.owner.pool.submit(fn, *args, **kwargs)
        except BrokenProcessPool:
            self.owner._renew(self.generation)
            self.generation = self.owner.generation
            self.future = self.owner.pool.submit(fn, *args, **kwargs)

    def result(self) -> Any:
        for _ in range(RETRIES):
            try:
                return self.future.result()
            except BrokenProcessPool:
                self.owner._renew(self.generation)
                self._start()
        return self.future.result()
