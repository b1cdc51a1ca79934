"""Case numbers: the area's code, the calendar date applied on, the day's sequence.

The area's counter of the day hands out numbers in blocks: one draw reserves `BLOCK`
numbers, and the function hands them out itself until they run out. So an application
draws from the counter once in `BLOCK` (its round trips: the item read and the one
commit), and the counter — one item, 1,000 writes a second at most — takes `BLOCK` times
that many applications. Numbers stay unique (no two draws overlap), not gapless: a
container that stops, or a day that ends, leaves the rest of its block unused; and across
containers a later number may be an earlier application's (docs/api.md)."""
import threading
from datetime import date

from ...adapters.models import DailyCounter
from ...domain.identifiers import make_case_number

BLOCK = 10

_lock = threading.Lock()
# (area, day) -> the numbers of this container's block not handed out yet.
_blocks: dict[tuple[str, str], range] = {}


def next_sequence(area: str, day: str) -> int:
    """The area's next number of the day, from this container's block (a new block drawn
    from the day's atomic counter when it has run out)."""
    with _lock:  # one draw at a time per container: the numbers of a block never wasted
        block = _blocks.get((area, day))
        if not block:
            for older in [key for key in _blocks if key[0] == area and key[1] != day]:
                del _blocks[older]   # a day over: its rest is never used
            block = _draw(area, day)
        _blocks[(area, day)] = block[1:]
        return block[0]


def _draw(area: str, day: str) -> range:
    counter = DailyCounter(f"SEQ#{area}#{day}", "SEQ")
    counter.update(actions=[DailyCounter.value.add(BLOCK)])
    last = int(counter.value)
    return range(last - BLOCK + 1, last + 1)


def forget() -> None:
    """Drop the blocks in hand (a new configuration may point at another table)."""
    with _lock:
        _blocks.clear()


def next_case_number(area: str, day: date) -> str:
    return make_case_number(area, day, next_sequence(area, day.strftime("%Y%m%d")))
