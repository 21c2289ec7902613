"""Bounded, thread-safe caches for the per-process context (no module-level state anywhere)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from contextlib import nullcontext
from typing import Generic, TypeVar, cast

V = TypeVar("V")


class _Flight(Generic[V]):
    """One computation in progress; threads that need its value wait for it."""

    def __init__(self) -> None:
        self._done = threading.Event()
        self._value: V | None = None
        self._error: BaseException | None = None

    def finish(self, value: V | None, error: BaseException | None = None) -> None:
        self._value, self._error = value, error
        self._done.set()

    def wait(self) -> V:
        self._done.wait()
        if self._error is not None:
            raise self._error
        return cast(V, self._value)


class LruCache(Generic[V]):
    """At most *maxsize* values, least recently used evicted first; every access holds one lock.

    A value is computed outside the lock, so a slow computation never blocks readers of other keys, and once per
    key at a time (single flight): a thread missing a key another thread is computing waits for that computation
    (and gets its error, if it fails) instead of computing it again.

    With *computing*, at most that many computations run at once (the others wait for a slot), so that a process's
    other threads (a write holding a database lock) are not starved of the GIL by many computations in turn.

    A key may belong to a *family* (the same question at successive data versions: the key without its version).
    While a new key of a family is being computed, other threads asking for it get the family's latest stored value
    at once instead of waiting: an answer stale by at most that one computation. The thread that started it, and
    every thread asking once it is stored, get the new value.
    """

    def __init__(self, maxsize: int, *, computing: int | None = None) -> None:
        if maxsize < 1:
            raise ValueError("maxsize must be at least 1")
        self.maxsize = maxsize
        self._slots = threading.BoundedSemaphore(computing) if computing else None
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._pending: dict[Hashable, _Flight[V]] = {}
        self._families: dict[Hashable, Hashable] = {}  # key -> its family, for keys stored with one
        self._latest: dict[Hashable, Hashable] = {}  # family -> its most recently stored key
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], V], *, family: Hashable | None = None) -> V:
        """The value under *key*, computed by *compute* and stored on a miss (see the class for *family*)."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
            flight = self._pending.get(key)
            if flight is None:
                flight = self._pending[key] = _Flight()
                computing = True
            else:
                computing = False
                stale = self._latest.get(family) if family is not None else None
                if stale is not None:
                    return self._values[stale]
        if not computing:
            return flight.wait()
        try:
            with self._slots or nullcontext():
                value = compute()
        except BaseException as error:
            with self._lock:
                del self._pending[key]
            flight.finish(None, error)
            raise
        with self._lock:
            del self._pending[key]
            self._store(key, value, family)
        flight.finish(value)
        return value

    def _store(self, key: Hashable, value: V, family: Hashable | None) -> None:
        self._values[key] = value
        self._values.move_to_end(key)
        if family is not None:
            self._families[key] = family
            self._latest[family] = key
        while len(self._values) > self.maxsize:
            evicted, _ = self._values.popitem(last=False)
            gone = self._families.pop(evicted, None)
            if gone is not None and self._latest.get(gone) == evicted:
                del self._latest[gone]

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._families.clear()
            self._latest.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._values)


class Latest(Generic[V]):
    """The latest value per key, brought up to date from the one held (a refresh may reuse it) when it is stale;
    one refresh at a time per key (another thread wanting that key waits for it, then shares its value; other keys
    are served meanwhile)."""

    def __init__(self) -> None:
        self._held: dict[Hashable, V] = {}
        self._locks: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, stale: Callable[[V], bool], refresh: Callable[[V | None], V]) -> V:
        """The value held under *key*, first replaced by ``refresh(held)`` when there is none or it is *stale*."""
        with self._lock:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            held = self._held.get(key)
            if held is None or stale(held):
                held = refresh(held)
                with self._lock:
                    self._held[key] = held
            return held


class Once(Generic[V]):
    """One value built on first use under a lock (or set beforehand), then shared."""

    def __init__(self) -> None:
        self._value: V | None = None
        self._lock = threading.Lock()

    def get(self, build: Callable[[], V]) -> V:
        with self._lock:
            if self._value is None:
                self._value = build()
            return self._value

    def set(self, value: V) -> None:
        with self._lock:
            self._value = value
