"""Case numbers: the area's code, the calendar date applied on, the day's sequence."""
from datetime import date

from ...adapters.models import DailyCounter
from ...domain.identifiers import make_case_number


def next_sequence(area: str, day: str) -> int:
    """The area's next number of the day (an atomic counter: no two cases share one)."""
    counter = DailyCounter(f"SEQ#{area}#{day}", "SEQ")
    counter.update(actions=[DailyCounter.value.add(1)])
    return int(counter.value)


def next_case_number(area: str, day: date) -> str:
    return make_case_number(area, day, next_sequence(area, day.strftime("%Y%m%d")))
