"""The garbage collector in long-running processes (the web processes, the analysis worker).

CPython's cyclic collector runs a young collection every 700 net allocations and now and then a full one that
walks every tracked object. A findings call builds tens of thousands of short-lived rows and frames, so with the
default threshold the collector ran dozens of times per call, and each full collection walked everything the
process built at start (modules, the model, caches): 10-15 % of a findings call's CPU at 1 M units. What a process
built at start is frozen out of the collector's sight (:func:`gc.freeze`, never collected, which is what start-up
state is anyway), and young collections run every few thousand allocations instead of 700.
"""

from __future__ import annotations

import gc

#: Net allocations between young collections (CPython's default 700), and young (then middle) collections between
#: collections of the next generation (default 10 each).
THRESHOLDS = (10_000, 10, 10)


def settle() -> None:
    """Collect, freeze what survives (the process's start-up state) and set :data:`THRESHOLDS`; call once the
    process has loaded what it keeps. Once per process: later calls (a process that builds several apps, as tests
    do) change nothing, so objects that die later are never held frozen. A settled process is known by its
    thresholds: ``gc.get_freeze_count`` walks every frozen object (3 ms a call after a model load), and a batch
    helper asks for every chunk it tags."""
    if gc.get_threshold() == THRESHOLDS or gc.get_freeze_count():
        return
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
