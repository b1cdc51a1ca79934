"""The in-function cache of public catalogue reads.

The catalogue and the guides are the most-read part of a portal and change rarely: a
published version's document never changes, and the "current version" of an item changes
when an administrator publishes, suspends or cancels. A Lambda container keeps answers for
`OW_CATALOGUE_CACHE_SECONDS` (default 30 s: the longest a reader can see the previous
current version after a publish in another container); the container that made the change
forgets at once. Bounded (least recently used out first), so a crawler walking every item
cannot grow it without limit.

Applications never read through it: they take the item's version from the table, so an
item suspended a second ago takes no applications.
"""
import threading
import time
from collections import OrderedDict

MAX_ENTRIES = 2048


class TTLCache:
    def __init__(self, ttl_seconds: float, max_entries: int = MAX_ENTRIES, clock=time.monotonic):
        self.ttl = ttl_seconds
        self.max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self._generation = 0

    def get(self, key, load):
        """The cached value of `key`, or `load()`'s (kept for the TTL). A load that raises
        is not cached (a 404 for an item about to be published stays a fresh question)."""
        if self.ttl <= 0:
            return load()
        now = self._clock()
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and hit[0] > now:
                self._entries.move_to_end(key)
                return hit[1]
            generation = self._generation
        value = load()
        with self._lock:
            # A clear() while loading means the value may predate a change: do not keep it.
            if generation == self._generation:
                self._entries[key] = (now + self.ttl, value)
                self._entries.move_to_end(key)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._generation += 1

    def __len__(self) -> int:
        return len(self._entries)


catalogue = TTLCache(30)


def configure(ttl_seconds: float) -> None:
    catalogue.ttl = ttl_seconds
    catalogue.clear()
