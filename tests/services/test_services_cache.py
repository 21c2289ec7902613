"""The context's caches: bounded, least recently used evicted first, and safe under concurrent use."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analyzer.services.cache import LruCache, Once

THREADS = 8
CALLS = 10_000


def test_lru_cache_survives_eight_threads_hammering_it() -> None:
    """8 threads × 10,000 calls over more keys than the cache holds: every answer is right, none raises, and the
    cache never grows past its bound (the old per-app dict raised KeyError in 42 of 80,000 such calls)."""
    cache: LruCache[tuple[int, int]] = LruCache(maxsize=16)
    errors: list[BaseException] = []
    wrong: list[tuple[int, object]] = []
    sizes: list[int] = []
    start = threading.Barrier(THREADS)

    def hammer(seed: int) -> None:
        start.wait()
        try:
            for call in range(CALLS):
                key = (seed * 7 + call) % 40
                value = cache.get(key, lambda key=key: (key, key * key))  # type: ignore[misc]
                if value != (key, key * key):
                    wrong.append((key, value))
                if call % 500 == 0:
                    sizes.append(len(cache))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=hammer, args=(seed,)) for seed in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and wrong == []
    assert max(sizes) <= 16 and len(cache) <= 16


@given(st.lists(st.integers(0, 9), max_size=60), st.integers(1, 5))
def test_lru_cache_keeps_the_most_recently_used_keys(keys: list[int], maxsize: int) -> None:
    cache: LruCache[int] = LruCache(maxsize)
    computed: list[int] = []

    def value_of(key: int) -> Callable[[], int]:
        def compute() -> int:
            computed.append(key)
            return key * 10

        return compute

    for key in keys:
        assert cache.get(key, value_of(key)) == key * 10
    recent = list(dict.fromkeys(reversed(keys)))[:maxsize]
    assert len(cache) == len(recent)
    before = len(computed)
    for key in recent:
        cache.get(key, value_of(key))
    assert len(computed) == before  # every recently used key is still held


def test_lru_cache_refuses_a_size_below_one() -> None:
    with pytest.raises(ValueError):
        LruCache(0)


def test_once_builds_one_value_for_many_threads() -> None:
    built: list[int] = []
    once: Once[list[int]] = Once()
    start = threading.Barrier(THREADS)

    def build() -> list[int]:
        built.append(1)
        return [len(built)]

    results: list[list[int]] = []

    def use() -> None:
        start.wait()
        results.append(once.get(build))

    threads = [threading.Thread(target=use) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(built) == 1 and all(result is results[0] for result in results)
