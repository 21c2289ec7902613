"""Bounded, thread-safe caches for the per-process context (no module-level state anywhere)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class LruCache(Generic[V]):
    """At most *maxsize* values, least recently used evicted first; every access holds one lock.

    A value is computed outside the lock (two threads missing the same key may both compute it; the later one
    wins), so a slow computation never blocks readers of other keys.
    """

    def __init__(self, maxsize: int) -> None:
        if maxsize < 1:
            raise ValueError("maxsize must be at least 1")
        self.maxsize = maxsize
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        """The value under *key*, computed by *compute* and stored on a miss."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = compute()
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.maxsize:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._values)


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
