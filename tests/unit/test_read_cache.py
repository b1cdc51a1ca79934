"""The in-function read cache: kept for its TTL, bounded, forgetting on clear, and never
keeping a value loaded across a clear (it may predate the change that cleared it)."""
import threading

import pytest

from chalicelib.services.read_cache import TTLCache


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_a_value_is_kept_for_its_ttl_then_loaded_again():
    clock, loads = Clock(), []
    cache = TTLCache(30, clock=clock)

    def load():
        loads.append(1)
        return len(loads)

    assert cache.get("k", load) == 1
    clock.now += 29.9
    assert cache.get("k", load) == 1
    clock.now += 0.2
    assert cache.get("k", load) == 2
    assert len(loads) == 2


def test_it_holds_at_most_max_entries_dropping_the_least_recently_used():
    cache = TTLCache(30, max_entries=3, clock=Clock())
    for key in "abc":
        cache.get(key, lambda key=key: key)
    cache.get("a", lambda: "reloaded")      # a is now the most recently used
    cache.get("d", lambda: "d")
    assert len(cache) == 3
    assert cache.get("a", lambda: "reloaded") == "a"
    assert cache.get("b", lambda: "reloaded") == "reloaded"


def test_a_failed_load_is_not_kept():
    cache = TTLCache(30, clock=Clock())

    def missing():
        raise LookupError("no such item")

    with pytest.raises(LookupError):
        cache.get("k", missing)
    assert cache.get("k", lambda: "now published") == "now published"


def test_a_value_loaded_while_the_cache_was_cleared_is_not_kept():
    cache = TTLCache(30, clock=Clock())
    loading, cleared = threading.Event(), threading.Event()

    def slow_load():
        loading.set()
        cleared.wait(5)
        return "read before the write"

    reader = threading.Thread(target=lambda: cache.get("k", slow_load))
    reader.start()
    assert loading.wait(5)
    cache.clear()                         # a write finished meanwhile
    cleared.set()
    reader.join(5)
    assert cache.get("k", lambda: "read after the write") == "read after the write"


def test_a_zero_ttl_turns_caching_off():
    cache, loads = TTLCache(0, clock=Clock()), []
    for _ in range(3):
        cache.get("k", lambda: loads.append(1))
    assert len(loads) == 3 and len(cache) == 0
