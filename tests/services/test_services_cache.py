"""The context's caches: bounded, least recently used evicted first, and safe under concurrent use."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analyzer.services.cache import Latest, LruCache, Once

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


def _in_threads(count: int, target: Callable[[int], None]) -> None:
    threads = [threading.Thread(target=target, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_concurrent_misses_of_one_key_compute_it_once() -> None:
    """Single flight: 8 threads missing the same key at once share one computation (they all computed it before)."""
    cache: LruCache[list[int]] = LruCache(maxsize=4)
    calls: list[int] = []
    start = threading.Barrier(THREADS)
    answers: dict[int, list[int]] = {}

    def compute() -> list[int]:
        calls.append(1)
        time.sleep(0.2)  # long enough for every other thread to arrive while it runs
        return [42]

    def ask(index: int) -> None:
        start.wait()
        answers[index] = cache.get("key", compute)

    _in_threads(THREADS, ask)
    assert len(calls) == 1
    assert all(answer is answers[0] for answer in answers.values()) and answers[0] == [42]


def test_a_failed_computation_reaches_its_waiters_and_is_not_stored() -> None:
    cache: LruCache[int] = LruCache(maxsize=4)
    started, go_on = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def failing() -> int:
        started.set()
        go_on.wait(10)
        raise RuntimeError("boom")

    def first(_: int) -> None:
        try:
            cache.get("key", failing)
        except RuntimeError as error:
            errors.append(error)

    thread = threading.Thread(target=first, args=(0,))
    thread.start()
    assert started.wait(10)
    waiter = threading.Thread(target=first, args=(1,))
    waiter.start()
    time.sleep(0.1)
    go_on.set()
    thread.join()
    waiter.join()
    assert [str(error) for error in errors] == ["boom", "boom"]
    assert len(cache) == 0
    assert cache.get("key", lambda: 7) == 7  # the next call computes again


def test_a_family_serves_its_previous_answer_only_while_the_new_one_computes() -> None:
    """Data version 1 stored; version 2 starts computing: a concurrent ask gets version 1's answer at once (not
    waiting), the request that computes gets version 2's, and so does every ask once it is stored."""
    cache: LruCache[str] = LruCache(maxsize=4)
    family = ("agency", "filters")
    assert cache.get((*family, 1), lambda: "v1", family=family) == "v1"
    started, go_on = threading.Event(), threading.Event()
    fresh: list[str] = []

    def slow() -> str:
        started.set()
        go_on.wait(10)
        return "v2"

    computing = threading.Thread(target=lambda: fresh.append(cache.get((*family, 2), slow, family=family)))
    computing.start()
    assert started.wait(10)
    began = time.perf_counter()
    assert cache.get((*family, 2), lambda: "again", family=family) == "v1"  # stale by this one computation
    assert time.perf_counter() - began < 1
    assert cache.get(("agency", "other filters", 2), lambda: "other", family=("agency", "other filters")) == "other"
    go_on.set()
    computing.join()
    assert fresh == ["v2"]
    assert cache.get((*family, 2), lambda: "again", family=family) == "v2"
    # Without a stored answer of the family, a concurrent ask waits for the computation instead.
    started.clear()
    go_on.clear()
    computing = threading.Thread(target=lambda: fresh.append(cache.get(("new", 1), slow, family=("new",))))
    computing.start()
    assert started.wait(10)
    threading.Timer(0.2, go_on.set).start()
    assert cache.get(("new", 1), lambda: "again", family=("new",)) == "v2"
    computing.join()


def test_an_evicted_family_answer_is_never_served() -> None:
    cache: LruCache[str] = LruCache(maxsize=1)
    cache.get(("a", 1), lambda: "a1", family=("a",))
    cache.get(("b", 1), lambda: "b1", family=("b",))  # evicts a1
    started, go_on = threading.Event(), threading.Event()

    def slow() -> str:
        started.set()
        go_on.wait(10)
        return "a2"

    computing = threading.Thread(target=lambda: cache.get(("a", 2), slow, family=("a",)))
    computing.start()
    assert started.wait(10)
    threading.Timer(0.2, go_on.set).start()
    assert cache.get(("a", 2), lambda: "again", family=("a",)) == "a2"  # waited: a1 is gone
    computing.join()


def test_computations_at_once_are_bounded() -> None:
    """With ``computing=2``, 8 threads computing 8 different keys never run more than 2 computations at once."""
    cache: LruCache[int] = LruCache(maxsize=16, computing=2)
    running: list[int] = []
    peak: list[int] = [0]
    guard = threading.Lock()
    start = threading.Barrier(THREADS)

    def compute() -> int:
        with guard:
            running.append(1)
            peak[0] = max(peak[0], len(running))
        time.sleep(0.05)
        with guard:
            running.pop()
        return 1

    def ask(index: int) -> None:
        start.wait()
        cache.get(index, compute)

    _in_threads(THREADS, ask)
    assert peak[0] == 2 and len(cache) == THREADS


def test_latest_refreshes_a_key_once_and_serves_other_keys_meanwhile() -> None:
    """One key's slow refresh (an industry's summary rows read for the first time) is shared by the threads that
    want that key and holds up no other key."""
    latest: Latest[tuple[str, int]] = Latest()
    slow_started, release = threading.Event(), threading.Event()
    refreshed: list[str] = []

    def refresh(key: str) -> Callable[[tuple[str, int] | None], tuple[str, int]]:
        def run(held: tuple[str, int] | None) -> tuple[str, int]:
            refreshed.append(key)
            if key == "slow":
                slow_started.set()
                assert release.wait(10)
            return (key, 0 if held is None else held[1] + 1)

        return run

    got: list[tuple[str, int]] = []
    waiting = [threading.Thread(target=lambda: got.append(latest.get("slow", lambda _: False, refresh("slow"))))]
    waiting[0].start()
    assert slow_started.wait(10)
    waiting += [threading.Thread(target=lambda: got.append(latest.get("slow", lambda _: False, refresh("slow"))))]
    waiting[1].start()
    fast: list[tuple[str, int]] = []
    other = threading.Thread(target=lambda: fast.append(latest.get("fast", lambda _: False, refresh("fast"))))
    other.start()
    other.join(5)
    served_meanwhile = fast == [("fast", 0)]  # while "slow" is being refreshed
    release.set()
    for thread in [*waiting, other]:
        thread.join()
    assert served_meanwhile
    assert got == [("slow", 0), ("slow", 0)] and refreshed == ["slow", "fast"]
    assert latest.get("slow", lambda held: held[1] < 1, refresh("slow")) == ("slow", 1)  # stale: refreshed from it
